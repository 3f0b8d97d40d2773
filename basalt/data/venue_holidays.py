"""Venue holidays from the ``exchange-calendars`` library, one year at a time.

The library (and pandas with it) is imported on the first question about a holiday, never
when this module is imported, so commands that only read configs stay fast.

Bounds: the library's default calendar covers about 20 years back to one year ahead. This
module does not use that window: it builds one calendar per venue and decade, so any date of
the years the library applies its holiday rules to (`FIRST_YEAR` to `LAST_YEAR`, the span of
pandas' holiday calendars) gets the library's answer: regular holidays, plus the ad hoc
closures it knows (a coronation, a state funeral), which for years ahead are only those
already announced. Outside those years the library lists no holiday (every weekday is a
session), and this module gives the same answer without asking it: no holiday.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from datetime import date, timedelta
from functools import lru_cache
from types import MappingProxyType
from typing import Any

from basalt.data.errors import DataError

FIRST_YEAR = 1970
LAST_YEAR = 2200
"""Years the library's holiday rules apply to; outside them no day is a holiday."""


def _decade_calendar(mic: str, decade: int) -> Any:
    """The library's calendar of ``mic`` from 1 January of ``decade`` to the end of its tenth
    year (the library caches calendars by name and bounds)."""
    import exchange_calendars

    try:
        with warnings.catch_warnings():
            # the library's own use of a pandas API pandas deprecates; nothing a user can do
            warnings.filterwarnings("ignore", "Series.values returning", DeprecationWarning)
            return exchange_calendars.get_calendar(
                mic, start=f"{decade:04d}-01-01", end=f"{decade + 9:04d}-12-31"
            )
    except (ValueError, OverflowError, exchange_calendars.errors.CalendarError) as exc:
        raise DataError(
            f"no {mic} calendar for {decade}-{decade + 9} in exchange-calendars: {exc}"
        ) from None


def _names(calendar: Any, start: date, end: date) -> dict[date, str]:
    """Names of the calendar's regular holidays from ``start`` to ``end`` (several rules on
    one date are joined by ' / ')."""
    rules = calendar.regular_holidays
    if rules is None:
        return {}
    names: dict[date, list[str]] = {}
    for stamp, name in rules.holidays(start, end, return_name=True).items():
        names.setdefault(stamp.date(), []).append(str(name))
    return {day: " / ".join(dict.fromkeys(found)) for day, found in names.items()}


@lru_cache(maxsize=512)
def closed_weekdays(mic: str, year: int) -> Mapping[date, str]:
    """The weekdays of ``year`` on which ``mic`` holds no session, each with the holiday's
    name as the library gives it, or ``""`` when it gives none (ad hoc closures). Empty for a
    year outside `FIRST_YEAR`..`LAST_YEAR`."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return MappingProxyType({})
    calendar = _decade_calendar(mic, year // 10 * 10)
    start, end = date(year, 1, 1), date(year, 12, 31)
    sessions = {stamp.date() for stamp in calendar.sessions[calendar.sessions.year == year]}
    names = _names(calendar, start, end)
    days = (start + timedelta(days=n) for n in range((end - start).days + 1))
    return MappingProxyType(
        {day: names.get(day, "") for day in days if day.weekday() < 5 and day not in sessions}
    )
