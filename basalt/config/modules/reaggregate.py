"""Config of the ``reaggregate`` module: re-bucket an earlier pass and/or group it by venue or index."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from basalt.config.modules.base import (
    LISTING_KEYS,
    ColumnContext,
    ModuleConfig,
    Tier,
    register_module,
)
from basalt.config.ui import ui

Aggregation = Literal["sum", "first", "last", "max", "min", "mean", "vwap"]
GroupBy = Literal["listing", "mic", "index"]

_SUFFIX_RULES: tuple[tuple[str, Aggregation], ...] = (
    ("VWAP", "vwap"),
    ("Open", "first"),
    ("Close", "last"),
    ("High", "max"),
    ("Low", "min"),
    ("Volume", "sum"),
    ("Count", "sum"),
    ("Notional", "sum"),
)


def default_aggregation(column: str) -> Aggregation:
    """How a column re-aggregates when the config does not say: sums add, VWAP re-weights by
    volume, Open takes the first, Close the last, High the max, Low the min, the rest the mean."""
    if column.startswith("SecondsIn") or column.startswith("L3"):
        return "sum"
    for suffix, agg in _SUFFIX_RULES:
        if column.endswith(suffix):
            return agg
    return "mean"


def vwap_weight_column(column: str) -> str:
    """The volume column a VWAP column is weighted by: ``TradeTotalVWAP`` -> ``TradeTotalVolume``."""
    return column[: -len("VWAP")] + "Volume"


@register_module
class ReaggregateAnalyticsConfig(ModuleConfig):
    """Coarser buckets and/or venue or index level from an earlier pass's output."""

    module_name: ClassVar[str] = "reaggregate"
    tier: ClassVar[Tier] = "post"
    description: ClassVar[str] = (
        "Re-bucket an earlier pass to a coarser interval or group it by venue or index"
    )
    required_tables: ClassVar[tuple[str, ...]] = ()

    source_pass: str | None = Field(
        default=None,
        description="The earlier pass to read; unset: module_inputs.reaggregate, else the previous pass.",
    )
    time_bucket_seconds: int | None = Field(
        default=None,
        gt=0,
        description="Target bucket in seconds, a multiple of the source pass's; unset: this pass's bucket.",
    )
    group_by: GroupBy = Field(
        default="listing", description="listing: per ListingId; mic: per venue; index: per index."
    )
    index: str | None = Field(
        default=None,
        description="The index whose members are aggregated (e.g. SYN20); unset: every index.",
        json_schema_extra=ui(depends_on={"group_by": ["index"]}),
    )
    aggregations: dict[str, Aggregation] = Field(
        default_factory=dict,
        description="Per-column aggregation overriding the default (sum, first, last, max, min, mean, vwap).",
        json_schema_extra=ui(
            help="By default volumes and counts add, VWAP is re-weighted by volume, Open takes the "
            "first value, Close the last, High the max, Low the min, anything else the mean."
        ),
    )

    def source(self, ctx: ColumnContext) -> str | None:
        """The pass this module reads, or ``None`` when there is no earlier pass."""
        if self.source_pass:
            return self.source_pass
        if "reaggregate" in ctx.module_inputs:
            return ctx.module_inputs["reaggregate"]
        return ctx.previous_passes[-1] if ctx.previous_passes else None

    def key_columns(self, ctx: ColumnContext) -> tuple[str, ...]:
        if self.group_by == "mic":
            return ("MIC", "TimeBucket")
        if self.group_by == "index":
            return ("Index", "TimeBucket")
        return LISTING_KEYS

    def output_columns(self, ctx: ColumnContext) -> list[str]:
        source = self.source(ctx)
        columns = ctx.columns_by_pass.get(source, ()) if source else ()
        keys = set(LISTING_KEYS) | {"Index"}
        return [c for c in columns if c not in keys]
