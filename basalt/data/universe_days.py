"""Which days a universe trades, from the calendars of the venues its spec names.

A spec names venues with ``mic=`` terms (``mic=XLON``, ``mic=XLON,XPAR``) and ``opol=`` terms
(an operating MIC: its segments keep its days). Terms are intersected, so
``mic=XLON+index=SYN10`` has XLON's days. A day is a trading day of a universe when any of its
venues trades. A universe whose venues come only from reference data (``index=``, ``all``,
``custom``), that names a venue without a calendar, or whose venue terms share no venue, has
unknown venues: the functions below answer ``None`` and callers keep their weekday rule.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from basalt.data import calendars
from basalt.universes.spec import UniverseSpecError, parse_universe_spec

_VENUE_KINDS = ("mic", "opol")


@lru_cache(maxsize=256)
def universe_venues(universe: str) -> frozenset[str] | None:
    """The calendar venues ``universe`` is confined to, or ``None`` when they are unknown."""
    try:
        terms = parse_universe_spec(universe).terms
    except UniverseSpecError:
        return None
    venues: frozenset[str] | None = None
    for kind, value in terms:
        if kind not in _VENUE_KINDS:
            continue
        named = frozenset(v.strip() for v in (value or "").split(",") if v.strip())
        venues = named if venues is None else venues & named
    if not venues or not venues <= calendars.VENUES.keys():
        return None
    return venues


def trades_on(universe: str, day: date) -> bool | None:
    """Whether any venue of ``universe`` trades on ``day``; ``None`` when its venues are unknown."""
    venues = universe_venues(universe)
    if venues is None:
        return None
    return any(calendars.is_trading_day(mic, day) for mic in venues)


def closed_on(universe: str, day: date) -> str | None:
    """Why no venue of ``universe`` trades on ``day``, as ``a holiday on XLON (Spring Bank
    Holiday)``, ``a holiday on XLON (Christmas), XPAR (Christmas)`` or ``a weekend``; ``None``
    when one of them trades or its venues are unknown."""
    venues = universe_venues(universe)
    if venues is None or any(calendars.is_trading_day(mic, day) for mic in venues):
        return None
    if day.weekday() >= 5:
        return "a weekend"
    named = []
    for mic in sorted(venues):
        name = calendars.holiday_name(mic, day)
        named.append(f"{mic} ({name})" if name else mic)
    return f"a holiday on {', '.join(named)}"
