"""One demo's partition coverage as a grid: a row per universe, a column per day, each cell
done (every pass written), partial, missing, or not a partition (a weekend, a holiday)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from textual.markup import escape
from textual.widgets import Static

CELLS = {
    "done": ("██", "$text-success"),
    "partial": ("▒▒", "$text-warning"),
    "missing": ("░░", "$text-error"),
    "none": ("··", "$text-muted"),
}
LABELS = {
    "done": "done",
    "partial": "partial",
    "missing": "missing",
    "none": "not a partition",
}


def cell_markup(state: str) -> str:
    glyph, colour = CELLS[state]
    return f"[{colour}]{glyph}[/]"


def legend_markup() -> str:
    return "   ".join(f"{cell_markup(s)} {LABELS[s]}" for s in CELLS)


def month_header(days: list[dt.date]) -> str:
    """``Jan 2025`` above the first day of each month (a label runs on until the next)."""
    header: list[str] = []
    month = None
    for index, day in enumerate(days):
        if (day.year, day.month) != month:
            month = (day.year, day.month)
            start = 3 * index
            header = header[:start] + [" "] * (start - len(header)) + list(day.strftime("%b %Y"))
    return "".join(header).rstrip()


def grid_markup(coverage: Any) -> str:
    """The summary line, then the grid (months, days, one row per universe)."""
    summary = escape(coverage.summary())
    if coverage.error:
        return f"[$text-error]{summary}[/]"
    lines = [f"[b]{summary}[/b]"]
    days: list[dt.date] = coverage.days
    if not coverage.universes or not days:
        return "\n".join(lines)
    width = max(len(u) for u in coverage.universes) + 2
    lines.append(" " * width + f"[dim]{escape(month_header(days))}[/dim]")
    lines.append(" " * width + "[dim]" + "".join(f"{d.day:02d} " for d in days).rstrip() + "[/]")
    for universe in coverage.universes:
        cells = " ".join(cell_markup(coverage.state(universe, day)) for day in days)
        lines.append(f"{escape(universe.ljust(width))}{cells}")
    return "\n".join(lines)


class CoverageGrid(Static):
    DEFAULT_CSS = """
    CoverageGrid {
        width: auto;
        height: auto;
        margin-bottom: 1;
    }
    """

    def __init__(self, coverage: Any, **kwargs: Any) -> None:
        super().__init__(grid_markup(coverage), **kwargs)
        self.coverage = coverage

    def state(self, universe: str, day: dt.date) -> str:
        return self.coverage.state(universe, day)
