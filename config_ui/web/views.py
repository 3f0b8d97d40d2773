"""The frame every rendered node shares: label, type, origin with reset, help, error.

A :class:`FieldView` owns the elements of one node and updates them in place when the form
is rebuilt after an edit (value, origin, errors), so typing in one field never loses focus
because another changed. Kinds plug in their widget in :meth:`FieldView.body`.
"""

from __future__ import annotations

from typing import Any, Protocol

from nicegui import ui

from config_ui.core.nodes import FieldNode
from config_ui.web.formatting import default_text, origin_text


class Context(Protocol):
    """What a view asks of the tab's controller (every edit goes through the core session)."""

    read_only: bool

    def register(self, view: FieldView) -> None: ...
    def soon(self, action: Any, *args: Any) -> None:
        """Run ``action`` once the current event is handled (selects: a rebuild may delete the
        widget whose change is still being processed)."""

    def render(self, node: FieldNode) -> FieldView | None: ...
    def set_value(self, node: FieldNode, value: Any) -> None: ...
    def reset(self, node: FieldNode) -> None: ...
    def input_error(self, path: str, message: str | None) -> None: ...
    def keep_draft(self, path: str, text: str) -> str | None:
        """Text typed at ``path``: kept as a draft when it does not parse (its message)."""

    def draft(self, path: str) -> str | None: ...
    def check(self, path: str, value: Any) -> list[str]:
        """The errors ``path`` would have with ``value`` (checked, not applied)."""

    def add_item(self, node: FieldNode) -> None: ...
    def duplicate_item(self, node: FieldNode, index: int) -> None: ...
    def remove_item(self, node: FieldNode, index: int) -> None: ...
    def move_item(self, node: FieldNode, index: int, to: int) -> None: ...
    def set_entry(self, node: FieldNode, key: str, value: Any) -> None: ...
    def switch_variant(self, node: FieldNode, variant: str | None) -> None: ...
    def advanced_open(self, path: str) -> bool: ...
    def register_expansion(self, path: str, expansion: ui.expansion) -> None: ...
    def entry_choices(self, node: FieldNode) -> tuple[list[str], list[str]]: ...


def set_attr(element: ui.element, name: str, value: str) -> ui.element:
    """A ``data-*`` attribute on the element's root DOM node (safe for any text)."""
    element.props[name] = value
    return element


class FieldView:
    """One node on the page. Subclasses build their widget in :meth:`body` and refresh it in
    :meth:`refresh_value`."""

    show_origin = True
    help_first = False  # groups: their help and error above their fields
    removable_entry = False  # a dict row: the reset button removes it

    def __init__(self, node: FieldNode, ctx: Context) -> None:
        self.node = node
        self.ctx = ctx
        self.path = node.path
        self.local_error: str | None = None
        self._updating = False
        self.wrapper = ui.column().classes("basalt-field")
        set_attr(self.wrapper, "data-path", node.path)
        set_attr(self.wrapper, "data-kind", node.kind)
        self.wrapper.mark(f"field:{node.path}")
        with self.wrapper:
            self.header()
            if self.help_first:
                self.footer()
                self.body()
            else:
                self.body()
                self.footer()
        ctx.register(self)

    # -- building -----------------------------------------------------------------------------

    def header(self) -> None:
        node = self.node
        with ui.row().classes("items-center gap-2 w-full no-wrap"):
            self.label = ui.label(node.label).classes("basalt-label")
            if node.type_text:
                ui.label(node.type_text).classes("basalt-type")
            self.origin = ui.label("").classes("basalt-origin")
            self.origin.set_visibility(self.show_origin)
            self.reset_button = ui.button(
                icon="delete" if self.removable_entry else "restart_alt",
                on_click=lambda: self.ctx.reset(self.node),
            )
            self.reset_button.props("flat dense round size=sm").mark(f"reset:{node.path}")
            set_attr(
                self.reset_button,
                "data-action",
                "remove-entry" if self.removable_entry else "reset",
            )
            if node.long_help:
                with ui.icon("help_outline").classes("basalt-muted"):
                    ui.tooltip(node.long_help)
        self._refresh_origin()

    def body(self) -> None:
        """The widget (none for a plain frame)."""

    def footer(self) -> None:
        if self.node.help:
            ui.label(self.node.help).classes("basalt-help")
        self.error_label = ui.label("").classes("basalt-error").mark(f"error:{self.path}")
        set_attr(self.error_label, "data-error-for", self.path)
        self._refresh_error()

    # -- updating -------------------------------------------------------------------------------

    def update(self, node: FieldNode) -> None:
        """The form was rebuilt: show ``node``'s value, origin and errors."""
        self.node = node
        self._refresh_origin()
        if self.local_error is None:
            self._updating = True
            try:
                self.refresh_value()
            finally:
                self._updating = False
        self._refresh_error()

    def refresh_value(self) -> None:
        """Put the node's value into the widget (called with handlers muted)."""

    def take_text(self, text: str) -> None:
        """Apply ``text``, what the browser's field holds (a shortcut pressed while typing);
        views without a text field ignore it."""

    def discard_local(self) -> None:
        """Forget text typed but not applied (undo, redo, reload)."""
        if self.local_error is not None:
            self.local_error = None
            self.ctx.input_error(self.path, None)
        self.update(self.node)

    def set_local_error(self, message: str | None) -> None:
        if message == self.local_error:
            return
        self.local_error = message
        self.ctx.input_error(self.path, message)
        self._refresh_error()

    def errors(self) -> list[str]:
        return [self.local_error] if self.local_error else list(self.node.errors)

    def _refresh_error(self) -> None:
        text = "; ".join(self.errors())
        if self.error_label.text != text:
            self.error_label.set_text(text)
        self.error_label.set_visibility(bool(text))
        self.mark_invalid(bool(text))

    def mark_invalid(self, invalid: bool) -> None:
        """Widgets with an error state (Quasar's red frame) override this."""

    def _refresh_origin(self) -> None:
        node = self.node
        self.origin.set_text(origin_text(node))
        self.origin.classes(
            add="basalt-origin-yaml" if node.origin == "yaml" else "",
            remove="" if node.origin == "yaml" else "basalt-origin-yaml",
        )
        can_reset = not self.ctx.read_only and (node.origin == "yaml" or self.removable_entry)
        self.reset_button.set_visibility(can_reset)
        if self.removable_entry:
            tip = f"Remove {node.label}"
        else:
            default = default_text(node)
            tip = "Remove from the YAML: back to the script's value or the default"
            tip += f" ({default})" if default else ""
        if self.reset_button.props.get("title") != tip:  # a plain title: lighter than a tooltip
            set_attr(self.reset_button, "title", tip)
