"""Config of the ``l2`` module: spreads, mid-price bars, depth and imbalance from L2 snapshots."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from basalt.config.modules.base import ColumnContext, ModuleConfig, Tier, register_module, unique

SpreadUnit = Literal["Abs", "Bps"]
SpreadAggregation = Literal["Last", "TWA"]
LiquidityMeasure = Literal["Quantity", "CumQuantity", "CumNotional", "Price"]
BookSide = Literal["Bid", "Ask"]
MAX_LEVELS = 10


def _default_spreads() -> list[SpreadUnit]:
    return ["Abs", "Bps"]


def _default_spread_aggregations() -> list[SpreadAggregation]:
    return ["Last", "TWA"]


def _default_liquidity() -> list[LiquidityMeasure]:
    return ["Quantity"]


def _default_liquidity_sides() -> list[BookSide]:
    return ["Bid", "Ask"]


@register_module
class L2AnalyticsConfig(ModuleConfig):
    """Order-book metrics from 10-level L2 snapshots."""

    module_name: ClassVar[str] = "l2"
    tier: ClassVar[Tier] = "core"
    description: ClassVar[str] = (
        "Spreads (last and time-weighted), mid OHLC, depth per level, imbalance"
    )
    required_tables: ClassVar[tuple[str, ...]] = ("l2",)

    levels: int = Field(
        default=5,
        ge=1,
        le=MAX_LEVELS,
        description="Book levels used for the per-level liquidity columns.",
    )
    spreads: list[SpreadUnit] = Field(
        default_factory=_default_spreads,
        description="Spread units: Abs (ask - bid) and Bps (relative to the mid, in basis points).",
    )
    spread_aggregations: list[SpreadAggregation] = Field(
        default_factory=_default_spread_aggregations,
        description="Last: at the bucket's last snapshot (Spread{Unit}); "
        "TWA: time-weighted over the bucket (Spread{Unit}TWA).",
    )
    liquidity: list[LiquidityMeasure] = Field(
        default_factory=_default_liquidity,
        description="Per-level measures at the bucket's last snapshot: {Side}{Measure}{Level}.",
    )
    liquidity_sides: list[BookSide] = Field(
        default_factory=_default_liquidity_sides,
        description="Book sides for the liquidity columns.",
    )
    volume_imbalance_levels: list[int] = Field(
        default_factory=lambda: [1, 5],
        description="VolumeImbalance{n} = (bid - ask) / (bid + ask) over the first n levels.",
        json_schema_extra={"items": {"minimum": 1, "maximum": MAX_LEVELS}},
    )
    mid_ohlc: bool = Field(
        default=True, description="Mid-price bars: MidOpen, MidHigh, MidLow, MidClose."
    )

    def output_columns(self, ctx: ColumnContext) -> list[str]:
        cols: list[str] = []
        for unit in self.spreads:
            for agg in self.spread_aggregations:
                cols.append(f"Spread{unit}" + ("TWA" if agg == "TWA" else ""))
        if self.mid_ohlc:
            cols.extend(["MidOpen", "MidHigh", "MidLow", "MidClose"])
        for measure in self.liquidity:
            for side in self.liquidity_sides:
                cols.extend(f"{side}{measure}{level}" for level in range(1, self.levels + 1))
        cols.extend(f"VolumeImbalance{n}" for n in self.volume_imbalance_levels)
        return unique(cols)
