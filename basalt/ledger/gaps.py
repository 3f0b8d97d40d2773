"""Partitions of a demo not yet materialized: the plan of a backfill without Dagster.

A demo's partitions are its universe keys (the same as in Dagster) times its dates: every day
from START_DATE to the end asked for (weekends out when EXCLUDE_WEEKENDS). A universe whose
spec names its venues (``mic=XLON``, ``mic=XLON,XPAR``, ``opol=XPAR``) expects only the days
one of them trades, by the venue calendars (`basalt.data.universe_days`): a venue holiday is
not a gap. A (universe, day) partition is materialized when every pass has an output covering
the day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from basalt.data.universe_days import trades_on


@dataclass(frozen=True)
class Gap:
    """Consecutive missing days of one universe."""

    universe: str
    start: dt.date
    end: dt.date
    days: int

    def __str__(self) -> str:
        span = str(self.start) if self.start == self.end else f"{self.start}..{self.end}"
        return f"{self.universe}  {span}  ({self.days} day{'s' * (self.days != 1)})"


def expected_days(
    start: dt.date, end: dt.date, universe: str, exclude_weekends: bool = True
) -> list[dt.date]:
    """The date partitions of one universe from ``start`` to ``end``: the days one of its
    venues trades, or, when its venues are unknown, every day (weekdays when
    ``exclude_weekends``)."""
    days = []
    day = start
    while day <= end:
        trades = trades_on(universe, day)
        if trades or (trades is None and (not exclude_weekends or day.weekday() < 5)):
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def missing_partitions(
    passes: Sequence[str],
    universes: Iterable[str],
    days_of: dict[str, list[dt.date]],
    materialized: dict[tuple[str, str], set[dt.date]],
) -> list[tuple[str, dt.date]]:
    """``(universe, day)`` pairs some pass has no output for, in universe then date order."""
    missing = []
    for universe in universes:
        for day in days_of[universe]:
            if any(day not in materialized.get((p, universe), ()) for p in passes):
                missing.append((universe, day))
    return missing


def as_gaps(missing: Sequence[tuple[str, dt.date]], days_of: dict[str, list[dt.date]]) -> list[Gap]:
    """Group missing partitions into runs of consecutive partitions of one universe."""
    gaps: list[Gap] = []
    index = {u: {d: i for i, d in enumerate(days)} for u, days in days_of.items()}
    for universe, day in missing:
        last = gaps[-1] if gaps else None
        if (
            last is not None
            and last.universe == universe
            and index[universe][day] == index[universe][last.end] + 1
        ):
            gaps[-1] = Gap(universe, last.start, day, last.days + 1)
        else:
            gaps.append(Gap(universe, day, day, 1))
    return gaps
