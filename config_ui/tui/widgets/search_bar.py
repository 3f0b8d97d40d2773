"""The ``/`` search bar: hidden until opened; tells the screen what to look for."""

from __future__ import annotations

from textual import on
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Input


class SearchBar(Input):
    DEFAULT_CSS = """
    SearchBar {
        display: none;
        margin: 0 1;
    }
    SearchBar.-shown {
        display: block;
    }
    """

    DEBOUNCE = 0.15
    """Seconds of quiet before the results follow what was typed."""

    class QueryChanged(Message):
        def __init__(self, query: str) -> None:
            super().__init__()
            self.query = query

    class QuerySubmitted(Message):
        def __init__(self, query: str) -> None:
            super().__init__()
            self.query = query

    def __init__(self, **kwargs) -> None:
        super().__init__(
            placeholder="Search fields by name or description (Esc to close)",
            compact=True,
            **kwargs,
        )
        self._timer: Timer | None = None

    @property
    def is_open(self) -> bool:
        return self.has_class("-shown")

    def open(self) -> None:
        self.add_class("-shown")
        self.focus()

    def close(self) -> bool:
        """Hide and clear the bar; False if it was not open."""
        if not self.is_open:
            return False
        self._cancel()
        self.remove_class("-shown")
        with self.prevent(Input.Changed):
            self.value = ""
        return True

    def _cancel(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        self._cancel()
        query = event.value
        self._timer = self.set_timer(
            self.DEBOUNCE, lambda: self.post_message(self.QueryChanged(query))
        )

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._cancel()
        self.post_message(self.QuerySubmitted(event.value))
