"""What you save is what runs: the save dialog lists the errors and Enter does not save them;
"Save with N errors" does. A file broken on disk shows a banner; fixing it reloads; take
theirs takes exactly the text on disk."""

from __future__ import annotations

from config_ui.tui import build_app
from config_ui.tui.dialogs.external_change import ExternalChangeScreen
from config_ui.tui.dialogs.save_diff import SaveDiffScreen
from config_ui.tui.editor_screen import EditorScreen
from config_ui.tui.widgets.disk_banner import DiskBanner

SIZE = (140, 45)


def end_before_start(yaml_text: str) -> str:
    return yaml_text.replace("END_DATE: 2025-01-03", "END_DATE: 2024-12-01")


async def test_enter_does_not_save_errors_and_save_with_errors_does(ohlcv, wait_for, text_of):
    yaml_path = ohlcv.with_suffix(".yaml")
    original = yaml_path.read_text()
    app = build_app(ohlcv, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.session.set("END_DATE", "2024-12-01")
        await app.editor.refresh_view()
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, SaveDiffScreen))
        dialog = app.screen
        listed = text_of(dialog.query_one("#save-error-list"))
        assert "END_DATE" in listed and "before START_DATE" in listed
        assert dialog.plan.error_count == 1
        assert "✖ 1 error" in text_of(app.editor.query_one("#status"))  # header == dialog
        assert str(dialog.query_one("#save-with-errors").label) == "Save with 1 error"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SaveDiffScreen)
        assert yaml_path.read_text() == original
        await pilot.click("#save-with-errors")
        await wait_for(pilot, lambda: not app.session.dirty)
        assert isinstance(app.screen, EditorScreen)
    assert "2024-12-01" in yaml_path.read_text()


async def test_go_to_first_error_focuses_the_field(ohlcv, wait_for):
    app = build_app(ohlcv, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.session.set("END_DATE", "2024-12-01")
        await app.editor.refresh_view()
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, SaveDiffScreen))
        await pilot.press("g")
        await wait_for(pilot, lambda: isinstance(app.screen, EditorScreen))
        await wait_for(pilot, lambda: app.editor.focused_path() == "END_DATE")
        assert app.session.dirty


async def test_broken_yaml_on_disk_shows_a_banner_and_fixing_it_reloads(ohlcv, wait_for):
    yaml_path = ohlcv.with_suffix(".yaml")
    original = yaml_path.read_text()
    app = build_app(ohlcv, watch_debounce=0.05)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        banner = app.editor.query_one(DiskBanner)
        assert not banner.has_class("-shown")
        yaml_path.write_text(original.replace("UNIVERSE: mic=XLON", "UNIVERSE: [mic=XLON"))
        await wait_for(pilot, lambda: banner.has_class("-shown"))
        assert f"{yaml_path}:" in banner.text
        line, column = banner.text.split(f"{yaml_path}:")[1].split(":")[:2]
        assert line.isdigit() and column.isdigit()
        fixed = original.replace("UNIVERSE: mic=XLON", "UNIVERSE: mic=XPAR")
        yaml_path.write_text(fixed)
        await wait_for(pilot, lambda: not banner.has_class("-shown"))
        assert app.session.document.text == fixed
        assert app.session.value("UNIVERSE") == "mic=XPAR"


async def test_reload_when_fixed_drops_edits_once_the_file_parses(ohlcv, wait_for):
    yaml_path = ohlcv.with_suffix(".yaml")
    original = yaml_path.read_text()
    app = build_app(ohlcv, watch_debounce=0.05)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.session.set("DATASETNAME", "mine")
        await app.editor.refresh_view()
        banner = app.editor.query_one(DiskBanner)
        yaml_path.write_text(original.replace("UNIVERSE: mic=XLON", "UNIVERSE: [mic=XLON"))
        await wait_for(pilot, lambda: banner.has_class("-shown"))
        await wait_for(pilot, lambda: bool(banner.query("#banner-reload-when-fixed")))
        await pilot.pause()
        await pilot.click("#banner-reload-when-fixed")
        await wait_for(pilot, lambda: app.session.disk_problem.reload_when_fixed)
        yaml_path.write_text(original)
        await wait_for(pilot, lambda: not banner.has_class("-shown"))
        assert app.session.document.text == original and not app.session.dirty


async def test_take_theirs_takes_exactly_the_disk_text(ohlcv, wait_for):
    yaml_path = ohlcv.with_suffix(".yaml")
    theirs = end_before_start(yaml_path.read_text()) + "# their comment\n"
    app = build_app(ohlcv, watch_debounce=0.05)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.session.set("DATASETNAME", "mine")
        await app.editor.refresh_view()
        yaml_path.write_text(theirs)
        await wait_for(pilot, lambda: isinstance(app.screen, ExternalChangeScreen))
        await pilot.press("t")
        await wait_for(pilot, lambda: not app.session.dirty)
        assert app.session.document.text == theirs
