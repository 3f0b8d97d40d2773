"""A broken ledger, with real processes: a ledger file cut to half its size, and a writer on a
full disk. Reads give one line and exit 1; writes go to the spool; ``basalt ledger doctor``
finds it and ``--repair`` makes a new ledger from the spool and the output files on disk."""

from __future__ import annotations

import datetime as dt
import os
import resource
import subprocess
import sys
from pathlib import Path

import polars as pl

from basalt.ledger.store import Ledger

REPO = Path(__file__).resolve().parents[2]
DEMO = "demo/01_ohlcv_bars.py"
D = dt.date


def basalt(*args: str, env: dict[str, str] | None = None, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "basalt", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=240,
        **kw,
    )


def spooled(ledger: Ledger) -> list[Path]:
    return sorted(ledger.spool_dir.glob("*.json")) if ledger.spool_dir.is_dir() else []


def test_a_half_truncated_ledger_is_reported_spooled_and_repaired(ledger, output_dir):
    first = basalt("run", DEMO, "--date", "2025-01-02")
    assert first.returncode == 0, first.stderr
    size = ledger.path.stat().st_size
    with open(ledger.path, "r+b") as f:
        f.truncate(size // 2)

    for command in (["runs"], ["checks"], ["gaps", DEMO]):
        done = basalt("ledger", *command)
        assert done.returncode == 1, (command, done.stdout, done.stderr)
        assert "Traceback" not in done.stderr and done.stdout == ""
        [line] = done.stderr.splitlines()
        assert line.startswith(f"error: {ledger.path} cannot be read (")
        assert line.endswith("; run 'basalt ledger doctor --repair'")

    # a new run still succeeds, with one warning, and every write lands in the spool
    second = basalt("run", DEMO, "--date", "2025-01-03", env={"BASALT_RUN_ID": "after-crash"})
    assert second.returncode == 0, second.stderr
    assert "Traceback" not in second.stderr
    warnings = [line for line in second.stderr.splitlines() if "ledger" in line.lower()]
    assert len(warnings) == 1 and "writes spooled to" in warnings[0], second.stderr
    files = spooled(ledger)
    assert len(files) >= 3  # start, outputs and end: none made it into the broken file
    assert any("after-crash" in f.read_text() for f in files)

    doctor = basalt("ledger", "doctor")
    assert doctor.returncode == 1, doctor.stderr
    assert "cannot be read" in doctor.stdout
    assert f"{len(files)} writes waiting" in doctor.stdout

    repaired = basalt("ledger", "doctor", "--repair")
    assert repaired.returncode == 0, repaired.stdout + repaired.stderr
    assert "Traceback" not in repaired.stderr
    [broken] = [p for p in ledger.path.parent.glob("ledger.duckdb.broken-*") if p.suffix != ".wal"]
    assert broken.stat().st_size == size // 2
    assert f"moved the broken ledger to {broken}" in repaired.stdout
    assert spooled(ledger) == []

    runs = basalt("ledger", "runs")
    assert runs.returncode == 0, runs.stderr
    assert "after-crash" in runs.stdout and "success" in runs.stdout
    [run] = ledger.runs()
    assert (run["run_id"], run["status"], run["end_date"]) == (
        "after-crash",
        "success",
        D(2025, 1, 3),
    )

    # run_assets: every output on disk, the lost run's rebuilt from the files
    on_disk = sorted(output_dir.rglob("*.parquet"))
    assert [p.name for p in on_disk] == [
        "2025-01-02_2025-01-02.parquet",
        "2025-01-03_2025-01-03.parquet",
    ]
    assets = {Path(a["output_path"]): a for a in ledger.assets()}
    assert sorted(assets) == on_disk
    for path, asset in assets.items():
        assert asset["rows"] == pl.read_parquet(path).height > 0
        assert asset["bytes"] == path.stat().st_size
        assert (asset["demo"], asset["pass_name"], asset["universe"]) == (
            "01_ohlcv_bars",
            "bars_1m",
            "mic=XLON",
        )
    assert assets[on_disk[1]]["run_id"] == "after-crash"
    rebuilt = assets[on_disk[0]]
    assert rebuilt["run_id"].startswith("rebuilt-")
    assert rebuilt["partition_key"] == "2025-01-02|mic=XLON"
    [mark] = ledger.watermarks("01_ohlcv_bars")
    assert (mark["latest_date"], mark["run_id"]) == (D(2025, 1, 3), "after-crash")

    healthy = basalt("ledger", "doctor")
    assert healthy.returncode == 0, healthy.stdout
    assert "0 writes waiting" in healthy.stdout


WRITER = """
import datetime as dt, logging
logging.basicConfig(format="%(levelname)s %(message)s")
from basalt.ledger.recorder import RunRecorder
recorder = RunRecorder(config_file="demo/01_ohlcv_bars.yaml", config_sha256=None,
    universe="mic=XLON", start_date=dt.date(2025, 1, 2), end_date=dt.date(2025, 1, 2),
    run_id="full-disk")
recorder.start()
recorder.finish("success")
"""


def _small_files() -> None:
    resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))


def test_a_write_on_a_full_disk_goes_to_the_spool(ledger):
    done = subprocess.run(
        [sys.executable, "-c", WRITER],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=_small_files,
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    files = spooled(ledger)
    if not files:  # the spool could not be written either: that is said, not swallowed
        assert "writes lost" in done.stderr, done.stderr
        return
    assert len(files) == 2, done.stderr  # the start and the end
    [warning] = done.stderr.splitlines()
    assert "File too large" in warning and "writes spooled to" in warning

    repaired = basalt("ledger", "doctor", "--repair")
    assert repaired.returncode == 0, repaired.stdout + repaired.stderr
    [run] = ledger.runs()
    assert (run["run_id"], run["status"]) == ("full-disk", "success")
    assert spooled(ledger) == []
