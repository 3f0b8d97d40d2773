"""The days a run computes: those on which at least one of its universe's venues has a session.

The venues of a universe are those its ``mic=`` and ``opol=`` terms name
(:func:`basalt.data.universe_days.universe_venues`), else every venue of the store (an index
or ``all`` spans venues: a day is closed for it only when all are). Whether a venue has a
session comes from :func:`basalt.data.calendars.closed_reason`. When a venue has no calendar,
the store's own notion of a trading day (the dates on disk) is kept.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from basalt.data import calendars
from basalt.data.universe_days import universe_venues

WEEKEND = "no session: weekend"


def _kind_and_name(reason: str) -> tuple[str, str | None]:
    """``holiday (Spring Bank Holiday)`` -> ``("holiday", "Spring Bank Holiday")``."""
    kind, _, rest = reason.partition(" (")
    return kind, rest[:-1] if rest.endswith(")") else None


def closed_reason(mics: Sequence[str], day: dt.date) -> str | None:
    """Why none of ``mics`` (all with a calendar) has a session on ``day``: ``no session:
    weekend``, ``no session: holiday (XLON: Spring Bank Holiday)``, ``no session: holiday
    (XLON)`` for an unnamed closure; ``None`` when one of them has a session."""
    by_kind: dict[str, list[str]] = {}
    for mic in sorted(mics):
        reason = calendars.closed_reason(mic, day)
        if reason is None:
            return None
        kind, name = _kind_and_name(reason)
        by_kind.setdefault(kind, []).append(f"{mic}: {name}" if name else mic)
    if not by_kind:
        return None
    if set(by_kind) == {"weekend"}:
        return WEEKEND
    shown = "; ".join(f"{kind} ({'; '.join(names)})" for kind, names in by_kind.items())
    return f"no session: {shown}"


def session_days(
    universe: str,
    start: dt.date,
    end: dt.date,
    store: Any,
    exclude_weekends: bool = True,
) -> tuple[list[dt.date], dict[dt.date, str]]:
    """``(days with a session, {closed day: reason})`` from ``start`` to ``end``."""
    venues = universe_venues(universe)
    mics = sorted(venues) if venues is not None else store.mics()
    every = [start + dt.timedelta(days=n) for n in range((end - start).days + 1)]
    closed: dict[dt.date, str] = {}
    if exclude_weekends:
        closed = {d: WEEKEND for d in every if d.weekday() >= 5}
    if mics and all(mic in calendars.VENUES for mic in mics):
        for day in every:
            if day not in closed and (reason := closed_reason(mics, day)) is not None:
                closed[day] = reason
        return [d for d in every if d not in closed], closed
    open_days = set(store.trading_days(start, end))
    return [d for d in every if d in open_days and d not in closed], closed


def summary(closed: dict[dt.date, str]) -> str:
    """The distinct reasons of closed days, weekends first: ``no session: weekend; holiday
    (XLON)``."""
    reasons = list(dict.fromkeys(r.removeprefix("no session: ") for r in closed.values()))
    reasons.sort(key=lambda r: r != "weekend")
    return "no session: " + "; ".join(reasons) if reasons else "no session"
