"""Undo and redo; saving shows the diff first (Enter saves, Escape goes back) and changes
exactly the edited line of a commented YAML."""

from __future__ import annotations

from textual.widgets import Input

from config_ui.tui import build_app
from config_ui.tui.dialogs.save_diff import SaveDiffScreen

SIZE = (140, 45)


async def type_into(app, pilot, path: str, text: str) -> Input:
    assert await app.editor.goto(path)
    await pilot.pause()
    field = app.editor.query_one(f"#f-{path}", Input)
    field.value = ""
    await pilot.press(*text, "enter")
    await pilot.pause()
    return field


async def test_undo_and_redo(multi_pass, wait_for):
    app = build_app(multi_pass, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        name = await type_into(app, pilot, "DATASETNAME", "first")
        await wait_for(pilot, lambda: app.session.value("DATASETNAME") == "first")
        universe = await type_into(app, pilot, "UNIVERSE", "mic=XLON")
        await wait_for(pilot, lambda: app.session.value("UNIVERSE") == "mic=XLON")
        await pilot.press("ctrl+z")
        await wait_for(pilot, lambda: app.session.value("UNIVERSE") == "index=SYN20")
        assert universe.value == "index=SYN20"
        await pilot.press("ctrl+z")
        await wait_for(pilot, lambda: app.session.value("DATASETNAME") == "multi_pass")
        assert name.value == "multi_pass"
        assert not app.session.dirty
        await pilot.press("ctrl+y")
        await wait_for(pilot, lambda: app.session.value("DATASETNAME") == "first")
        assert name.value == "first"
        await pilot.press("ctrl+y")
        await wait_for(pilot, lambda: universe.value == "mic=XLON")


async def test_undo_takes_an_edit_still_waiting_for_its_pause(multi_pass, wait_for):
    app = build_app(multi_pass, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        assert await app.editor.goto("DATASETNAME")
        field = app.editor.query_one("#f-DATASETNAME", Input)
        field.value = "typed"  # no Enter, no pause: the commit is still pending
        await pilot.press("ctrl+z")
        await wait_for(pilot, lambda: field.value == "multi_pass")
        assert app.session.value("DATASETNAME") == "multi_pass"
        await pilot.press("ctrl+y")
        await wait_for(pilot, lambda: app.session.value("DATASETNAME") == "typed")


async def test_save_shows_the_diff_and_enter_writes_exactly_the_edited_line(
    ohlcv, wait_for, text_of
):
    yaml_path = ohlcv.with_suffix(".yaml")
    before = yaml_path.read_text().splitlines(keepends=True)
    app = build_app(ohlcv, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await type_into(app, pilot, "UNIVERSE", "mic=XPAR")
        await wait_for(pilot, lambda: app.session.value("UNIVERSE") == "mic=XPAR")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, SaveDiffScreen))
        await pilot.pause()
        shown = text_of(app.screen.query_one("#diff-text"))
        assert "-  UNIVERSE: mic=XLON" in shown and "+  UNIVERSE: mic=XPAR" in shown
        assert yaml_path.read_text().splitlines(keepends=True) == before  # not yet
        await pilot.press("enter")
        await wait_for(pilot, lambda: not app.session.dirty)
        assert not isinstance(app.screen, SaveDiffScreen)
        assert "saved" in text_of(app.editor.query_one("#status"))
    after = yaml_path.read_text().splitlines(keepends=True)
    assert len(after) == len(before)
    changed = [(a, b) for a, b in zip(before, after, strict=True) if a != b]
    assert len(changed) == 1
    old_line, new_line = changed[0]
    assert old_line.startswith("  UNIVERSE: mic=XLON")
    assert new_line.replace("XPAR", "XLON") == old_line  # the comment and spacing are kept


async def test_escape_in_the_diff_goes_back_without_saving(multi_pass, wait_for):
    yaml_path = multi_pass.with_suffix(".yaml")
    original = yaml_path.read_text()
    app = build_app(multi_pass, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await type_into(app, pilot, "DATASETNAME", "not_saved")
        await wait_for(pilot, lambda: app.session.dirty)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, SaveDiffScreen))
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, SaveDiffScreen))
        assert app.session.dirty
    assert yaml_path.read_text() == original


async def test_a_setting_skips_the_diff(multi_pass, wait_for):
    yaml_path = multi_pass.with_suffix(".yaml")
    app = build_app(multi_pass, watch=False, diff_before_save=False)
    async with app.run_test(size=SIZE) as pilot:
        await type_into(app, pilot, "DATASETNAME", "direct")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: not app.session.dirty)
        assert not isinstance(app.screen, SaveDiffScreen)
    assert "DATASETNAME: direct" in yaml_path.read_text()


async def test_saving_with_nothing_changed_says_so(multi_pass, wait_for):
    app = build_app(multi_pass, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, SaveDiffScreen)
        assert any("No unsaved changes" in str(n.message) for n in app._notifications)
