"""A ledger writer for the concurrency tests: one process writing runs as fast as it can."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from pathlib import Path

from basalt.ledger.recorder import RunRecorder
from basalt.ledger.store import Ledger

PASSES = ("bars_1m", "spreads_1m")
CHECKS = ("not_empty", "unique_keys", "null_rate")
FIRST_DAY = dt.date(2025, 1, 2)


@dataclass(frozen=True)
class FakeOutput:
    """What the recorder reads from a pipeline output."""

    pass_name: str
    path: Path
    rows: int
    bytes: int


def demo_of(worker: int) -> str:
    return f"{worker:02d}_writer"


def day_of(run: int) -> dt.date:
    return FIRST_DAY + dt.timedelta(days=run)


class LedgerLog(logging.Handler):
    """Counts what the ledger logged: writes spooled, records that failed (the recorder logs a
    failure as a warning instead of raising)."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.spooled = 0
        self.failed: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if "spooled" in message:
            self.spooled += 1
        if record.levelno >= logging.WARNING:
            self.failed.append(message)


def write_runs(path: str, worker: int, runs: int, busy_timeout: float) -> dict[str, object]:
    """``runs`` runs of one worker, each: start, 2 outputs, 3 checks, finish (4 writes).
    Returns ``{"spooled": writes spooled, "failed": warnings the ledger logged}``."""
    counter = LedgerLog()
    logger = logging.getLogger("basalt.ledger")
    logger.addHandler(counter)
    logger.setLevel(logging.INFO)
    ledger = Ledger(path, busy_timeout=busy_timeout)
    for run in range(runs):
        day = day_of(run)
        recorder = RunRecorder(
            config_file=f"demo/{demo_of(worker)}.yaml",
            config_sha256=f"{worker:064x}",
            universe="mic=XLON",
            start_date=day,
            end_date=day,
            trigger="cli",
            run_id=f"w{worker:02d}-r{run:04d}",
            demo=demo_of(worker),
            ledger=ledger,
        )
        recorder.start()
        outputs = [
            FakeOutput(p, Path(f"/out/{demo_of(worker)}/{p}/{day}.parquet"), 100 + run, 1000 + run)
            for p in PASSES
        ]
        recorder.outputs(outputs, day, day)
        recorder.checks(
            [
                {
                    "pass_name": p,
                    "partition_key": f"{day}|mic=XLON",
                    "check_name": c,
                    "passed": True,
                    "severity": "ERROR",
                    "metadata": {"worker": worker, "run": run},
                }
                for p, c in zip(PASSES * 2, CHECKS, strict=False)
            ]
        )
        recorder.finish("success")
    logger.removeHandler(counter)
    return {"spooled": counter.spooled, "failed": counter.failed}
