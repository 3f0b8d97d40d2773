"""Module configs, one per analytics family, registered by name."""

from basalt.config.modules.base import (
    BUILTINS,
    TIERS,
    ColumnContext,
    ModuleConfig,
    ModuleScope,
    config_key,
    module_registry,
    register_module,
)
from basalt.config.modules.execution import ExecutionAnalyticsConfig
from basalt.config.modules.l2 import L2AnalyticsConfig
from basalt.config.modules.l3 import L3AnalyticsConfig
from basalt.config.modules.marketstate import MarketStateAnalyticsConfig
from basalt.config.modules.reaggregate import ReaggregateAnalyticsConfig
from basalt.config.modules.trade import TradeAnalyticsConfig, TradeMetricSpec

__all__ = [
    "BUILTINS",
    "TIERS",
    "ColumnContext",
    "ExecutionAnalyticsConfig",
    "L2AnalyticsConfig",
    "L3AnalyticsConfig",
    "MarketStateAnalyticsConfig",
    "ModuleConfig",
    "ModuleScope",
    "ReaggregateAnalyticsConfig",
    "TradeAnalyticsConfig",
    "TradeMetricSpec",
    "config_key",
    "module_registry",
    "register_module",
]
