"""Fields whose name, path or description match what was typed after ``/``."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Static

from config_ui.core.nodes import FieldNode
from config_ui.tui.fields.factory import FormContext
from config_ui.tui.pages.form_page import FormPage

MAX_RESULTS = 40


class SearchPage(FormPage):
    DEFAULT_CSS = """
    SearchPage .search-path {
        color: $text-muted;
        height: 1;
        margin-top: 1;
    }
    """

    def __init__(self, ctx: FormContext, query: str) -> None:
        self.query_text = query
        self.ref = ("search", query)
        super().__init__(ctx)

    def matches(self) -> list[FieldNode]:
        return [n for n in self.session.search(self.query_text) if n.visible]

    def roots(self) -> list[FieldNode]:
        return self.matches()[:MAX_RESULTS]

    def compose(self) -> ComposeResult:
        found = self.matches()
        shown = found[:MAX_RESULTS]
        more = f" (first {MAX_RESULTS} shown)" if len(found) > MAX_RESULTS else ""
        yield Static(f"Search: {self.query_text}", classes="page-title", markup=False)
        yield Static(
            f"{len(found)} field{'s' if len(found) != 1 else ''} match{more}. Escape goes back.",
            classes="page-note",
        )
        for node in shown:
            widget = self.ctx.make(node)
            if widget is not None:
                yield Static(node.path, classes="search-path", markup=False)
                yield widget
