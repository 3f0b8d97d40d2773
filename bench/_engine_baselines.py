"""Hand-written baselines for ``bench/engine_bench.py``: demo 01's bars without the pipeline.

Both compute, from the store's parquet files, exactly what demo 01's ``bars_1m`` pass writes:
for every listing of the reference and every 60 s bucket of its continuous session (right-closed,
labelled by the right edge), plus any other bucket holding such a trade: the OHLC, volume,
count and VWAP of its ``LIT_CONTINUOUS`` trades and the volume and VWAP of buy- and
sell-aggressor trades, with the listing's MIC and Ticker; one parquet file per day.

- `polars_query`: one lazy Polars query over every trade file of the range, collected once;
- `pandas_bars`: plain pandas, one day at a time.

Store files are sorted by ``ListingId`` then time (the generator and the importer both write
them so), so "first" and "last" in file order are the open and the close.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

PRICE = "InstrumentCurrencyPrice"
CLASSIFICATIONS = ["LIT_CONTINUOUS"]
BUCKET_SECONDS = 60
KEYS = ["ListingId", "TimeBucket"]
COLUMNS = [
    "ListingId",
    "TimeBucket",
    "MIC",
    "Ticker",
    "TradeTotalOpen",
    "TradeTotalHigh",
    "TradeTotalLow",
    "TradeTotalClose",
    "TradeTotalVolume",
    "TradeTotalCount",
    "TradeTotalVWAP",
    "TradeBuyVolume",
    "TradeBuyVWAP",
    "TradeSellVolume",
    "TradeSellVWAP",
]
"""Output columns in the pipeline's order (`AnalyticsConfig.pass_columns` of demo 01)."""
TRADE_COLUMNS = ["ListingId", "TradeTimestamp", "AggressorSide", "Size", PRICE, "Classification"]
SIDES = {"Buy": 1, "Sell": 2}
DAY_KEYS = ["Day", *KEYS]


def partition_files(root: Path, table: str, days: Sequence[dt.date]) -> dict[dt.date, list[Path]]:
    """The existing ``<root>/<table>/date=D/mic=M/data.parquet`` files of each day."""
    return {
        day: sorted((root / table / f"date={day.isoformat()}").glob("mic=*/data.parquet"))
        for day in days
    }


def sessions(days: Sequence[dt.date]) -> list[tuple[str, dt.date, dt.datetime, dt.datetime]]:
    """(MIC, day, continuous start, continuous end) of every venue trading on each day."""
    from basalt.data import calendars

    return [
        (mic, day, s.continuous_start, s.continuous_end)
        for day in days
        for mic in calendars.VENUES
        if calendars.is_trading_day(mic, day)
        for s in [calendars.session(mic, day)]
    ]


def output_file(out_dir: Path, day: dt.date) -> Path:
    return out_dir / f"{day.isoformat()}_{day.isoformat()}.parquet"


def polars_grid(
    root: Path, days: Sequence[dt.date], bucket_seconds: int
) -> tuple[Any, Any, Callable[[Any], Any]]:
    """``(listings, grid, label)``: each day's listings, the dense grid of their session's
    buckets (right-edge labels), and the labelling of a timestamp, as lazy Polars frames."""
    import polars as pl

    one_us = pl.duration(microseconds=1)
    every = f"{bucket_seconds}s"
    width = pl.duration(seconds=bucket_seconds)

    def label(ts: pl.Expr) -> pl.Expr:
        return (ts - one_us).dt.truncate(every) + width

    reference_files = [f for fs in partition_files(root, "reference", days).values() for f in fs]
    session_frame = pl.LazyFrame(
        sessions(days),
        schema={
            "MIC": pl.String,
            "Day": pl.Date,
            "start": pl.Datetime("us"),
            "end": pl.Datetime("us"),
        },
        orient="row",
    )
    listings = pl.scan_parquet(reference_files, hive_partitioning=False).select(
        pl.col("Date").dt.date().alias("Day"), "ListingId", "MIC", "Ticker"
    )
    grid = (
        listings.join(session_frame, on=["MIC", "Day"])
        .select(
            "Day",
            "ListingId",
            pl.datetime_ranges(
                label(pl.col("start") + one_us), label(pl.col("end")), every, closed="both"
            ).alias("TimeBucket"),
        )
        .explode("TimeBucket")
    )
    return listings, grid, label


