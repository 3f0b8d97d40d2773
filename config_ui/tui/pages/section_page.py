"""One section of the top-level settings (Core, Outputs, Automation, Performance, Advanced)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Static

from basalt.config.ui import SECTIONS
from config_ui.core.locate import section_of
from config_ui.core.nodes import FieldNode
from config_ui.tui.fields.factory import FormContext
from config_ui.tui.pages.form_page import FormPage

__all__ = ["SECTIONS", "SectionPage", "section_of"]


class SectionPage(FormPage):
    def __init__(self, ctx: FormContext, section: str) -> None:
        self.section = section
        self.ref = ("section", section)
        super().__init__(ctx)

    def roots(self) -> list[FieldNode]:
        return [c for c in self.session.root.children if section_of(c) == self.section]

    def compose(self) -> ComposeResult:
        yield Static(self.section, classes="page-title")
        if not self.roots():
            yield Static("Nothing in this section.", classes="page-note")
        yield from self.make_fields()
