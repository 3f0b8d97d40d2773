"""The home view: dataset, universe, dates, and one card per pass."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Static

from config_ui.core.nodes import FieldNode
from config_ui.tui.pages.form_page import FormPage

HOME_FIELDS = ("DATASETNAME", "UNIVERSE", "START_DATE", "END_DATE")


class HomePage(FormPage):
    ref = ("home",)

    def roots(self) -> list[FieldNode]:
        root = self.session.root
        by_key = {child.key: child for child in root.children}
        return [by_key[key] for key in (*HOME_FIELDS, "PASSES") if key in by_key]

    def compose(self) -> ComposeResult:
        yield Static(f"Home · {self.session.path.name}", classes="page-title", markup=False)
        yield Static(
            "Sections on the left hold every setting; open a pass to pick its modules. "
            "Ctrl+F (or / outside a field) searches, F8 goes to the next error, F5 runs the "
            "demo, F6 shows run health, ? lists every key.",
            classes="page-note",
        )
        yield from self.make_fields()
