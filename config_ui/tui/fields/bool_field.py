"""true/false: a Switch with its state spelled out ("on" / "off") beside it."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Static, Switch

from config_ui.core.nodes import FieldNode
from config_ui.tui.fields.field_row import FieldRow
from config_ui.tui.messages import ValueEntered


def state_word(value: bool) -> str:
    return "on" if value else "off"


class BoolField(FieldRow):
    DEFAULT_CSS = """
    BoolField .switch-box {
        width: 1fr;
        height: 1;
    }
    BoolField Switch {
        border: none;
        height: 1;
        width: auto;
        padding: 0;
    }
    BoolField Switch:focus {
        border: none;
        background: $primary 40%;
    }
    BoolField .switch-state {
        width: auto;
        padding: 0 1;
        color: $text-muted;
    }
    BoolField .switch-state.-on {
        color: $text-success;
        text-style: bold;
    }
    """

    def make_editor(self) -> Widget:
        return Switch(bool(self.node.value), animate=False)

    def compose(self) -> ComposeResult:
        """The row of :class:`FieldRow`, with the switch's state written beside it."""
        for widget in super().compose():
            if isinstance(widget, Switch):
                value = widget.value
                state = Static(state_word(value), classes="switch-state")
                state.set_class(value, "-on")
                yield Horizontal(widget, state, classes="switch-box")
            else:
                yield widget

    def _show_state(self, value: bool) -> None:
        label = self.query_one(".switch-state", Static)
        label.update(state_word(value))
        label.set_class(value, "-on")

    @on(Switch.Changed)
    def _changed(self, event: Switch.Changed) -> None:
        event.stop()
        self._show_state(event.value)
        if event.value != self.node.value:
            self.emit(ValueEntered(self.path, event.value))

    def put_value(self, node: FieldNode, old: FieldNode) -> None:
        switch = self.query_one(Switch)
        if switch.value != bool(node.value):
            with switch.prevent(Switch.Changed):
                switch.value = bool(node.value)
        self._show_state(bool(node.value))
