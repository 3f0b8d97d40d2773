"""``marketstate``: seconds spent in each market state within each bucket.

A state lasts from its event until the listing's next state event; the last state of the day
has no known end and is not counted. Intervals are cut at bucket edges so each piece falls in
one bucket.
"""

from __future__ import annotations

import polars as pl

from basalt.analytics.registry import Analytic, PassInputs, documents, register_analytic
from basalt.config.modules.marketstate import MarketStateAnalyticsConfig, state_column

KEYS = ["ListingId", "TimeBucket"]


def state_pieces(states: pl.LazyFrame, bucket) -> pl.LazyFrame:
    """One row per (state interval x bucket) piece: ListingId, MarketState, TimeBucket, seconds."""
    ts = pl.col("TimestampNanoseconds").cast(pl.Datetime("us"))
    intervals = (
        states.sort("ListingId", "TimestampNanoseconds")
        .with_columns(_start=ts, _end=ts.shift(-1).over("ListingId"))
        .filter(pl.col("_end").is_not_null() & (pl.col("_end") > pl.col("_start")))
    )
    edges = pl.datetime_ranges(
        pl.col("_start").dt.truncate(bucket.every) + pl.duration(seconds=bucket.seconds),
        pl.col("_end"),
        interval=bucket.every,
        closed="left",
    )
    points = pl.concat_list(pl.col("_start"), edges, pl.col("_end"))
    pieces = (
        intervals.select("ListingId", "MarketState", points.alias("_points"))
        .with_columns(
            _a=pl.col("_points").list.slice(0, pl.col("_points").list.len() - 1),
            _b=pl.col("_points").list.slice(1),
        )
        .explode("_a", "_b")
    )
    labelled_at = pl.col("_b") if bucket.closed == "right" else pl.col("_a")
    return pieces.select(
        "ListingId",
        "MarketState",
        bucket.label(labelled_at).alias("TimeBucket"),
        ((pl.col("_b") - pl.col("_a")).dt.total_microseconds() / 1e6).alias("_seconds"),
    )


@documents("SecondsIn{State}")
def seconds_in(state: str) -> pl.Expr:
    """Seconds the listing spent in that market state within the bucket."""
    return pl.col("_seconds").filter(pl.col("MarketState") == state).sum()


@register_analytic
class MarketStateAnalytic(Analytic[MarketStateAnalyticsConfig]):
    module_name = "marketstate"

    def compute(self, config: MarketStateAnalyticsConfig, inputs: PassInputs) -> pl.LazyFrame:
        pieces = state_pieces(inputs.tables["marketstate"], inputs.bucket)
        aggs = [seconds_in(s).alias(state_column(s)) for s in config.states]
        return pieces.group_by(KEYS, maintain_order=True).agg(aggs)
