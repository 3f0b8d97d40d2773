"""The configuration schema, round-trip YAML documents, resolution and validation."""

from basalt.config.analytics import AnalyticsConfig, LoggingLevel, pass_columns
from basalt.config.demo_source import DemoError, DemoSource, read_demo
from basalt.config.document import ConfigDocument, DocumentError
from basalt.config.modules import (
    ColumnContext,
    ExecutionAnalyticsConfig,
    L2AnalyticsConfig,
    L3AnalyticsConfig,
    MarketStateAnalyticsConfig,
    ModuleConfig,
    ReaggregateAnalyticsConfig,
    TradeAnalyticsConfig,
    module_registry,
    register_module,
)
from basalt.config.outputs import CsvOutput, OutputTarget, ParquetOutput
from basalt.config.passes import PassConfig
from basalt.config.resolve import ResolvedConfig, resolve
from basalt.config.schedules import ScheduleConfig, SchedulePartition
from basalt.config.schema_paths import UnknownPathError, check_path, key_order
from basalt.config.validation import ConfigIssue, validate_data, validate_resolved

__all__ = [
    "AnalyticsConfig",
    "ColumnContext",
    "ConfigDocument",
    "ConfigIssue",
    "CsvOutput",
    "DemoError",
    "DemoSource",
    "DocumentError",
    "ExecutionAnalyticsConfig",
    "L2AnalyticsConfig",
    "L3AnalyticsConfig",
    "LoggingLevel",
    "MarketStateAnalyticsConfig",
    "ModuleConfig",
    "OutputTarget",
    "ParquetOutput",
    "PassConfig",
    "ReaggregateAnalyticsConfig",
    "ResolvedConfig",
    "ScheduleConfig",
    "SchedulePartition",
    "TradeAnalyticsConfig",
    "UnknownPathError",
    "check_path",
    "key_order",
    "module_registry",
    "pass_columns",
    "read_demo",
    "register_module",
    "resolve",
    "validate_data",
    "validate_resolved",
]
