"""Quitting, changes on disk, search, jumping to errors, a file that does not load, a
read-only file, --goto, themes and the command palette."""

from __future__ import annotations

import json

from textual.widgets import Input, TextArea

from config_ui.tui import build_app
from config_ui.tui.dialogs.external_change import ExternalChangeScreen
from config_ui.tui.dialogs.load_error import LoadErrorScreen
from config_ui.tui.dialogs.quit_confirm import QuitConfirmScreen
from config_ui.tui.editor_screen import EditorScreen

SIZE = (140, 45)


async def edit_name(app, pilot, wait_for, text: str) -> None:
    assert await app.editor.goto("DATASETNAME")
    field = app.editor.query_one("#f-DATASETNAME", Input)
    field.focus()
    await pilot.pause()
    field.value = ""
    await pilot.press(*text, "enter")
    await wait_for(pilot, lambda: app.session.value("DATASETNAME") == text)


def notices(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


# -- quitting ---------------------------------------------------------------------------------


async def test_quit_with_unsaved_changes_asks_first(multi_pass, wait_for):
    yaml_path = multi_pass.with_suffix(".yaml")
    original = yaml_path.read_text()
    app = build_app(multi_pass, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await edit_name(app, pilot, wait_for, "unsaved")
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: isinstance(app.screen, QuitConfirmScreen))
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, EditorScreen))
        assert app.is_running
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: isinstance(app.screen, QuitConfirmScreen))
        await pilot.press("d")
        await wait_for(pilot, lambda: not app.is_running)
    assert yaml_path.read_text() == original


async def test_save_and_quit_from_the_prompt(multi_pass, wait_for):
    app = build_app(multi_pass, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await edit_name(app, pilot, wait_for, "kept")
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: isinstance(app.screen, QuitConfirmScreen))
        await pilot.press("s")
        await wait_for(pilot, lambda: not app.is_running)
    assert "DATASETNAME: kept" in multi_pass.with_suffix(".yaml").read_text()


async def test_quit_without_changes_does_not_ask(multi_pass, wait_for):
    app = build_app(multi_pass, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: not app.is_running)


# -- changes on disk ----------------------------------------------------------------------------


async def test_external_change_without_unsaved_edits_reloads(multi_pass, wait_for):
    yaml_path = multi_pass.with_suffix(".yaml")
    app = build_app(multi_pass, watch_debounce=0.05)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        field = app.editor.query_one("#f-DATASETNAME", Input)
        yaml_path.write_text(
            yaml_path.read_text().replace("DATASETNAME: multi_pass", "DATASETNAME: from_disk")
        )
        await wait_for(pilot, lambda: app.session.value("DATASETNAME") == "from_disk")
        await wait_for(pilot, lambda: field.value == "from_disk")
        assert not app.session.dirty
        assert not isinstance(app.screen, ExternalChangeScreen)
        await wait_for(pilot, lambda: any("changed on disk; reloaded" in n for n in notices(app)))


async def test_external_change_with_unsaved_edits_asks_take_theirs(multi_pass, wait_for):
    yaml_path = multi_pass.with_suffix(".yaml")
    app = build_app(multi_pass, watch_debounce=0.05)
    async with app.run_test(size=SIZE) as pilot:
        await edit_name(app, pilot, wait_for, "mine")
        yaml_path.write_text(
            yaml_path.read_text().replace("UNIVERSE: index=SYN20", "UNIVERSE: mic=XLON")
        )
        await wait_for(pilot, lambda: isinstance(app.screen, ExternalChangeScreen))
        diff = app.screen.query_one("#conflict-diff")
        assert not diff.has_class("-shown")
        await pilot.press("d")
        assert diff.has_class("-shown")
        await pilot.press("t")
        await wait_for(pilot, lambda: app.session.value("UNIVERSE") == "mic=XLON")
        assert app.session.value("DATASETNAME") == "multi_pass"
        assert not app.session.dirty
        await wait_for(
            pilot, lambda: app.editor.query_one("#f-DATASETNAME", Input).value == "multi_pass"
        )


async def test_external_change_with_unsaved_edits_keep_mine(multi_pass, wait_for):
    yaml_path = multi_pass.with_suffix(".yaml")
    app = build_app(multi_pass, watch_debounce=0.05)
    async with app.run_test(size=SIZE) as pilot:
        await edit_name(app, pilot, wait_for, "mine")
        yaml_path.write_text(
            yaml_path.read_text().replace("UNIVERSE: index=SYN20", "UNIVERSE: mic=XLON")
        )
        await wait_for(pilot, lambda: isinstance(app.screen, ExternalChangeScreen))
        await pilot.press("k")
        await wait_for(pilot, lambda: not app.session.dirty)
        await pilot.pause(0.3)  # our own save must not come back as a change on disk
        assert isinstance(app.screen, EditorScreen)
    text = yaml_path.read_text()
    assert "DATASETNAME: mine" in text and "UNIVERSE: index=SYN20" in text


# -- search and errors --------------------------------------------------------------------------


