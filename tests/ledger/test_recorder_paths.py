"""A run's recorder keeps the ledger of the home it started in, its heartbeat thread too."""

from __future__ import annotations

import time

from basalt import locations
from basalt.ledger.recorder import RunRecorder
from basalt.ledger.store import Ledger


def test_the_heartbeat_keeps_the_ledger_it_was_started_with(tmp_path):
    home = tmp_path / "run_home"
    with locations.using(home=home):
        recorder = RunRecorder(
            config_file=None,
            config_sha256=None,
            universe="mic=XLON",
            start_date=None,
            end_date=None,
            run_id="r1",
            heartbeat_interval=0.05,
        )
        recorder.start()
    first = Ledger(home / "ledger.duckdb").run("r1")["heartbeat_at"]
    time.sleep(0.3)  # beats from the thread, outside the run's folders
    recorder.finish("success")
    row = Ledger(home / "ledger.duckdb").run("r1")
    assert row["status"] == "success" and row["heartbeat_at"] > first
    assert not Ledger().path.exists()  # nothing went to the environment's home
