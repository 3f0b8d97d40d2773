"""``reaggregate``: an earlier pass's output re-bucketed and/or grouped by venue or index.

Sums add, VWAP is re-weighted by the matching volume column, Open takes the first value,
Close the last, High the max, Low the min, anything else the mean; the config's
``aggregations`` override any column. Source buckets must be labelled by their right edge
(the default), so each falls wholly inside one coarser bucket.
"""

from __future__ import annotations

import polars as pl

from basalt.analytics.bucketing import Bucketing
from basalt.analytics.registry import Analytic, PassInputs, register_analytic
from basalt.analytics.trade import safe_ratio
from basalt.config.modules.reaggregate import (
    ReaggregateAnalyticsConfig,
    default_aggregation,
    vwap_weight_column,
)

_IDENTITY = {"ListingId", "TimeBucket", "MIC", "Ticker", "Index"}


def aggregate(column: str, how: str, columns: list[str]) -> pl.Expr:
    """Re-aggregated from the source pass (sum, first, last, max, min, mean or volume-weighted)."""
    col = pl.col(column)
    if how == "vwap":
        weight = vwap_weight_column(column)
        if weight in columns:
            w = pl.col(weight).fill_null(0)
            return safe_ratio((col * w).sum(), w.filter(col.is_not_null()).sum()).alias(column)
        how = "mean"
    return {
        "sum": col.sum(),
        "first": col.drop_nulls().first(),
        "last": col.drop_nulls().last(),
        "max": col.max(),
        "min": col.min(),
        "mean": col.mean(),
    }[how].alias(column)


def _grouped(
    source: pl.LazyFrame, config: ReaggregateAnalyticsConfig, inputs: PassInputs
) -> tuple[pl.LazyFrame, list[str]]:
    if config.group_by == "listing":
        return source, ["ListingId"]
    if config.group_by == "mic":
        return source, ["MIC"]
    if inputs.reference is None:
        raise ValueError("reaggregate by index needs the reference table")
    members = inputs.reference.select(
        "ListingId", pl.col("IndexMembership").alias("Index")
    ).explode("Index")
    if config.index:
        members = members.filter(pl.col("Index") == config.index)
    return source.join(members.unique(), on="ListingId", how="inner"), ["Index"]


@register_analytic
class ReaggregateAnalytic(Analytic[ReaggregateAnalyticsConfig]):
    module_name = "reaggregate"

    def compute(self, config: ReaggregateAnalyticsConfig, inputs: PassInputs) -> pl.LazyFrame:
        ctx = inputs.column_context
        name = config.source(ctx)
        if name is None:  # validation refuses a reaggregate pass with no earlier pass
            raise ValueError("reaggregate: no earlier pass to read")
        source = inputs.pass_outputs[name]
        columns = list(ctx.columns_by_pass.get(name) or source.collect_schema().names())
        metrics = [c for c in columns if c not in _IDENTITY]
        seconds = config.time_bucket_seconds or ctx.time_bucket_seconds
        coarse = Bucketing(seconds).label(pl.col("TimeBucket"))
        frame, keys = _grouped(source.with_columns(coarse.alias("TimeBucket")), config, inputs)
        aggs = [
            aggregate(c, config.aggregations.get(c) or default_aggregation(c), columns)
            for c in metrics
        ]
        if keys == ["ListingId"]:
            aggs = [pl.col("MIC").first(), pl.col("Ticker").first(), *aggs]
        # a stable sort: first and last do not depend on how many days the batch holds
        return (
            frame.sort([*keys, "TimeBucket"], maintain_order=True)
            .group_by([*keys, "TimeBucket"], maintain_order=True)
            .agg(aggs)
        )
