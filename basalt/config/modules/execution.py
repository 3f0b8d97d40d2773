"""Config of the ``execution`` module: lit versus off-book volume and VWAP by aggressor side."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from basalt.config.modules.base import ColumnContext, ModuleConfig, Tier, register_module
from basalt.config.modules.trade import TradeClassification, TradeSide

ExecutionVenue = Literal["Lit", "OffBook"]
ExecutionMeasure = Literal["Volume", "VWAP"]


def _default_venues() -> list[ExecutionVenue]:
    return ["Lit", "OffBook"]


def _default_sides() -> list[TradeSide]:
    return ["Total", "Buy", "Sell"]


def _default_measures() -> list[ExecutionMeasure]:
    return ["Volume", "VWAP"]


def _default_lit_classifications() -> list[TradeClassification]:
    return ["LIT_CONTINUOUS", "LIT_OPENING_AUCTION", "LIT_CLOSING_AUCTION"]


def _default_off_book_classifications() -> list[TradeClassification]:
    return ["OFF_BOOK_ON_EXCHANGE", "SI_ADDRESSABLE_BELOW_LIS", "DARK"]


@register_module
class ExecutionAnalyticsConfig(ModuleConfig):
    """Where volume executed: on the lit book or off book."""

    module_name: ClassVar[str] = "execution"
    tier: ClassVar[Tier] = "core"
    description: ClassVar[str] = "Lit and off-book volume and VWAP by aggressor side"
    required_tables: ClassVar[tuple[str, ...]] = ("trades",)

    venues: list[ExecutionVenue] = Field(
        default_factory=_default_venues, min_length=1, description="Venue types."
    )
    sides: list[TradeSide] = Field(
        default_factory=_default_sides,
        min_length=1,
        description="Aggressor sides (Total counts every trade).",
    )
    measures: list[ExecutionMeasure] = Field(
        default_factory=_default_measures, min_length=1, description="Measures."
    )
    lit_classifications: list[TradeClassification] = Field(
        default_factory=_default_lit_classifications,
        description="Trade classifications counted as lit.",
        json_schema_extra={"x-section": "Advanced"},
    )
    off_book_classifications: list[TradeClassification] = Field(
        default_factory=_default_off_book_classifications,
        description="Trade classifications counted as off book.",
        json_schema_extra={"x-section": "Advanced"},
    )

    def output_columns(self, ctx: ColumnContext) -> list[str]:
        return [
            f"{venue}{side}{measure}"
            for venue in self.venues
            for side in self.sides
            for measure in self.measures
        ]
