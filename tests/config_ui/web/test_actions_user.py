"""The editor's actions through NiceGUI's simulated user: origins and reset, errors with a
count and a jump, the filter, undo/redo, diff and save, passes, the module picker, goto,
themes and the demo list."""

from __future__ import annotations

import asyncio
import json

import pytest
from nicegui import ui

pytestmark = [pytest.mark.anyio, pytest.mark.nicegui_main_file("tests/config_ui/web/web_main.py")]


async def test_origins_and_reset_to_default(user, tab, web_project) -> None:
    await user.open("/")
    view = tab.ctrl.views["DATASETNAME"]
    assert view.origin.text == "set in YAML" and view.reset_button.visible
    assert tab.ctrl.views["EXCLUDE_WEEKENDS"].origin.text == "default"
    assert not tab.ctrl.views["EXCLUDE_WEEKENDS"].reset_button.visible
    assert tab.ctrl.views["PASSES"].origin.text == "set in script"
    tab.click("reset:END_DATE")
    session = tab.ctrl.session
    assert "END_DATE" not in session.document.text
    assert str(session.value("END_DATE")) == "2025-01-02"  # the script's value shows
    assert tab.ctrl.views["END_DATE"].origin.text == "set in script"
    assert tab.ctrl.views["END_DATE"].input.value == "2025-01-02"


async def test_error_count_and_jump_to_next(user, tab) -> None:
    await user.open("/")
    tab.type("DATASETNAME", "bad name!")
    tab.type("START_DATE", "2025-02-01")
    tab.type(
        "END_DATE", "2025-01-31"
    )  # before START_DATE: an error of the whole config, shown here
    tab.type("PASSES.0.time_bucket_seconds", "soon", commit=False)
    ctrl = tab.ctrl
    assert ctrl.error_text == "3 errors"
    assert ctrl.nav_text["Core"] == "Core (3)"
    await user.should_see("3 errors")
    order = []
    for _ in range(4):
        tab.click("next-error")
        order.append(ctrl.focused)
    assert order == ["DATASETNAME", "END_DATE", "PASSES.0.time_bucket_seconds", "DATASETNAME"]
    tab.type("DATASETNAME", "fine")
    tab.type("PASSES.0.time_bucket_seconds", "60")
    assert ctrl.error_text == "1 error"
    tab.click("section:Outputs")
    tab.click("next-error")
    assert ctrl.section == "Core" and ctrl.focused == "END_DATE"


async def test_filter_finds_fields_across_sections(user, tab) -> None:
    await user.open("/")
    user.find(marker="filter").type("compression")
    await user.should_see("2 fields matching “compression”")
    assert {"OUTPUT_TARGET.compression", "OUTPUT_TARGET.compression_level"} <= set(tab.ctrl.views)
    tab.type("OUTPUT_TARGET.compression_level", "3")
    assert tab.ctrl.session.value("OUTPUT_TARGET.compression_level") == 3
    user.find(marker="filter").clear()
    await user.should_see(marker="field:DATASETNAME")
    assert tab.ctrl.query == ""


async def test_undo_redo(user, tab) -> None:
    await user.open("/")
    tab.type("DATASETNAME", "first")
    tab.type("DATASETNAME", "second")
    tab.click("undo")
    assert tab.ctrl.session.value("DATASETNAME") == "first"
    assert tab.ctrl.views["DATASETNAME"].input.value == "first"
    tab.click("undo")
    assert tab.ctrl.session.value("DATASETNAME") == "ohlcv_bars"
    assert not tab.ctrl.session.dirty
    tab.click("redo")
    assert tab.ctrl.session.value("DATASETNAME") == "first"
    tab.type("DATASETNAME", "bad text !", commit=False)
    tab.type("UNIVERSE", "x", commit=False)
    tab.click("undo")  # typed-but-unapplied text is dropped with the undo
    assert tab.ctrl.views["UNIVERSE"].input.value == "mic=XLON"
    assert tab.ctrl.input_errors == {}


