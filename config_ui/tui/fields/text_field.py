"""int, float, str, date and comma-separated lists: an Input checked as you type.

Each change is parsed at once with :func:`parse_input`: text that does not parse shows its
message under the field and is never written (the file keeps the previous value). Text that
parses is committed after a short pause, on Enter, or when the field loses focus.
"""

from __future__ import annotations

from typing import Any

from textual import on
from textual.suggester import SuggestFromList
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Input

from config_ui.core.field_input import InputError, parse_input
from config_ui.core.nodes import FieldNode
from config_ui.tui.fields.field_row import FieldRow
from config_ui.tui.fields.node_widget import text_of
from config_ui.tui.messages import InputRejected, ValueEntered

NOTHING: Any = object()
"""No edit waiting to be committed."""


def placeholder_of(node: FieldNode) -> str:
    if node.nullable:
        return "unset"
    if node.kind == "list":
        return "comma-separated"
    return node.type_text


class TextField(FieldRow):
    DEBOUNCE = 0.3
    """Seconds of quiet before a parsed value is committed."""

    def __init__(self, node: FieldNode, ctx: Any) -> None:
        super().__init__(node, ctx)
        self.pending: Any = NOTHING
        self._timer: Timer | None = None

    def make_editor(self) -> Widget:
        choices = [str(c) for c in self.node.choices]
        return Input(
            value=text_of(self.node.value),
            placeholder=placeholder_of(self.node),
            compact=True,
            select_on_focus=False,
            suggester=SuggestFromList(choices, case_sensitive=False) if choices else None,
        )

    @property
    def input(self) -> Input:
        return self.query_one(Input)

    # -- typing -----------------------------------------------------------------------------

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        if event.value == text_of(self.node.value) and not self.rejected:
            self._cancel()
            self.pending = NOTHING  # what is shown already (also: the change sent on mount)
            return
        self.check(event.value)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.commit()

    @on(Input.Blurred)
    def _blurred(self, event: Input.Blurred) -> None:
        event.stop()
        self.commit()

    def check(self, text: str) -> None:
        """Parse ``text``: show its error at once, or schedule the commit of its value."""
        try:
            value = parse_input(self.node, text)
        except InputError as exc:
            self._cancel()
            self.pending = NOTHING
            self.reject(str(exc))
            return
        self.reject(None)
        self._cancel()
        if _same(value, self.node.value):
            self.pending = NOTHING
            return
        self.pending = value
        self._timer = self.set_timer(self.DEBOUNCE, self.commit)

    def reject(self, message: str | None) -> None:
        if message == self.rejected:
            return
        self.rejected = message
        self.show_errors()
        self.emit(InputRejected(self.path, message))

    def take_pending(self) -> tuple[str, Any] | None:
        """The edit waiting for its commit, if any; it is no longer pending afterwards."""
        self._cancel()
        if self.pending is NOTHING:
            return None
        value, self.pending = self.pending, NOTHING
        return self.path, value

    def commit(self) -> None:
        edit = self.take_pending()
        if edit is not None:
            self.emit(ValueEntered(*edit))

    def _cancel(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    # -- showing ------------------------------------------------------------------------------

    def put_value(self, node: FieldNode, old: FieldNode) -> None:
        if self.pending is not NOTHING:
            return  # a newer edit is on its way: keep what the user typed
        current = self.input.value
        try:
            if _same(parse_input(node, current), node.value):
                return
        except InputError:
            if old.value == node.value:
                return
        with self.input.prevent(Input.Changed):
            self.input.value = text_of(node.value)
        if self.rejected:
            self.rejected = None
            self.emit(InputRejected(self.path, None))


def _same(a: Any, b: Any) -> bool:
    return type(a) is type(b) and a == b or (a is None and b is None)
