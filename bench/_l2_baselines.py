"""Hand-written baselines for the L2 scenario of ``bench/engine_bench.py``: demo 02's pass over
ten levels without the pipeline.

Both compute, from the store's L2 snapshot files, what the pipeline's ``book_5m`` pass writes
with `L2_PASS` (demo 02's pass with ten levels and imbalance over 1, 5 and 10 levels): for
every listing and every 300 s bucket of its continuous session (right-closed, labelled by the
right edge), plus any other bucket holding a snapshot: the spread (absolute and in basis
points) at the bucket's last snapshot and time-weighted over it (each snapshot weighs how long
it stood: until the next one in the bucket, else the bucket's end), the mid's OHLC, the
cumulated bid and ask quantity over levels 1..10 and the volume imbalance, with the listing's
MIC and Ticker; one parquet file per day.

- `l2_polars_query`: one lazy Polars query over every L2 file of the range, collected once;
- `l2_duckdb`: one DuckDB query, written by DuckDB.

Store files are sorted by ``ListingId`` then time, so file order is time order ("first",
"last" and "next snapshot" follow it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from _engine_baselines import (
    DAY_KEYS,
    _sql_list,
    duckdb_copy,
    duckdb_dense_query,
    duckdb_label,
    partition_files,
    polars_dense_write,
    polars_grid,
)

BUCKET_SECONDS = 300
LEVELS = 10
IMBALANCE_LEVELS = [1, 5, 10]
L2_PASS = {
    "name": "book_5m",
    "time_bucket_seconds": BUCKET_SECONDS,
    "modules": ["l2"],
    "l2_analytics": {
        "spreads": ["Abs", "Bps"],
        "spread_aggregations": ["Last", "TWA"],
        "mid_ohlc": True,
        "levels": LEVELS,
        "liquidity": ["CumQuantity"],
        "liquidity_sides": ["Bid", "Ask"],
        "volume_imbalance_levels": IMBALANCE_LEVELS,
    },
}
"""The pipeline's pass for this scenario (PASSES of demo 02, overridden)."""
SIDES = ("Bid", "Ask")
LAST = [
    "SpreadAbs",
    "SpreadBps",
    *(f"{side}CumQuantity{n}" for side in SIDES for n in range(1, LEVELS + 1)),
    *(f"VolumeImbalance{n}" for n in IMBALANCE_LEVELS),
]
"""Values taken at the bucket's last snapshot."""


# --- Polars ---------------------------------------------------------------------------------


def l2_polars_query(root: Path, days: Sequence[dt.date], out_dir: Path) -> int:
    """The L2 pass for ``days`` in one lazy query; returns the rows written."""
    import polars as pl

    files = [f for fs in partition_files(root, "l2", days).values() for f in fs]
    listings, grid, label = polars_grid(root, days, BUCKET_SECONDS)

    def cum(side: str, n: int) -> pl.Expr:
        return pl.sum_horizontal(
            [pl.col(f"{side}Quantity{k}").cast(pl.Float64) for k in range(1, n + 1)]
        )

    bid, ask = pl.col("BidPrice1"), pl.col("AskPrice1")
    mid = (ask + bid) / 2
    ts = pl.col("EventTimestamp").cast(pl.Datetime("us"))
    snapshots = (
        pl.scan_parquet(
            files, hive_partitioning=True, hive_schema={"date": pl.Date, "mic": pl.String}
        )
        .with_columns(label(ts).alias("TimeBucket"), ts.alias("ts"))
        .select(
            pl.col("date").alias("Day"),
            "ListingId",
            "TimeBucket",
            "ts",
            (ask - bid).alias("SpreadAbs"),
            ((ask - bid) / mid * 10_000).alias("SpreadBps"),
            mid.alias("Mid"),
            *(
                cum(side, n).alias(f"{side}CumQuantity{n}")
                for side in SIDES
                for n in range(1, LEVELS + 1)
            ),
            *(
                ((cum("Bid", n) - cum("Ask", n)) / (cum("Bid", n) + cum("Ask", n))).alias(
                    f"VolumeImbalance{n}"
                )
                for n in IMBALANCE_LEVELS
            ),
        )
        .with_columns(
            (
                pl.coalesce(pl.col("ts").shift(-1).over(DAY_KEYS), pl.col("TimeBucket"))
                - pl.col("ts")
            )
            .dt.total_microseconds()
            .cast(pl.Float64)
            .clip(lower_bound=0)
            .alias("w")
        )
    )
    w = pl.col("w")

    def twa(name: str) -> pl.Expr:
        v = pl.col(name)
        return (
            pl.when(w.sum() > 0)
            .then((v * w).sum() / w.sum())
            .otherwise(v.last())
            .alias(f"{name}TWA")
        )

    bars = snapshots.group_by(DAY_KEYS).agg(
        *(pl.col(c).last() for c in LAST),
        twa("SpreadAbs"),
        twa("SpreadBps"),
        pl.col("Mid").first().alias("MidOpen"),
        pl.col("Mid").max().alias("MidHigh"),
        pl.col("Mid").min().alias("MidLow"),
        pl.col("Mid").last().alias("MidClose"),
    )
    return polars_dense_write(grid, bars, listings, out_dir)


