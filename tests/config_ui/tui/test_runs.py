"""Running a demo from the terminal editor: F5 opens the run screen; a local run streams its
output, shows its result and a preview of its outputs, records itself in the run ledger;
Cancel stops it cleanly; unsaved edits can run without being saved; quitting with a run in
flight asks first. Every run is a real subprocess of demo 01 on generated market data."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import polars as pl
import pytest
from textual.widgets import Button, DataTable, Input, Sparkline

from basalt.ledger import Ledger
from config_ui.tui import build_app
from config_ui.tui.dialogs.quit_running import QuitRunningScreen
from config_ui.tui.dialogs.unsaved_run import UnsavedRunScreen
from config_ui.tui.run_screen import RunScreen
from config_ui.tui.widgets.output_preview import OutputPreviewPanel
from config_ui.tui.widgets.run_result_line import RunResultLine

SIZE = (140, 45)
RUN_TIMEOUT = 25.0


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    """One market-data store for the module: each day is generated once."""
    return tmp_path_factory.mktemp("store")


@pytest.fixture(autouse=True)
def _data_dir(store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BASALT_DATA_DIR", str(store))


async def until(pilot, condition, timeout: float = RUN_TIMEOUT, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not met within {timeout} s")
        await pilot.pause(0.1)


async def open_run_screen(app, pilot) -> RunScreen:
    await pilot.press("f5")
    await until(pilot, lambda: isinstance(app.screen, RunScreen), 10, "the run screen")
    await pilot.pause()
    return app.screen


def set_dates(screen: RunScreen, start: str, end: str) -> None:
    screen.query_one("#start-date", Input).value = start
    screen.query_one("#end-date", Input).value = end


def finished(screen: RunScreen) -> bool:
    return screen.run is not None and screen.run.result is not None and screen._reported


def files_under(folder: Path, pattern: str) -> list[Path]:
    return sorted(p for p in folder.rglob(pattern) if p.is_file())


async def test_local_run_shows_result_preview_and_records_in_the_ledger(ohlcv, tmp_path):
    out = tmp_path / "out"
    app = build_app(ohlcv, watch=False, output_dir=out)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_run_screen(app, pilot)
        # The fields start from the config.
        assert screen.query_one("#universe", Input).value == "mic=XLON"
        assert screen.query_one("#start-date", Input).value == "2025-01-02"
        assert screen.query_one("#end-date", Input).value == "2025-01-03"
        await pilot.click("#run-local")
        await until(pilot, lambda: finished(screen), what="the run")
        run = screen.run
        assert run.result.status == "success", run.lines
        line = str(screen.query_one(RunResultLine).render())
        assert "success" in line and "2 outputs" in line and "rows" in line

        # The outputs are on disk, and the ledger has the run with trigger tui and its assets.
        outputs = run.result.outputs
        assert [o.path.parent for o in outputs] == [outputs[0].path.parent] * 2
        assert sorted(files_under(out, "*.parquet")) == sorted(o.path for o in outputs)
        ledger = Ledger()
        record = ledger.run(run.run_id)
        assert record["status"] == "success"
        assert record["trigger"] == "tui"
        assert record["demo"] == "01_ohlcv_bars"
        assets = ledger.assets(run_id=run.run_id)
        assert sorted(Path(a["output_path"]) for a in assets) == sorted(o.path for o in outputs)

        # The preview: the first output's first rows and its close prices as a sparkline.
        panel = screen.query_one(OutputPreviewPanel)
        await until(pilot, lambda: panel.preview is not None, 10, "the preview")
        frame = pl.read_parquet(outputs[0].path)
        table = screen.query_one("#preview-table", DataTable)
        assert [str(c.label) for c in table.columns.values()] == frame.columns
        assert table.row_count == min(20, frame.height)
        first = frame.row(0, named=True)
        assert table.get_row_at(0)[frame.columns.index("ListingId")] == str(first["ListingId"])
        listing = frame.filter(pl.col("ListingId") == first["ListingId"]).sort("TimeBucket")
        closes = [v for v in listing.head(500)["TradeTotalClose"].to_list() if v is not None]
        assert list(screen.query_one(Sparkline).data) == closes
        assert len(closes) > 10

        # The log holds what the run printed; the command is its first line.
        log_text = "\n".join(run.lines)
        assert "batch 2/2 done" in log_text
        assert screen._shown == len(run.lines)


async def test_cancel_stops_the_run_and_keeps_finished_outputs(ohlcv, tmp_path, monkeypatch):
    # A fresh store: every day is generated as the run goes, so batches take a while.
    monkeypatch.setenv("BASALT_DATA_DIR", str(tmp_path / "fresh-store"))
    out = tmp_path / "out"
    app = build_app(ohlcv, watch=False, output_dir=out)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_run_screen(app, pilot)
        set_dates(screen, "2025-01-02", "2025-01-31")
        await pilot.click("#run-local")
        await until(
            pilot,
            lambda: screen.run is not None and (screen.run.progress or (0, 0))[0] >= 1,
            what="the first batch",
        )
        assert not screen.query_one("#cancel", Button).disabled
        await pilot.click("#cancel")
        await until(pilot, lambda: finished(screen), what="the cancel")
        run = screen.run
        done, total = run.progress
        assert run.result.status == "cancelled"
        assert done < total
        assert "cancelled" in str(screen.query_one(RunResultLine).render())
        assert not screen.query_one("#run-local", Button).disabled

    record = Ledger().run(run.run_id)
    assert record["status"] == "cancelled"
    assert files_under(out, "*.tmp") == []
    on_disk = files_under(out, "*.parquet")
    assert on_disk, "the batches done before the cancel keep their outputs"
    for path in on_disk:
        assert pl.read_parquet(path).height > 0
    listed = {Path(a["output_path"]) for a in Ledger().assets(run_id=run.run_id)}
    assert set(on_disk) == listed


async def test_unsaved_edits_run_without_being_saved(ohlcv, tmp_path, wait_for):
    yaml_path = ohlcv.with_suffix(".yaml")
    original = yaml_path.read_text()
    out = tmp_path / "out"
    app = build_app(ohlcv, watch=False, output_dir=out)
    async with app.run_test(size=SIZE) as pilot:
        assert await app.editor.goto("END_DATE")
        field = app.editor.query_one("#f-END_DATE", Input)
        field.focus()
        await pilot.pause()
        field.value = ""
        await pilot.press(*"2025-01-02", "enter")
        await wait_for(pilot, lambda: str(app.session.value("END_DATE")) == "2025-01-02")
        assert app.session.dirty

        screen = await open_run_screen(app, pilot)
        assert screen.query_one("#end-date", Input).value == "2025-01-02"
        await pilot.click("#run-local")
        await until(pilot, lambda: isinstance(app.screen, UnsavedRunScreen), 10, "the dialog")
        await pilot.click("#unsaved")
        await until(pilot, lambda: finished(screen), what="the run")
        run = screen.run
        assert run.result.status == "success", run.lines
        assert len(run.result.outputs) == 1
        assert "--config" in run.command

    record = Ledger().run(run.run_id)
    assert record["end_date"] == dt.date(2025, 1, 2)
    assert record["trigger"] == "tui"
    snapshot = Path(record["config_file"])
    assert snapshot == run.config_file and "END_DATE: 2025-01-02" in snapshot.read_text()
    assert yaml_path.read_text() == original


async def test_save_and_run_saves_first(ohlcv, tmp_path, wait_for):
    yaml_path = ohlcv.with_suffix(".yaml")
    app = build_app(ohlcv, watch=False, output_dir=tmp_path / "out")
    async with app.run_test(size=SIZE) as pilot:
        assert await app.editor.goto("END_DATE")
        field = app.editor.query_one("#f-END_DATE", Input)
        field.focus()
        await pilot.pause()
        field.value = ""
        await pilot.press(*"2025-01-02", "enter")
        await wait_for(pilot, lambda: app.session.dirty)
        screen = await open_run_screen(app, pilot)
        await pilot.click("#run-local")
        await until(pilot, lambda: isinstance(app.screen, UnsavedRunScreen), 10, "the dialog")
        await pilot.press("s")
        await until(pilot, lambda: finished(screen), what="the run")
        assert screen.run.result.status == "success"
        assert "--config" not in screen.run.command
        assert not app.session.dirty
    assert "END_DATE: 2025-01-02" in yaml_path.read_text()


async def test_a_failed_run_shows_its_error(ohlcv, tmp_path):
    app = build_app(ohlcv, watch=False, output_dir=tmp_path / "out")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_run_screen(app, pilot)
        screen.query_one("#universe", Input).value = "mic=ZZZZ"
        set_dates(screen, "2025-01-02", "2025-01-02")
        await pilot.click("#run-local")
        await until(pilot, lambda: finished(screen), what="the run")
        assert screen.run.result.status == "failed"
        line = str(screen.query_one(RunResultLine).render())
        assert line.startswith("✖ failed in ")
        assert "universe 'mic=ZZZZ' has no listings on 2025-01-02" in line
        assert not screen.query_one(OutputPreviewPanel).display
    assert Ledger().run(screen.run.run_id)["status"] == "failed"


async def test_a_config_that_does_not_validate_is_refused(ohlcv, tmp_path, wait_for):
    app = build_app(ohlcv, watch=False, output_dir=tmp_path / "out")
    async with app.run_test(size=SIZE) as pilot:
        app.session.set("PASSES.0.time_bucket_seconds", -5)
        await app.editor.refresh_view()
        assert app.session.config is None
        screen = await open_run_screen(app, pilot)
        await pilot.click("#run-local")
        await pilot.pause(0.2)
        assert screen.run is None
        line = str(screen.query_one(RunResultLine).render())
        assert "does not validate" in line and "PASSES.0.time_bucket_seconds" in line


async def test_leaving_keeps_the_run_and_quitting_asks_then_cancels(ohlcv, tmp_path, monkeypatch):
    monkeypatch.setenv("BASALT_DATA_DIR", str(tmp_path / "fresh-store"))
    app = build_app(ohlcv, watch=False, output_dir=tmp_path / "out")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_run_screen(app, pilot)
        set_dates(screen, "2025-01-02", "2025-01-31")
        await pilot.click("#run-local")
        await until(pilot, lambda: screen.run is not None and screen.run.progress is not None)
        await pilot.press("escape")  # back to the editor; the run goes on
        await until(pilot, lambda: app.screen is app.editor, 10, "the editor")
        assert screen.run.running
        await pilot.press("ctrl+q")
        await until(pilot, lambda: isinstance(app.screen, QuitRunningScreen), 10, "the question")
        await pilot.press("escape")  # stay
        await until(pilot, lambda: app.screen is app.editor, 10, "the editor")
        assert app.is_running and screen.run.running
        await pilot.press("ctrl+q")
        await until(pilot, lambda: isinstance(app.screen, QuitRunningScreen), 10, "the question")
        await pilot.press("c")
        await until(pilot, lambda: not app.is_running, what="the exit")
    run = screen.run
    assert run.result is not None and run.result.status == "cancelled"
    assert Ledger().run(run.run_id)["status"] == "cancelled"


async def test_the_run_follows_the_form_s_dates(ohlcv, tmp_path, wait_for, monkeypatch):
    """The Run screen shows END_DATE as the form has it (unsaved), and a run started after
    another edit uses that edit."""
    from config_ui.core.run_state import LocalRunState

    requests = []

    def start(self, request):  # record the request, start nothing
        requests.append(request)
        raise OSError("not started in this test")

    monkeypatch.setattr(LocalRunState, "start", start)
    app = build_app(ohlcv, watch=False, output_dir=tmp_path / "out")
    async with app.run_test(size=SIZE) as pilot:
        assert await app.editor.goto("END_DATE")
        field = app.editor.query_one("#f-END_DATE", Input)
        field.focus()
        await pilot.pause()
        field.value = ""
        await pilot.press(*"2025-01-06", "enter")
        await wait_for(pilot, lambda: str(app.session.value("END_DATE")) == "2025-01-06")
        screen = await open_run_screen(app, pilot)
        assert screen.query_one("#end-date", Input).value == "2025-01-06"

        app.session.set("END_DATE", dt.date(2025, 1, 7))  # after the panel was built
        await pilot.click("#run-local")
        await until(pilot, lambda: isinstance(app.screen, UnsavedRunScreen), 10, "the dialog")
        await pilot.click("#unsaved")
        await until(pilot, lambda: bool(requests), 10, "the run request")
        assert requests[0].end_date == dt.date(2025, 1, 7)
        assert screen.query_one("#end-date", Input).value == "2025-01-07"
