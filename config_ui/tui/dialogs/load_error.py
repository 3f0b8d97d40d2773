"""A config that does not load: the file, line and message, and the raw text on request.

Reload tries again (after the file was fixed in another editor); no traceback is shown for a
user's mistake.
"""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Static, TextArea

from basalt.config.document import DocumentError, read_capped
from config_ui.core.session import UnsafeDemoFile


def describe(error: BaseException, path: Path) -> tuple[str, str]:
    """(where, what) of a load error."""
    line = getattr(error, "line", None)
    column = getattr(error, "column", None)
    where = str(getattr(error, "path", None) or path)
    if line is not None:
        where += f", line {line}" + (f", column {column}" if column is not None else "")
    what = getattr(error, "message", None) or str(error)
    return where, str(what)


class LoadErrorScreen(Screen):
    DEFAULT_CSS = """
    LoadErrorScreen > Vertical {
        padding: 1 2;
        height: 1fr;
    }
    LoadErrorScreen #load-error-title {
        text-style: bold;
        color: $text-error;
    }
    LoadErrorScreen #load-error-where {
        margin-top: 1;
        text-style: bold;
    }
    LoadErrorScreen #load-error-message {
        margin-bottom: 1;
    }
    LoadErrorScreen #raw-text {
        display: none;
        height: 1fr;
    }
    LoadErrorScreen #raw-text.-shown {
        display: block;
    }
    """

    BINDINGS = [
        Binding("r", "show_raw", "Show raw text"),
        Binding("l", "reload", "Reload"),
        Binding("q", "app.quit", "Quit"),
    ]

    class ReloadRequested(Message):
        """The user asks to open the file again."""

    def __init__(self, path: Path, error: BaseException) -> None:
        super().__init__()
        self.path = path
        self.error = error

    def compose(self) -> ComposeResult:
        where, what = describe(self.error, self.path)
        title = (
            "This config file does not parse"
            if getattr(self.error, "line", None)
            else "This config cannot be opened"
        )
        with Vertical():
            yield Static(title, id="load-error-title")
            yield Static(where, id="load-error-where", markup=False)
            yield Static(what, id="load-error-message", markup=False)
            yield Static(
                "Fix the file in another editor and press l to reload, r to see its text, "
                "q to quit.",
                classes="hint",
            )
            yield TextArea(self.raw_text(), read_only=True, show_line_numbers=True, id="raw-text")
        yield Footer()

    def raw_text(self) -> str:
        if isinstance(self.error, UnsafeDemoFile):  # a link or a FIFO: never opened
            return "(not shown: the file is not read)"
        target = getattr(self.error, "path", None) or self.path
        try:
            data = read_capped(Path(target))  # a 10 MiB file would take the editor 30 s to show
        except DocumentError as exc:
            return f"(not shown: {exc.message})"
        except OSError as exc:
            return f"(cannot read {target}: {exc.strerror or exc})"
        return data.decode("utf-8", errors="replace")

    def action_show_raw(self) -> None:
        area = self.query_one("#raw-text", TextArea)
        area.toggle_class("-shown")
        line = getattr(self.error, "line", None)
        if area.has_class("-shown"):
            area.focus()
            if line:
                area.cursor_location = (
                    max(line - 1, 0),
                    max((getattr(self.error, "column", 1) or 1) - 1, 0),
                )

    def action_reload(self) -> None:
        self.post_message(self.ReloadRequested())
