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

Importing the library costs most of a second, so its answers are kept in a small file under
``BASALT_HOME`` (`cache_file`), keyed by the library's version and written atomically: a later
process reads a venue's year from there and never imports the library. A file that cannot be
read is ignored (and rewritten on the next answer); one that cannot be written is skipped.
"""

from __future__ import annotations

import json
import re
import warnings
from collections.abc import Mapping
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from basalt import locations
from basalt.atomic import write_text_atomic
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


def library_version() -> str:
    """The installed exchange-calendars version, read from its metadata (no import)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("exchange-calendars")
    except PackageNotFoundError:
        return "unknown"


def cache_file() -> Path:
    """``<BASALT_HOME>/cache/venue-holidays-<library version>.json``: ``{mic: {year: {ISO
    date: name}}}``."""
    safe = re.sub(r"[^A-Za-z0-9._-]", "_", library_version())
    return locations.home() / "cache" / f"venue-holidays-{safe}.json"


CACHE_MAX_BYTES = 1 << 20
"""A cache file larger than this is not ours to trust (ours holds a few kilobytes): ignored,
then replaced on the next answer, never read whole."""


def _read_cache(path: Path) -> dict[str, dict[str, dict[str, str]]]:
    try:
        with path.open("rb") as f:
            text = f.read(CACHE_MAX_BYTES + 1)
        if len(text) > CACHE_MAX_BYTES:
            return {}
        found = json.loads(text.decode("utf-8"))
    except (OSError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


def _cached(mic: str, year: int) -> dict[date, str] | None:
    """The cached closed weekdays of ``mic`` in ``year``, or ``None`` when not cached."""
    entry = _read_cache(cache_file()).get(mic, {})
    days = entry.get(str(year)) if isinstance(entry, dict) else None
    if not isinstance(days, dict):
        return None
    try:
        return {date.fromisoformat(day): str(name) for day, name in days.items()}
    except (TypeError, ValueError):
        return None


def _store(mic: str, year: int, days: Mapping[date, str]) -> None:
    """Add one venue's year to the cache file (re-read first: another process may have added
    others); an unwritable home is no error, the answer is only not kept."""
    path = cache_file()
    found = _read_cache(path)
    entry = found.get(mic)
    if not isinstance(entry, dict):
        entry = found[mic] = {}
    entry[str(year)] = {day.isoformat(): name for day, name in sorted(days.items())}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomic(path, json.dumps(found, sort_keys=True))
    except OSError:
        pass


@lru_cache(maxsize=512)
def closed_weekdays(mic: str, year: int) -> Mapping[date, str]:
    """The weekdays of ``year`` on which ``mic`` holds no session, each with the holiday's
    name as the library gives it, or ``""`` when it gives none (ad hoc closures). Empty for a
    year outside `FIRST_YEAR`..`LAST_YEAR`. Read from `cache_file` when it holds them."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return MappingProxyType({})
    cached = _cached(mic, year)
    if cached is None:
        cached = _from_library(mic, year)
        _store(mic, year, cached)
    return MappingProxyType(cached)


def _from_library(mic: str, year: int) -> dict[date, str]:
    """Ask exchange-calendars for :func:`closed_weekdays` (imports it)."""
    calendar = _decade_calendar(mic, year // 10 * 10)
    start, end = date(year, 1, 1), date(year, 12, 31)
    sessions = {stamp.date() for stamp in calendar.sessions[calendar.sessions.year == year]}
    names = _names(calendar, start, end)
    days = (start + timedelta(days=n) for n in range((end - start).days + 1))
    return {day: names.get(day, "") for day in days if day.weekday() < 5 and day not in sessions}
