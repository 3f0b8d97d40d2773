"""The help of the focused field: description, long help, type, default, constraints."""

from __future__ import annotations

from rich.markup import escape
from textual.containers import VerticalScroll
from textual.widgets import Static

from config_ui.core.nodes import FieldNode
from config_ui.core.pass_helpers import ModuleInfo
from config_ui.tui.fields.node_widget import ORIGIN_TEXT, text_of

CONSTRAINT_TEXT = {
    "gt": ">",
    "ge": ">=",
    "lt": "<",
    "le": "<=",
    "min_length": "min length",
    "max_length": "max length",
    "pattern": "pattern",
}


def node_help(node: FieldNode) -> str:
    lines = [f"[b]{escape(node.label)}[/b]", f"[dim]{escape(node.path)}[/dim]", ""]
    if node.help:
        lines += [escape(node.help), ""]
    if node.long_help:
        lines += [escape(node.long_help), ""]
    if node.type_text:
        lines.append(f"[b]Type[/b]  {escape(node.type_text)}")
    if node.has_default and not node.is_container:
        lines.append(f"[b]Default[/b]  {escape(text_of(node.default)) or 'unset'}")
    if node.constraints:
        shown = ", ".join(f"{CONSTRAINT_TEXT.get(k, k)} {v}" for k, v in node.constraints.items())
        lines.append(f"[b]Limits[/b]  {escape(shown)}")
    if node.choices and node.kind in ("enum", "multi", "str", "dict"):
        lines.append(f"[b]Choices[/b]  {escape(', '.join(map(str, node.choices)))}")
    lines.append(f"[b]Value from[/b]  {ORIGIN_TEXT.get(node.origin, node.origin)}")
    if node.errors:
        lines += ["", *(f"[$text-error]✖ {escape(e)}[/]" for e in node.errors)]
    return "\n".join(lines)


def module_help(info: ModuleInfo) -> str:
    tables = ", ".join(info.required_tables) or "none (reads earlier passes)"
    return "\n".join(
        [
            f"[b]Module {escape(info.name)}[/b]",
            f"[dim]tier {info.tier}[/dim]",
            "",
            escape(info.description),
            "",
            f"[b]Needs tables[/b]  {escape(tables)}",
        ]
    )


class HelpPanel(VerticalScroll, can_focus=False):
    DEFAULT_CSS = """
    HelpPanel {
        width: 34;
        height: 1fr;
        border-left: vkey $panel-lighten-1;
        padding: 0 1;
    }
    HelpPanel > Static {
        height: auto;
    }
    """

    def compose(self):
        yield Static("Move to a field to see its help here.", id="help-text")

    def show_node(self, node: FieldNode) -> None:
        self.query_one("#help-text", Static).update(node_help(node))

    def show_module(self, info: ModuleInfo) -> None:
        self.query_one("#help-text", Static).update(module_help(info))
