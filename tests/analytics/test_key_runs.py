"""Aggregating runs of equal keys: one row per run, a repeated key when rows are apart or out
of time order, and sums that do not depend on where a bucket sits in the batch."""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl

from basalt.analytics import analytic_for
from basalt.analytics.key_runs import aggregate_runs, key_runs, ordered_sum, repeats_keys
from basalt.config.modules.trade import TradeAnalyticsConfig
from tests.helpers.market_frames import at, inputs_for, trades_frame

KEYS = ["ListingId", "TimeBucket"]


def runs(rows: list[tuple[int, int, int]]) -> list[int]:
    frame = pl.LazyFrame(rows, schema=["k", "b", "t"], orient="row")
    return key_runs(frame, ["k", "b"], order_by="t").collect()["__key_run"].to_list()


def test_a_run_ends_where_a_key_changes_or_time_goes_back():
    assert runs([(1, 1, 1), (1, 1, 1), (1, 2, 2), (2, 2, 2), (2, 2, 1), (2, 2, 3)]) == [
        1,
        1,
        2,
        3,
        4,
        4,
    ]


def bars(rows) -> pl.DataFrame:
    cfg = TradeAnalyticsConfig(generic_metrics=[{"sides": ["Total"], "measures": ["OHLC"]}])
    return analytic_for("trade").compute(cfg, inputs_for({"trades": trades_frame(rows)})).collect()


IN_ORDER = [
    (1, at(8, 0, 10), 10.0, 100, 1, "LIT_CONTINUOUS"),
    (1, at(8, 0, 20), 12.0, 300, 2, "LIT_CONTINUOUS"),
    (1, at(8, 0, 40), 11.0, 200, 1, "LIT_CONTINUOUS"),
    (2, at(8, 0, 30), 20.0, 100, 1, "LIT_CONTINUOUS"),
]


def test_rows_in_store_order_give_one_row_per_bucket_with_open_and_close_by_time():
    out = bars(IN_ORDER)
    assert not repeats_keys(out, KEYS)
    first = out.filter(pl.col("ListingId") == 1).row(0, named=True)
    assert (first["TradeTotalOpen"], first["TradeTotalClose"]) == (10.0, 11.0)


def test_rows_apart_or_out_of_time_order_repeat_their_key_never_merge_wrongly():
    apart = [IN_ORDER[0], IN_ORDER[3], IN_ORDER[1], IN_ORDER[2]]
    backwards = [IN_ORDER[1], IN_ORDER[0], IN_ORDER[2], IN_ORDER[3]]
    for rows in (apart, backwards):
        out = bars(rows)
        assert repeats_keys(out, KEYS)
        # each run's own figures are right: its first row in time opens it
        opens = sorted(out.filter(pl.col("ListingId") == 1)["TradeTotalOpen"].to_list())
        assert opens == [10.0, 12.0]


def test_a_buckets_sum_is_the_same_wherever_it_sits_in_the_batch():
    values = np.random.default_rng(7).random(1000) * 1e5
    sums = set()
    for before in range(48):  # rows of another key ahead of the bucket move it in memory
        frame = pl.LazyFrame(
            {
                "k": np.r_[np.zeros(before, dtype=np.int64), np.ones(1000, dtype=np.int64)],
                "x": np.r_[np.zeros(before), values],
            }
        )
        out = aggregate_runs(frame, ["k"], [ordered_sum(pl.col("x")).alias("sum")])
        sums.add(out.collect().filter(pl.col("k") == 1)["sum"].item())
    assert len(sums) == 1  # (Polars 2.1's own sum gives 3 values here)


EVERY_MEASURE = ["OHLC", "Volume", "Count", "Notional", "VWAP", "AvgPrice", "MedianPrice"]


def test_a_buckets_trade_figures_are_the_same_wherever_it_sits_in_the_batch():
    rng = np.random.default_rng(11)
    bucket = [
        (
            2,
            at(8, 0) + dt.timedelta(microseconds=1 + 50 * i),
            float(p),
            int(s),
            int(side),
            "LIT_CONTINUOUS",
        )
        for i, (p, s, side) in enumerate(
            zip(
                100 + rng.random(1000) * 5,
                rng.integers(1, 5_000, 1000),
                rng.integers(1, 3, 1000),
                strict=True,
            )
        )
    ]
    cfg = TradeAnalyticsConfig(
        generic_metrics=[
            {"sides": ["Total", "Buy", "Sell"], "measures": [*EVERY_MEASURE, "Volatility"]}
        ]
    )
    seen = set()
    for before in range(0, 48, 3):  # another listing's trades ahead move the bucket in memory
        rows = [(1, at(7, 0, 1), 50.0, 10, 1, "LIT_CONTINUOUS")] * before + bucket
        frame = analytic_for("trade").compute(cfg, inputs_for({"trades": trades_frame(rows)}))
        seen.add(frame.collect().filter(pl.col("ListingId") == 2).rows()[0])
    assert len(seen) == 1