def polars_dense_write(
    grid: Any, bars: Any, listings: Any, out_dir: Path, columns: list[str] | None = None
) -> int:
    """``bars`` (lazy, keyed on Day, ListingId, TimeBucket) joined in full to the dense ``grid``,
    with each listing's MIC and Ticker (``columns`` of it, default all), in key order, collected
    once and written as one parquet file per day under ``out_dir``; returns the rows written."""
    frame = (
        grid.join(bars, on=DAY_KEYS, how="full", coalesce=True)
        .join(listings, on=["Day", "ListingId"])
        .sort(DAY_KEYS)
    )
    frame = (frame if columns is None else frame.select(columns)).collect()
    out_dir.mkdir(parents=True, exist_ok=True)
    for (day,), part in frame.partition_by("Day", as_dict=True, include_key=False).items():
        part.write_parquet(output_file(out_dir, day), compression="zstd")
    return frame.height


def duckdb_copy(query: str, out_dir: Path) -> int:
    """Run ``query`` in DuckDB into one parquet file per ``Day`` under ``out_dir``; the rows."""
    import duckdb

    out_dir.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    target = str(out_dir).replace("'", "''")
    done = con.execute(
        f"COPY ({query}) TO '{target}' "
        "(FORMAT parquet, COMPRESSION zstd, PARTITION_BY (Day), OVERWRITE_OR_IGNORE)"
    ).fetchall()
    con.close()
    return int(done[0][0])


# --- Polars ---------------------------------------------------------------------------------


def polars_query(root: Path, days: Sequence[dt.date], out_dir: Path) -> int:
    """Demo 01's bars for ``days`` in one lazy query; returns the rows written."""
    import polars as pl

    trade_files = [f for files in partition_files(root, "trades", days).values() for f in files]
    listings, grid, label = polars_grid(root, days, BUCKET_SECONDS)
    size = pl.col("Size").cast(pl.Float64)
    notional = pl.col(PRICE) * size

    def vwap(num: pl.Expr, den: pl.Expr) -> pl.Expr:
        return pl.when(den != 0).then(num / den)

    side_aggs = []
    for side, code in SIDES.items():
        mask = pl.col("AggressorSide") == code
        side_aggs += [
            size.filter(mask).sum().alias(f"Trade{side}Volume"),
            vwap(notional.filter(mask).sum(), size.filter(mask).sum()).alias(f"Trade{side}VWAP"),
        ]
    bars = (
        pl.scan_parquet(
            trade_files, hive_partitioning=True, hive_schema={"date": pl.Date, "mic": pl.String}
        )
        .select(pl.col("date").alias("Day"), *TRADE_COLUMNS)
        .filter(pl.col("Classification").is_in(CLASSIFICATIONS))
        .with_columns(label(pl.col("TradeTimestamp").cast(pl.Datetime("us"))).alias("TimeBucket"))
        .group_by(DAY_KEYS)
        .agg(
            pl.col(PRICE).first().alias("TradeTotalOpen"),
            pl.col(PRICE).max().alias("TradeTotalHigh"),
            pl.col(PRICE).min().alias("TradeTotalLow"),
            pl.col(PRICE).last().alias("TradeTotalClose"),
            size.sum().alias("TradeTotalVolume"),
            pl.len().cast(pl.Int64).alias("TradeTotalCount"),
            vwap(notional.sum(), size.sum()).alias("TradeTotalVWAP"),
            *side_aggs,
        )
    )
    return polars_dense_write(grid, bars, listings, out_dir, ["Day", *COLUMNS])


# --- pandas ---------------------------------------------------------------------------------


