"""One renderer per node kind: ``RENDERERS[node.kind](node, ctx)`` builds the node's view.

Text fields check what is typed at every keystroke: text that does not parse shows its
message at once and is kept in the session as a draft; text that parses is checked against
the whole config (``session.check``: the errors it would have show at once). It is applied
on Enter or when the field loses focus; choices apply when picked. Nothing here knows the schema: all of it comes from the node.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from nicegui import ui

from config_ui.core.field_input import parse_text
from config_ui.core.nodes import FieldNode
from config_ui.web.formatting import UNSET, display, input_text
from config_ui.web.views import Context, FieldView

UNSET_KEY = "__unset__"


def placeholder(node: FieldNode) -> str:
    if node.kind == "list":
        return "comma-separated, e.g. " + ("1, 5" if node.item_kind == "int" else "a, b")
    if node.kind == "date":
        return "YYYY-MM-DD" + (" or unset" if node.nullable else "")
    if node.nullable:
        return UNSET
    return ""


class TextView(FieldView):
    """int, float, str, list (comma-separated) and the text part of date."""

    def body(self) -> None:
        node = self.node
        self.committed = input_text(node)
        self.preview: list[str] | None = None  # the typed value's errors, until it is applied
        draft = self.ctx.draft(node.path)
        if draft is not None:  # text typed earlier that does not parse: shown with its error
            self.local_error = self.ctx.keep_draft(node.path, draft)
        suggestions = [str(c) for c in node.choices] or None
        self.input = ui.input(
            value=self.committed if draft is None else draft,
            placeholder=placeholder(node),
            autocomplete=suggestions,
        )
        self.input.props("dense outlined hide-bottom-space no-error-icon").classes("w-full")
        if node.kind in ("int", "float"):
            self.input.props("inputmode=decimal")
        self.input.mark(node.path)
        self.input.on_value_change(self._typed)
        self.input.on("blur", self.commit)
        self.input.on("keydown.enter", self.commit)
        if self.ctx.read_only:
            self.input.disable()

    def _typed(self, event: Any) -> None:
        if not self._updating:
            self.check(event.value or "")

    def check(self, text: str) -> tuple[bool, Any]:
        message = self.ctx.keep_draft(self.path, text)
        value, self.preview = None, None
        if message is None:
            value = parse_text(self.node, text)
            if text != self.committed:
                self.preview = self.ctx.check(self.path, value)
        self.set_local_error(message)
        self._refresh_error()
        return message is None, value

    def errors(self) -> list[str]:
        if self.local_error:
            return [self.local_error]
        return list(self.preview) if self.preview is not None else list(self.node.errors)

    def commit(self) -> None:
        """Apply what was typed (Enter, leaving the field, or a date picked)."""
        text = self.input.value or ""
        if text == self.committed and self.local_error is None:
            return
        ok, value = self.check(text)
        if ok and text != self.committed:
            self.preview = None  # applied: the form's errors are the field's
            self.ctx.set_value(self.node, value)

    def take_text(self, text: str) -> None:
        if self.input.value != text:
            self.input.set_value(text)  # checks it, as typing does
        self.commit()

    def discard_local(self) -> None:
        self.preview = None
        super().discard_local()

    def refresh_value(self) -> None:
        self.committed = input_text(self.node)
        if self.input.value != self.committed:
            self.input.set_value(self.committed)

    def mark_invalid(self, invalid: bool) -> None:
        self.input.props["error"] = invalid


class DateView(TextView):
    """A date as ISO text, with a calendar to pick from."""

    def body(self) -> None:
        super().body()
        with self.input.add_slot("append"), ui.icon("event").classes("cursor-pointer"):
            with ui.menu() as self.menu:
                self.picker = ui.date(value=self.committed or None, on_change=self._picked)

    def _picked(self, event: Any) -> None:
        if self._updating or not event.value:
            return
        self.input.set_value(str(event.value))
        self.menu.close()
        self.commit()

    def refresh_value(self) -> None:
        super().refresh_value()
        value = self.committed or None
        if self.picker.value != value and (value is None or len(value) == 10):
            self.picker.set_value(value)


def _options(node: FieldNode, values: list[Any]) -> dict[str, str]:
    """Select options by text; a value the schema does not allow still shows (flagged)."""
    options = {str(c): display(c) for c in node.choices}
    for value in values:
        if value is not None and str(value) not in options:
            options[str(value)] = f"{display(value)} (not allowed)"
    return options


def _choice(node: FieldNode, key: str | None) -> Any:
    if key is None or key == UNSET_KEY:
        return None
    return next((c for c in node.choices if str(c) == key), key)


class EnumView(FieldView):
    def body(self) -> None:
        node = self.node
        options = _options(node, [node.value])
        if node.nullable or node.value is None:
            options[UNSET_KEY] = UNSET
        self.select = ui.select(options, value=self._key()).props(
            "dense outlined options-dense hide-bottom-space"
        )
        self.select.classes("w-full").mark(node.path)
        self.select.on_value_change(self._picked)
        if self.ctx.read_only:
            self.select.disable()

    def _key(self) -> str:
        return UNSET_KEY if self.node.value is None else str(self.node.value)

    def _picked(self, event: Any) -> None:
        if self._updating:
            return
        value = _choice(self.node, event.value)
        if value != self.node.value:
            self.ctx.soon(self.ctx.set_value, self.node, value)

    def refresh_value(self) -> None:
        options = _options(self.node, [self.node.value])
        if self.node.nullable or self.node.value is None:
            options[UNSET_KEY] = UNSET
        if options != self.select.options:
            self.select.set_options(options)
        if self.select.value != self._key():
            self.select.set_value(self._key())

    def mark_invalid(self, invalid: bool) -> None:
        self.select.props["error"] = invalid


class BoolView(FieldView):
    def body(self) -> None:
        node = self.node
        if node.nullable:
            self.widget: ui.element = ui.select(
                {"true": "true", "false": "false", UNSET_KEY: UNSET}, value=self._key()
            ).props("dense outlined")
        else:
            self.widget = ui.switch(value=node.value is True)
        self.widget.mark(node.path)
        self.widget.on_value_change(self._picked)
        if self.ctx.read_only:
            self.widget.disable()

    def _key(self) -> str:
        value = self.node.value
        return UNSET_KEY if value is None else ("true" if value is True else "false")

    def _picked(self, event: Any) -> None:
        if self._updating:
            return
        value = event.value
        if isinstance(value, str):
            value = None if value == UNSET_KEY else value == "true"
        if value != self.node.value:
            self.ctx.soon(self.ctx.set_value, self.node, value)

    def refresh_value(self) -> None:
        want = self._key() if self.node.nullable else self.node.value is True
        if self.widget.value != want:  # type: ignore[attr-defined]
            self.widget.set_value(want)  # type: ignore[attr-defined]


class MultiView(FieldView):
    """Several of a fixed set, in the order picked."""

    def body(self) -> None:
        node = self.node
        values = self._values()
        self.select = ui.select(
            _options(node, values), value=[str(v) for v in values], multiple=True
        )
        self.select.props("dense outlined use-chips options-dense hide-bottom-space").classes(
            "w-full"
        ).mark(node.path)
        self.select.on_value_change(self._picked)
        if self.ctx.read_only:
            self.select.disable()

    def _values(self) -> list[Any]:
        value = self.node.value
        if value is None:
            return []
        return list(value) if isinstance(value, (list, tuple)) else [value]

    def _picked(self, event: Any) -> None:
        if self._updating:
            return
        picked = [_choice(self.node, k) for k in (event.value or [])]
        if picked != self._values():
            self.ctx.soon(self.ctx.set_value, self.node, picked)

    def refresh_value(self) -> None:
        values = self._values()
        options = _options(self.node, values)
        if options != self.select.options:
            self.select.set_options(options)
        keys = [str(v) for v in values]
        if self.select.value != keys:
            self.select.set_value(keys)

    def mark_invalid(self, invalid: bool) -> None:
        self.select.props["error"] = invalid


class UnknownView(FieldView):
    """A key the schema does not have: shown as written, kept on save, removable."""

    def body(self) -> None:
        with ui.row().classes("items-center gap-2"):
            ui.label("not in the schema").classes("basalt-type")
            self.value_label = ui.label(display(self.node.value)).classes("basalt-unknown")
            self.value_label.mark(self.node.path)

    def refresh_value(self) -> None:
        self.value_label.set_text(display(self.node.value))


def _groups() -> Mapping[str, Callable[[FieldNode, Context], FieldView]]:
    from config_ui.web import groups

    return groups.RENDERERS


RENDERERS: dict[str, Callable[[FieldNode, Context], FieldView]] = {
    "bool": BoolView,
    "int": TextView,
    "float": TextView,
    "str": TextView,
    "list": TextView,
    "date": DateView,
    "enum": EnumView,
    "multi": MultiView,
    "unknown": UnknownView,
}


def renderer_for(node: FieldNode) -> Callable[[FieldNode, Context], FieldView]:
    """The renderer of ``node``'s kind (groups, lists, dicts and unions live in ``groups``)."""
    if node.kind in RENDERERS:
        return RENDERERS[node.kind]
    return _groups()[node.kind]
