"""ECharts options for the run preview (candlesticks or lines) and the health view (coverage
heat maps), built from the core's models. No NiceGUI here: the options are plain data."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from config_ui.core.health import DemoCoverage
from config_ui.core.output_preview import Chart
from config_ui.core.themes import ThemeSpec

COVERAGE_VALUES = {"done": 2, "partial": 1, "missing": 0}  # "none" (no partition): no cell


@dataclass(frozen=True)
class ChartColors:
    """The theme's colours a canvas needs (ECharts cannot read CSS variables)."""

    foreground: str = "#d0d0d0"
    muted: str = "#808080"
    up: str = "#3fb950"
    down: str = "#f85149"
    partial: str = "#d29922"

    @classmethod
    def of(cls, spec: ThemeSpec | None) -> ChartColors:
        if spec is None:
            return cls()
        return cls(spec.foreground, spec.secondary, spec.success, spec.error, spec.warning)


def _frame(title: str, colors: ChartColors) -> dict[str, Any]:
    return {
        "backgroundColor": "transparent",
        "textStyle": {"color": colors.foreground},
        "title": {
            "text": title,
            "left": "center",
            "textStyle": {"color": colors.foreground, "fontSize": 13},
        },
        "animation": False,
    }


def output_chart_options(chart: Chart, colors: ChartColors | None = None) -> dict[str, Any]:
    """A time chart of a run output: candlesticks for OHLC, else one line per series; x is
    the time bucket, with zoom by wheel and by a slider."""
    colors = colors or ChartColors()
    axis_line = {"lineStyle": {"color": colors.muted}}
    options: dict[str, Any] = {
        **_frame(chart.title, colors),
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "cross"}},
        "grid": {"left": 16, "right": 24, "top": 48, "bottom": 72, "containLabel": True},
        "xAxis": {"type": "category", "data": chart.x, "axisLine": axis_line},
        "yAxis": {
            "type": "value",
            "scale": True,
            "axisLine": axis_line,
            "splitLine": {"lineStyle": {"color": colors.muted, "opacity": 0.3}},
        },
        "dataZoom": [{"type": "inside"}, {"type": "slider", "bottom": 12}],
    }
    if chart.kind == "candlestick":
        s = chart.series
        data = [list(row) for row in zip(s["open"], s["close"], s["low"], s["high"], strict=True)]
        options["series"] = [
            {
                "type": "candlestick",
                "name": chart.title,
                "data": data,
                "itemStyle": {
                    "color": colors.up,
                    "color0": colors.down,
                    "borderColor": colors.up,
                    "borderColor0": colors.down,
                },
            }
        ]
    else:
        options["legend"] = {"top": 22, "textStyle": {"color": colors.foreground}}
        options["grid"]["top"] = 64
        options["series"] = [
            {"type": "line", "name": name, "data": values, "showSymbol": False}
            for name, values in chart.series.items()
        ]
    return options


def coverage_cells(coverage: DemoCoverage) -> list[list[int]]:
    """``[day index, universe index, value]`` for every partition (done 2, partial 1,
    missing 0); days that are not partitions (weekends, holidays) have no cell."""
    cells = []
    for y, universe in enumerate(coverage.universes):
        for x, day in enumerate(coverage.days):
            state = coverage.state(universe, day)
            if state in COVERAGE_VALUES:
                cells.append([x, y, COVERAGE_VALUES[state]])
    return cells


def coverage_chart_options(
    coverage: DemoCoverage, colors: ChartColors | None = None
) -> dict[str, Any]:
    """A demo's coverage as a heat map: days across, universes down, with a legend."""
    colors = colors or ChartColors()
    label = {"color": colors.foreground}
    return {
        **_frame(coverage.demo, colors),
        "tooltip": {"position": "top"},
        "grid": {"left": 16, "right": 16, "top": 36, "bottom": 64, "containLabel": True},
        "xAxis": {
            "type": "category",
            "data": [d.isoformat() for d in coverage.days],
            "splitArea": {"show": True},
            "axisLabel": label,
        },
        "yAxis": {
            "type": "category",
            "data": list(coverage.universes),
            "inverse": True,  # the first universe on top
            "splitArea": {"show": True},
            "axisLabel": label,
        },
        "visualMap": {
            "type": "piecewise",
            "orient": "horizontal",
            "left": "center",
            "bottom": 4,
            "textStyle": label,
            "pieces": [
                {"value": 2, "label": "done", "color": colors.up},
                {"value": 1, "label": "partial", "color": colors.partial},
                {"value": 0, "label": "missing", "color": colors.down},
            ],
        },
        "series": [
            {
                "type": "heatmap",
                "name": coverage.demo,
                "data": coverage_cells(coverage),
                "itemStyle": {"borderColor": colors.muted, "borderWidth": 1},
            }
        ],
    }
