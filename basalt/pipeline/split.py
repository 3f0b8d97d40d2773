"""Cutting a pass's output for a batch into one frame per partition.

A row belongs to the partition of the day its time bucket starts on (a bucket labelled by its
right edge at midnight belongs to the day before). A row of a day between or beyond the batch's
partitions (a bucket longer than a day, a weekend between two daily partitions) goes to the
latest partition on or before its day, else the first.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Sequence

import polars as pl

from basalt.config.passes import PassConfig
from basalt.pipeline.batches import Period

TIME_COLUMN = "TimeBucket"
_PART = "__basalt_partition"
_TRUNCATE = {"D": "1d", "W": "1w", "M": "1mo"}


class SplitError(ValueError):
    """An output that cannot be cut into partitions (it has no time column)."""


def _bucket_day(p: PassConfig) -> pl.Expr:
    bucket = pl.col(TIME_COLUMN).cast(pl.Datetime("us"))
    if p.time_bucket_anchor == "end":
        bucket = bucket - pl.duration(seconds=p.time_bucket_seconds)
    return bucket.dt.date()


def split_by_partition(
    frame: pl.DataFrame,
    p: PassConfig,
    periods: Sequence[Period],
    freq: str,
    keep: Sequence[Period] | None = None,
) -> dict[Period, pl.DataFrame]:
    """``frame`` (the pass's output over ``periods``) as one frame per period of ``keep``
    (default: every period); a period without rows gets an empty frame with the columns."""
    wanted = list(keep if keep is not None else periods)
    if len(periods) == 1:
        return {wanted[0]: frame} if wanted else {}
    if TIME_COLUMN not in frame.columns:
        raise SplitError(
            f"pass '{p.name}' has no {TIME_COLUMN} column to cut its output into partitions"
        )
    starts = sorted(period.start for period in periods)
    by_start = {period.start: period for period in periods}
    truncated = _bucket_day(p).dt.truncate(_TRUNCATE[freq])
    days = frame.select(truncated.unique().alias("day")).get_column("day").drop_nulls()

    def target(day: dt.date) -> dt.date:
        i = bisect.bisect_right(starts, day) - 1
        return starts[max(i, 0)]

    mapping = {day: target(day) for day in days.to_list()}
    tagged = frame.with_columns(
        truncated.replace_strict(mapping, default=starts[0], return_dtype=pl.Date)
        .fill_null(starts[0])
        .alias(_PART)
    )
    parts = {
        by_start[key[0]]: part.drop(_PART)
        for key, part in tagged.partition_by(_PART, as_dict=True, maintain_order=True).items()
    }
    empty = frame.head(0)
    return {period: parts.get(period, empty) for period in wanted}
