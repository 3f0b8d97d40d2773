"""What every field widget shares: the node it shows, updating in place, origin and errors."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from textual.message import Message
from textual.widgets import Static

from config_ui.core.nodes import FieldNode
from config_ui.tui.ids import error_id

if TYPE_CHECKING:
    from config_ui.tui.fields.factory import FormContext

ORIGIN_TEXT = {"default": "default", "python": "script", "yaml": "yaml", "cli": "cli"}


class NodeWidget:
    """Mixin for widgets that show one :class:`FieldNode`; :meth:`show` updates in place."""

    node: FieldNode
    ctx: FormContext

    def bind_node(self, node: FieldNode, ctx: FormContext) -> None:
        self.node = node
        self.ctx = ctx

    @property
    def path(self) -> str:
        return self.node.path

    def show(self, node: FieldNode) -> None:
        """Show ``node`` (same path, same structure) without remounting anything."""
        self.node = node

    def show_meta(self, node: FieldNode) -> None:
        """Refresh the origin line (``.field-meta``) of a widget that has one."""
        meta = self.query_one(".field-meta", Static)  # type: ignore[attr-defined]
        meta.update(meta_markup(node, read_only=self.ctx.read_only))

    def show_errors(self, node: FieldNode | None = None) -> None:
        """Refresh the error line under the field (shown only when there are errors)."""
        node = self.node if node is None else node
        static = self.query_one(f"#{error_id(node.path)}", Static)  # type: ignore[attr-defined]
        static.update(error_text(node.errors))
        static.set_class(bool(node.errors), "-shown")

    def emit(self, message: Message) -> None:
        """Send ``message`` to the screen, which owns the session."""
        screen = getattr(self, "screen", None)
        if screen is not None:
            screen.post_message(message)


def text_of(value: Any) -> str:
    """How a value reads in a text field: dates ISO, lists comma-separated, None empty."""
    if value is None:
        return ""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, list):
        return ", ".join(text_of(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def meta_markup(node: FieldNode, *, read_only: bool, reset_word: str = "reset") -> str:
    """The origin of the value, then clickable ``reset`` and ``unset`` actions."""
    parts = [ORIGIN_TEXT.get(node.origin, node.origin)]
    removable = reset_word == "remove" and node.origin == "python"  # a script's dict row
    if not read_only and (node.origin == "yaml" or removable):
        parts.append(f"[@click=screen.reset_field({node.path!r})][u]{reset_word}[/u][/]")
    if not read_only and node.nullable and node.value is not None and node.kind != "unknown":
        parts.append(f"[@click=screen.unset_field({node.path!r})][u]unset[/u][/]")
    return " ".join(parts)


def error_text(messages: list[str]) -> str:
    return "\n".join(f"✖ {m}" for m in messages)
