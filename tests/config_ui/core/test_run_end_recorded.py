"""A local run killed after the cancel's grace period cannot record its end: the editor that
ran it records it (cancelled, and why) instead of leaving it to be taken for lost."""

from __future__ import annotations

import datetime as dt
import signal
import subprocess
import sys

from basalt.ledger import liveness
from basalt.ledger.store import Ledger
from config_ui.core.local_run import LocalRun, RunResult
from tests.helpers.ledger_rows import start_row


def started_row(ledger: Ledger, run_id: str) -> None:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()  # a process that is gone, as a run killed with SIGKILL is
    start_row(
        ledger,
        run_id,
        trigger="tui",
        end=dt.date(2025, 1, 31),
        process={"host": liveness.this_host(), "pid": child.pid, "pid_started": 1},
    )


def local_run(ledger: Ledger, run_id: str) -> LocalRun:
    run = LocalRun(request=None, ledger=ledger)  # type: ignore[arg-type]  # never started
    run.run_id = run_id
    return run


def test_a_run_killed_after_the_cancel_is_recorded_cancelled_with_the_reason(tmp_path):
    ledger = Ledger(tmp_path / "ledger.duckdb")
    started_row(ledger, "killed")
    assert ledger.run("killed")["status"] == "lost"  # what a read sees before the editor
    local_run(ledger, "killed")._record_end(RunResult("cancelled", 6.0, -signal.SIGKILL, [], None))
    row = ledger.run("killed")
    assert row["status"] == "cancelled"
    assert row["error"] == "cancelled by the user; the run did not stop within 5 s and was killed"


def test_a_run_that_finished_itself_keeps_its_own_end(tmp_path):
    ledger = Ledger(tmp_path / "ledger.duckdb")
    started_row(ledger, "done")
    ledger.finish_run("done", "failed", "its own error")
    local_run(ledger, "done")._record_end(RunResult("cancelled", 1.0, -signal.SIGTERM, [], None))
    row = ledger.run("done")
    assert (row["status"], row["error"]) == ("failed", "its own error")
