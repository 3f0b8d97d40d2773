"""The run ledger: every run's history in one DuckDB file, written by every run path."""

from basalt.ledger.recorder import RUN_ID_ENV, TRIGGER_ENV, RunRecorder, batch_partition_key
from basalt.ledger.store import Ledger, LedgerError, default_ledger_path, new_run_id

__all__ = [
    "RUN_ID_ENV",
    "TRIGGER_ENV",
    "Ledger",
    "LedgerError",
    "RunRecorder",
    "batch_partition_key",
    "default_ledger_path",
    "new_run_id",
]
