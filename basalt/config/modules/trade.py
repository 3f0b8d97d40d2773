"""Config of the ``trade`` module: OHLC, volume, VWAP and friends from trades, per aggressor side."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from basalt.config.modules.base import (
    ColumnContext,
    ModuleConfig,
    Tier,
    as_list,
    register_module,
    unique,
)

TradeSide = Literal["Total", "Buy", "Sell"]
TradeMeasure = Literal[
    "OHLC", "Volume", "Count", "Notional", "VWAP", "AvgPrice", "MedianPrice", "Volatility"
]
TradeClassification = Literal[
    "LIT_CONTINUOUS",
    "LIT_OPENING_AUCTION",
    "LIT_CLOSING_AUCTION",
    "OFF_BOOK_ON_EXCHANGE",
    "SI_ADDRESSABLE_BELOW_LIS",
    "DARK",
]

_OHLC = ("Open", "High", "Low", "Close")


def _default_measures() -> list[TradeMeasure]:
    return ["OHLC", "Volume"]


def _default_classifications() -> list[TradeClassification]:
    return ["LIT_CONTINUOUS"]


class TradeMetricSpec(BaseModel):
    """One group of trade metrics: every measure for every side listed."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    sides: TradeSide | list[TradeSide] = Field(
        default="Total",
        description="Aggressor sides: Total (all trades), Buy or Sell (by aggressor).",
    )
    measures: TradeMeasure | list[TradeMeasure] = Field(
        default_factory=_default_measures,
        description="Measures computed for each side.",
    )

    def columns(self) -> list[str]:
        out: list[str] = []
        for side in as_list(self.sides):
            for measure in as_list(self.measures):
                if measure == "OHLC":
                    out.extend(f"Trade{side}{part}" for part in _OHLC)
                else:
                    out.append(f"Trade{side}{measure}")
        return out


@register_module
class TradeAnalyticsConfig(ModuleConfig):
    """Bars and trade statistics from the ``trades`` table."""

    module_name: ClassVar[str] = "trade"
    tier: ClassVar[Tier] = "core"
    description: ClassVar[str] = (
        "OHLC bars, volume, count, notional, VWAP and volatility from trades"
    )
    required_tables: ClassVar[tuple[str, ...]] = ("trades",)

    generic_metrics: list[TradeMetricSpec] = Field(
        default_factory=lambda: [
            TradeMetricSpec(sides="Total", measures=["OHLC", "Volume", "Count", "VWAP"])
        ],
        description="Groups of {sides, measures}; each yields Trade{Side}{Measure} columns.",
        json_schema_extra={
            "x-help": "OHLC yields Trade{Side}Open/High/Low/Close. VWAP = Notional / Volume. "
            "Volatility is the standard deviation of log returns between consecutive trades."
        },
    )
    classifications: list[TradeClassification] = Field(
        default_factory=_default_classifications,
        min_length=1,
        description="Only trades whose Classification is listed here count.",
    )

    def output_columns(self, ctx: ColumnContext) -> list[str]:
        return unique(col for spec in self.generic_metrics for col in spec.columns())
