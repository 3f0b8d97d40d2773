"""Config of the ``marketstate`` module: seconds spent in each market state per bucket."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from basalt.config.modules.base import ColumnContext, ModuleConfig, Tier, register_module

MarketState = Literal[
    "CLOSED",
    "PRE_OPEN",
    "OPENING_AUCTION",
    "CONTINUOUS_TRADING",
    "CLOSING_AUCTION",
    "POST_TRADE",
    "HALTED",
]


def state_column(state: str) -> str:
    """``CONTINUOUS_TRADING`` -> ``SecondsInContinuousTrading``."""
    return "SecondsIn" + "".join(part.capitalize() for part in state.split("_"))


def _default_states() -> list[MarketState]:
    return ["OPENING_AUCTION", "CONTINUOUS_TRADING", "CLOSING_AUCTION"]


@register_module
class MarketStateAnalyticsConfig(ModuleConfig):
    """Time in each trading phase, from the ``marketstate`` table."""

    module_name: ClassVar[str] = "marketstate"
    tier: ClassVar[Tier] = "pre"
    description: ClassVar[str] = (
        "Seconds in each market state (auctions, continuous, halts) per bucket"
    )
    required_tables: ClassVar[tuple[str, ...]] = ("marketstate",)

    states: list[MarketState] = Field(
        default_factory=_default_states,
        min_length=1,
        description="States measured; each yields SecondsIn{State}.",
    )

    def output_columns(self, ctx: ColumnContext) -> list[str]:
        return [state_column(s) for s in self.states]
