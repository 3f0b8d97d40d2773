"""``l3``: counts and volumes of order-book events by action and side.

Insert, Remove and Update are ``LobAction`` 2, 3 and 4 on rows that are not executions;
Execute counts rows with ``OrderExecuted`` true (a fill arrives as a remove or an update of
the resting order), with ``ExecutionSize`` as its volume. ``Side`` 1 is bid, 2 ask.
"""

from __future__ import annotations

import polars as pl

from basalt.analytics.registry import Analytic, PassInputs, documents, register_analytic
from basalt.config.modules.l3 import L3AnalyticsConfig

KEYS = ["ListingId", "TimeBucket"]
_ACTION_CODES = {"Insert": 2, "Remove": 3, "Update": 4}
_SIDE_CODES = {"Bid": 1, "Ask": 2}


def action_mask(action: str) -> pl.Expr:
    executed = pl.col("OrderExecuted").fill_null(False)
    if action == "Execute":
        return executed
    return (pl.col("LobAction") == _ACTION_CODES[action]) & ~executed


def event_size(action: str) -> pl.Expr:
    return pl.col("ExecutionSize" if action == "Execute" else "Size").cast(pl.Float64).fill_null(0)


@documents("L3{Action}Count{Side}")
def event_count(action: str, side: str) -> pl.Expr:
    """Number of order events of that action on that side of the book."""
    return (action_mask(action) & (pl.col("Side") == _SIDE_CODES[side])).sum().cast(pl.Int64)


@documents("L3{Action}Volume{Side}")
def event_volume(action: str, side: str) -> pl.Expr:
    """Sum of order sizes of those events (executed size for Execute)."""
    mask = action_mask(action) & (pl.col("Side") == _SIDE_CODES[side])
    return event_size(action).filter(mask).sum()


@register_analytic
class L3Analytic(Analytic[L3AnalyticsConfig]):
    module_name = "l3"

    def compute(self, config: L3AnalyticsConfig, inputs: PassInputs) -> pl.LazyFrame:
        measures = {"Count": event_count, "Volume": event_volume}
        aggs = [
            measures[m](a, s).alias(f"L3{a}{m}{s}")
            for a in config.actions
            for m in config.measures
            for s in config.sides
        ]
        return inputs.tables["l3"].group_by(KEYS).agg(aggs)
