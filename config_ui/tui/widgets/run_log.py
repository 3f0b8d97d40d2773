"""A run's progress (batches done of all) and its output as it streams."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import ProgressBar, RichLog


class RunLog(Vertical):
    DEFAULT_CSS = """
    RunLog {
        height: 1fr;
        min-height: 6;
    }
    RunLog ProgressBar {
        height: 1;
        margin-bottom: 1;
        display: none;
    }
    RunLog.-started ProgressBar {
        display: block;
    }
    RunLog RichLog {
        height: 1fr;
        border: round $panel-lighten-2;
        background: $surface;
    }
    """

    def compose(self) -> ComposeResult:
        yield ProgressBar(total=None, show_eta=False, id="run-progress")
        yield RichLog(max_lines=5000, wrap=True, markup=False, highlight=False, id="run-output")

    def on_mount(self) -> None:
        self.query_one(RichLog).write(
            Text("No run yet: Run locally streams the demo's output here.", style="dim")
        )

    def start(self, command: str) -> None:
        self.add_class("-started")
        self.query_one(RichLog).clear()
        self.query_one(ProgressBar).update(total=None, progress=0)
        self.write([f"$ {command}"])

    def write(self, lines: list[str]) -> None:
        log = self.query_one(RichLog)
        for line in lines:
            log.write(Text(line))

    def progress(self, done: int, total: int) -> None:
        self.query_one(ProgressBar).update(total=max(total, 1), progress=done)

    def finished(self, success: bool) -> None:
        """A finished run whose bar never got a total shows full or empty, not busy."""
        bar = self.query_one(ProgressBar)
        if bar.total is None:
            bar.update(total=1, progress=1 if success else 0)