async def test_diff_then_save(user, tab, web_project) -> None:
    await user.open("/")
    tab.click("save")
    await user.should_see("No unsaved changes")
    before = web_project.yaml.read_text()
    tab.type("UNIVERSE", "mic=XPAR")
    tab.click("diff")
    await user.should_see(marker="dialog:diff")
    tab.click("close-diff")
    assert web_project.yaml.read_text() == before
    tab.click("save")
    await user.should_see(marker="dialog:save")
    with user:
        (card,) = user.find(marker="dialog:save").elements
        assert "+  UNIVERSE: mic=XPAR" in card.default_slot.children[1].content
    tab.click("confirm-save")
    await user.should_see("Saved 01_ohlcv_bars.yaml")
    after = web_project.yaml.read_text()
    assert after == before.replace("  UNIVERSE: mic=XLON ", "  UNIVERSE: mic=XPAR ")
    assert not tab.ctrl.session.dirty and tab.ctrl.dirty_text == "saved"


async def test_saving_an_invalid_config_says_so(user, tab, web_project) -> None:
    await user.open("/")
    tab.type("DATASETNAME", "bad name!")
    tab.click("save")
    await user.should_see("01_ohlcv_bars.yaml has 1 error: fix it first, or save anyway", retries=5)
    await user.should_not_see(marker="confirm-save")  # a plain save is not offered
    tab.click("save-with-errors")
    await user.should_see("Saved 01_ohlcv_bars.yaml with 1 error to fix")
    assert "DATASETNAME: bad name!" in web_project.yaml.read_text()


@pytest.mark.web_demo("05_multi_pass")
async def test_pass_cards_add_duplicate_move_remove_select(user, tab) -> None:
    await user.open("/")
    ctrl = tab.ctrl

    def names() -> list[str]:
        return [p["name"] for p in ctrl.session.value("PASSES")]

    await user.should_see(marker="pass-card:1")
    tab.click("add:PASSES")
    assert names() == ["bars_5m", "index_1h", "pass_3"] and ctrl.selected_pass == 2
    await user.should_see(marker="field:PASSES.2.name")
    tab.click("duplicate:PASSES.0")
    assert names() == ["bars_5m", "bars_5m_copy", "index_1h", "pass_3"] and ctrl.selected_pass == 1
    tab.click("move-down:PASSES.1")
    assert names() == ["bars_5m", "index_1h", "bars_5m_copy", "pass_3"] and ctrl.selected_pass == 2
    tab.click("remove:PASSES.3")
    tab.click("remove:PASSES.2")
    assert names() == ["bars_5m", "index_1h"]
    tab.click("pass-card:1")
    assert ctrl.selected_pass == 1
    await user.should_see(marker="field:PASSES.1.reaggregate_analytics.source_pass")
    await user.should_not_see(marker="field:PASSES.0.name")
    await user.should_see("every 1 h · 8 columns")


async def test_module_picker_and_live_columns(user, tab) -> None:
    await user.open("/")
    path = "PASSES.0.modules"
    await user.should_see("OHLC bars, volume, count, notional, VWAP and volatility from trades")
    await user.should_see("reads l2")
    await user.should_not_see(marker="column:SpreadBpsTWA")
    user.find(marker=f"module:{path}:l2").click()
    assert tab.ctrl.session.value(path) == ["trade", "l2"]
    await user.should_see(marker="field:PASSES.0.l2_analytics.levels")
    await user.should_see(marker="column:SpreadBpsTWA")
    await user.should_see(marker="column:TradeTotalVWAP")
    tab.click(f"module-earlier:{path}:l2")
    assert tab.ctrl.session.value(path) == ["l2", "trade"]
    user.find(marker=f"module:{path}:trade").click()
    assert tab.ctrl.session.value(path) == ["l2"]
    await user.should_not_see(marker="column:TradeTotalVWAP")
    await user.should_not_see(marker="field:PASSES.0.trade_analytics")


