"""The pipeline's metrics on generated data agree with plain SQL in DuckDB."""

from __future__ import annotations

import datetime as dt

import duckdb
import polars as pl
import pytest
from polars.testing import assert_frame_equal

from basalt.config import AnalyticsConfig
from basalt.data.store import MarketDataStore
from basalt.pipeline.runner import run

DAY = dt.date(2025, 1, 2)
LABEL = "make_timestamp(((epoch_us({ts}) - 1) // 60000000 + 1) * 60000000)"


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    root = tmp_path_factory.mktemp("duck")
    config = AnalyticsConfig(
        START_DATE=DAY,
        UNIVERSE="mic=XLON",
        DATA_DIR=str(root / "data"),
        OUTPUT_DIR=str(root / "out"),
        PASSES=[
            {
                "name": "m1",
                "timeline_mode": "sparse",
                "modules": ["trade", "l2", "l3", "execution"],
                "trade_analytics": {
                    "generic_metrics": [
                        {
                            "sides": ["Total", "Buy", "Sell"],
                            "measures": ["OHLC", "Volume", "Count", "VWAP"],
                        }
                    ]
                },
                "l2_analytics": {
                    "spreads": ["Abs"],
                    "spread_aggregations": ["Last"],
                    "liquidity": [],
                    "volume_imbalance_levels": [3],
                    "mid_ohlc": False,
                },
            }
        ],
    )
    [batch] = run(config)
    store = MarketDataStore(root / "data")
    return pl.read_parquet(batch.outputs[0].path), store


def sql(query: str) -> pl.DataFrame:
    return duckdb.sql(query).pl()


def compare(ours: pl.DataFrame, theirs: pl.DataFrame, columns: list[str]) -> None:
    keys = ["ListingId", "TimeBucket"]
    theirs = theirs.with_columns(pl.col("TimeBucket").cast(pl.Datetime("us")))
    joined = theirs.join(ours.select(keys + columns), on=keys, how="left", suffix="_ours")
    assert joined.height > 100
    for column in columns:
        assert_frame_equal(
            joined.select(pl.col(f"{column}_ours").alias(column)),
            joined.select(pl.col(column).cast(joined[f"{column}_ours"].dtype)),
            check_exact=False,
            rel_tol=1e-9,
            abs_tol=1e-9,
        )


def test_trade_metrics_match_sql(outputs):
    ours, store = outputs
    files = [str(p) for p in store.files("trades", [DAY], ["XLON"])]
    theirs = sql(f"""
        WITH t AS (SELECT *, row_number() OVER () AS seq FROM read_parquet({files})
                   WHERE Classification = 'LIT_CONTINUOUS')
        SELECT ListingId, {LABEL.format(ts="TradeTimestamp")} AS TimeBucket,
               first(InstrumentCurrencyPrice ORDER BY TradeTimestamp, seq) AS TradeTotalOpen,
               max(InstrumentCurrencyPrice) AS TradeTotalHigh,
               min(InstrumentCurrencyPrice) AS TradeTotalLow,
               last(InstrumentCurrencyPrice ORDER BY TradeTimestamp, seq) AS TradeTotalClose,
               sum(Size)::DOUBLE AS TradeTotalVolume,
               count(*) AS TradeTotalCount,
               sum(InstrumentCurrencyPrice * Size) / sum(Size) AS TradeTotalVWAP,
               coalesce(sum(Size) FILTER (WHERE AggressorSide = 1), 0)::DOUBLE AS TradeBuyVolume,
               coalesce(sum(Size) FILTER (WHERE AggressorSide = 2), 0)::DOUBLE AS TradeSellVolume,
               sum(InstrumentCurrencyPrice * Size) FILTER (WHERE AggressorSide = 2)
                 / sum(Size) FILTER (WHERE AggressorSide = 2) AS TradeSellVWAP
        FROM t GROUP BY ALL""")
    compare(ours, theirs, [c for c in theirs.columns if c not in ("ListingId", "TimeBucket")])


def test_l2_last_spread_and_imbalance_match_sql(outputs):
    ours, store = outputs
    files = [str(p) for p in store.files("l2", [DAY], ["XLON"])]
    theirs = sql(f"""
        WITH s AS (SELECT *, row_number() OVER () AS seq FROM read_parquet({files}))
        SELECT ListingId, {LABEL.format(ts="EventTimestamp")} AS TimeBucket,
               last(AskPrice1 - BidPrice1 ORDER BY EventTimestamp, seq) AS SpreadAbs,
               last((BidQuantity1 + BidQuantity2 + BidQuantity3 - AskQuantity1 - AskQuantity2 - AskQuantity3)
                    / (BidQuantity1 + BidQuantity2 + BidQuantity3 + AskQuantity1 + AskQuantity2 + AskQuantity3)::DOUBLE
                    ORDER BY EventTimestamp, seq) AS VolumeImbalance3
        FROM s GROUP BY ALL""")
    compare(ours, theirs, ["SpreadAbs", "VolumeImbalance3"])


def test_l3_counts_match_sql(outputs):
    ours, store = outputs
    files = [str(p) for p in store.files("l3", [DAY], ["XLON"])]
    theirs = sql(f"""
        SELECT ListingId, {LABEL.format(ts="TimestampNanoseconds::TIMESTAMP")} AS TimeBucket,
               count(*) FILTER (WHERE LobAction = 2 AND NOT coalesce(OrderExecuted, false) AND Side = 1) AS L3InsertCountBid,
               count(*) FILTER (WHERE LobAction = 3 AND NOT coalesce(OrderExecuted, false) AND Side = 2) AS L3RemoveCountAsk,
               count(*) FILTER (WHERE coalesce(OrderExecuted, false) AND Side = 1) AS L3ExecuteCountBid,
               coalesce(sum(ExecutionSize) FILTER (WHERE coalesce(OrderExecuted, false) AND Side = 2), 0)::DOUBLE
                 AS L3ExecuteVolumeAsk
        FROM read_parquet({files}) GROUP BY ALL""")
    compare(
        ours,
        theirs,
        ["L3InsertCountBid", "L3RemoveCountAsk", "L3ExecuteCountBid", "L3ExecuteVolumeAsk"],
    )


def test_execution_split_matches_sql(outputs):
    ours, store = outputs
    files = [str(p) for p in store.files("trades", [DAY], ["XLON"])]
    theirs = sql(f"""
        SELECT ListingId, {LABEL.format(ts="TradeTimestamp")} AS TimeBucket,
               coalesce(sum(Size) FILTER (WHERE Classification LIKE 'LIT%'), 0)::DOUBLE AS LitTotalVolume,
               coalesce(sum(Size) FILTER (WHERE Classification = 'OFF_BOOK_ON_EXCHANGE'), 0)::DOUBLE AS OffBookTotalVolume,
               sum(InstrumentCurrencyPrice * Size) FILTER (WHERE Classification = 'OFF_BOOK_ON_EXCHANGE')
                 / sum(Size) FILTER (WHERE Classification = 'OFF_BOOK_ON_EXCHANGE') AS OffBookTotalVWAP
        FROM read_parquet({files}) GROUP BY ALL""")
    compare(ours, theirs, ["LitTotalVolume", "OffBookTotalVolume", "OffBookTotalVWAP"])
