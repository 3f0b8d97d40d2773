"""Splitting a run into batches and partitions.

A *partition* is the unit a run writes: one file per pass and partition, named by the
partition's first and last calendar day. Its period is the config's Dagster date dimension
(:func:`partition_freq`): a day, a week (Monday to Sunday) or a month. A *batch* is the unit a
run computes: whole partitions grouped by ``BATCH_FREQ`` (or a frequency chosen from the date
range), so a partition is never split between two batches. Listings are split further so a
batch loads about ``MAX_ROWS_PER_BATCH`` rows.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

PARTITION_FREQS = ("D", "W", "M")


def partition_freq(config: Any) -> str:
    """The partition period of a config: ``W`` or ``M`` when ``BATCH_FREQ`` says so, else
    ``D`` (what its Dagster date dimension is)."""
    freq = getattr(config, "BATCH_FREQ", None)
    return freq if freq in ("W", "M") else "D"


@dataclass(frozen=True, order=True)
class Period:
    """The calendar days of one partition: a day, a week (Monday to Sunday) or a month."""

    start: dt.date
    end: dt.date

    @property
    def key(self) -> str:
        """The partition's date key: its first day."""
        return self.start.isoformat()

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.start <= day <= self.end

    def __str__(self) -> str:
        return self.key if self.start == self.end else f"{self.start}..{self.end}"


def period_of(day: dt.date, freq: str) -> Period:
    """The partition of period ``freq`` (``D``, ``W``, ``M``) that holds ``day``."""
    if freq == "W":
        monday = day - dt.timedelta(days=day.weekday())
        return Period(monday, monday + dt.timedelta(days=6))
    if freq == "M":
        last = calendar.monthrange(day.year, day.month)[1]
        return Period(day.replace(day=1), day.replace(day=last))
    if freq == "D":
        return Period(day, day)
    raise ValueError(f"partition period must be one of {', '.join(PARTITION_FREQS)}, not {freq!r}")


def whole_periods(start: dt.date, end: dt.date, freq: str) -> tuple[dt.date, dt.date]:
    """``start..end`` widened to whole partitions (a week from its Monday to its Sunday)."""
    return period_of(start, freq).start, period_of(end, freq).end


@dataclass(frozen=True)
class DateBatch:
    """Trading days computed together; every partition they touch is wholly in the batch."""

    dates: tuple[dt.date, ...]
    partition_freq: str = "D"

    @property
    def start(self) -> dt.date:
        return self.dates[0]

    @property
    def end(self) -> dt.date:
        return self.dates[-1]

    @property
    def partitions(self) -> tuple[Period, ...]:
        """The partitions of the batch's days, in order."""
        return tuple(sorted({period_of(d, self.partition_freq) for d in self.dates}))

    def only(self, periods: Iterable[Period]) -> DateBatch:
        """The same batch keeping the days of ``periods`` only."""
        kept = set(periods)
        days = tuple(d for d in self.dates if period_of(d, self.partition_freq) in kept)
        return DateBatch(days, self.partition_freq)

    def __str__(self) -> str:
        return str(self.start) if self.start == self.end else f"{self.start}..{self.end}"


def choose_freq(start: dt.date, end: dt.date) -> str:
    """Batch frequency for a range when the config leaves it unset: days up to a month,
    weeks up to a year, months beyond (fewer, larger batches for long ranges)."""
    days = (end - start).days + 1
    if days <= 31:
        return "D"
    if days <= 366:
        return "W"
    return "M"


def _period(day: dt.date, freq: str) -> tuple[int, ...]:
    iso = day.isocalendar()
    return {
        "D": (day.toordinal(),),
        "W": (iso.year, iso.week),
        "2W": (iso.year, (iso.week - 1) // 2),
        "M": (day.year, day.month),
        "A": (day.year,),
    }[freq]


def date_batches(days: Sequence[dt.date], freq: str, partition_freq: str = "D") -> list[DateBatch]:
    """Group sorted trading days into batches of one ``freq`` period each. A partition goes
    whole to the batch of its first day, so a week that straddles two months stays in one
    batch even when batches are months."""
    batches: list[list[dt.date]] = []
    last = None
    for day in sorted(days):
        key = _period(period_of(day, partition_freq).start, freq)
        if key != last:
            batches.append([])
            last = key
        batches[-1].append(day)
    return [DateBatch(tuple(b), partition_freq) for b in batches]


def listing_batches(listing_ids: Sequence[int], rows: int, max_rows: int) -> list[list[int]]:
    """Split listings so each batch loads about ``max_rows`` rows of its largest table."""
    ids = sorted(set(listing_ids))
    if not ids:
        return []
    per_listing = max(rows / len(ids), 1.0)
    size = max(int(max_rows // per_listing), 1)
    return [ids[i : i + size] for i in range(0, len(ids), size)]
