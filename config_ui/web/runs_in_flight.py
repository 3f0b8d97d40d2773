"""Local runs the server started, whichever tab started them: a tab that closes leaves its
run going (the run ledger and the health view show it); the server's shutdown cancels every
run still in flight and waits for them to record themselves as cancelled."""

from __future__ import annotations

import threading
import time

from config_ui.core.local_run import CANCEL_GRACE, LocalRun

_RUNS: set[LocalRun] = set()
_LOCK = threading.Lock()


def track(run: LocalRun) -> LocalRun:
    with _LOCK:
        _RUNS.add(run)
    return run


def in_flight() -> list[LocalRun]:
    """Runs still going (finished ones are forgotten)."""
    with _LOCK:
        _RUNS.difference_update([r for r in _RUNS if r.result is not None])
        return [r for r in _RUNS if r.running]


def cancel_all(grace: float = CANCEL_GRACE + 1.0) -> None:
    """Cancel every run in flight; wait up to ``grace`` seconds for them to end (each run's
    process group is killed after :data:`CANCEL_GRACE` when SIGTERM is not enough)."""
    runs = in_flight()
    for run in runs:
        run.cancel()
    deadline = time.monotonic() + grace
    for run in runs:
        run.wait(max(0.0, deadline - time.monotonic()))
