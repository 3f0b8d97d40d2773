"""The home view's pass cards and the pass editor: add, duplicate, remove, reorder; the
module picker and the live list of output columns."""

from __future__ import annotations

from textual.widgets import Button, SelectionList

from config_ui.tui import build_app

SIZE = (140, 45)


async def card_button(pilot, app, index: int, action: str) -> Button:
    """The button once its card is on screen."""
    for _ in range(100):
        cards = app.editor.query(f"#pass-card-{index}")
        found = [b for card in cards for b in card.query(Button) if b.name == f"{action}:{index}"]
        if found:
            return found[0]
        await pilot.pause(0.02)
    raise AssertionError(f"no {action} button on pass card {index}")


def names(app) -> list[str]:
    return [p["name"] for p in app.session.raw_passes()]


async def test_home_shows_dataset_dates_and_one_card_per_pass(multi_pass, text_of):
    app = build_app(multi_pass, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.editor
        for path in ("DATASETNAME", "UNIVERSE", "START_DATE", "END_DATE"):
            assert screen.query(f"#f-{path}"), path
        first = text_of(screen.query_one("#pass-card-0 .card-text"))
        second = text_of(screen.query_one("#pass-card-1 .card-text"))
        assert (
            "1. bars_5m" in first
            and "300 s" in first
            and "trade" in first
            and "10 columns" in first
        )
        assert "2. index_1h" in second and "3600 s" in second and "reaggregate" in second
        nav = [str(o.prompt) for o in screen.query_one("#nav")._options]
        assert nav[:6] == ["Home", "Core", "Outputs", "Automation", "Performance", "Advanced"]
        assert "1. bars_5m" in nav[6] and "2. index_1h" in nav[7]


async def test_add_duplicate_move_and_remove_passes(multi_pass, wait_for):
    app = build_app(multi_pass, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.click("#add-PASSES")
        await wait_for(pilot, lambda: names(app) == ["bars_5m", "index_1h", "pass_3"])
        await wait_for(pilot, lambda: bool(app.editor.query("#pass-card-2")))
        (await card_button(pilot, app, 0, "duplicate")).press()
        await wait_for(
            pilot, lambda: names(app) == ["bars_5m", "bars_5m_copy", "index_1h", "pass_3"]
        )
        await wait_for(pilot, lambda: bool(app.editor.query("#pass-card-3")))
        (await card_button(pilot, app, 3, "up")).press()
        await wait_for(
            pilot, lambda: names(app) == ["bars_5m", "bars_5m_copy", "pass_3", "index_1h"]
        )
        await pilot.pause()
        (await card_button(pilot, app, 0, "down")).press()
        await wait_for(
            pilot, lambda: names(app) == ["bars_5m_copy", "bars_5m", "pass_3", "index_1h"]
        )
        await pilot.pause()
        (await card_button(pilot, app, 2, "remove")).press()
        await wait_for(pilot, lambda: names(app) == ["bars_5m_copy", "bars_5m", "index_1h"])
        await wait_for(pilot, lambda: not app.editor.query("#pass-card-3"))

        def nav() -> list[str]:
            return [str(o.prompt).strip() for o in app.editor.query_one("#nav")._options][6:]

        await wait_for(pilot, lambda: nav() == ["1. bars_5m_copy", "2. bars_5m", "3. index_1h"])


async def test_open_a_pass_from_its_card(multi_pass, wait_for, text_of):
    app = build_app(multi_pass, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        (await card_button(pilot, app, 1, "open")).press()
        await wait_for(pilot, lambda: app.editor.page_ref == ("pass", 1))
        await pilot.pause()
        assert "Pass 2 of 2 · index_1h" in text_of(app.editor.query_one("#pass-title"))
        assert app.editor.query("#f-PASSES-1-reaggregate_analytics-group_by")
        assert not app.editor.query("#f-PASSES-1-trade_analytics")  # module not enabled: hidden


async def test_module_picker_lists_modules_by_tier_and_updates_the_columns(
    multi_pass, wait_for, text_of
):
    app = build_app(multi_pass, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        assert await app.editor.goto("PASSES.0.modules")
        await pilot.pause()
        picker = app.editor.query_one("#f-PASSES-0-modules", SelectionList)
        prompts = [str(o.prompt) for o in picker._options]
        values = [o.value for o in picker._options]
        assert values[0] == "marketstate" and values[-1] == "reaggregate"  # pre, core..., post
        trade = prompts[values.index("trade")]
        assert "core" in trade and "needs trades" in trade and "OHLC" in trade
        columns = app.editor.query_one("#pass-columns")
        before = text_of(columns)
        assert "TradeTotalVWAP" in before and "Spread" not in before
        picker.highlighted = values.index("l2")
        await pilot.press("space")
        await wait_for(pilot, lambda: app.session.value("PASSES.0.modules") == ["trade", "l2"])
        await wait_for(pilot, lambda: "Spread" in text_of(app.editor.query_one("#pass-columns")))
        count = len(app.session.pass_columns(0))
        assert f"Output columns ({count})" in text_of(app.editor.query_one("#pass-columns-title"))
        assert app.editor.query("#f-PASSES-0-l2_analytics")  # its config appears as a form
        help_text = text_of(app.editor.query_one("#help-text"))
        assert "Module l2" in help_text and "Needs tables  l2" in help_text


async def test_pass_editor_toolbar_follows_the_pass(multi_pass, wait_for, text_of):
    app = build_app(multi_pass, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await app.editor.open_page(("pass", 0))
        await pilot.pause()
        toolbar = app.editor.query_one(".pass-actions")
        next(b for b in toolbar.query(Button) if b.name == "down:0").press()
        await wait_for(pilot, lambda: names(app) == ["index_1h", "bars_5m"])
        await wait_for(pilot, lambda: app.editor.page_ref == ("pass", 1))
        await pilot.pause()
        assert "Pass 2 of 2 · bars_5m" in text_of(app.editor.query_one("#pass-title"))
        toolbar = app.editor.query_one(".pass-actions")
        next(b for b in toolbar.query(Button) if b.name == "remove:1").press()
        await wait_for(pilot, lambda: names(app) == ["index_1h"])
        await wait_for(pilot, lambda: app.editor.page_ref == ("home",))


async def test_module_picker_offers_a_demo_module_in_its_demo_only(custom_metric, ohlcv):
    """Demo 03 then demo 01 in one process: only demo 03's picker lists ``large_trades``."""
    offered = {}
    for script in (custom_metric, ohlcv):
        app = build_app(script, watch=False)
        async with app.run_test(size=SIZE) as pilot:
            assert await app.editor.goto("PASSES.0.modules")
            await pilot.pause()
            picker = app.editor.query_one("#f-PASSES-0-modules", SelectionList)
            options = {o.value: str(o.prompt) for o in picker._options}
            offered[script.stem] = options
    assert "notional threshold" in offered["03_custom_metric"]["large_trades"]
    assert "large_trades" not in offered["01_ohlcv_bars"]


async def test_removing_the_only_pass_asks_first(ohlcv, wait_for):
    from config_ui.tui.dialogs.remove_confirm import RemoveConfirmScreen

    app = build_app(ohlcv, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        (await card_button(pilot, app, 0, "remove")).press()
        await wait_for(pilot, lambda: isinstance(app.screen, RemoveConfirmScreen))
        assert "only one" in app.screen.question()
        await pilot.press("escape")  # stay: nothing removed
        await wait_for(pilot, lambda: not isinstance(app.screen, RemoveConfirmScreen))
        assert names(app) == ["bars_1m"]

        (await card_button(pilot, app, 0, "remove")).press()
        await wait_for(pilot, lambda: isinstance(app.screen, RemoveConfirmScreen))
        await pilot.press("r")
        await wait_for(pilot, lambda: names(app) == [])
