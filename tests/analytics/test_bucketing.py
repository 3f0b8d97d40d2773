"""Bucket labels in integer microseconds are those of Polars' ``dt.truncate`` from the epoch,
for both closings and both anchors."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from basalt.analytics.bucketing import Bucketing

TIMES = [
    dt.datetime(2025, 1, 6, 10, 0, 0),  # on an edge
    dt.datetime(2025, 1, 6, 10, 0, 0, 1),
    dt.datetime(2025, 1, 6, 9, 59, 59, 999999),
    dt.datetime(2025, 1, 6, 23, 59, 59, 999999),
    dt.datetime(1969, 12, 31, 23, 59, 30),  # before the epoch: floor, not toward zero
    None,
]


def truncated(bucket: Bucketing, ts: pl.Expr) -> pl.Expr:
    """The label as ``dt.truncate`` gives it."""
    ts = ts.cast(pl.Datetime("us"))
    if bucket.closed == "right":
        start = (ts - pl.duration(microseconds=1)).dt.truncate(bucket.every)
    else:
        start = ts.dt.truncate(bucket.every)
    return start + pl.duration(seconds=bucket.seconds) if bucket.anchor == "end" else start


@pytest.mark.parametrize("seconds", [7, 60, 3600])
@pytest.mark.parametrize("closed", ["right", "left"])
@pytest.mark.parametrize("anchor", ["end", "start"])
def test_labels_match_truncate(seconds, closed, anchor):
    bucket = Bucketing(seconds, closed, anchor)
    frame = pl.DataFrame({"t": TIMES}, schema={"t": pl.Datetime("ns")})
    got = frame.select(ours=bucket.label(pl.col("t")), truncate=truncated(bucket, pl.col("t")))
    assert got["ours"].to_list() == got["truncate"].to_list()
    assert got["ours"].null_count() == 1


def test_an_edge_closes_the_bucket_it_ends_on_the_right():
    frame = pl.DataFrame({"t": [dt.datetime(2025, 1, 6, 10, 1)]})
    right = frame.select(Bucketing(60).label(pl.col("t"))).item()
    left = frame.select(Bucketing(60, "left").label(pl.col("t"))).item()
    assert (right, left) == (dt.datetime(2025, 1, 6, 10, 1), dt.datetime(2025, 1, 6, 10, 2))
