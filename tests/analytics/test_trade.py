"""Trade metrics against hand-computed values, and bucket edge cases."""

from __future__ import annotations

import math

import polars as pl
import pytest

from basalt.analytics import analytic_for
from basalt.config.modules.trade import TradeAnalyticsConfig
from tests.helpers.market_frames import at, inputs_for, trades_frame

ALL = ["OHLC", "Volume", "Count", "Notional", "VWAP", "AvgPrice", "MedianPrice", "Volatility"]


def compute(rows, sides=("Total", "Buy", "Sell"), seconds=60, closed="right", classifications=None):
    cfg = TradeAnalyticsConfig(
        generic_metrics=[{"sides": list(sides), "measures": ALL}],
        classifications=classifications or ["LIT_CONTINUOUS"],
    )
    frame = analytic_for("trade").compute(
        cfg, inputs_for({"trades": trades_frame(rows)}, seconds, closed)
    )
    return frame.collect().sort("ListingId", "TimeBucket")


ROWS = [
    (1, at(8, 0, 10), 10.0, 100, 1, "LIT_CONTINUOUS"),
    (1, at(8, 0, 20), 12.0, 300, 2, "LIT_CONTINUOUS"),
    (1, at(8, 0, 40), 11.0, 200, 1, "LIT_CONTINUOUS"),
    (1, at(8, 0, 50), 50.0, 999, 0, "OFF_BOOK_ON_EXCHANGE"),
]


def test_every_measure_by_hand():
    row = compute(ROWS).row(0, named=True)
    assert row["TimeBucket"] == at(8, 1)
    assert (
        row["TradeTotalOpen"],
        row["TradeTotalHigh"],
        row["TradeTotalLow"],
        row["TradeTotalClose"],
    ) == (10, 12, 10, 11)
    assert row["TradeTotalVolume"] == 600
    assert row["TradeTotalCount"] == 3
    assert row["TradeTotalNotional"] == 10 * 100 + 12 * 300 + 11 * 200
    assert row["TradeTotalVWAP"] == pytest.approx(6800 / 600)
    assert row["TradeTotalAvgPrice"] == pytest.approx(11.0)
    assert row["TradeTotalMedianPrice"] == 11.0
    returns = [math.log(12 / 10), math.log(11 / 12)]
    mean = sum(returns) / 2
    assert row["TradeTotalVolatility"] == pytest.approx(
        math.sqrt(sum((r - mean) ** 2 for r in returns) / 1)
    )
    assert row["TradeBuyVolume"] == 300 and row["TradeBuyVWAP"] == pytest.approx(3200 / 300)
    assert row["TradeSellVolume"] == 300 and row["TradeSellCount"] == 1
    assert row["TradeSellVolatility"] is None  # one trade: no return


def test_only_listed_classifications_count():
    row = compute(ROWS, classifications=["LIT_CONTINUOUS", "OFF_BOOK_ON_EXCHANGE"]).row(
        0, named=True
    )
    assert row["TradeTotalVolume"] == 600 + 999
    assert row["TradeTotalHigh"] == 50


def test_trade_exactly_on_a_boundary_belongs_to_the_bucket_it_closes():
    rows = [
        (1, at(8, 1), 10.0, 1, 1, "LIT_CONTINUOUS"),
        (1, at(8, 1, 0, 1), 11.0, 2, 1, "LIT_CONTINUOUS"),
    ]
    out = compute(rows)
    assert out["TimeBucket"].to_list() == [at(8, 1), at(8, 2)]
    left = compute(rows, closed="left")
    assert left["TimeBucket"].to_list() == [at(8, 2)]
    assert left["TradeTotalVolume"].to_list() == [3]


def test_side_with_no_trades_gives_null_vwap_not_nan():
    row = compute([(1, at(8, 0, 5), 10.0, 5, 1, "LIT_CONTINUOUS")]).row(0, named=True)
    assert row["TradeSellVolume"] == 0 and row["TradeSellVWAP"] is None
    assert row["TradeBuyVWAP"] == 10.0


def test_listings_and_buckets_are_separate():
    rows = [
        (2, at(8, 3, 1), 5.0, 1, 1, "LIT_CONTINUOUS"),
        (1, at(8, 0, 1), 7.0, 2, 2, "LIT_CONTINUOUS"),
    ]
    out = compute(rows, sides=["Total"], seconds=300)
    assert out.select("ListingId", "TimeBucket", "TradeTotalClose").rows() == [
        (1, at(8, 5), 7.0),
        (2, at(8, 5), 5.0),
    ]


def test_column_docs_come_from_the_expressions():
    from basalt.analytics import column_doc

    assert column_doc("TradeBuyVWAP").startswith("Volume-weighted average price")
    assert column_doc("SpreadBpsTWA").startswith("Time-weighted")
    assert column_doc("L3ExecuteVolumeAsk")
    assert column_doc("SecondsInClosingAuction")
    assert pl.__version__  # polars in use
