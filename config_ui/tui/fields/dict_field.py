"""Key/value rows: one field per entry (with remove), and a row to add an entry."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Static

from config_ui.core.field_input import InputError, parse_input
from config_ui.core.nodes import FieldNode
from config_ui.tui.fields.node_widget import NodeWidget, error_text, meta_markup
from config_ui.tui.ids import dom_key, error_id, field_id
from config_ui.tui.messages import EntryAdded

if TYPE_CHECKING:
    from config_ui.tui.fields.factory import FormContext


def entry_node(node: FieldNode, key: str) -> FieldNode:
    """What a new entry of ``node`` is, for parsing the value typed in the add row."""
    return FieldNode(
        path=f"{node.path}.{key}",
        kind=node.item_kind or "str",
        label=key,
        choices=list(node.choices),
        has_default=False,
    )


def value_hint(node: FieldNode) -> str:
    if node.choices:
        return "value: " + ", ".join(map(str, node.choices))
    return f"value ({node.item_kind or 'text'})"


class DictField(NodeWidget, Vertical):
    DEFAULT_CSS = """
    DictField {
        height: auto;
        margin: 0 0 1 0;
    }
    DictField > .dict-head {
        height: 1;
    }
    DictField .dict-label {
        width: 24;
        text-style: bold;
    }
    DictField .dict-count {
        width: 1fr;
        color: $text-muted;
    }
    DictField .field-meta {
        width: 18;
        color: $text-muted;
    }
    DictField > .dict-rows {
        height: auto;
        padding-left: 2;
    }
    DictField > .dict-add {
        height: 1;
        padding-left: 2;
    }
    DictField .dict-add Input {
        width: 1fr;
        margin-right: 1;
    }
    DictField .dict-error {
        display: none;
        color: $text-error;
        padding-left: 2;
    }
    DictField .dict-error.-shown {
        display: block;
    }
    """

    def __init__(self, node: FieldNode, ctx: FormContext) -> None:
        super().__init__(id=field_id(node.path), classes="dict-field")
        self.bind_node(node, ctx)
        self.add_error: str | None = None

    def compose(self) -> ComposeResult:
        node, key = self.node, dom_key(self.node.path)
        with Horizontal(classes="dict-head"):
            yield Label(node.label, classes="dict-label")
            yield Static(self.count_text(node), classes="dict-count")
            yield Static(meta_markup(node, read_only=self.ctx.read_only), classes="field-meta")
        with Vertical(classes="dict-rows"):
            for child in node.children:
                row = self.ctx.make(child)
                if row is not None:
                    row.reset_word = "remove"  # type: ignore[attr-defined]
                    yield row
        with Horizontal(classes="dict-add"):
            yield Input(
                placeholder="new key", id=f"k-{key}", compact=True, disabled=self.ctx.read_only
            )
            yield Input(
                placeholder=value_hint(node),
                id=f"v-{key}",
                compact=True,
                disabled=self.ctx.read_only,
            )
            yield Button("+ Add", id=f"add-{key}", compact=True, disabled=self.ctx.read_only)
        yield Static(
            error_text(self.errors()),
            id=error_id(node.path),
            classes="dict-error" + (" -shown" if self.errors() else ""),
        )

    def count_text(self, node: FieldNode) -> str:
        n = len(node.children)
        return "no entries" if n == 0 else f"{n} entr{'ies' if n != 1 else 'y'}"

    def errors(self) -> list[str]:
        return ([self.add_error] if self.add_error else []) + list(self.node.errors)

    def show(self, node: FieldNode) -> None:
        super().show(node)
        self.query_one(".dict-count", Static).update(self.count_text(node))
        self.query_one(".field-meta", Static).update(
            meta_markup(node, read_only=self.ctx.read_only)
        )
        self.show_errors()

    def show_errors(self, node: FieldNode | None = None) -> None:
        static = self.query_one(f"#{error_id(self.node.path)}", Static)
        static.update(error_text(self.errors()))
        static.set_class(bool(self.errors()), "-shown")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        if event.input.id in (f"k-{dom_key(self.path)}", f"v-{dom_key(self.path)}"):
            event.stop()
            self.add_entry()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        if event.button.id == f"add-{dom_key(self.path)}":
            event.stop()
            self.add_entry()

    def add_entry(self) -> None:
        key_input = self.query_one(f"#k-{dom_key(self.path)}", Input)
        value_input = self.query_one(f"#v-{dom_key(self.path)}", Input)
        key = key_input.value.strip()
        self.add_error = None
        if not key:
            self.add_error = "type a key first"
        elif "." in key:
            self.add_error = f"'{key}': a key cannot contain '.'"
        elif any(child.key == key for child in self.node.children):
            self.add_error = f"'{key}' is already set; edit its row"
        else:
            try:
                value = parse_input(entry_node(self.node, key), value_input.value)
            except InputError as exc:
                self.add_error = f"{key}: {exc}"
            else:
                key_input.value = ""
                value_input.value = ""
                self.emit(EntryAdded(self.path, key, value))
        self.show_errors()
