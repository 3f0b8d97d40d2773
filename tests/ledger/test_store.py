"""The ledger file: upserts, sticky end states, watermarks, check metadata, and writes spooled
while another process holds the file, applied by the next open."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from basalt.cli import main
from basalt.ledger.recorder import RunRecorder
from basalt.ledger.store import Ledger, LedgerError

D = dt.date


def start(ledger: Ledger, run_id: str, universe: str | None = "mic=XLON", **dates) -> None:
    ledger.start_run(
        run_id=run_id,
        trigger="cli",
        demo="01_ohlcv_bars",
        config_file="demo/01_ohlcv_bars.yaml",
        config_sha256="abc",
        universe=universe,
        start_date=dates.get("start", D(2025, 1, 2)),
        end_date=dates.get("end", D(2025, 1, 2)),
    )


def asset(run_id: str, day: dt.date, pass_name: str = "bars_1m", **extra) -> dict:
    return {
        "run_id": run_id,
        "demo": "01_ohlcv_bars",
        "pass_name": pass_name,
        "partition_key": f"{day}|mic=XLON",
        "universe": "mic=XLON",
        "start_date": day,
        "end_date": day,
        "output_path": f"/out/{pass_name}/{day}.parquet",
        "rows": 10,
        "bytes": 100,
        **extra,
    }


def test_a_run_started_twice_is_one_row_widened(tmp_path):
    ledger = Ledger(tmp_path / "ledger.duckdb")
    start(ledger, "r1")
    start(ledger, "r1", "mic=XPAR", start=D(2025, 1, 3), end=D(2025, 1, 6))
    start(ledger, "r1", "mic=XLON")  # a third step on a universe already listed
    start(ledger, "r1", None, start=None, end=None)  # a step that names none (a freshness check)
    [run] = ledger.runs()
    assert run["run_id"] == "r1" and run["status"] == "running"
    assert (run["start_date"], run["end_date"]) == (D(2025, 1, 2), D(2025, 1, 6))
    assert run["universe"] == "mic=XLON, mic=XPAR"
    assert run["finished_at"] is None and run["duration_s"] is None
    ledger.finish_run("r1", "success")
    [run] = ledger.runs()
    assert run["status"] == "success" and run["error"] is None
    assert run["finished_at"] >= run["started_at"] and run["duration_s"] >= 0


@pytest.mark.parametrize("first", ["failed", "cancelled"])
def test_a_failed_or_cancelled_run_stays_so(tmp_path, first):
    ledger = Ledger(tmp_path / "ledger.duckdb")
    start(ledger, "r1")
    ledger.finish_run("r1", first, "step one broke")
    ledger.finish_run("r1", "success")  # a later step of the same run ends well
    ledger.finish_run("r1", "failed", "step three broke")
    run = ledger.run("r1")
    assert run is not None
    assert run["status"] == first and run["error"] == "step one broke"
    with pytest.raises(ValueError, match="unknown run status"):
        ledger.finish_run("r1", "done")


def test_success_after_success_keeps_the_latest_end(tmp_path):
    ledger = Ledger(tmp_path / "ledger.duckdb")
    start(ledger, "r1")
    ledger.finish_run("r1", "success")
    first_end = ledger.run("r1")["finished_at"]
    ledger.finish_run("r1", "success")
    run = ledger.run("r1")
    assert run["status"] == "success" and run["finished_at"] >= first_end


def test_outputs_upsert_and_the_watermark_only_moves_forward(tmp_path):
    ledger = Ledger(tmp_path / "ledger.duckdb")
    for run_id in ("new", "old", "newest"):
        start(ledger, run_id)
    ledger.record_assets([asset("new", D(2025, 1, 6))])
    ledger.record_assets([asset("old", D(2025, 1, 3))])  # a backfill of an earlier day
    [mark] = ledger.watermarks("01_ohlcv_bars")
    assert (mark["latest_date"], mark["run_id"]) == (D(2025, 1, 6), "new")
    ledger.record_assets([asset("newest", D(2025, 1, 7), rows=5)])
    [mark] = ledger.watermarks()
    assert (mark["latest_date"], mark["run_id"]) == (D(2025, 1, 7), "newest")
    # the same output recorded again (a replayed write) replaces its row
    ledger.record_assets([asset("newest", D(2025, 1, 7), rows=7, bytes=70)])
    rows = ledger.assets(run_id="newest")
    assert [(r["rows"], r["bytes"]) for r in rows] == [(7, 70)]
    assert len(ledger.assets(demo="01_ohlcv_bars")) == 3
    assert ledger.materialized_days("01_ohlcv_bars") == {
        ("bars_1m", "mic=XLON"): {D(2025, 1, 3), D(2025, 1, 6), D(2025, 1, 7)}
    }


def test_check_metadata_round_trips(tmp_path):
    ledger = Ledger(tmp_path / "ledger.duckdb")
    start(ledger, "r1")
    metadata = {
        "rows": 3060,
        "rate": 0.125,
        "keys": ["ListingId", "TimeBucket"],
        "over_bound": {"TradeVWAP": 0.5, "Prix €": None},
        "ok": True,
        "note": 'quotes " and \\ survive',
    }
    check = {
        "run_id": "r1",
        "pass_name": "bars_1m",
        "partition_key": "2025-01-02|mic=XLON",
        "check_name": "null_rate",
        "passed": False,
        "severity": "WARN",
        "metadata": metadata,
    }
    ledger.record_checks([check, {**check, "check_name": "not_empty", "passed": 1}])
    by_name = {c["check_name"]: c for c in ledger.checks(run_id="r1")}
    assert by_name["null_rate"]["metadata"] == metadata
    assert by_name["null_rate"]["passed"] is False and by_name["not_empty"]["passed"] is True
    assert by_name["null_rate"]["demo"] == "01_ohlcv_bars"
    assert [c["check_name"] for c in ledger.checks(failed_only=True)] == ["null_rate"]


HOLDERS = {
    # a process with the DuckDB file open (a DuckDB shell, a long reader)
    "duckdb": """
        import duckdb, sys
        con = duckdb.connect(sys.argv[1])
        print("holding", flush=True)
        sys.stdin.read()
        con.close()
    """,
    # another ledger operation in progress: it holds the turn lock beside the file
    "turn": """
        import sys, time
        from pathlib import Path
        from basalt.ledger.turns import turn
        with turn(Path(sys.argv[1] + ".lock"), time.monotonic() + 10) as ours:
            assert ours
            print("holding", flush=True)
            sys.stdin.read()
    """,
}


@pytest.mark.parametrize("holder", sorted(HOLDERS))
def test_a_write_while_another_process_holds_the_file_is_spooled_then_applied(tmp_path, holder):
    path = tmp_path / "ledger.duckdb"
    Ledger(path).runs()  # the file exists, with its schema
    proc = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(HOLDERS[holder]), str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    try:
        assert proc.stdout.readline().strip() == "holding"
        busy = Ledger(path, busy_timeout=0.2)
        start(busy, "r1")
        busy.record_assets([asset("r1", D(2025, 1, 2)), asset("r1", D(2025, 1, 2), "bars_5m")])
        busy.record_checks(
            [
                {
                    "run_id": "r1",
                    "pass_name": "bars_1m",
                    "partition_key": "2025-01-02|mic=XLON",
                    "check_name": "not_empty",
                    "passed": True,
                    "severity": "ERROR",
                    "metadata": {"rows": 10},
                }
            ]
        )
        busy.finish_run("r1", "success")
        spooled = sorted(busy.spool_dir.glob("*.json"))
        assert len(spooled) == 4  # one file per write, none lost, none applied yet
        with pytest.raises(LedgerError, match="busy"):
            busy.runs()  # a read is not spooled: it says the ledger is busy
    finally:
        proc.communicate("", timeout=30)
    assert proc.returncode == 0
    ledger = Ledger(path)
    run = ledger.run("r1")  # the next open applies the spool, oldest first
    assert run is not None and run["status"] == "success"
    assert {a["pass_name"] for a in ledger.assets(run_id="r1")} == {"bars_1m", "bars_5m"}
    assert [c["metadata"] for c in ledger.checks(run_id="r1")] == [{"rows": 10}]
    assert list(ledger.spool_dir.iterdir()) == []


def test_a_spool_file_that_cannot_be_applied_is_set_aside(tmp_path, caplog):
    path = tmp_path / "ledger.duckdb"
    ledger = Ledger(path)
    ledger.spool_dir.mkdir(parents=True)
    bad = ledger.spool_dir / "00000000000000000001-1-bad.json"
    bad.write_text(json.dumps([["finish_run", {"run_id": "x"}]]))  # parameters missing
    good = ledger.spool_dir / "00000000000000000002-1-good.json"
    params = {
        "run_id": "r2",
        "trigger": "tui",
        "demo": "01_ohlcv_bars",
        "config_file": None,
        "config_sha256": None,
        "universe": "mic=XLON",
        "start_date": {"$date": "2025-01-02"},
        "end_date": {"$date": "2025-01-02"},
        "at": {"$datetime": "2025-01-02T10:00:00"},
    }
    good.write_text(json.dumps([["start_run", params]]))
    start(ledger, "r0")  # this open applies what it can and goes on
    assert ledger.run("r0") is not None
    spooled = ledger.run("r2")
    assert spooled["trigger"] == "tui" and spooled["started_at"] == dt.datetime(2025, 1, 2, 10)
    assert sorted(p.name for p in ledger.spool_dir.iterdir()) == [bad.name + ".rejected"]
    assert "cannot be applied" in caplog.text


def test_a_ledger_folder_that_cannot_exist_is_a_ledger_error(tmp_path, capsys, monkeypatch):
    blocker = tmp_path / "a_file"
    blocker.write_text("")
    ledger = Ledger(blocker / "ledger.duckdb")
    with pytest.raises(LedgerError, match="a_file: cannot hold the ledger"):
        ledger.runs()
    recorder = RunRecorder(
        config_file=None,
        config_sha256=None,
        universe="mic=XLON",
        start_date=D(2025, 1, 2),
        end_date=D(2025, 1, 2),
        ledger=ledger,
    )
    recorder.start()  # logged, never raised: a run goes on without its ledger
    recorder.finish("success")
    monkeypatch.setenv("BASALT_HOME", str(blocker))
    assert main(["ledger", "runs"]) == 1
    assert "cannot hold the ledger" in capsys.readouterr().err
