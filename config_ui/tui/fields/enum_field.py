"""One of a fixed set: a Select (blank means unset when the field is optional)."""

from __future__ import annotations

from textual import on
from textual.widget import Widget
from textual.widgets import Select

from config_ui.core.nodes import FieldNode
from config_ui.tui.fields.field_row import FieldRow
from config_ui.tui.messages import ValueEntered


def select_value(node: FieldNode) -> object:
    return Select.NULL if node.value is None else node.value


class EnumField(FieldRow):
    def make_editor(self) -> Widget:
        return Select(
            [(str(c), c) for c in self.node.choices],
            value=select_value(self.node),
            allow_blank=self.node.nullable,
            prompt="unset",
            compact=True,
        )

    @on(Select.Changed)
    def _changed(self, event: Select.Changed) -> None:
        event.stop()
        value = None if event.value is Select.NULL else event.value
        if value != self.node.value:
            self.emit(ValueEntered(self.path, value))

    def put_value(self, node: FieldNode, old: FieldNode) -> None:
        select = self.query_one(Select)
        if select.value != select_value(node):
            with select.prevent(Select.Changed):
                select.value = select_value(node)