def pandas_bars(root: Path, days: Sequence[dt.date], out_dir: Path) -> int:
    """Demo 01's bars for ``days`` with pandas, day by day; returns the rows written."""
    import pandas as pd

    one_us = pd.Timedelta(microseconds=1)
    width = pd.Timedelta(seconds=BUCKET_SECONDS)
    trade_files = partition_files(root, "trades", days)
    reference_files = partition_files(root, "reference", days)
    sessions_by_day: dict[dt.date, dict[str, tuple[dt.datetime, dt.datetime]]] = {}
    for mic, day, start, end in sessions(days):
        sessions_by_day.setdefault(day, {})[mic] = (start, end)
    out_dir.mkdir(parents=True, exist_ok=True)
    rows = 0
    for day in days:
        trades = pd.concat(
            [pd.read_parquet(f, columns=TRADE_COLUMNS) for f in trade_files[day]],
            ignore_index=True,
        )
        trades = trades[trades["Classification"].isin(CLASSIFICATIONS)]
        size = trades["Size"].astype("float64")
        price = trades[PRICE]
        work = pd.DataFrame(
            {
                "ListingId": trades["ListingId"],
                "TimeBucket": (trades["TradeTimestamp"] - one_us).dt.floor("60s") + width,
                "Price": price,
                "Size": size,
                "Notional": price * size,
            }
        )
        for side, code in SIDES.items():
            mask = trades["AggressorSide"] == code
            work[f"{side}Size"] = size.where(mask, 0.0)
            work[f"{side}Notional"] = work["Notional"].where(mask, 0.0)
        grouped = work.groupby(KEYS, sort=False)
        bars = grouped.agg(
            TradeTotalOpen=("Price", "first"),
            TradeTotalHigh=("Price", "max"),
            TradeTotalLow=("Price", "min"),
            TradeTotalClose=("Price", "last"),
            TradeTotalVolume=("Size", "sum"),
            TradeTotalCount=("Price", "size"),
            Notional=("Notional", "sum"),
            BuyVolume=("BuySize", "sum"),
            BuyNotional=("BuyNotional", "sum"),
            SellVolume=("SellSize", "sum"),
            SellNotional=("SellNotional", "sum"),
        ).reset_index()
        bars["TradeTotalVWAP"] = bars["Notional"] / bars["TradeTotalVolume"].where(
            bars["TradeTotalVolume"] != 0
        )
        for side in SIDES:
            volume = bars[f"{side}Volume"]
            bars[f"Trade{side}Volume"] = volume
            bars[f"Trade{side}VWAP"] = bars[f"{side}Notional"] / volume.where(volume != 0)

        reference = pd.concat(
            [
                pd.read_parquet(f, columns=["ListingId", "MIC", "Ticker"])
                for f in reference_files[day]
            ],
            ignore_index=True,
        )
        grids = []
        for listing, mic in reference[["ListingId", "MIC"]].itertuples(index=False):
            if mic not in sessions_by_day.get(day, {}):
                continue
            start, end = sessions_by_day[day][mic]
            first = pd.Timestamp(start).floor("60s") + width  # label of start + 1 us
            last = (pd.Timestamp(end) - one_us).floor("60s") + width
            buckets = pd.date_range(first, last, freq="60s", unit="us")
            grids.append(pd.DataFrame({"ListingId": listing, "TimeBucket": buckets}))
        grid = pd.concat(grids, ignore_index=True)
        grid["TimeBucket"] = grid["TimeBucket"].astype(bars["TimeBucket"].dtype)
        out = (
            grid.merge(bars, on=KEYS, how="outer")
            .merge(reference, on="ListingId")
            .sort_values(KEYS, ignore_index=True)
        )
        out["TradeTotalCount"] = out["TradeTotalCount"].astype("Int64")
        out[COLUMNS].to_parquet(output_file(out_dir, day), compression="zstd", index=False)
        rows += len(out)
    return rows


# --- DuckDB ---------------------------------------------------------------------------------


def _sql_list(paths: Sequence[Path]) -> str:
    return "[" + ", ".join("'" + str(p).replace("'", "''") + "'" for p in paths) + "]"


def _sql_sessions(days: Sequence[dt.date]) -> str:
    """The sessions of ``days`` as a SQL ``VALUES`` list (MIC, Day, start, end)."""
    rows = ", ".join(
        f"('{mic}', DATE '{day}', TIMESTAMP '{start}', TIMESTAMP '{end}')"
        for mic, day, start, end in sessions(days)
    )
    return f"(VALUES {rows}) AS s(MIC, Day, start_ts, end_ts)"


def duckdb_label(bucket_seconds: int) -> Callable[[str], str]:
    """The SQL of a timestamp's bucket label (right-closed, labelled by the right edge)."""
    width = f"INTERVAL {bucket_seconds} SECOND"
    return lambda ts: f"time_bucket({width}, {ts} - INTERVAL 1 MICROSECOND) + {width}"


