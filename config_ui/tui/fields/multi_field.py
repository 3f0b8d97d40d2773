"""Several of a fixed set: a SelectionList; the order of what was already chosen is kept."""

from __future__ import annotations

from typing import Any

from textual import on
from textual.widget import Widget
from textual.widgets import SelectionList
from textual.widgets.selection_list import Selection

from config_ui.core.nodes import FieldNode
from config_ui.tui.fields.field_row import FieldRow
from config_ui.tui.messages import ValueEntered


def chosen(node: FieldNode) -> list[Any]:
    return list(node.value or [])


def merged_order(before: list[Any], now: list[Any], choices: list[Any]) -> list[Any]:
    """Keep the order of what stays chosen, then add new choices in the list's order."""
    kept = [v for v in before if v in now]
    return kept + [c for c in choices if c in now and c not in kept]


class MultiField(FieldRow):
    DEFAULT_CSS = """
    MultiField SelectionList {
        height: auto;
        max-height: 10;
    }
    """

    def make_editor(self) -> Widget:
        return SelectionList(*self.selections(), compact=True)

    def selections(self) -> list[Selection[Any]]:
        values = chosen(self.node)
        return [Selection(self.prompt_of(c), c, c in values) for c in self.node.choices]

    def prompt_of(self, choice: Any) -> str:
        return str(choice)

    @property
    def selection_list(self) -> SelectionList[Any]:
        return self.query_one(SelectionList)

    @on(SelectionList.SelectedChanged)
    def _changed(self, event: SelectionList.SelectedChanged) -> None:
        event.stop()
        now = list(event.selection_list.selected)
        value = merged_order(chosen(self.node), now, self.node.choices)
        if value != chosen(self.node):
            self.emit(ValueEntered(self.path, value))

    def put_value(self, node: FieldNode, old: FieldNode) -> None:
        widget = self.selection_list
        wanted = set(chosen(node))
        if set(widget.selected) == wanted:
            return
        with widget.prevent(SelectionList.SelectedChanged):
            widget.deselect_all()
            for value in wanted:
                widget.select(value)
