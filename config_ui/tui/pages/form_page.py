"""The base of every page: built from the session once, then updated in place while the
shape of its form stays the same."""

from __future__ import annotations

from textual.containers import VerticalScroll
from textual.widget import Widget

from config_ui.core.nodes import FieldNode
from config_ui.tui.fields.factory import FormContext, signature
from config_ui.tui.fields.node_widget import NodeWidget

PageRef = tuple
"""``("home",)``, ``("section", name)``, ``("pass", index)`` or ``("search", query)``."""


class FormPage(VerticalScroll):
    DEFAULT_CSS = """
    FormPage {
        height: 1fr;
        padding: 0 1;
    }
    FormPage > .page-title {
        text-style: bold;
        color: $text-primary;
        margin: 0 0 1 0;
        height: auto;
    }
    FormPage > .page-note {
        color: $text-muted;
        margin: 0 0 1 0;
        height: auto;
    }
    FormPage > .page-heading {
        text-style: bold;
        margin: 1 0 0 0;
        height: auto;
    }
    """

    ref: PageRef = ("home",)

    def __init__(self, ctx: FormContext) -> None:
        super().__init__(classes="form-page")
        self.ctx = ctx
        self.built = self.signature()

    @property
    def session(self):
        return self.ctx.session

    def roots(self) -> list[FieldNode]:
        """The nodes this page shows (each with everything below it)."""
        return []

    def signature(self) -> tuple:
        return (self.ref, *self.extra_signature(), signature(self.roots()))

    def extra_signature(self) -> tuple:
        return ()

    def make_fields(self) -> list[Widget]:
        widgets = [self.ctx.make(node) for node in self.roots()]
        return [w for w in widgets if w is not None]

    def show(self, nodes: dict[str, FieldNode]) -> None:
        """Update every field in place from ``nodes`` (path -> node)."""
        for widget in self.walk_children(with_self=False):
            if isinstance(widget, NodeWidget):
                node = nodes.get(widget.path)
                if node is not None:
                    widget.show(node)

    def has_field(self, path: str) -> bool:
        return any(isinstance(w, NodeWidget) and w.path == path for w in self.walk_children())