def duckdb_dense_query(
    root: Path, days: Sequence[dt.date], bucket_seconds: int, ctes: str, columns: str
) -> str:
    """A query for DuckDB: ``ctes`` (SQL common table expressions that define ``bars`` keyed
    on Day, ListingId, TimeBucket) joined in full to the dense grid of every listing's session
    buckets, with the listing's MIC and Ticker; ``columns`` selected, ordered by day, listing
    and bucket. ``ctes`` may read ``listings`` (Day, ListingId, MIC, Ticker)."""
    reference_files = [f for fs in partition_files(root, "reference", days).values() for f in fs]
    label = duckdb_label(bucket_seconds)
    return f"""
    WITH listings AS (
        SELECT CAST("Date" AS DATE) AS Day, ListingId, MIC, Ticker
        FROM read_parquet({_sql_list(reference_files)})
    ),
    grid AS (
        SELECT l.Day, l.ListingId,
               unnest(generate_series({label("s.start_ts + INTERVAL 1 MICROSECOND")},
                                      {label("s.end_ts")}, INTERVAL {bucket_seconds} SECOND))
                   AS TimeBucket
        FROM listings l JOIN {_sql_sessions(days)} USING (MIC, Day)
    ),
    {ctes}
    SELECT {columns}
    FROM (
        SELECT COALESCE(g.Day, b.Day) AS Day, COALESCE(g.ListingId, b.ListingId) AS ListingId,
               COALESCE(g.TimeBucket, b.TimeBucket) AS TimeBucket,
               b.* EXCLUDE (Day, ListingId, TimeBucket)
        FROM grid g FULL JOIN bars b USING (Day, ListingId, TimeBucket)
    ) JOIN listings USING (Day, ListingId)
    ORDER BY Day, ListingId, TimeBucket
    """


def duckdb_bars(root: Path, days: Sequence[dt.date], out_dir: Path) -> int:
    """Demo 01's bars for ``days`` in one DuckDB query written by DuckDB (one file per day,
    under ``Day=<date>/``); returns the rows written. "First" and "last" follow the file's
    row order (``file_row_number``), as in the Polars query."""

    trade_files = [f for files in partition_files(root, "trades", days).values() for f in files]
    label = duckdb_label(BUCKET_SECONDS)
    classes = ", ".join(f"'{c}'" for c in CLASSIFICATIONS)
    side_aggs = []
    for side, code in SIDES.items():
        volume = f"coalesce(sum(size) FILTER (WHERE AggressorSide = {code}), 0)"
        notional = f"sum(price * size) FILTER (WHERE AggressorSide = {code})"
        side_aggs += [
            f"{volume} AS Trade{side}Volume",
            f"CASE WHEN {volume} != 0 THEN {notional} / {volume} END AS Trade{side}VWAP",
        ]
    ctes = f"""
    trades AS (
        SELECT "date" AS Day, ListingId, AggressorSide, file_row_number AS row_number,
               {PRICE} AS price, CAST(Size AS DOUBLE) AS size,
               {label("CAST(TradeTimestamp AS TIMESTAMP)")} AS TimeBucket
        FROM read_parquet({_sql_list(trade_files)}, hive_partitioning = true,
                          hive_types = {{'date': DATE}}, file_row_number = true)
        WHERE Classification IN ({classes})
    ),
    bars AS (
        SELECT Day, ListingId, TimeBucket,
               arg_min(price, row_number) AS TradeTotalOpen,
               max(price) AS TradeTotalHigh,
               min(price) AS TradeTotalLow,
               arg_max(price, row_number) AS TradeTotalClose,
               sum(size) AS TradeTotalVolume,
               CAST(count(*) AS BIGINT) AS TradeTotalCount,
               CASE WHEN sum(size) != 0 THEN sum(price * size) / sum(size) END
                   AS TradeTotalVWAP,
               {", ".join(side_aggs)}
        FROM trades GROUP BY Day, ListingId, TimeBucket
    )"""
    query = duckdb_dense_query(root, days, BUCKET_SECONDS, ctes, "Day, " + ", ".join(COLUMNS))
    return duckdb_copy(query, out_dir)
