"""A run output at a glance: its first rows, and the main series of one listing as a chart.

The chart picks what the output is about: candlesticks when it has a full OHLC set
(``TradeTotalOpen`` .. ``TradeTotalClose``, ``MidOpen`` ..), lines for spreads
(``SpreadBpsTWA`` ..), else a line of the first metric. It follows the first key (listing or
index) over time. Renderers draw it: an ECharts chart in the web editor, a table and a
sparkline in the terminal.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

KEY_COLUMNS = ("ListingId", "Index")
LABEL_COLUMNS = ("MIC", "Ticker")
OHLC = ("Open", "High", "Low", "Close")
MAX_LINES = 3


@dataclass
class Chart:
    """``kind`` candlestick: ``series`` holds open, close, low, high (ECharts' order);
    ``kind`` line: one series per column."""

    kind: str
    title: str
    x: list[str]
    series: dict[str, list[float | None]]

    @property
    def main(self) -> list[float]:
        """The series a sparkline shows: the close for candlesticks, else the first line."""
        values = (
            self.series["close"] if self.kind == "candlestick" else next(iter(self.series.values()))
        )
        return [v for v in values if v is not None]


@dataclass
class OutputPreview:
    path: Path
    columns: list[str]
    rows: list[list[str]]
    total_rows: int
    chart: Chart | None = None
    notes: list[str] = field(default_factory=list)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:,.6g}" if abs(value) < 1e6 else f"{value:,.0f}"
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    return str(value)


def ohlc_prefix(columns: list[str]) -> str | None:
    """``TradeTotal`` when TradeTotalOpen/High/Low/Close are all there (first such set)."""
    for name in columns:
        if name.endswith("Open"):
            prefix = name[: -len("Open")]
            if all(prefix + part in columns for part in OHLC):
                return prefix
    return None


def _numeric(frame: pl.DataFrame) -> list[str]:
    skip = {*KEY_COLUMNS, *LABEL_COLUMNS, "TimeBucket"}
    return [c for c, t in frame.schema.items() if c not in skip and t.is_numeric()]


def chart_for(frame: pl.DataFrame, points: int = 500) -> Chart | None:
    """The main series of the first key over time, or ``None`` when there is no time axis."""
    if frame.is_empty() or "TimeBucket" not in frame.columns:
        return None
    key = next((k for k in KEY_COLUMNS if k in frame.columns), None)
    title = ""
    if key is not None:
        first = frame[key][0]
        frame = frame.filter(pl.col(key) == first)
        labels = [str(frame[c][0]) for c in LABEL_COLUMNS if c in frame.columns]
        title = " ".join([*labels, f"({key} {first})"]) if labels else f"{key} {first}"
    frame = frame.sort("TimeBucket").head(points)
    x = [t.strftime("%Y-%m-%d %H:%M") for t in frame["TimeBucket"]]
    prefix = ohlc_prefix(frame.columns)
    if prefix is not None:
        series = {
            part.lower(): frame[prefix + part].to_list()
            for part in ("Open", "Close", "Low", "High")
        }
        return Chart("candlestick", f"{title} {prefix} OHLC".strip(), x, series)
    numeric = _numeric(frame)
    spreads = [c for c in numeric if c.startswith("Spread")]
    chosen = (sorted(spreads, key=lambda c: (not c.endswith("TWA"), c)) or numeric)[:MAX_LINES]
    if not chosen:
        return None
    return Chart(
        "line", f"{title} {', '.join(chosen)}".strip(), x, {c: frame[c].to_list() for c in chosen}
    )


def read_frame(path: Path) -> pl.DataFrame:
    return (
        pl.read_csv(path, try_parse_dates=True) if path.suffix == ".csv" else pl.read_parquet(path)
    )


def preview_output(path: str | Path, rows: int = 20, points: int = 500) -> OutputPreview:
    """First ``rows`` rows (as text) and the chart of one output file."""
    path = Path(path)
    frame = read_frame(path)
    shown = [[_cell(v) for v in row] for row in frame.head(rows).iter_rows()]
    return OutputPreview(path, frame.columns, shown, frame.height, chart_for(frame, points))
