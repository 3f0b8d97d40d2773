"""Config of the ``l3`` module: order-event counts and volumes by action and side."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from basalt.config.modules.base import ColumnContext, ModuleConfig, Tier, register_module

L3Action = Literal["Insert", "Remove", "Update", "Execute"]
L3Measure = Literal["Count", "Volume"]
L3Side = Literal["Bid", "Ask"]


def _default_actions() -> list[L3Action]:
    return ["Insert", "Remove", "Update", "Execute"]


def _default_measures() -> list[L3Measure]:
    return ["Count", "Volume"]


def _default_sides() -> list[L3Side]:
    return ["Bid", "Ask"]


@register_module
class L3AnalyticsConfig(ModuleConfig):
    """Order flow from L3 (order-by-order) events."""

    module_name: ClassVar[str] = "l3"
    tier: ClassVar[Tier] = "core"
    description: ClassVar[str] = (
        "Counts and volumes of order inserts, removes, updates and executions"
    )
    required_tables: ClassVar[tuple[str, ...]] = ("l3",)

    actions: list[L3Action] = Field(
        default_factory=_default_actions,
        min_length=1,
        description="Order-book actions counted.",
    )
    measures: list[L3Measure] = Field(
        default_factory=_default_measures,
        min_length=1,
        description="Count: number of events; Volume: sum of their sizes.",
    )
    sides: list[L3Side] = Field(
        default_factory=_default_sides, min_length=1, description="Book sides."
    )

    def output_columns(self, ctx: ColumnContext) -> list[str]:
        return [
            f"L3{action}{measure}{side}"
            for action in self.actions
            for measure in self.measures
            for side in self.sides
        ]
