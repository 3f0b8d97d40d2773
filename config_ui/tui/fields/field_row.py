"""The row of a single-value field: label, editor, origin and reset; its errors below."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import Label, Static

from config_ui.core.nodes import FieldNode
from config_ui.tui.fields.node_widget import NodeWidget, error_text, meta_markup
from config_ui.tui.ids import error_id, field_id

if TYPE_CHECKING:
    from config_ui.tui.fields.factory import FormContext


class FieldRow(NodeWidget, Vertical):
    """Base of the scalar fields; subclasses make the editor and put values into it."""

    DEFAULT_CSS = """
    FieldRow {
        layout: grid;
        grid-size: 3;
        grid-columns: 24 1fr 18;
        grid-rows: auto;
        height: auto;
        padding: 0 1 0 0;
    }
    FieldRow .field-label {
        width: 1fr;
        height: 1;
        padding-right: 1;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    FieldRow.-set .field-label {
        text-style: bold;
    }
    FieldRow .field-editor {
        width: 1fr;
    }
    FieldRow .field-meta {
        width: 1fr;
        height: 1;
        padding-left: 1;
        color: $text-muted;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    FieldRow .field-error {
        display: none;
        color: $text-error;
        column-span: 3;
        padding-left: 24;
        height: auto;
    }
    FieldRow .field-error.-shown {
        display: block;
    }
    FieldRow .field-editor.-rejected {
        background: $error 25%;
    }
    FieldRow:focus-within {
        background: $boost;
    }
    """

    reset_word = "reset"
    show_label = True

    def __init__(self, node: FieldNode, ctx: FormContext) -> None:
        super().__init__(classes=f"field-row kind-{node.kind}")
        self.bind_node(node, ctx)
        self.rejected: str | None = None
        self.set_class(node.is_set, "-set")

    # -- building -------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        if self.show_label:
            yield Label(self.node.label, classes="field-label")
        editor = self.make_editor()
        editor.id = field_id(self.node.path)
        editor.add_class("field-editor")
        editor.disabled = self.ctx.read_only or editor.disabled
        yield editor
        yield Static(self.meta(), classes="field-meta")
        yield Static(error_text(self.errors()), id=error_id(self.node.path), classes="field-error")

    def on_mount(self) -> None:
        self.query_one(f"#{error_id(self.node.path)}").set_class(bool(self.errors()), "-shown")

    def make_editor(self) -> Widget:
        raise NotImplementedError

    @property
    def editor(self) -> Widget:
        return self.query_one(f"#{field_id(self.node.path)}")

    # -- updating -------------------------------------------------------------------------

    def meta(self) -> str:
        return meta_markup(self.node, read_only=self.ctx.read_only, reset_word=self.reset_word)

    def errors(self) -> list[str]:
        return [self.rejected] if self.rejected else list(self.node.errors)

    def show(self, node: FieldNode) -> None:
        old = self.node
        super().show(node)
        if old.value != node.value or not self.rejected:
            self.put_value(node, old)
        self.set_class(node.is_set, "-set")
        self.query_one(".field-meta", Static).update(self.meta())
        self.show_errors()

    def put_value(self, node: FieldNode, old: FieldNode) -> None:
        """Put ``node.value`` into the editor (without sending a change)."""

    def show_errors(self, node: FieldNode | None = None) -> None:
        messages = self.errors()
        static = self.query_one(f"#{error_id(self.node.path)}", Static)
        static.update(error_text(messages))
        static.set_class(bool(messages), "-shown")
        self.editor.set_class(bool(messages), "-rejected")