async def test_slash_filters_fields_by_name_or_description(multi_pass, wait_for, text_of):
    app = build_app(multi_pass, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.editor.query_one("#nav").focus()
        await pilot.press("slash")
        bar = app.editor.query_one("#search", Input)
        assert app.focused is bar and bar.display
        await pilot.press(*"bucket seconds")
        await wait_for(pilot, lambda: app.editor.page_ref == ("search", "bucket seconds"))
        await pilot.pause()
        assert app.editor.query("#f-PASSES-0-time_bucket_seconds")
        assert app.editor.query("#f-PASSES-1-time_bucket_seconds")
        assert not app.editor.query("#f-DATASETNAME")
        await pilot.press("enter")
        await wait_for(
            pilot,
            lambda: app.focused is not None and app.focused.id == "f-PASSES-0-time_bucket_seconds",
        )
        bar.focus()
        bar.value = ""
        await pilot.press(*"saturdays")  # in the description of EXCLUDE_WEEKENDS
        await wait_for(pilot, lambda: app.editor.page_ref == ("search", "saturdays"))
        await pilot.pause()
        assert app.editor.query("#f-EXCLUDE_WEEKENDS")
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.editor.page_ref == ("home",))
        assert not bar.display


async def test_error_count_and_jump_to_the_next_error(multi_pass, wait_for, text_of):
    yaml_path = multi_pass.with_suffix(".yaml")
    yaml_path.write_text(yaml_path.read_text() + "  NUM_WORKERS: -5\n  MAX_ROWS_PER_BATCH: 0\n")
    app = build_app(multi_pass, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "2 errors" in text_of(app.editor.query_one("#status"))
        await pilot.press("f8")
        await wait_for(pilot, lambda: app.focused is not None and app.focused.id == "f-NUM_WORKERS")
        assert app.editor.page_ref == ("section", "Performance")
        assert "greater than or equal to -1" in text_of(app.editor.query_one("#e-NUM_WORKERS"))
        await pilot.press("f8")
        await wait_for(pilot, lambda: app.focused.id == "f-MAX_ROWS_PER_BATCH")
        await pilot.press("f8")
        await wait_for(pilot, lambda: app.focused.id == "f-NUM_WORKERS")


# -- opening ------------------------------------------------------------------------------------


async def test_bad_yaml_opens_an_error_view_with_the_raw_text(multi_pass, wait_for, text_of):
    yaml_path = multi_pass.with_suffix(".yaml")
    good = yaml_path.read_text()
    yaml_path.write_text("USER_CONFIG:\n  DATASETNAME: [unclosed\n  UNIVERSE: x\n")
    app = build_app(multi_pass, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, LoadErrorScreen)
        where = text_of(app.screen.query_one("#load-error-where"))
        assert "05_multi_pass.yaml" in where and "line" in where
        assert text_of(app.screen.query_one("#load-error-message"))
        raw = app.screen.query_one("#raw-text", TextArea)
        assert not raw.display
        await pilot.press("r")
        assert raw.display and "[unclosed" in raw.text
        yaml_path.write_text(good)
        app.screen.focus_next()
        await pilot.press("l")
        await wait_for(pilot, lambda: isinstance(app.screen, EditorScreen))
        assert app.session is not None and app.session.value("DATASETNAME") == "multi_pass"


async def test_read_only_file_opens_with_a_notice(multi_pass, monkeypatch, wait_for, text_of):
    monkeypatch.setattr("config_ui.core.session._writable", lambda path: False)  # we run as root
    app = build_app(multi_pass, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "cannot be written" in text_of(app.editor.query_one("#read-only-notice"))
        assert "read-only" in text_of(app.editor.query_one("#status"))
        assert app.editor.query_one("#f-DATASETNAME", Input).disabled
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert any("read-only" in n for n in notices(app))


async def test_goto_focuses_the_field(multi_pass, wait_for):
    app = build_app(multi_pass, goto="PASSES.1.reaggregate_analytics.group_by", watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(
            pilot,
            lambda: (
                app.focused is not None
                and app.focused.id == "f-PASSES-1-reaggregate_analytics-group_by"
            ),
        )
        assert app.editor.page_ref == ("pass", 1)


async def test_goto_an_unknown_field_says_so(multi_pass, wait_for):
    app = build_app(multi_pass, goto="NO_SUCH_FIELD", watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(
            pilot, lambda: any("There is no field NO_SUCH_FIELD" in n for n in notices(app))
        )


# -- themes and the command palette -------------------------------------------------------------


async def test_themes_are_registered_picked_and_remembered(multi_pass, tmp_path, wait_for):
    from config_ui.core.themes import load_themes

    names = set(load_themes())
    assert {"basalt-dark", "basalt-light"} <= names
    app = build_app(multi_pass, theme="basalt-light", watch=False)
    async with app.run_test(size=SIZE) as pilot:
        assert app.theme == "basalt-light"
        assert names <= set(app.available_themes)
        app.theme = "basalt-dark"
        await wait_for(pilot, lambda: (tmp_path / "home" / "ui.json").exists())
    assert json.loads((tmp_path / "home" / "ui.json").read_text())["theme"] == "basalt-dark"
    again = build_app(multi_pass, watch=False)
    assert again.theme == "basalt-dark"


async def test_an_unknown_theme_falls_back_with_a_notice(multi_pass, wait_for):
    app = build_app(multi_pass, theme="no-such-theme", watch=False)
    async with app.run_test(size=SIZE) as pilot:
        assert app.theme == "basalt-dark"
        await wait_for(pilot, lambda: any("no theme 'no-such-theme'" in n for n in notices(app)))


async def test_command_palette_lists_commands_and_jumps_to_a_section(multi_pass, wait_for):
    app = build_app(multi_pass, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        titles = [c.title for c in app.get_system_commands(app.screen)]
        for title in (
            "Save",
            "Next error",
            "Go to section Outputs",
            "Go to pass 2: index_1h",
            "Theme basalt-light",
        ):
            assert title in titles
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Go to section Outputs")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.editor.page_ref == ("section", "Outputs"))
