"""The line at the top: which file, whether it has unsaved edits, how many errors."""

from __future__ import annotations

from collections.abc import Mapping

from rich.markup import escape
from textual.widgets import Static

from config_ui.core.session import EditorSession


def status_markup(session: EditorSession, rejected: Mapping[str, str] | None = None) -> str:
    """The header; its error count is the one the save dialog shows (``session.errors``)."""
    errors = len(session.errors(rejected))
    parts = [f"[b]Basalt Studio[/b]  {escape(session.path.name)}"]
    if session.read_only:
        parts.append("[$text-warning]read-only[/]")
    elif session.dirty:
        parts.append("[$text-warning]● unsaved[/]")
    else:
        parts.append("[dim]saved[/dim]")
    if errors:
        parts.append(
            f"[$text-error]✖ {errors} error{'s' if errors != 1 else ''}[/] [dim](F8 next)[/dim]"
        )
    else:
        parts.append("[$text-success]✓ no errors[/]")
    return "  ·  ".join(parts)


class StatusLine(Static):
    DEFAULT_CSS = """
    StatusLine {
        height: 1;
        background: $panel;
        padding: 0 1;
    }
    """

    def show(self, session: EditorSession, rejected: Mapping[str, str] | None = None) -> None:
        self.update(status_markup(session, rejected))
