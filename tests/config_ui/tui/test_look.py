"""What a user sees in the dark and light themes: inputs look editable, booleans say on or
off, the focused control stands out (buttons too), the navigation is highlighted only where
it has focus, pass cards keep their border, and the palette lists our themes once."""

from __future__ import annotations

import json

import pytest
from textual.color import Color
from textual.widgets import Button, Input, Switch

from config_ui.tui import build_app
from config_ui.tui.fields.pass_list import PassCardView
from config_ui.tui.ids import field_id
from config_ui.tui.widgets.nav_list import NavList

THEMES = ["basalt-dark", "basalt-light"]
SIZES = [(80, 24), (160, 48)]
size_ids = [f"{w}x{h}" for w, h in SIZES]


def contrast(a: Color, b: Color) -> float:
    """How far apart two colours are (0 to 1, per channel, the largest)."""
    return max(abs(a.r - b.r), abs(a.g - b.g), abs(a.b - b.b)) / 255


def page_background(app) -> Color:
    return app.editor.page.background_colors[1]


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("size", SIZES, ids=size_ids)
async def test_inputs_look_editable_and_focus_shows(multi_pass, theme, size):
    app = build_app(multi_pass, theme=theme, watch=False)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        field = app.screen.query_one(f"#{field_id('DATASETNAME')}", Input)
        other = app.screen.query_one(f"#{field_id('UNIVERSE')}", Input)
        page = page_background(app)
        assert contrast(field.background_colors[1], page) > 0.04
        field.focus()
        await pilot.pause()
        assert contrast(field.background_colors[1], other.background_colors[1]) > 0.08


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("size", SIZES, ids=size_ids)
async def test_booleans_say_on_or_off(multi_pass, theme, wait_for, size):
    app = build_app(multi_pass, theme=theme, watch=False)
    async with app.run_test(size=size) as pilot:
        await app.editor.goto("EXCLUDE_WEEKENDS")
        await wait_for(pilot, lambda: isinstance(app.focused, Switch))
        switch = app.focused
        state = switch.parent.query_one(".switch-state")
        assert str(state.render()) == "on"
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.session.value("EXCLUDE_WEEKENDS") is False)
        assert str(state.render()) == "off"
        await pilot.press("ctrl+z")
        await wait_for(pilot, lambda: app.session.value("EXCLUDE_WEEKENDS") is True)
        await pilot.pause()
        assert str(state.render()) == "on"


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("size", SIZES, ids=size_ids)
async def test_focused_buttons_stand_out(multi_pass, theme, size):
    app = build_app(multi_pass, theme=theme, watch=False)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        button = app.screen.query_one("#pass-card-0").query(Button).last()
        before = button.background_colors[1]
        button.focus()
        await pilot.pause()
        assert contrast(button.background_colors[1], before) > 0.2
        await pilot.press("f5")
        await pilot.pause()
        tall = app.screen.query_one("#run-dagster", Button)
        tall.focus()
        await pilot.pause()
        accent = Color.parse(app.current_theme.accent)
        for _kind, color in (tall.styles.border_top, tall.styles.border_bottom):
            assert contrast(color, accent) < 0.02


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("size", SIZES, ids=size_ids)
async def test_nav_is_highlighted_only_when_focused(multi_pass, theme, size):
    app = build_app(multi_pass, theme=theme, watch=False)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        nav = app.screen.query_one(NavList)
        nav.focus()
        await pilot.pause()
        focused_style = nav.get_component_rich_style("option-list--option-highlighted")
        app.screen.query_one(f"#{field_id('DATASETNAME')}").focus()
        await pilot.pause()
        blurred_style = nav.get_component_rich_style("option-list--option-highlighted")
        primary = Color.parse(app.current_theme.primary)
        assert Color.from_rich_color(focused_style.bgcolor) == primary
        blurred = Color.from_rich_color(blurred_style.bgcolor)
        assert (max(blurred.rgb) - min(blurred.rgb)) / 255 < 0.1  # a grey, not the teal


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("size", SIZES, ids=size_ids)
async def test_pass_cards_keep_their_border(multi_pass, theme, size):
    app = build_app(multi_pass, theme=theme, watch=False)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        card = app.screen.query_one(PassCardView)
        kind, color = card.styles.border_top
        assert kind == "round"
        assert contrast(color, page_background(app)) > 0.15


async def test_palette_lists_our_themes_once_and_remembers_only_ours(multi_pass, tmp_path):
    app = build_app(multi_pass, theme="basalt-dark", watch=False)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        titles = [c.title for c in app.get_system_commands(app.screen)]
        themed = [t for t in titles if t.startswith("Theme")]
        assert themed == [f"Theme {name}" for name in app.theme_names]
        app.theme = "textual-dark"
        await pilot.pause()
        app.theme = "basalt-light"
        await pilot.pause()
        state = tmp_path / "home" / "ui.json"
        assert json.loads(state.read_text())["theme"] == "basalt-light"
        app.theme = "textual-dark"
        await pilot.pause()
        assert json.loads(state.read_text())["theme"] == "basalt-light"
