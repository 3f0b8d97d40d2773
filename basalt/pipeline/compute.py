"""Computing one pass on one batch: bucket the tables, run the modules, join on the keys.

Everything here is lazy: the caller collects the frame this returns once, so Polars plans the
scans, filters and aggregations of every module together.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import polars as pl

from basalt.analytics import Bucketing, PassInputs, analytic_for
from basalt.config.analytics import AnalyticsConfig
from basalt.config.modules.base import ColumnContext
from basalt.config.passes import PassConfig

KEYS = ["ListingId", "TimeBucket"]
TIME_COLUMNS = {
    "trades": "TradeTimestamp",
    "l2": "EventTimestamp",
    "l3": "TimestampNanoseconds",
    "marketstate": "TimestampNanoseconds",
}
# Tables whose rows get a TimeBucket before the modules see them (marketstate cuts its own).
BUCKETED = {"trades", "l2", "l3"}


def bucketing(p: PassConfig) -> Bucketing:
    return Bucketing(p.time_bucket_seconds, p.time_bucket_closed, p.time_bucket_anchor)


def tables_for(p: PassConfig, config: AnalyticsConfig | None = None) -> list[str]:
    """The raw tables a pass loads: what its modules need (or TABLES_TO_LOAD when set)."""
    registry = p.module_scope.registry()
    needed = [t for m in p.modules for t in registry[m].required_tables]
    needed += [src for src in p.module_inputs.values() if src in TIME_COLUMNS]
    if config is not None and config.TABLES_TO_LOAD:
        needed = [t for t in config.TABLES_TO_LOAD if t in needed or t in TIME_COLUMNS]
    return list(dict.fromkeys(needed))


def dense_grid(sessions: pl.LazyFrame, bucket: Bucketing) -> pl.LazyFrame:
    """Every bucket of each listing's continuous session: ``sessions`` has ListingId, start, end."""
    one_us = pl.duration(microseconds=1)
    start = pl.col("start").cast(pl.Datetime("us"))
    end = pl.col("end").cast(pl.Datetime("us"))
    labels = pl.datetime_ranges(
        bucket.label(start + one_us), bucket.label(end), interval=bucket.every, closed="both"
    )
    return (
        sessions.select("ListingId", labels.alias("TimeBucket"))
        .explode("TimeBucket")
        .unique(maintain_order=True)
    )


def compute_pass(
    config: AnalyticsConfig,
    index: int,
    tables: Mapping[str, pl.LazyFrame],
    listings: pl.LazyFrame,
    sessions: pl.LazyFrame,
    pass_outputs: Mapping[str, pl.LazyFrame],
    reference: pl.LazyFrame | None = None,
) -> pl.LazyFrame:
    """The output frame of pass ``index`` for the listings and dates in ``tables``.

    ``listings`` has ListingId, MIC, Ticker; ``sessions`` has ListingId, start, end (naive UTC)
    per listing and date, used for the dense timeline.
    """
    p = config.PASSES[index]
    bucket = bucketing(p)
    names = [q.name for q in config.PASSES]
    columns = config.pass_columns()
    ctx = ColumnContext(
        pass_name=p.name,
        time_bucket_seconds=p.time_bucket_seconds,
        previous_passes=tuple(names[:index]),
        columns_by_pass=columns,
        module_inputs=p.module_inputs,
    )
    bucketed = {
        name: (
            frame.with_columns(bucket.label(pl.col(TIME_COLUMNS[name])).alias("TimeBucket"))
            if name in BUCKETED
            else frame
        )
        for name, frame in tables.items()
    }
    inputs = PassInputs(bucketed, bucket, ctx, pass_outputs, reference)
    frames = [
        analytic_for(m, p.module_scope).compute(p.module_config(m), inputs) for m in p.modules
    ]
    wanted = columns[p.name]
    if p.modules == ["reaggregate"]:
        group_key = p.reaggregate_analytics.key_columns(ctx)[0]
        return frames[0].select(wanted).sort(group_key, "TimeBucket")
    out = frames[0]
    for frame in frames[1:]:
        out = out.join(frame, on=KEYS, how="full", coalesce=True)
    if p.timeline_mode == "dense":  # the session grid, plus buckets with events outside it
        out = dense_grid(sessions, bucket).join(out, on=KEYS, how="full", coalesce=True)
    out = out.join(
        listings.select("ListingId", "MIC", "Ticker").unique("ListingId"),
        on="ListingId",
        how="left",
    )
    return out.select(wanted).sort(KEYS)


def in_listing_time_order(tables: Mapping[str, pl.LazyFrame]) -> dict[str, pl.LazyFrame]:
    """The raw tables sorted by (ListingId, time): each (ListingId, TimeBucket) is then one run
    of rows (see `basalt.analytics.key_runs`), whatever the order of the files."""
    return {
        name: (
            frame.sort("ListingId", TIME_COLUMNS[name], maintain_order=True)
            if name in TIME_COLUMNS
            else frame
        )
        for name, frame in tables.items()
    }


def session_frame(rows: list[tuple[int, dt.datetime, dt.datetime]]) -> pl.LazyFrame:
    """Sessions as a frame: (ListingId, start, end) rows."""
    return pl.LazyFrame(
        rows,
        schema={"ListingId": pl.Int64, "start": pl.Datetime("us"), "end": pl.Datetime("us")},
        orient="row",
    )
