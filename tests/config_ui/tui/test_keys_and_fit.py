"""Keyboard-first at any size: the footer keeps the keys that matter at 80x24, ``?`` lists
every key of the screen, F1 folds the help panel for the session, ``/`` searches only
outside a text field while ctrl+f searches everywhere, Escape leaves a field with its text
kept, and the run screen shows whole dates and universes."""

from __future__ import annotations

import time

import pytest
from textual.widgets import Input

from config_ui.tui import build_app
from config_ui.tui.dialogs.keys_overlay import KeysOverlay
from config_ui.tui.ids import field_id
from config_ui.tui.run_screen import RunScreen
from config_ui.tui.widgets.help_panel import HelpPanel
from config_ui.tui.widgets.nav_list import NavList
from config_ui.tui.widgets.search_bar import SearchBar

SIZES = [(80, 24), (160, 48)]
size_ids = [f"{w}x{h}" for w, h in SIZES]


def footer_keys(app) -> set[str]:
    """The keys the footer shows whole inside the terminal."""
    from textual.widgets._footer import FooterKey

    width = app.size.width
    return {
        key.key_display
        for key in app.screen.query(FooterKey)
        if key.region.width > 0 and key.region.right <= width
    }


async def laid_out_footer(pilot, app, wanted, timeout: float = 5.0) -> set[str]:
    """The footer's visible keys once they hold ``wanted`` or ``timeout`` passed (a loaded
    machine lays the footer out a few frames later)."""
    deadline = time.monotonic() + timeout
    shown = footer_keys(app)
    while not set(wanted) <= shown and time.monotonic() < deadline:
        await pilot.pause(0.05)
        shown = footer_keys(app)
    return shown


@pytest.mark.parametrize("size", SIZES, ids=size_ids)
async def test_footer_keeps_the_keys_that_matter(ohlcv, size):
    app = build_app(ohlcv, watch=False)
    async with app.run_test(size=size) as pilot:
        editor_keys = ("^s", "^z", "f8", "^f", "f2", "^q", "f5", "f6", "?")
        shown = await laid_out_footer(pilot, app, editor_keys)
        for key in editor_keys:
            assert key in shown, (key, shown)
        await pilot.press("f5")
        run_keys = ("esc", "^q", "f6", "?")
        shown = await laid_out_footer(pilot, app, run_keys)
        for key in run_keys:
            assert key in shown, (key, shown)


@pytest.mark.parametrize("size", SIZES, ids=size_ids)
async def test_question_mark_lists_every_key_of_the_screen(ohlcv, size):
    app = build_app(ohlcv, watch=False)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, KeysOverlay)
        listed = dict(app.screen.keys)
        for key in ("^y", "^r", "f1", "/", "esc", "^p", "f5"):
            assert key in listed, (key, listed)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, KeysOverlay)
        # In a text field ``?`` is a character.
        field = app.screen.query_one(f"#{field_id('DATASETNAME')}", Input)
        field.focus()
        await pilot.pause()
        await pilot.press("end", "question_mark")
        await pilot.pause()
        assert not isinstance(app.screen, KeysOverlay)
        assert field.value.endswith("?")


@pytest.mark.parametrize("size", SIZES, ids=size_ids)
async def test_f1_folds_the_help_panel_for_the_session(ohlcv, size):
    app = build_app(ohlcv, watch=False)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        panel = app.screen.query_one(HelpPanel)
        assert panel.display and panel.region.width > 0
        await pilot.press("f1")
        await pilot.pause()
        assert not panel.display
        await pilot.press("f5")  # away and back: still folded
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert not app.screen.query_one(HelpPanel).display
        await pilot.press("f1")
        await pilot.pause()
        assert app.screen.query_one(HelpPanel).display


