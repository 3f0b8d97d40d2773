"""Trading calendars: venues, session times in naive UTC, holidays and tick sizes.

Session times are defined in each venue's local time and converted to naive UTC per date,
so a session moves by one hour in UTC across a daylight-saving change (XLON continuous
trading starts 08:00 UTC in winter and 07:00 UTC in summer).

Which days a venue trades comes from the ``exchange-calendars`` library (see
`basalt.data.venue_holidays`): it is imported on the first holiday question, so reading session
times, tick sizes or venue facts never loads it (nor pandas). The session and auction times
and the tick tables are this module's own.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from basalt.data import venue_holidays
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
    """A trading venue: identity, local session times and tick table (its holidays come
    from the library calendar of the same MIC)."""

    mic: str
    name: str
    timezone: str
    currency: str
    country: str
    open_auction_start: time
    continuous_start: time
    continuous_end: time
    closing_auction_end: time
    tick_table: tuple[tuple[float, float], ...]
    """Ascending ``(upper_price_bound, tick)`` pairs; the first bound above the price wins."""


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
            tick_table=_LONDON_TICKS,
        ),
        Venue(
            mic="XPAR",
            name="Euronext Paris",
            timezone="Europe/Paris",
            currency="EUR",
            country="FR",
            tick_table=_EURO_TICKS,
            **_CONTINENTAL_HOURS,
        ),
        Venue(
            mic="XETR",
            name="Xetra",
            timezone="Europe/Berlin",
            currency="EUR",
            country="DE",
            tick_table=_EURO_TICKS,
            **_CONTINENTAL_HOURS,
        ),
        Venue(
            mic="XAMS",
            name="Euronext Amsterdam",
            timezone="Europe/Amsterdam",
            currency="EUR",
            country="NL",
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


def _closed_weekdays(mic: str, year: int) -> Mapping[date, str]:
    venue(mic)
    return venue_holidays.closed_weekdays(mic, year)


def holidays(mic: str, year: int) -> frozenset[date]:
    """The venue's holidays in a year: weekdays without a session (weekends are never
    trading days). Cached per venue and year."""
    return frozenset(_closed_weekdays(mic, year))


def is_trading_day(mic: str, day: date) -> bool:
    """True on weekdays that are not a holiday of the venue."""
    return day.weekday() < 5 and day not in _closed_weekdays(mic, day.year)


def holiday_name(mic: str, day: date) -> str | None:
    """The name the library gives the venue's holiday on ``day`` (``Spring Bank Holiday``), or
    ``None``: not a holiday, or an ad hoc closure the library lists without a name."""
    if day.weekday() >= 5:
        return None
    return _closed_weekdays(mic, day.year).get(day) or None


def closed_reason(mic: str, day: date) -> str | None:
    """Why ``mic`` has no session on ``day``, or ``None`` if it has one: ``weekend``,
    ``holiday (<name>)`` (``holiday (Spring Bank Holiday)``), or ``holiday`` for a closure the
    library does not name."""
    if day.weekday() >= 5:
        return "weekend"
    if is_trading_day(mic, day):
        return None
    name = holiday_name(mic, day)
    return f"holiday ({name})" if name else "holiday"


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
