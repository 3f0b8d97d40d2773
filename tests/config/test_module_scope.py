"""A demo's own modules belong to that demo: reading demo 03 (which declares ``large_trades``)
changes nothing for any other demo in the same process."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from basalt.config import DemoError, read_demo, resolve, validate_resolved
from basalt.config.modules.base import BUILTINS, module_registry
from basalt.config.validation import validate_data

REPO = Path(__file__).resolve().parents[2]
DEMO_01 = REPO / "demo" / "01_ohlcv_bars.py"
DEMO_03 = REPO / "demo" / "03_custom_metric.py"


def with_large_trades(data: dict) -> dict:
    passes = [dict(p, modules=[*p["modules"], "large_trades"]) for p in data["PASSES"]]
    return {**data, "PASSES": passes}


def test_a_demo_module_is_in_its_demo_scope_only():
    custom = read_demo(DEMO_03).modules
    assert "large_trades" in custom and custom.source == DEMO_03
    assert list(custom.registry())[-1] == "large_trades"
    assert "large_trades" not in module_registry() and "large_trades" not in BUILTINS
    assert read_demo(DEMO_01).modules is BUILTINS
    assert read_demo(DEMO_03).modules is not custom  # each read has its own


def test_demo_01_rejects_demo_03_module_after_demo_03_loaded():
    config, issues = validate_resolved(resolve(DEMO_03))
    assert config is not None and not issues
    assert config.module_scope.get("large_trades") is not None
    data = with_large_trades(resolve(DEMO_01).data)
    config, issues = validate_data(data)
    assert config is None
    assert issues[0].path == "PASSES.0.modules.1"
    assert issues[0].message.startswith("unknown module 'large_trades'")


def test_column_docs_and_analytics_of_a_demo_stay_in_it():
    from basalt.analytics import analytic_for, column_doc
    from basalt.pipeline.compute import tables_for

    config, _ = validate_resolved(resolve(DEMO_03))
    assert config is not None
    scope = config.module_scope
    assert column_doc("LargeTradeCount", scope).startswith("Number of lit continuous trades")
    assert column_doc("LargeTradeCount") == ""
    assert column_doc("TradeTotalVWAP", scope) == column_doc("TradeTotalVWAP")
    assert analytic_for("large_trades", scope) is not None
    with pytest.raises(KeyError):
        analytic_for("large_trades")
    assert tables_for(config.PASSES[0], config) == ["trades"]


def test_a_demo_may_not_redefine_a_built_in(tmp_path):
    script = tmp_path / "09_shadow.py"
    script.write_text(
        "from typing import ClassVar\n"
        "from basalt.config import ModuleConfig, register_module\n\n\n"
        "@register_module\n"
        "class Shadow(ModuleConfig):\n"
        '    module_name: ClassVar[str] = "trade"\n\n\n'
        'USER_CONFIG = {"START_DATE": "2025-01-02"}\n'
    )
    with pytest.raises(DemoError, match="module 'trade' is already registered as a built-in"):
        read_demo(script)
    assert module_registry()["trade"].__name__ == "TradeAnalyticsConfig"


def test_demos_read_on_two_threads_keep_their_own_modules():
    found: dict[str, list[str]] = {}

    def read(path: Path) -> None:
        found[path.stem] = list(read_demo(path).modules.own)

    threads = [threading.Thread(target=read, args=(p,)) for p in (DEMO_03, DEMO_01, DEMO_03)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert found == {"03_custom_metric": ["large_trades"], "01_ohlcv_bars": []}
