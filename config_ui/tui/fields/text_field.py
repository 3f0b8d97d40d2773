"""int, float, str, date and comma-separated lists: an Input checked as you type.

Each change is parsed at once: text that does not parse shows its message under the field,
is kept in the session as a draft (an error until fixed, also after leaving the page) and is
never written. Text that parses is checked against the whole config at once (the errors it
would have show under the field) and committed after a short pause, on Enter, or when the
field loses focus. While the field has focus its text is the user's: applying what was typed
never puts text back into it.
"""

from __future__ import annotations

from typing import Any

from textual import on
from textual.suggester import SuggestFromList
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Input

from config_ui.core.field_input import InputError, parse_input, parse_text
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
        self.rejected = self._draft_message()
        self.preview: list[str] | None = None
        """The errors the typed value would have, shown until it is applied."""

    @property
    def draft(self) -> str | None:
        session = self.ctx.session
        return session.drafts.get(self.path) if session is not None else None

    def _draft_message(self) -> str | None:
        session = self.ctx.session
        return session.draft_messages.get(self.path) if session is not None else None

    def _keep_draft(self, text: str) -> str | None:
        """The session keeps ``text`` as a draft when it does not parse; its message."""
        if self.ctx.session is not None:
            return self.ctx.session.set_draft(self.path, text)
        try:
            parse_text(self.node, text)
        except InputError as exc:
            return str(exc)
        return None

    def make_editor(self) -> Widget:
        choices = [str(c) for c in self.node.choices]
        draft = self.draft
        return Input(
            value=text_of(self.node.value) if draft is None else draft,
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
            if self.preview is not None:
                self.preview = None
                self.show_errors()
            return
        self.check(event.value)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.commit()

    @on(Input.Blurred)
    def _blurred(self, event: Input.Blurred) -> None:
        event.stop()
        if self.pending is NOTHING:
            self.put_value(self.node, self.node)  # show the value as the form has it
        self.commit()

    def check(self, text: str) -> None:
        """Parse ``text``: show its error at once (the text is kept as a draft), or schedule
        the commit of its value."""
        message = self._keep_draft(text)
        if message is not None:
            self._cancel()
            self.pending = NOTHING
            self.reject(message)
            return
        value = parse_text(self.node, text)
        self._cancel()
        same = _same(value, self.node.value)
        self.preview = None if same else self._preview(value)
        self.reject(None)
        self.show_errors()
        if same:
            self.pending = NOTHING
            return
        self.pending = value
        self._timer = self.set_timer(self.DEBOUNCE, self.commit)

    def _preview(self, value: Any) -> list[str] | None:
        """The config's errors at this field with ``value`` (checked, not applied)."""
        session = self.ctx.session
        return session.check(self.path, value) if session is not None else None

    def errors(self) -> list[str]:
        if self.rejected:
            return [self.rejected]
        return list(self.preview) if self.preview is not None else list(self.node.errors)

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

    def show(self, node: FieldNode) -> None:
        self.rejected = self._draft_message()
        if self.pending is NOTHING:
            self.preview = None  # applied: the form's errors are the field's
        super().show(node)

    def put_value(self, node: FieldNode, old: FieldNode) -> None:
        if self.pending is not NOTHING or self.draft is not None:
            return  # a newer edit is on its way, or a draft: keep what the user typed
        if self.ctx.typing == self.path and self.input.has_focus:
            return  # what is being typed was applied: the text stays the user's
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
