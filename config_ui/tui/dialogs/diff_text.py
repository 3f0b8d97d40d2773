"""A unified diff coloured for the terminal."""

from __future__ import annotations

from rich.text import Text

from config_ui.core.diff_lines import diff_line_kind

STYLES = {"header": "bold", "hunk": "cyan", "add": "green", "del": "red", "same": ""}


def diff_text(diff: str) -> Text:
    text = Text()
    for line in diff.splitlines(keepends=True):
        text.append(line, style=STYLES[diff_line_kind(line)])
    return text
