"""Local runs from an editor: a real subprocess of demo 01, its progress, result, ledger rows,
unsaved edits run from a snapshot, and cancel."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import polars as pl

from basalt.ledger import Ledger
from config_ui.core.local_run import LocalRun, RunRequest, universe_choices
from config_ui.core.session import EditorSession

REPO = Path(__file__).resolve().parents[3]
DEMO = REPO / "demo" / "01_ohlcv_bars.py"
DAY = dt.date(2025, 1, 3)


def wait_until(condition, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_a_run_reports_progress_outputs_and_its_ledger_rows(tmp_path: Path) -> None:
    request = RunRequest(DEMO, "mic=XLON", DAY, DAY + dt.timedelta(days=4), output_dir=tmp_path)
    run = LocalRun(request).start()
    result = run.wait(120)
    assert result is not None and result.status == "success", run.lines
    assert run.progress == (3, 3)  # Fri, Mon, Tue
    assert [o.path.name for o in result.outputs] == [
        "2025-01-03_2025-01-03.parquet",
        "2025-01-06_2025-01-06.parquet",
        "2025-01-07_2025-01-07.parquet",
    ]
    for out in result.outputs:
        assert pl.read_parquet(out.path).height == out.rows > 0
    row = Ledger().run(run.run_id)
    assert row is not None
    assert (row["trigger"], row["status"], row["demo"]) == ("tui", "success", "01_ohlcv_bars")
    assert row["start_date"] == DAY
    assert "3 outputs" in result.describe()


def test_unsaved_edits_run_from_a_snapshot_and_the_yaml_is_untouched(tmp_path: Path) -> None:
    demo = tmp_path / "demo"
    demo.mkdir()
    for name in ("01_ohlcv_bars.py", "01_ohlcv_bars.yaml"):
        (demo / name).write_bytes((REPO / "demo" / name).read_bytes())
    session = EditorSession.open(demo / "01_ohlcv_bars.py")
    before = session.path.read_text()
    session.set("DATASETNAME", "unsaved_bars")
    request = RunRequest(
        session.script, "mic=XLON", DAY, DAY, session.document.text, "web", tmp_path / "out"
    )
    run = LocalRun(request).start()
    result = run.wait(120)
    assert result is not None and result.status == "success", run.lines
    assert "unsaved_bars" in str(result.outputs[0].path)
    assert session.path.read_text() == before
    row = Ledger().run(run.run_id)
    assert row["trigger"] == "web"
    assert Path(row["config_file"]).read_text() == session.document.text


def test_an_invalid_run_fails_with_the_message(tmp_path: Path) -> None:
    request = RunRequest(DEMO, "mic=NOPE", DAY, DAY, output_dir=tmp_path)
    result = LocalRun(request).start().wait(120)
    assert result is not None and result.status == "failed"
    assert result.returncode != 0
    assert "NOPE" in (result.error or "")


def test_cancel_stops_the_run_and_leaves_only_whole_outputs(tmp_path: Path) -> None:
    request = RunRequest(
        DEMO, "mic=XLON", dt.date(2025, 1, 2), dt.date(2025, 2, 28), output_dir=tmp_path
    )
    run = LocalRun(request).start()
    wait_until(lambda: run.progress is not None and run.progress[0] >= 1 or not run.running)
    assert run.running, run.lines
    run.cancel()
    result = run.wait(60)
    assert result is not None and result.status == "cancelled"
    assert Ledger().run(run.run_id)["status"] == "cancelled"
    on_disk = sorted(tmp_path.rglob("*.parquet"))
    assert not list(tmp_path.rglob("*.tmp"))
    assert 1 <= len(on_disk) < 40
    assert sorted(o.path for o in result.outputs) == on_disk
    for path in on_disk:
        assert pl.read_parquet(path).height > 0


def test_universe_choices_list_the_config_and_schedule_universes() -> None:
    session = EditorSession.open(DEMO)
    assert universe_choices(session.config)[0] == session.config.UNIVERSE
    assert len(set(universe_choices(session.config))) == len(universe_choices(session.config))
