"""What a run starts from: the universe and dates the editing session holds now.

Both Run panels take their defaults from :func:`run_defaults` each time they open and each
time a run starts, so an edit in the form (saved or not) is what runs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from config_ui.core.local_run import universe_choices

if TYPE_CHECKING:
    from config_ui.core.session import EditorSession


@dataclass(frozen=True)
class RunDefaults:
    """Universe and dates as text (ISO dates; empty when unknown), and universes to offer."""

    universe: str | None
    start: str
    end: str
    universes: list[str] = field(default_factory=list)


def _text(value: Any) -> str:
    return value.isoformat() if isinstance(value, dt.date) else str(value or "")


def run_defaults(session: EditorSession) -> RunDefaults:
    """The session's current universe and dates, unsaved edits included. An invalid config
    gives what the form holds, as far as it goes (END_DATE unset: START_DATE)."""
    config = session.config
    if config is not None:
        universe = str(config.UNIVERSE) if config.UNIVERSE else None
        return RunDefaults(
            universe, _text(config.START_DATE), _text(config.end_date), universe_choices(config)
        )
    universe = session.value("UNIVERSE")
    start = session.value("START_DATE")
    return RunDefaults(
        str(universe) if universe else None,
        _text(start),
        _text(session.value("END_DATE") or start),
        [str(universe)] if universe else [],
    )