async def test_goto_from_the_url(user, tab) -> None:
    await user.open("/?goto=PASSES.0.time_bucket_anchor")
    ctrl = tab.ctrl
    assert ctrl.focused == "PASSES.0.time_bucket_anchor"
    with user:
        assert ctrl.expansions["PASSES.0"].value is True  # the pass's Advanced part is open
    await user.open("/?goto=BATCH_FREQ")
    assert tab.ctrl.section == "Performance" and tab.ctrl.focused == "BATCH_FREQ"
    await user.should_see(marker="field:BATCH_FREQ")
    await user.open("/?goto=NO_SUCH_FIELD")
    await user.should_see("No field NO_SUCH_FIELD in this config")


@pytest.mark.web_demo("05_multi_pass", goto="PASSES.1.time_bucket_seconds")
async def test_goto_given_to_the_server(user, tab) -> None:
    await user.open("/")
    assert tab.ctrl.selected_pass == 1 and tab.ctrl.focused == "PASSES.1.time_bucket_seconds"


async def test_themes_switch_at_run_time_and_are_remembered(user, tab, web_project) -> None:
    await user.open("/")
    with user:
        (select,) = user.find(marker="theme").elements
        assert set(select.options) >= {"basalt-dark", "basalt-light"}
        assert select.value == "basalt-dark"
    await tab.pick("theme", "basalt-light")
    state = json.loads((web_project.root.parent / "home" / "ui.json").read_text())
    assert state["theme"] == "basalt-light"
    with user:
        dark = next(e for e in user.current_layout.descendants() if type(e).__name__ == "DarkMode")
        assert dark.value is False
    tab.click("toggle-dark")
    with user:
        assert select.value == "basalt-dark" and dark.value is True
    await user.open("/")  # a new tab starts with the remembered theme
    with user:
        (select,) = user.find(marker="theme").elements
        assert select.value == "basalt-dark"


async def test_demo_list_opens_every_pair(user, tab) -> None:
    await user.open("/")
    for name in (
        "demo/01_ohlcv_bars.py",
        "demo/02_spreads_depth.py",
        "demo/05_multi_pass.py",
        "demo/07_index_universe.py",
    ):
        await user.should_see(marker=f"demo:{name}")
    tab.click("demo:demo/05_multi_pass.py")
    await user.should_see(marker="pass-card:1")
    assert tab.ctrl.pair.name == "demo/05_multi_pass.py"
    tab.type("DATASETNAME", "changed")
    tab.click("demo:demo/02_spreads_depth.py")
    await user.should_see(marker="dialog:confirm")  # unsaved changes: asks first
    assert tab.ctrl.pair.name == "demo/05_multi_pass.py"
    tab.click("confirm")
    await user.should_see("demo/02_spreads_depth.yaml")
    assert tab.ctrl.pair.name == "demo/02_spreads_depth.py"


async def test_help_stable_attributes_and_leave_guard(user, tab) -> None:
    page = await user.http_client.get("/")
    assert "addEventListener('beforeunload'" in page.text and "window.basaltDirty" in page.text
    await user.open("/")
    await user.should_see("Dataset name, used in output paths (letters, digits, _ . -).")  # help
    with user:
        tips = [t.text for t in user.find(kind=ui.tooltip).elements]
        assert any(
            t.startswith("Kinds: mic (venue), index (index members)") for t in tips
        )  # longer help
        assert user.find(marker="save").elements.pop().props["data-action"] == "save"
    scripts: list[str] = []
    emit = user.client.outbox._emit

    async def spy(message) -> None:
        if message[1] == "run_javascript":
            scripts.append(message[2]["code"])
        await emit(message)

    user.client.outbox._emit = spy
    tab.type("DATASETNAME", "renamed")
    await asyncio.sleep(0.1)  # the outbox sends scripts on its own loop
    assert "window.basaltDirty = true" in scripts  # the page now asks before leaving
    tab.click("save")
    with user:
        assert (
            user.find(marker="confirm-save").elements.pop().props["data-action"] == "confirm-save"
        )
    tab.click("confirm-save")
    await asyncio.sleep(0.1)
    assert scripts[-2:] == [
        "window.basaltDirty = false",
        'document.title = "01_ohlcv_bars.yaml - Basalt Studio"',
    ]
