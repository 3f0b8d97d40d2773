"""A run whose process dies without recording its end becomes ``lost`` at the next read: a real
CLI run killed with SIGKILL, a reused pid, another host's fresh or stale heartbeat, and the
heartbeat thread of a running recorder."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb

from basalt.ledger import liveness
from basalt.ledger.recorder import RunRecorder
from basalt.ledger.store import Ledger, utcnow
from tests.helpers.ledger_rows import start_row

REPO = Path(__file__).resolve().parents[2]
DEMO = "demo/01_ohlcv_bars.py"


def start(ledger: Ledger, run_id: str, process: dict | None, at: dt.datetime | None = None):
    start_row(ledger, run_id, at=at, process=process)


def test_sigkill_leaves_the_run_lost_with_its_reason(ledger, tmp_path):
    proc = subprocess.Popen(
        [sys.executable, "-m", "basalt", "run", DEMO]
        + ["--start-date", "2025-01-02", "--end-date", "2025-03-31", "--batch-freq", "D"]
        + ["--output-dir", str(tmp_path / "out")],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 120
        row = None
        while time.monotonic() < deadline and proc.poll() is None:
            rows = ledger.query("SELECT * FROM meta.runs")
            if rows and rows[0]["status"] == "running" and rows[0]["heartbeat_at"]:
                row = rows[0]
                break
            time.sleep(0.2)
        assert row is not None, "the run never showed as running with a heartbeat"
        assert row["pid"] == proc.pid and row["host"] == liveness.this_host()
        assert row["pid_started"] == liveness.process_start(proc.pid)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    out = subprocess.run(
        [sys.executable, "-m", "basalt", "ledger", "runs"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    [line] = out.stdout.splitlines()[1:]
    assert " lost " in line
    assert f"process {proc.pid} on host {liveness.this_host()} is gone" in line
    [row] = ledger.query("SELECT * FROM meta.runs")
    assert row["status"] == "lost" and "last heartbeat" in row["error"]
    assert ledger.runs(status="running") == []


def test_a_live_process_stays_running_and_a_reused_pid_is_lost(ledger):
    me = liveness.process_identity()
    start(ledger, "alive", me)
    start(ledger, "reused", {**me, "pid_started": me["pid_started"] - 1})
    status = {r["run_id"]: r for r in ledger.runs()}
    assert status["alive"]["status"] == "running" and status["alive"]["error"] is None
    assert status["reused"]["status"] == "lost"
    assert "is now another process" in status["reused"]["error"]


def test_a_dead_pid_on_this_host_is_lost(ledger):
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    start(ledger, "dead", {"host": liveness.this_host(), "pid": child.pid, "pid_started": 1})
    [row] = ledger.runs()
    assert row["status"] == "lost"
    assert row["error"].startswith(f"process {child.pid} on host {liveness.this_host()} is gone")
    assert row["finished_at"] == row["heartbeat_at"]


def test_another_host_is_lost_only_once_its_heartbeat_is_stale(ledger):
    now = utcnow()
    other = {"host": "elsewhere.example", "pid": 1, "pid_started": 5}
    start(ledger, "fresh", other, at=now - dt.timedelta(seconds=30))
    start(ledger, "stale", other, at=now - dt.timedelta(minutes=3))
    status = {r["run_id"]: r for r in ledger.runs()}
    assert status["fresh"]["status"] == "running"
    assert status["stale"]["status"] == "lost"
    assert "process 1 on host elsewhere.example is gone" in status["stale"]["error"]
    assert "no heartbeat for over 120 s" in status["stale"]["error"]


def test_gone_reason_on_rows():
    now = utcnow()
    me = liveness.process_identity()
    host = me["host"]
    row = {**me, "heartbeat_at": now}
    assert liveness.gone_reason(row, now, host) is None
    assert liveness.gone_reason({**row, "pid_started": -1}, now, host) is not None
    assert liveness.gone_reason({**row, "pid": None}, now, host) is None  # names no process
    other = {**row, "host": "b"}
    assert liveness.gone_reason(other, now + dt.timedelta(seconds=119), host) is None
    assert liveness.gone_reason(other, now + dt.timedelta(seconds=121), host) is not None


def test_a_rows_without_a_process_is_left_running(ledger):
    start(ledger, "old", None)
    [row] = ledger.runs()
    assert row["status"] == "running" and row["pid"] is None


def test_the_heartbeat_thread_updates_the_row_until_the_run_ends(ledger):
    recorder = RunRecorder(
        config_file=None,
        config_sha256=None,
        universe="mic=XLON",
        start_date=dt.date(2025, 1, 2),
        end_date=dt.date(2025, 1, 2),
        heartbeat_interval=0.1,
    )
    recorder.start()
    try:
        first = ledger.run(recorder.run_id)["heartbeat_at"]
        assert first is not None
        deadline = time.monotonic() + 10
        while ledger.run(recorder.run_id)["heartbeat_at"] == first:
            assert time.monotonic() < deadline, "no heartbeat after the first"
            time.sleep(0.05)
        assert recorder.heartbeat._thread.daemon and recorder.heartbeat._thread.is_alive()
    finally:
        recorder.finish("success")
    assert not recorder.heartbeat._thread.is_alive()
    row = ledger.run(recorder.run_id)
    assert row["status"] == "success" and row["pid"] == os.getpid()


def test_a_real_end_replaces_lost(ledger):
    start(
        ledger,
        "late",
        {"host": "b", "pid": 1, "pid_started": 1},
        at=utcnow() - dt.timedelta(hours=1),
    )
    assert ledger.run("late")["status"] == "lost"
    ledger.finish_run("late", "success")
    row = ledger.run("late")
    assert row["status"] == "success" and row["error"] is None


def test_an_old_ledger_gets_the_new_columns(tmp_path):
    path = tmp_path / "old.duckdb"
    con = duckdb.connect(str(path))
    con.execute(
        "CREATE SCHEMA meta; CREATE TABLE meta.runs (run_id VARCHAR PRIMARY KEY, "
        "trigger VARCHAR NOT NULL, demo VARCHAR, config_file VARCHAR, config_sha256 VARCHAR, "
        "universe VARCHAR, start_date DATE, end_date DATE, status VARCHAR NOT NULL, "
        "started_at TIMESTAMP NOT NULL, finished_at TIMESTAMP, error VARCHAR);"
        "INSERT INTO meta.runs (run_id, trigger, status, started_at) "
        "VALUES ('old', 'cli', 'success', now()::TIMESTAMP)"
    )
    con.close()
    old = Ledger(path)
    start(old, "new", liveness.process_identity())
    rows = {r["run_id"]: r for r in old.runs()}
    assert rows["old"]["status"] == "success" and rows["old"]["host"] is None
    assert rows["new"]["status"] == "running" and rows["new"]["pid"] == os.getpid()
