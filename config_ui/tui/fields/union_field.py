"""One of several models: a Select for the variant (it calls ``switch_variant``), then the
fields of the chosen variant."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Label, Select, Static

from config_ui.core.nodes import FieldNode
from config_ui.tui.fields.node_widget import NodeWidget, error_text, meta_markup
from config_ui.tui.ids import dom_key, error_id, field_id
from config_ui.tui.messages import ValueEntered, VariantChosen

if TYPE_CHECKING:
    from config_ui.tui.fields.factory import FormContext


def variant_value(node: FieldNode) -> object:
    return node.variant if node.variant in node.variants else Select.NULL


class UnionField(NodeWidget, Vertical):
    DEFAULT_CSS = """
    UnionField {
        height: auto;
        margin: 0 0 1 0;
    }
    UnionField > .union-head {
        height: auto;
    }
    UnionField .union-label {
        width: 24;
        text-style: bold;
    }
    UnionField Select {
        width: 1fr;
    }
    UnionField .field-meta {
        width: 18;
        padding-left: 1;
        color: $text-muted;
    }
    UnionField > .union-body {
        height: auto;
        padding-left: 2;
    }
    UnionField .union-error {
        display: none;
        color: $text-error;
        padding-left: 24;
    }
    UnionField .union-error.-shown {
        display: block;
    }
    """

    def __init__(self, node: FieldNode, ctx: FormContext) -> None:
        super().__init__(id=f"u-{dom_key(node.path)}", classes="union-field")
        self.bind_node(node, ctx)

    def compose(self) -> ComposeResult:
        node = self.node
        with Horizontal(classes="union-head"):
            yield Label(node.label, classes="union-label")
            yield Select(
                [(v, v) for v in node.variants],
                value=variant_value(node),
                allow_blank=node.nullable or node.variant not in node.variants,
                prompt="unset",
                compact=True,
                id=field_id(node.path),
                disabled=self.ctx.read_only,
            )
            yield Static(meta_markup(node, read_only=self.ctx.read_only), classes="field-meta")
        yield Static(
            error_text(node.errors),
            id=error_id(node.path),
            classes="union-error" + (" -shown" if node.errors else ""),
        )
        with Vertical(classes="union-body"):
            for child in node.children:
                widget = self.ctx.make(child)
                if widget is not None:
                    yield widget

    @on(Select.Changed)
    def _changed(self, event: Select.Changed) -> None:
        if event.select.id != field_id(self.path):
            return
        event.stop()
        if event.value is Select.NULL:
            if self.node.value is not None:
                self.emit(ValueEntered(self.path, None))
        elif event.value != self.node.variant:
            self.emit(VariantChosen(self.path, str(event.value)))

    def show(self, node: FieldNode) -> None:
        super().show(node)
        select = self.query_one(f"#{field_id(node.path)}", Select)
        if select.value != variant_value(node):
            with select.prevent(Select.Changed):
                select.value = variant_value(node)
        self.show_meta(node)
        self.show_errors(node)
