"""Every way a run starts outside Dagster writes the ledger: ``basalt run``, a demo script
started by an editor (which names the trigger and run id), a run that fails, a run cancelled
with SIGTERM."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
from pathlib import Path

import polars as pl

from basalt.cli import main
from basalt.ledger.gaps import expected_days
from basalt.ledger.store import Ledger

REPO = Path(__file__).resolve().parents[2]
DEMO = "demo/01_ohlcv_bars.py"
D = dt.date


def run(args: list[str], env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=240,
    )


def assert_outputs_match_disk(ledger: Ledger, run_id: str) -> list[dict]:
    outputs = ledger.assets(run_id=run_id)
    for out in outputs:
        path = Path(out["output_path"])
        assert out["rows"] == pl.read_parquet(path).height > 0
        assert out["bytes"] == path.stat().st_size
    return outputs


def test_basalt_run_records_the_run_and_its_outputs(ledger, tmp_path, capsys):
    out_dir = tmp_path / "cli"
    done = run(["-m", "basalt", "run", DEMO, "--date", "2025-01-03", "--output-dir", str(out_dir)])
    assert done.returncode == 0, done.stderr
    [row] = ledger.runs()
    assert row["trigger"] == "cli" and row["status"] == "success" and row["error"] is None
    assert row["demo"] == "01_ohlcv_bars" and row["universe"] == "mic=XLON"
    assert row["config_file"] == str(REPO / "demo/01_ohlcv_bars.yaml")
    assert len(row["config_sha256"]) == 64
    assert (row["start_date"], row["end_date"]) == (D(2025, 1, 3), D(2025, 1, 3))
    [out] = assert_outputs_match_disk(ledger, row["run_id"])
    assert out["output_path"] == str(
        out_dir / "ohlcv_bars/bars_1m/mic=XLON/2025-01-03_2025-01-03.parquet"
    )
    assert (out["pass_name"], out["partition_key"]) == ("bars_1m", "2025-01-03|mic=XLON")
    assert row["outputs"] == 1 and row["rows"] == out["rows"]
    [mark] = ledger.watermarks("01_ohlcv_bars")
    assert (mark["latest_date"], mark["run_id"]) == (D(2025, 1, 3), row["run_id"])
    # and the command line shows it
    assert main(["ledger", "runs"]) == 0
    header, line = capsys.readouterr().out.splitlines()
    assert header.split()[:6] == ["run", "trigger", "demo", "universe", "dates", "status"]
    assert line.split()[:6] == [
        row["run_id"][:12],
        "cli",
        "01_ohlcv_bars",
        "mic=XLON",
        "2025-01-03",
        "success",
    ]
    assert f"{out['rows']:,}" in line.split()


def test_a_demo_script_started_by_an_editor_keeps_its_trigger_and_run_id(ledger, tmp_path):
    done = run(
        [DEMO, "--date", "2025-01-03", "--output-dir", str(tmp_path / "tui")],
        env={"BASALT_TRIGGER": "tui", "BASALT_RUN_ID": "abc"},
    )
    assert done.returncode == 0, done.stderr
    [row] = ledger.runs()
    assert (row["run_id"], row["trigger"], row["status"]) == ("abc", "tui", "success")
    [out] = assert_outputs_match_disk(ledger, "abc")
    assert out["output_path"].startswith(str(tmp_path / "tui"))


def test_a_failed_run_records_the_error(ledger, tmp_path):
    blocker = tmp_path / "a_file"
    blocker.write_text("not a folder")
    out_dir = blocker / "out"  # the run starts, then cannot write its first output
    done = run(["-m", "basalt", "run", DEMO, "--date", "2025-01-03", "--output-dir", str(out_dir)])
    assert done.returncode == 1
    assert "cannot write" in done.stderr
    [row] = ledger.runs()
    assert row["status"] == "failed" and row["finished_at"] is not None
    assert row["error"].startswith("pass 'bars_1m' cannot write")
    assert str(out_dir) in row["error"]
    assert ledger.assets(run_id=row["run_id"]) == []


def test_sigterm_cancels_the_run_and_leaves_only_whole_outputs(ledger, tmp_path):
    out_dir = tmp_path / "cancel"
    batches = len(expected_days(D(2025, 1, 2), D(2025, 1, 31), "mic=XLON"))  # one per day
    proc = subprocess.Popen(
        [sys.executable, "-m", "basalt", "run", DEMO]
        + ["--start-date", "2025-01-02", "--end-date", "2025-01-31", "--batch-freq", "D"]
        + ["--output-dir", str(out_dir)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines = []
    try:
        for line in proc.stdout:
            lines.append(line)
            if line.startswith("batch 1/"):
                proc.send_signal(signal.SIGTERM)
                break
        _, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert lines[-1].startswith(f"batch 1/{batches} done"), lines
    assert proc.returncode == 130 and "cancelled" in err
    [row] = ledger.runs()
    assert row["status"] == "cancelled" and row["error"] == "cancelled by the user"
    outputs = assert_outputs_match_disk(ledger, row["run_id"])
    assert 1 <= len(outputs) < batches
    on_disk = sorted(p for p in out_dir.rglob("*") if p.is_file())
    assert [p for p in on_disk if p.name.endswith(".tmp")] == []
    assert {Path(o["output_path"]) for o in outputs} <= set(on_disk)
    for path in on_disk:  # every file there is whole: it reads, it has rows
        assert path.suffix == ".parquet" and pl.read_parquet(path).height > 0
    assert len(on_disk) < batches