# --- DuckDB ---------------------------------------------------------------------------------


def l2_duckdb(root: Path, days: Sequence[dt.date], out_dir: Path) -> int:
    """The L2 pass for ``days`` in one DuckDB query (one file per day, under ``Day=<date>/``);
    returns the rows written."""

    files = [f for fs in partition_files(root, "l2", days).values() for f in fs]
    label = duckdb_label(BUCKET_SECONDS)

    def cum(side: str, n: int) -> str:
        return "(" + " + ".join(f"CAST({side}Quantity{k} AS DOUBLE)" for k in range(1, n + 1)) + ")"

    per_row = [
        "AskPrice1 - BidPrice1 AS SpreadAbs",
        "(AskPrice1 - BidPrice1) / ((AskPrice1 + BidPrice1) / 2) * 10000 AS SpreadBps",
        "(AskPrice1 + BidPrice1) / 2 AS Mid",
        *(
            f"{cum(side, n)} AS {side}CumQuantity{n}"
            for side in SIDES
            for n in range(1, LEVELS + 1)
        ),
        *(
            f"({cum('Bid', n)} - {cum('Ask', n)}) / ({cum('Bid', n)} + {cum('Ask', n)})"
            f" AS VolumeImbalance{n}"
            for n in IMBALANCE_LEVELS
        ),
    ]

    def twa(name: str) -> str:
        return (
            f"CASE WHEN sum(w) > 0 THEN sum({name} * w) / sum(w) "
            f"ELSE arg_max_null({name}, rn) END AS {name}TWA"
        )

    ctes = f"""
    snapshots AS (
        SELECT "date" AS Day, ListingId, file_row_number AS rn, ts, {label("ts")} AS TimeBucket,
               {", ".join(per_row)}
        FROM (SELECT *, CAST(EventTimestamp AS TIMESTAMP) AS ts
              FROM read_parquet({_sql_list(files)}, hive_partitioning = true,
                                hive_types = {{'date': DATE}}, file_row_number = true))
    ),
    weighted AS (
        SELECT *, CAST(greatest(epoch_us(coalesce(
                   lead(ts) OVER (PARTITION BY Day, ListingId, TimeBucket ORDER BY rn),
                   TimeBucket)) - epoch_us(ts), 0) AS DOUBLE) AS w
        FROM snapshots
    ),
    bars AS (
        SELECT Day, ListingId, TimeBucket,
               {", ".join(f"arg_max_null({c}, rn) AS {c}" for c in LAST)},
               {twa("SpreadAbs")}, {twa("SpreadBps")},
               arg_min_null(Mid, rn) AS MidOpen, max(Mid) AS MidHigh, min(Mid) AS MidLow,
               arg_max_null(Mid, rn) AS MidClose
        FROM weighted GROUP BY Day, ListingId, TimeBucket
    )"""
    return duckdb_copy(duckdb_dense_query(root, days, BUCKET_SECONDS, ctes, "*"), out_dir)
