"""What to run: a universe (one of the config's, or typed) and a date range.

The fields start from the config (``UNIVERSE``, ``START_DATE``, ``END_DATE``) and follow it
while the user has not typed over them, so an edit in the form shows here too.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, Select

from config_ui.core.run_defaults import RunDefaults


class RunOptionsError(ValueError):
    """A field does not hold a usable value; the message says which and why."""


def _date(text: str, label: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise RunOptionsError(f"{label}: expected a date YYYY-MM-DD, got {text!r}") from None


class RunOptions(Vertical):
    DEFAULT_CSS = """
    RunOptions {
        height: auto;
        layout: vertical;
    }
    RunOptions.-one-row {
        layout: horizontal;
    }
    RunOptions > Horizontal {
        height: auto;
    }
    RunOptions #universe-row {
        width: 1fr;
    }
    RunOptions #dates-row {
        width: auto;
    }
    RunOptions Label {
        padding: 1 1 0 1;
        width: auto;
    }
    RunOptions #dates-row Label {
        width: 10;
        text-align: right;
    }
    RunOptions.-one-row #dates-row Label {
        width: auto;
    }
    RunOptions #universe-choice {
        width: 28;
    }
    RunOptions #universe {
        width: 1fr;
        min-width: 16;
    }
    RunOptions #start-date, RunOptions #end-date {
        width: 18;
    }
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._defaults: dict[str, str] = {}
        self._universes: list[str] = []

    def compose(self) -> ComposeResult:
        with Horizontal(id="universe-row"):
            yield Label("Universe")
            yield Select[str]([], prompt="choose…", id="universe-choice")
            yield Input(placeholder="e.g. mic=XLON or index=SYN20", id="universe")
        with Horizontal(id="dates-row"):
            yield Label("From")
            yield Input(placeholder="YYYY-MM-DD", id="start-date", max_length=10)
            yield Label("to")
            yield Input(placeholder="YYYY-MM-DD", id="end-date", max_length=10)

    def follow(self, found: RunDefaults) -> None:
        """Defaults from the session (:func:`run_defaults`); a field the user changed keeps
        its text."""
        select = self.query_one("#universe-choice", Select)
        current = select.value
        universes = found.universes
        select.set_options([(u, u) for u in universes])
        self._universes = list(universes)
        if current in universes:
            select.value = current
        defaults = {
            "universe": found.universe or "",
            "start-date": found.start,
            "end-date": found.end,
        }
        for key, value in defaults.items():
            field = self.query_one(f"#{key}", Input)
            if not field.value or field.value == self._defaults.get(key):
                field.value = value
        self._defaults = defaults
        self._match_choice(self.query_one("#universe", Input).value)

    def _match_choice(self, text: str) -> None:
        """The select shows the typed universe when it is one of its choices, else its
        prompt."""
        select = self.query_one("#universe-choice", Select)
        wanted = text.strip() if text.strip() in self._universes else Select.NULL
        if select.value != wanted:
            with select.prevent(Select.Changed):
                select.value = wanted

    @on(Select.Changed, "#universe-choice")
    def _universe_chosen(self, event: Select.Changed) -> None:
        if isinstance(event.value, str):
            self.query_one("#universe", Input).value = event.value

    @on(Input.Changed, "#universe")
    def _universe_typed(self, event: Input.Changed) -> None:
        self._match_choice(event.value)

    def values(self) -> tuple[str, dt.date, dt.date]:
        """(universe, start, end); raises :class:`RunOptionsError`."""
        universe = self.query_one("#universe", Input).value.strip()
        if not universe:
            raise RunOptionsError("Universe: choose or type one, e.g. mic=XLON")
        start = _date(self.query_one("#start-date", Input).value, "From")
        end = _date(self.query_one("#end-date", Input).value, "To")
        if end < start:
            raise RunOptionsError(f"To ({end}) is before From ({start})")
        return universe, start, end
