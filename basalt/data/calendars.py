"""Trading calendars: venues, session times in naive UTC, holidays and tick sizes.

Session times are defined in each venue's local time and converted to naive UTC per date,
so a session moves by one hour in UTC across a daylight-saving change (XLON continuous
trading starts 08:00 UTC in winter and 07:00 UTC in summer).

Holidays are a small deterministic rule set per venue (fixed dates plus Easter-based days),
good enough for synthetic data and tests; they are not an official exchange calendar.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo

from basalt.data.errors import DataError

_INF = float("inf")


@dataclass(frozen=True)
class Session:
    """One trading day's phases as naive UTC datetimes.

    The opening auction runs from ``open_auction_start`` to ``continuous_start``,
    continuous trading to ``continuous_end``, then the closing auction to
    ``closing_auction_end``.
    """

    open_auction_start: datetime
    continuous_start: datetime
    continuous_end: datetime
    closing_auction_end: datetime


@dataclass(frozen=True)
class Venue:
    """A trading venue: identity, local session times, holidays and tick table."""

    mic: str
    name: str
    timezone: str
    currency: str
    country: str
    open_auction_start: time
    continuous_start: time
    continuous_end: time
    closing_auction_end: time
    holiday_rule: Callable[[int], frozenset[date]]
    tick_table: tuple[tuple[float, float], ...]
    """Ascending ``(upper_price_bound, tick)`` pairs; the first bound above the price wins."""


def easter_sunday(year: int) -> date:
    """Gregorian Easter Sunday (anonymous Gregorian algorithm)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return date(year, month, day + 1)


def _easter_days(year: int) -> set[date]:
    """Good Friday and Easter Monday."""
    easter = easter_sunday(year)
    return {easter - timedelta(days=2), easter + timedelta(days=1)}


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    """The n-th (1-based; -1 for last) given weekday (Mon=0) of a month."""
    if n > 0:
        first = date(year, month, 1)
        return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    next_month = date(year + month // 12, month % 12 + 1, 1)
    last = next_month - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - weekday) % 7)


def _with_substitutes(days: Iterable[date]) -> set[date]:
    """UK rule: a holiday falling on a weekend moves to the next free weekday."""
    taken: set[date] = set()
    for day in sorted(days):
        while day.weekday() >= 5 or day in taken:
            day += timedelta(days=1)
        taken.add(day)
    return taken


def _london_holidays(year: int) -> frozenset[date]:
    fixed = _with_substitutes([date(year, 1, 1)])
    christmas = _with_substitutes([date(year, 12, 25), date(year, 12, 26)])
    bank = {
        _nth_weekday(year, 5, 0, 1),  # early May bank holiday
        _nth_weekday(year, 5, 0, -1),  # spring bank holiday
        _nth_weekday(year, 8, 0, -1),  # summer bank holiday
    }
    return frozenset(fixed | christmas | bank | _easter_days(year))


def _euronext_holidays(year: int) -> frozenset[date]:
    fixed = {date(year, 1, 1), date(year, 5, 1), date(year, 12, 25), date(year, 12, 26)}
    return frozenset(fixed | _easter_days(year))


def _xetra_holidays(year: int) -> frozenset[date]:
    fixed = {date(year, 12, 24), date(year, 12, 31)}
    return _euronext_holidays(year) | frozenset(fixed)


_LONDON_TICKS = (
    (5.0, 0.001),
    (10.0, 0.002),
    (50.0, 0.01),
    (100.0, 0.02),
    (500.0, 0.1),
    (1000.0, 0.2),
    (5000.0, 0.5),
    (_INF, 1.0),
)
_EURO_TICKS = (
    (1.0, 0.0002),
    (5.0, 0.001),
    (10.0, 0.002),
    (50.0, 0.01),
    (100.0, 0.02),
    (500.0, 0.05),
    (1000.0, 0.1),
    (_INF, 0.2),
)

_CONTINENTAL_HOURS = {
    "open_auction_start": time(8, 50),
    "continuous_start": time(9, 0),
    "continuous_end": time(17, 30),
    "closing_auction_end": time(17, 35),
}

VENUES: dict[str, Venue] = {
    venue.mic: venue
    for venue in (
        Venue(
            mic="XLON",
            name="London Stock Exchange",
            timezone="Europe/London",
            currency="GBp",
            country="GB",
            open_auction_start=time(7, 50),
            continuous_start=time(8, 0),
            continuous_end=time(16, 30),
            closing_auction_end=time(16, 35),
            holiday_rule=_london_holidays,
            tick_table=_LONDON_TICKS,
        ),
        Venue(
            mic="XPAR",
            name="Euronext Paris",
            timezone="Europe/Paris",
            currency="EUR",
            country="FR",
            holiday_rule=_euronext_holidays,
            tick_table=_EURO_TICKS,
            **_CONTINENTAL_HOURS,
        ),
        Venue(
            mic="XETR",
            name="Xetra",
            timezone="Europe/Berlin",
            currency="EUR",
            country="DE",
            holiday_rule=_xetra_holidays,
            tick_table=_EURO_TICKS,
            **_CONTINENTAL_HOURS,
        ),
        Venue(
            mic="XAMS",
            name="Euronext Amsterdam",
            timezone="Europe/Amsterdam",
            currency="EUR",
            country="NL",
            holiday_rule=_euronext_holidays,
            tick_table=_EURO_TICKS,
            **_CONTINENTAL_HOURS,
        ),
    )
}


def venue(mic: str) -> Venue:
    """The venue for a MIC, or a `DataError` listing the known MICs."""
    try:
        return VENUES[mic]
    except KeyError:
        known = ", ".join(VENUES)
        raise DataError(f"unknown MIC {mic!r}: calendars exist for {known}") from None


@lru_cache(maxsize=256)
def holidays(mic: str, year: int) -> frozenset[date]:
    """The venue's holidays in a year (weekends excluded: they are never trading days)."""
    return venue(mic).holiday_rule(year)


def is_trading_day(mic: str, day: date) -> bool:
    """True on weekdays that are not a holiday of the venue."""
    return day.weekday() < 5 and day not in holidays(mic, day.year)


def closed_reason(mic: str, day: date) -> str | None:
    """Why ``mic`` has no session on ``day`` (``weekend``, ``holiday``), or ``None`` if it has."""
    if day.weekday() >= 5:
        return "weekend"
    if not is_trading_day(mic, day):
        return "holiday"
    return None


def trading_days(mic: str, start: date, end: date) -> list[date]:
    """The venue's trading days from ``start`` to ``end``, both inclusive."""
    count = (end - start).days + 1
    days = (start + timedelta(days=offset) for offset in range(max(count, 0)))
    return [day for day in days if is_trading_day(mic, day)]


def _to_naive_utc(day: date, local: time, zone: str) -> datetime:
    aware = datetime.combine(day, local, tzinfo=ZoneInfo(zone))
    return aware.astimezone(timezone.utc).replace(tzinfo=None)


def session(mic: str, day: date) -> Session:
    """The session of ``mic`` on ``day`` in naive UTC (computed for any date)."""
    v = venue(mic)
    return Session(
        *(
            _to_naive_utc(day, local, v.timezone)
            for local in (
                v.open_auction_start,
                v.continuous_start,
                v.continuous_end,
                v.closing_auction_end,
            )
        )
    )


def tick_size(mic: str, price: float) -> float:
    """Tick size for a price on a venue (simplified liquid-band MiFID-style table)."""
    return next(tick for bound, tick in venue(mic).tick_table if price < bound)
