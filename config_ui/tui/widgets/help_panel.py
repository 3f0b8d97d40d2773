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


PLACEHOLDER = "Move to a field to see its help here."
DEFAULT_WIDTH = 30


def wrap_path(path: str, width: int) -> list[str]:
    """``path`` in lines of at most ``width`` characters, each broken after a dot (a name
    longer than a line is cut at the width)."""
    width = max(width, 8)
    parts = path.split(".")
    pieces = [f"{part}." for part in parts[:-1]] + parts[-1:]
    lines: list[str] = []
    line = ""
    for piece in pieces:
        if line and len(line) + len(piece) > width:
            lines.append(line)
            line = ""
        line += piece
        while len(line) > width:
            lines.append(line[:width])
            line = line[width:]
    return [*lines, line] if line else lines


def node_help(node: FieldNode, width: int = DEFAULT_WIDTH) -> str:
    shown_path = "\n".join(escape(line) for line in wrap_path(node.path, width))
    lines = [f"[b]{escape(node.label)}[/b]", f"[dim]{shown_path}[/dim]", ""]
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

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.node: FieldNode | None = None
        """The field whose help is shown, if any."""

    def compose(self):
        yield Static(PLACEHOLDER, id="help-text")

    @property
    def text_width(self) -> int:
        return self.scrollable_content_region.width or DEFAULT_WIDTH

    @property
    def shown_path(self) -> str | None:
        return self.node.path if self.node is not None else None

    def show_node(self, node: FieldNode) -> None:
        self.node = node
        self.query_one("#help-text", Static).update(node_help(node, self.text_width))

    def show_module(self, info: ModuleInfo) -> None:
        self.node = None
        self.query_one("#help-text", Static).update(module_help(info))

    def clear(self) -> None:
        """Back to the placeholder (the field shown is gone)."""
        self.node = None
        self.query_one("#help-text", Static).update(PLACEHOLDER)

    def on_resize(self) -> None:
        if self.node is not None:
            self.show_node(self.node)
