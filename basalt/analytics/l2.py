"""``l2``: spreads, mid-price bars, per-level depth and volume imbalance from L2 snapshots.

"Last" values are taken at the bucket's last snapshot. Time-weighted values (``TWA``) weight
each snapshot in the bucket by how long it stood: until the next snapshot, or the bucket's
end for the last one.
"""

from __future__ import annotations

import polars as pl

from basalt.analytics.key_runs import key_runs, next_in_run, ordered_sum, per_run
from basalt.analytics.registry import Analytic, PassInputs, documents, register_analytic
from basalt.config.modules.l2 import L2AnalyticsConfig

KEYS = ["ListingId", "TimeBucket"]


@documents("SpreadAbs")
def spread_abs() -> pl.Expr:
    """Best ask minus best bid at the bucket's last snapshot."""
    return pl.col("AskPrice1") - pl.col("BidPrice1")


def mid() -> pl.Expr:
    return (pl.col("AskPrice1") + pl.col("BidPrice1")) / 2


@documents("SpreadBps")
def spread_bps() -> pl.Expr:
    """Spread relative to the mid, in basis points, at the bucket's last snapshot."""
    return spread_abs() / mid() * 10_000


@documents("SpreadAbsTWA", "SpreadBpsTWA")
def time_weighted(value: pl.Expr) -> pl.Expr:
    """Time-weighted average spread over the bucket (each snapshot weighted by how long it stood)."""
    weight = pl.col("_weight")
    return (
        pl.when(ordered_sum(weight) > 0)
        .then(ordered_sum(value * weight) / ordered_sum(weight))
        .otherwise(value.last())
    )


@documents("MidOpen", "MidHigh", "MidLow", "MidClose")
def mid_ohlc() -> list[pl.Expr]:
    """First, highest, lowest and last mid price ((bid + ask) / 2) in the bucket."""
    m = mid()
    return [
        m.first().alias("MidOpen"),
        m.max().alias("MidHigh"),
        m.min().alias("MidLow"),
        m.last().alias("MidClose"),
    ]


@documents("{Side}Quantity{Level}")
def quantity(side: str, level: int) -> pl.Expr:
    """Quantity at a book level, at the bucket's last snapshot."""
    return pl.col(f"{side}Quantity{level}").cast(pl.Float64)


@documents("{Side}Price{Level}")
def price(side: str, level: int) -> pl.Expr:
    """Price at a book level, at the bucket's last snapshot."""
    return pl.col(f"{side}Price{level}")


@documents("{Side}CumQuantity{Level}")
def cum_quantity(side: str, level: int) -> pl.Expr:
    """Quantity summed over levels 1..Level, at the bucket's last snapshot."""
    return pl.sum_horizontal([quantity(side, n) for n in range(1, level + 1)])


@documents("{Side}CumNotional{Level}")
def cum_notional(side: str, level: int) -> pl.Expr:
    """Price x quantity summed over levels 1..Level, at the bucket's last snapshot."""
    return pl.sum_horizontal([price(side, n) * quantity(side, n) for n in range(1, level + 1)])


@documents("VolumeImbalance{Levels}")
def volume_imbalance(levels: int) -> pl.Expr:
    """(bid - ask) / (bid + ask) quantity over the first Levels levels, at the last snapshot."""
    bid, ask = cum_quantity("Bid", levels), cum_quantity("Ask", levels)
    return (bid - ask) / (bid + ask)


_LIQUIDITY = {
    "Quantity": quantity,
    "Price": price,
    "CumQuantity": cum_quantity,
    "CumNotional": cum_notional,
}


def _last_snapshot_columns(config: L2AnalyticsConfig) -> list[pl.Expr]:
    cols: list[pl.Expr] = []
    if "Last" in config.spread_aggregations:
        units = {"Abs": spread_abs, "Bps": spread_bps}
        cols += [units[u]().last().alias(f"Spread{u}") for u in config.spreads]
    for measure in config.liquidity:
        for side in config.liquidity_sides:
            cols += [
                _LIQUIDITY[measure](side, n).last().alias(f"{side}{measure}{n}")
                for n in range(1, config.levels + 1)
            ]
    cols += [
        volume_imbalance(n).last().alias(f"VolumeImbalance{n}")
        for n in config.volume_imbalance_levels
    ]
    return cols


def l2_aggregations(config: L2AnalyticsConfig) -> list[pl.Expr]:
    exprs = _last_snapshot_columns(config)
    if "TWA" in config.spread_aggregations:
        units = {"Abs": spread_abs, "Bps": spread_bps}
        exprs += [time_weighted(units[u]()).alias(f"Spread{u}TWA") for u in config.spreads]
    if config.mid_ohlc:
        exprs += mid_ohlc()
    order = config.output_columns(None)  # type: ignore[arg-type]
    return sorted(exprs, key=lambda e: order.index(e.meta.output_name()))


@register_analytic
class L2Analytic(Analytic[L2AnalyticsConfig]):
    module_name = "l2"

    def compute(self, config: L2AnalyticsConfig, inputs: PassInputs) -> pl.LazyFrame:
        bucket = inputs.bucket
        # the store's order keeps each bucket's snapshots together, in time order
        snapshots = key_runs(inputs.tables["l2"], KEYS, order_by="EventTimestamp")
        ts = pl.col("EventTimestamp").cast(pl.Datetime("us"))
        until = pl.coalesce(next_in_run(ts), bucket.bucket_end(pl.col("TimeBucket")))
        weighted = snapshots.with_columns(
            _weight=(until - ts).dt.total_microseconds().cast(pl.Float64).clip(lower_bound=0)
        )
        return per_run(weighted, KEYS, l2_aggregations(config))