@pytest.mark.parametrize("size", SIZES, ids=size_ids)
async def test_slash_types_in_a_field_and_ctrl_f_searches_everywhere(ohlcv, size):
    app = build_app(ohlcv, watch=False)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        bar = app.screen.query_one(SearchBar)
        field = app.screen.query_one(f"#{field_id('DATASETNAME')}", Input)
        field.focus()
        await pilot.pause()
        await pilot.press("end", "slash")
        await pilot.pause()
        assert field.value == "ohlcv_bars/"
        assert not bar.is_open
        await pilot.press("ctrl+f")
        await pilot.pause()
        assert bar.is_open and app.focused is bar
        await pilot.press("escape")
        await pilot.pause()
        assert not bar.is_open
        app.screen.query_one(NavList).focus()
        await pilot.pause()
        await pilot.press("slash")
        await pilot.pause()
        assert bar.is_open and app.focused is bar


@pytest.mark.parametrize("size", SIZES, ids=size_ids)
async def test_escape_leaves_a_field_and_keeps_its_text(ohlcv, size):
    app = build_app(ohlcv, watch=False)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        field = app.screen.query_one(f"#{field_id('DATASETNAME')}", Input)
        field.focus()
        await pilot.pause()
        await pilot.press("end", "x", "y")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.focused, NavList)
        assert field.value == "ohlcv_barsxy"
        assert app.session.value("DATASETNAME") == "ohlcv_barsxy"


async def open_run_screen(pilot) -> RunScreen:
    """The Run screen, opened with F5 from the editor."""
    await pilot.pause()
    await pilot.press("f5")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, RunScreen)
    return screen


@pytest.mark.parametrize("size", SIZES, ids=size_ids)
async def test_run_screen_shows_whole_dates_and_universes(ohlcv, size):
    app = build_app(ohlcv, watch=False)
    async with app.run_test(size=size) as pilot:
        screen = await open_run_screen(pilot)
        screen.query_one("#universe", Input).value = "index=SYN20"
        await pilot.pause()
        screen.query_one("#end-date", Input).value = "2025-01-31"
        screen.query_one("#end-date", Input).focus()  # the cursor at the end of the text
        await pilot.pause()
        for wid in ("universe", "start-date", "end-date"):
            assert screen.query_one(f"#{wid}", Input).region.right <= size[0]
        shown = app.export_screenshot()
        for text in ("index=SYN20", "2025-01-02", "2025-01-31"):
            assert f">{text}" in shown.replace("&#160;", " ").replace("> ", ">"), text


class _StartedRun:
    """Stands in for a started local run: no process, nothing printed yet."""

    command = "python demo/01_ohlcv_bars.py"
    lines: list[str] = []
    result = None
    progress = None

    def cancel(self) -> None:
        pass


@pytest.mark.parametrize("size", SIZES, ids=size_ids)
async def test_focus_never_moves_to_run_in_dagster_by_itself(ohlcv, size):
    app = build_app(ohlcv, watch=False)
    async with app.run_test(size=size) as pilot:
        screen = await open_run_screen(pilot)
        state = screen.local

        def start(request):
            state.run, state.state = _StartedRun(), "running"
            return state.run

        state.start = start
        screen.query_one("#run-local").focus()
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert screen.in_flight
        assert app.focused is screen.query_one("#cancel")
        await pilot.press("enter")  # Cancel
        await pilot.pause()
        assert app.focused is screen.query_one("#run-output")
        assert app.focused is not screen.query_one("#run-dagster")


async def test_universe_choice_shows_the_universe_in_the_box(multi_pass):
    from textual.widgets import Select

    app = build_app(multi_pass, watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_run_screen(pilot)
        select = screen.query_one("#universe-choice", Select)
        box = screen.query_one("#universe", Input)
        assert box.value == "index=SYN20" and select.value == "index=SYN20"
        box.value = "mic=XNOTLISTED"
        await pilot.pause()
        assert select.value is Select.NULL
        box.value = "index=SYN20"
        await pilot.pause()
        assert select.value == "index=SYN20"
