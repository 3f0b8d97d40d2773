"""A run that cannot start (a bad option, a universe with no listing) says which field is wrong
and is recorded as failed in the ledger; a dry run records nothing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from basalt.ledger.store import Ledger

REPO = Path(__file__).resolve().parents[2]
DEMO = "demo/01_ohlcv_bars.py"


def run(home: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "basalt", "run", DEMO, "--date", "2025-01-06", *args],
        cwd=REPO,
        env={**os.environ, "BASALT_HOME": str(home), "BASALT_RUN_ID": "cannot-start"},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_bad_option_names_the_field_and_the_run_is_recorded_failed(tmp_path):
    done = run(tmp_path, "--universe", "foo=bar")
    assert done.returncode == 1
    [line] = done.stderr.splitlines()
    assert line.startswith("UNIVERSE: unknown universe kind 'foo'")
    assert line.endswith("(set for this run, not in a file)")
    assert DEMO not in line  # not a line of the demo's files
    row = Ledger(tmp_path / "ledger.duckdb").run("cannot-start")
    assert row is not None and row["status"] == "failed" and row["error"] == line
    assert row["universe"] == "foo=bar"


def test_a_universe_without_listings_names_the_field(tmp_path):
    done = run(tmp_path, "--universe", "mic=XXXX")
    assert done.returncode == 1
    assert "error: UNIVERSE: universe 'mic=XXXX' has no listings on 2025-01-06" in done.stderr
    row = Ledger(tmp_path / "ledger.duckdb").run("cannot-start")
    assert row is not None and row["status"] == "failed"


def test_a_dry_run_that_cannot_start_records_nothing(tmp_path):
    done = run(tmp_path, "--universe", "foo=bar", "--dry-run")
    assert done.returncode == 1
    assert not (tmp_path / "ledger.duckdb").exists()
