"""A nested model: a collapsible group of its fields, with its error count in the title."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widget import Widget
from textual.widgets import Collapsible, Static

from config_ui.core.nodes import FieldNode
from config_ui.tui.fields.node_widget import NodeWidget, error_text
from config_ui.tui.ids import error_id, field_id

if TYPE_CHECKING:
    from config_ui.tui.fields.factory import FormContext


class ModelGroup(NodeWidget, Collapsible):
    DEFAULT_CSS = """
    ModelGroup {
        padding: 0;
        border-top: none;
        background: $surface;
    }
    ModelGroup > Contents {
        padding: 0 0 0 2;
    }
    ModelGroup .group-error {
        display: none;
        color: $text-error;
    }
    ModelGroup .group-error.-shown {
        display: block;
    }
    ModelGroup .group-unset {
        color: $text-muted;
    }
    """

    default_collapsed = False

    def __init__(self, node: FieldNode, ctx: FormContext, *, collapsed: bool | None = None) -> None:
        self.bind_node(node, ctx)
        folded = ctx.collapsed.get(
            node.path, self.default_collapsed if collapsed is None else collapsed
        )
        super().__init__(
            *self.contents(),
            title=self.title_of(node, folded),
            collapsed=folded,
            id=field_id(node.path),
            # "-collapsed" up front: setting it after mount restyles the whole group
            classes=f"model-group kind-{node.kind}" + (" -collapsed" if folded else ""),
        )

    def contents(self) -> list[Widget]:
        widgets: list[Widget] = [
            Static(
                error_text(self.node.errors),
                id=error_id(self.node.path),
                classes="group-error" + (" -shown" if self.node.errors else ""),
            )
        ]
        if self.node.kind == "model" and self.node.value is None and not self.node.children:
            link = f"[@click=screen.create_field({self.node.path!r})][u]set it[/u][/]"
            widgets.append(
                Static(f"unset: the run uses the default. {link}", classes="group-unset")
            )
        for child in self.node.children:
            widget = self.ctx.make(child)
            if widget is not None:
                widgets.append(widget)
        return widgets

    def heading(self, node: FieldNode) -> str:
        return node.label

    def title_of(self, node: FieldNode, collapsed: bool) -> str:
        count = node.error_count()
        title = self.heading(node)
        if collapsed and count:
            title += f"  ✖ {count} error{'s' if count != 1 else ''}"
        return title

    def show(self, node: FieldNode) -> None:
        super().show(node)
        self.title = self.title_of(node, self.collapsed)
        self.show_errors(node)

    def _watch_collapsed(self, collapsed: bool) -> None:
        super()._watch_collapsed(collapsed)
        if self.is_mounted:
            self.ctx.collapsed[self.node.path] = collapsed
        self.title = self.title_of(self.node, collapsed)
