"""The config SHA a command-line run records is the SHA of the config as its files hold it (the
one Dagster records for the same files); what the command line overrode is kept apart."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import duckdb

from basalt.dagster.demos import load_demo
from basalt.ledger.store import Ledger

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "demo" / "01_ohlcv_bars.py"


def basalt_run(*args: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "basalt", "run", str(DEMO), *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert done.returncode == 0, done.stderr


def test_the_cli_records_the_files_sha_and_its_overrides_apart(ledger, tmp_path):
    files_sha = load_demo(DEMO).config_sha256
    out = tmp_path / "elsewhere"
    basalt_run("--date", "2025-01-03", "--output-dir", str(out), "--batch-freq", "D")
    basalt_run()
    with_flags, plain = sorted(ledger.runs(), key=lambda r: r["overrides"] is None)
    assert with_flags["config_sha256"] == plain["config_sha256"] == files_sha
    assert json.loads(with_flags["overrides"]) == {
        "START_DATE": "2025-01-03",
        "END_DATE": "2025-01-03",
        "OUTPUT_DIR": str(out),
        "BATCH_FREQ": "D",
    }
    assert plain["overrides"] is None
    assert (with_flags["start_date"], with_flags["end_date"]) != (
        plain["start_date"],
        plain["end_date"],
    )
    [written] = ledger.assets(with_flags["run_id"])
    assert Path(written["output_path"]).is_relative_to(out)


def test_an_older_ledger_gets_the_new_columns(tmp_path):
    path = tmp_path / "ledger.duckdb"
    with duckdb.connect(str(path)) as con:  # a ledger from before the overrides column
        con.execute("CREATE SCHEMA meta")
        con.execute(
            "CREATE TABLE meta.runs (run_id VARCHAR PRIMARY KEY, trigger VARCHAR NOT NULL, "
            "demo VARCHAR, config_file VARCHAR, config_sha256 VARCHAR, universe VARCHAR, "
            "start_date DATE, end_date DATE, status VARCHAR NOT NULL, "
            "started_at TIMESTAMP NOT NULL, finished_at TIMESTAMP, error VARCHAR)"
        )
        con.execute(
            "INSERT INTO meta.runs VALUES ('old', 'cli', NULL, NULL, NULL, NULL, NULL, NULL, "
            "'success', now(), now(), NULL)"
        )
    ledger = Ledger(path)
    ledger.start_run(
        run_id="new",
        trigger="cli",
        demo="01_ohlcv_bars",
        config_file=None,
        config_sha256="a" * 64,
        universe="mic=XLON",
        start_date=None,
        end_date=None,
        overrides={"UNIVERSE": "mic=XPAR"},
    )
    ledger.record_skipped("new", [{"pass_name": "bars_1m", "reason": "being written"}])
    assert ledger.run("old")["overrides"] is None
    new = ledger.run("new")
    assert json.loads(new["overrides"]) == {"UNIVERSE": "mic=XPAR"}
    assert json.loads(new["skipped"]) == [{"pass_name": "bars_1m", "reason": "being written"}]
