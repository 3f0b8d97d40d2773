"""Time buckets: the ``TimeBucket`` label of each event, as a Polars expression.

Default: buckets closed on the right and labelled by their right edge, so with one-minute
buckets an event at 10:00:30 and one at exactly 10:01:00 both fall in the bucket labelled
10:01:00, and one at 10:01:00.000001 in 10:02:00. Labels are naive UTC in microseconds, on the
same basis as the source timestamps.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl

ONE_US = dt.timedelta(microseconds=1)


@dataclass(frozen=True)
class Bucketing:
    """How a pass cuts time: bucket length, which edge is closed, which edge labels."""

    seconds: int
    closed: str = "right"
    anchor: str = "end"

    @property
    def every(self) -> str:
        return f"{self.seconds}s"

    @property
    def length(self) -> dt.timedelta:
        return dt.timedelta(seconds=self.seconds)

    def label(self, ts: pl.Expr) -> pl.Expr:
        """``TimeBucket`` of each timestamp (cast to microseconds). Buckets are counted from
        the Unix epoch (as ``dt.truncate`` does), in integer microseconds: cheaper than
        truncating datetimes, and exact."""
        us = ts.cast(pl.Datetime("us")).cast(pl.Int64)
        width = self.seconds * 1_000_000
        if self.closed == "right":
            us = us - 1
        start = us // width * width
        if self.anchor == "end":
            start = start + width
        return start.cast(pl.Datetime("us"))

    def bucket_end(self, label: pl.Expr) -> pl.Expr:
        """Right edge of the bucket a label names."""
        return label if self.anchor == "end" else label + pl.duration(seconds=self.seconds)

    def labels_between(self, start: dt.datetime, end: dt.datetime) -> list[dt.datetime]:
        """Labels of every bucket overlapping ``(start, end]`` (the dense timeline of a session)."""
        first = pl.select(self.label(pl.lit(start + ONE_US))).item()
        last = pl.select(self.label(pl.lit(end))).item()
        out, step = [], self.length
        label = first
        while label <= last:
            out.append(label)
            label += step
        return out
