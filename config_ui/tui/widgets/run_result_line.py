"""One line on how a run ended: status, duration, outputs and rows, or the error."""

from __future__ import annotations

from typing import Any

from textual.reactive import reactive
from textual.widgets import Static

MARKS = {"success": "✓", "failed": "✖", "cancelled": "■", "running": "…", "lost": "?"}


def result_text(result: Any) -> str:
    """``✓ success in 1.2 s: 1 outputs, 3,060 rows``; a failure adds its error, a cancelled
    run what it wrote before it stopped."""
    text = f"{MARKS.get(result.status, '')} {result.describe()}".strip()
    if result.status != "success" and result.outputs:
        rows = sum(o.rows or 0 for o in result.outputs)
        text += f" ({len(result.outputs)} outputs kept, {rows:,} rows)"
    return text


class RunResultLine(Static):
    DEFAULT_CSS = """
    RunResultLine {
        height: auto;
        max-height: 6;
        padding: 0 1;
        color: $text-muted;
    }
    RunResultLine.-success {
        color: $text-success;
    }
    RunResultLine.-failed, RunResultLine.-refused, RunResultLine.-lost {
        color: $text-error;
    }
    RunResultLine.-cancelled, RunResultLine.-running {
        color: $text-warning;
    }
    """

    status: reactive[str] = reactive("")

    def __init__(self, text: str = "", **kwargs: Any) -> None:
        super().__init__(text, markup=False, **kwargs)

    def say(self, text: str, status: str = "") -> None:
        self.update(text)
        self.status = status

    def show(self, result: Any) -> None:
        self.say(result_text(result), result.status)

    def watch_status(self, old: str, new: str) -> None:
        if old:
            self.remove_class(f"-{old}")
        if new:
            self.add_class(f"-{new}")
