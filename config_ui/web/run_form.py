"""What the Run panel asks before a run: universe and dates (bound to its inputs), and
whether the config may run at all (its first error, in form order). No NiceGUI here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from config_ui.core.run_defaults import run_defaults
from config_ui.core.session import EditorSession


def parse_day(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat((text or "").strip())
    except ValueError:
        return None


@dataclass
class RunForm:
    """The Run panel's inputs. Defaults follow the config until the user changes them."""

    universe: str | None = None
    start: str = ""
    end: str = ""
    universes: list[str] = field(default_factory=list)
    _defaults: tuple[str | None, str, str] = (None, "", "")

    def follow(self, session: EditorSession) -> None:
        """Take the session's universe and dates as defaults (values the user typed stay)."""
        found = run_defaults(session)
        universes = found.universes
        old_universe, old_start, old_end = self._defaults
        if self.universe == old_universe:
            self.universe = found.universe
        if self.start == old_start:
            self.start = found.start
        if self.end == old_end:
            self.end = found.end
        self._defaults = (found.universe, found.start, found.end)
        extra = [self.universe] if self.universe and self.universe not in universes else []
        self.universes = [u for u in [*universes, *extra] if u]

    def problem(self) -> str | None:
        """Why these inputs cannot run, or ``None``."""
        if not (self.universe or "").strip():
            return "Universe: choose or type one (e.g. mic=XLON)"
        start, end = parse_day(self.start), parse_day(self.end)
        if start is None:
            return f"Start date: '{self.start}' is not a date (YYYY-MM-DD)"
        if end is None:
            return f"End date: '{self.end}' is not a date (YYYY-MM-DD)"
        if end < start:
            return f"End date {end} is before the start date {start}"
        return None

    @property
    def dates(self) -> tuple[dt.date, dt.date]:
        start, end = parse_day(self.start), parse_day(self.end)
        assert start is not None and end is not None, "check problem() first"
        return start, end


def first_error(
    session: EditorSession, typed: dict[str, str] | None = None
) -> tuple[str, str] | None:
    """The config's first error in form order as (field path, message), counting text typed
    into a field and not applied (``typed``); ``None`` when the config may run."""
    errors: dict[str, str] = {}
    for issue in session.issues:
        errors.setdefault(issue.path, issue.message)
    for path, message in (typed or {}).items():
        errors.setdefault(path, message)
    if not errors and session.config is None:
        return ("", "the config does not validate")
    if not errors:
        return None
    order = {n.path: i for i, n in enumerate(session.root.walk())} if session.root else {}
    path = min(errors, key=lambda p: (order.get(p, len(order)), p))
    return path, errors[path]
