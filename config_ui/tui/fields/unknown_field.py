"""A key the schema does not have: shown as written, read-only, and kept on save."""

from __future__ import annotations

from textual.widget import Widget
from textual.widgets import Static

from config_ui.core.nodes import FieldNode
from config_ui.tui.fields.field_row import FieldRow
from config_ui.tui.fields.node_widget import text_of

NOTE = "not in the schema, kept"


class UnknownField(FieldRow):
    DEFAULT_CSS = """
    UnknownField .field-editor {
        color: $text-warning;
        height: auto;
    }
    """

    def make_editor(self) -> Widget:
        return Static(self.shown(self.node), markup=False)

    def shown(self, node: FieldNode) -> str:
        value = node.value
        text = text_of(value) if not isinstance(value, dict) else repr(value)
        return f"{text}  ({NOTE})"

    def put_value(self, node: FieldNode, old: FieldNode) -> None:
        self.query_one(".field-editor", Static).update(self.shown(node))
