"""A demo's own modules stay in that demo's pages, though every page is served by one process."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.anyio, pytest.mark.nicegui_main_file("tests/config_ui/web/web_main.py")]

CUSTOM = "module:PASSES.0.modules:large_trades"
USES_LARGE_TRADES = """
  PASSES:
    - name: bars_1m
      modules: [trade, large_trades]
      large_trades_analytics:
        large_trade_threshold: 1000
"""


async def test_demo_03_module_is_not_offered_in_demo_01(user, tab, web_project) -> None:
    await user.open("/?demo=demo/03_custom_metric.py")
    await user.should_see(marker=CUSTOM)  # demo 03 offers its own module
    await user.should_see(marker="column:LargeTradeCount")
    assert "large_trades" in tab.ctrl.session.node_for("PASSES.0.modules").choices

    await user.open("/?demo=demo/01_ohlcv_bars.py")  # same server, next page
    await user.should_see(marker="module:PASSES.0.modules:trade")
    await user.should_not_see(marker=CUSTOM)
    session = tab.ctrl.session
    assert session.path.name == "01_ohlcv_bars.yaml" and not session.issues
    assert "large_trades" not in session.node_for("PASSES.0.modules").choices
    assert "large_trades" not in {m.name for g in session.modules_by_tier().values() for m in g}
    assert session.column_docs(["LargeTradeCount"]) == {"LargeTradeCount": ""}


async def test_demo_01_yaml_using_demo_03_module_shows_an_error(user, tab, web_project) -> None:
    yaml_01 = web_project.pair("01_ohlcv_bars").with_suffix(".yaml")
    yaml_01.write_text(yaml_01.read_text() + USES_LARGE_TRADES)
    await user.open("/?demo=demo/03_custom_metric.py")
    await user.should_see(marker=CUSTOM)

    await user.open("/?demo=demo/01_ohlcv_bars.py")
    await user.should_see(marker="module:PASSES.0.modules:trade")
    await user.should_not_see(marker=CUSTOM)
    assert tab.error("PASSES.0.modules").startswith("unknown module 'large_trades'")
    session = tab.ctrl.session
    assert [i.path for i in session.issues] == ["PASSES.0.modules.1"]
    assert session.node_for("PASSES.0.large_trades_analytics").kind == "unknown"
