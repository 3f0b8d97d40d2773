"""Splitting a run into batches: dates by ``BATCH_FREQ``, listings under ``MAX_ROWS_PER_BATCH``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class DateBatch:
    """Consecutive trading days computed (and written) together."""

    dates: tuple[dt.date, ...]

    @property
    def start(self) -> dt.date:
        return self.dates[0]

    @property
    def end(self) -> dt.date:
        return self.dates[-1]

    def __str__(self) -> str:
        return str(self.start) if self.start == self.end else f"{self.start}..{self.end}"


def choose_freq(start: dt.date, end: dt.date) -> str:
    """Batch frequency for a range when the config leaves it unset: days up to a month,
    weeks up to a year, months beyond (fewer, larger files for long ranges)."""
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


def date_batches(days: Sequence[dt.date], freq: str) -> list[DateBatch]:
    """Group sorted trading days into batches of one period each."""
    batches: list[list[dt.date]] = []
    last = None
    for day in sorted(days):
        key = _period(day, freq)
        if key != last:
            batches.append([])
            last = key
        batches[-1].append(day)
    return [DateBatch(tuple(b)) for b in batches]


def listing_batches(listing_ids: Sequence[int], rows: int, max_rows: int) -> list[list[int]]:
    """Split listings so each batch loads about ``max_rows`` rows of its largest table."""
    ids = sorted(set(listing_ids))
    if not ids:
        return []
    per_listing = max(rows / len(ids), 1.0)
    size = max(int(max_rows // per_listing), 1)
    return [ids[i : i + size] for i in range(0, len(ids), size)]
