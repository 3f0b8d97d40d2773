"""A run's row in a test ledger, with the arguments most tests leave as they are."""

from __future__ import annotations

import datetime as dt
from typing import Any

from basalt.ledger.store import Ledger


def start_row(
    ledger: Ledger,
    run_id: str,
    *,
    demo: str = "01_ohlcv_bars",
    trigger: str = "cli",
    universe: str = "mic=XLON",
    start: dt.date = dt.date(2025, 1, 2),
    end: dt.date | None = None,
    **extra: Any,
) -> None:
    """Start ``run_id`` in ``ledger`` over ``start``..``end`` (default one day), no config file;
    ``extra`` goes to `Ledger.start_run` as it is (``process``, ``at``, ...)."""
    ledger.start_run(
        run_id=run_id,
        trigger=trigger,
        demo=demo,
        config_file=None,
        config_sha256=None,
        universe=universe,
        start_date=start,
        end_date=end or start,
        **extra,
    )
