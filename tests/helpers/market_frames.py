"""Tiny hand-made market-data frames for analytics tests."""

from __future__ import annotations

import datetime as dt

import polars as pl

from basalt.analytics import Bucketing, PassInputs
from basalt.config.modules.base import ColumnContext

DAY = dt.date(2025, 1, 2)


def at(h: int, m: int, s: int = 0, us: int = 0) -> dt.datetime:
    return dt.datetime(2025, 1, 2, h, m, s, us)


def trades_frame(rows: list[tuple]) -> pl.LazyFrame:
    """(ListingId, time, price, size, aggressor, classification) rows."""
    return pl.LazyFrame(
        rows,
        schema={
            "ListingId": pl.Int64,
            "TradeTimestamp": pl.Datetime("us"),
            "InstrumentCurrencyPrice": pl.Float64,
            "Size": pl.Int64,
            "AggressorSide": pl.Int64,
            "Classification": pl.String,
        },
        orient="row",
    )


def inputs_for(
    tables: dict[str, pl.LazyFrame], seconds: int = 60, closed: str = "right"
) -> PassInputs:
    bucket = Bucketing(seconds, closed)
    time_cols = {"trades": "TradeTimestamp", "l2": "EventTimestamp", "l3": "TimestampNanoseconds"}
    bucketed = {
        name: frame.with_columns(bucket.label(pl.col(time_cols[name])).alias("TimeBucket"))
        if name in time_cols
        else frame
        for name, frame in tables.items()
    }
    return PassInputs(bucketed, bucket, ColumnContext("p", seconds))
