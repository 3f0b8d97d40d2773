"""true/false: a Switch."""

from __future__ import annotations

from textual import on
from textual.widget import Widget
from textual.widgets import Switch

from config_ui.core.nodes import FieldNode
from config_ui.tui.fields.field_row import FieldRow
from config_ui.tui.messages import ValueEntered


class BoolField(FieldRow):
    DEFAULT_CSS = """
    BoolField Switch {
        border: none;
        height: 1;
        width: auto;
        padding: 0;
    }
    BoolField Switch:focus {
        border: none;
    }
    BoolField .field-editor {
        width: auto;
    }
    """

    def make_editor(self) -> Widget:
        return Switch(bool(self.node.value), animate=False)

    @on(Switch.Changed)
    def _changed(self, event: Switch.Changed) -> None:
        event.stop()
        if event.value != self.node.value:
            self.emit(ValueEntered(self.path, event.value))

    def put_value(self, node: FieldNode, old: FieldNode) -> None:
        switch = self.query_one(Switch)
        if switch.value != bool(node.value):
            with switch.prevent(Switch.Changed):
                switch.value = bool(node.value)
