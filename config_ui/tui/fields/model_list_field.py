"""A list of models: one collapsible item each (titled by its summary) with duplicate,
remove and move buttons, and an add button below."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Button, Label, Static

from config_ui.core.nodes import FieldNode
from config_ui.tui.fields.model_group import ModelGroup
from config_ui.tui.fields.node_widget import NodeWidget, error_text, meta_markup
from config_ui.tui.ids import dom_key, error_id, field_id
from config_ui.tui.messages import ItemAdded, ItemDuplicated, ItemMoved, ItemRemoved

if TYPE_CHECKING:
    from config_ui.tui.fields.factory import FormContext


class ListItemGroup(ModelGroup):
    """One item of a list of models; its toolbar comes first."""

    default_collapsed = True

    def __init__(self, node: FieldNode, ctx: FormContext, index: int, size: int) -> None:
        self.index = index
        self.total = size
        super().__init__(node, ctx)

    def contents(self) -> list[Widget]:
        toolbar = Horizontal(
            *item_buttons(self.index, self.total, disabled=self.ctx.read_only),
            classes="item-toolbar",
        )
        return [toolbar, *super().contents()]

    def heading(self, node: FieldNode) -> str:
        return f"{self.index + 1}. {node.summary}"


def item_buttons(index: int, size: int, *, disabled: bool) -> list[Button]:
    """Duplicate, remove, move up, move down; ``name`` carries ``action:index``."""
    return [
        Button("Duplicate", name=f"duplicate:{index}", compact=True, disabled=disabled),
        Button("Remove", name=f"remove:{index}", compact=True, variant="error", disabled=disabled),
        Button("↑ Up", name=f"up:{index}", compact=True, disabled=disabled or index == 0),
        Button(
            "↓ Down", name=f"down:{index}", compact=True, disabled=disabled or index >= size - 1
        ),
    ]


def item_action(button: Button, list_path: str):
    """The message a toolbar button stands for, or None."""
    action, _, index_text = (button.name or "").partition(":")
    if not index_text.isdigit():
        return None
    index = int(index_text)
    return {
        "duplicate": lambda: ItemDuplicated(list_path, index),
        "remove": lambda: ItemRemoved(list_path, index),
        "up": lambda: ItemMoved(list_path, index, index - 1),
        "down": lambda: ItemMoved(list_path, index, index + 1),
    }.get(action, lambda: None)()


class ModelListField(NodeWidget, Vertical):
    DEFAULT_CSS = """
    ModelListField {
        height: auto;
        margin: 0 0 1 0;
    }
    ModelListField > .list-head {
        height: 1;
    }
    ModelListField .list-label {
        width: 24;
        text-style: bold;
    }
    ModelListField .list-count {
        width: 1fr;
        color: $text-muted;
    }
    ModelListField .field-meta {
        width: 18;
        color: $text-muted;
    }
    ModelListField .item-toolbar {
        height: 1;
        margin-bottom: 1;
    }
    ModelListField .item-toolbar Button {
        margin-right: 1;
    }
    ModelListField .list-error {
        display: none;
        color: $text-error;
    }
    ModelListField .list-error.-shown {
        display: block;
    }
    ModelListField .add-item {
        margin-left: 2;
    }
    """

    def __init__(self, node: FieldNode, ctx: FormContext) -> None:
        super().__init__(id=field_id(node.path), classes="model-list")
        self.bind_node(node, ctx)

    def compose(self) -> ComposeResult:
        node = self.node
        with Horizontal(classes="list-head"):
            yield Label(node.label, classes="list-label")
            yield Static(self.count_text(node), classes="list-count")
            yield Static(meta_markup(node, read_only=self.ctx.read_only), classes="field-meta")
        yield Static(
            error_text(node.errors),
            id=error_id(node.path),
            classes="list-error" + (" -shown" if node.errors else ""),
        )
        size = len(node.children)
        for i, child in enumerate(node.children):
            yield ListItemGroup(child, self.ctx, i, size)
        yield Button(
            f"+ Add {singular(node.label)}",
            compact=True,
            classes="add-item",
            id=f"add-{dom_key(node.path)}",
            disabled=self.ctx.read_only,
        )

    def count_text(self, node: FieldNode) -> str:
        n = len(node.children)
        return f"{n} item{'s' if n != 1 else ''}"

    def show(self, node: FieldNode) -> None:
        super().show(node)
        self.query_one(".list-count", Static).update(self.count_text(node))
        self.show_meta(node)
        self.show_errors(node)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        if event.button.has_class("add-item") and event.button.id == f"add-{dom_key(self.path)}":
            event.stop()
            self.emit(ItemAdded(self.path))
            return
        item = _item_of(event.button)
        if item is None or item.node.path.rsplit(".", 1)[0] != self.path:
            return
        message = item_action(event.button, self.path)
        if message is not None:
            event.stop()
            self.emit(message)


def _item_of(widget: Widget) -> ListItemGroup | None:
    for ancestor in widget.ancestors:
        if isinstance(ancestor, ListItemGroup):
            return ancestor
    return None


def singular(label: str) -> str:
    word = label.lower()
    if word.endswith("ies"):
        return word[:-3] + "y"
    return word[:-1] if word.endswith("s") else word
