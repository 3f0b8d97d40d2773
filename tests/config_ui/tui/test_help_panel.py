"""The help panel: paths wrap at dots to the panel's width, and the panel follows removals
(an item removed is no longer described)."""

from __future__ import annotations

import pytest

from config_ui.tui import build_app
from config_ui.tui import messages as msg
from config_ui.tui.widgets.help_panel import PLACEHOLDER, HelpPanel, wrap_path
from config_ui.tui.widgets.nav_list import NavList

SIZES = [(80, 24), (160, 48)]
size_ids = [f"{w}x{h}" for w, h in SIZES]


def test_wrap_path_breaks_after_dots_within_the_width():
    path = "PASSES.0.trade_analytics.generic_metrics.3.measures"
    assert wrap_path(path, 20) == [
        "PASSES.0.",
        "trade_analytics.",
        "generic_metrics.3.",
        "measures",
    ]
    assert wrap_path(path, 80) == [path]
    assert wrap_path("abcdefg.abcdefgh", 8) == ["abcdefg.", "abcdefgh"]
    assert wrap_path("a_name_longer_than_the_line", 10) == ["a_name_lon", "ger_than_t", "he_line"]


@pytest.mark.parametrize("size", SIZES, ids=size_ids)
async def test_help_shows_the_path_in_lines_that_fit(multi_pass, size, wait_for):
    app = build_app(multi_pass, watch=False)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        path = "PASSES.0.trade_analytics.generic_metrics.0.measures"
        assert await app.editor.goto(path)
        panel = app.screen.query_one(HelpPanel)
        await wait_for(pilot, lambda: panel.shown_path == path)
        text = str(panel.query_one("#help-text").render())
        shown = panel.shown_path
        lines = wrap_path(shown, panel.text_width)
        assert "\n".join(lines) in text
        for line in lines[:-1]:
            assert line.endswith(".") and len(line) <= panel.text_width


@pytest.mark.parametrize("size", SIZES, ids=size_ids)
async def test_help_forgets_a_removed_pass(multi_pass, size, wait_for):
    app = build_app(multi_pass, watch=False)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        assert await app.editor.goto("PASSES.1.name")
        panel = app.screen.query_one(HelpPanel)
        await wait_for(pilot, lambda: panel.shown_path == "PASSES.1.name")
        await app.editor.open_page(("home",))
        await pilot.pause()
        app.screen.query_one(NavList).focus()  # a control that describes no field
        await pilot.pause()
        app.editor.post_message(msg.ItemRemoved("PASSES", 1))
        await wait_for(pilot, lambda: len(app.session.raw_passes()) == 1)
        await pilot.pause()
        assert panel.shown_path is None
        assert str(panel.query_one("#help-text").render()) == PLACEHOLDER
