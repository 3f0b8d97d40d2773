"""The health view: recent runs (from every editor, the command line and Dagster) with their
status in colour, each demo's partition coverage as a percent with its heat map folded (one
line for a demo never run), and failed checks, read from the run ledger."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from nicegui import run, ui

from config_ui.core.health import DemoCoverage, Health, demo_scripts, load_health
from config_ui.web.charts import ChartColors, coverage_chart_options
from config_ui.web.views import set_attr

RUN_COLUMNS = (
    ("started", "Started"),
    ("trigger", "Trigger"),
    ("demo", "Demo"),
    ("universe", "Universe"),
    ("dates", "Dates"),
    ("status", "Status"),
    ("duration", "Duration"),
    ("rows", "Rows"),
    ("error", "Error"),
)
CHECK_COLUMNS = (
    ("recorded", "Recorded"),
    ("demo", "Demo"),
    ("pass_name", "Pass"),
    ("partition_key", "Partition"),
    ("check_name", "Check"),
    ("severity", "Severity"),
    ("details", "Details"),
)


def _when(value: Any) -> str:
    return (
        value.strftime("%Y-%m-%d %H:%M:%S") if isinstance(value, dt.datetime) else str(value or "")
    )


def run_rows(runs: list[dict[str, Any]]) -> list[dict[str, str]]:
    """The ledger's runs as table rows (text cells)."""
    rows = []
    for r in runs:
        start, end = r.get("start_date"), r.get("end_date")
        dates = f"{start}..{end}" if end and end != start else str(start or "")
        duration = r.get("duration_s")
        error = (r.get("error") or "").strip().splitlines()
        rows.append(
            {
                "id": r["run_id"],
                "started": _when(r.get("started_at")),
                "trigger": r.get("trigger") or "",
                "demo": r.get("demo") or "",
                "universe": r.get("universe") or "",
                "dates": dates,
                "status": r.get("status") or "",
                "duration": f"{duration:.1f} s" if duration is not None else "",
                "rows": f"{int(r['rows']):,}" if r.get("rows") is not None else "",
                "error": (error[0][:160] if error else ""),
            }
        )
    return rows


def check_rows(checks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    rows = []
    for i, c in enumerate(checks):
        details = ", ".join(f"{k}={v}" for k, v in (c.get("metadata") or {}).items())
        rows.append(
            {
                "id": i,
                "recorded": _when(c.get("recorded_at")),
                "demo": c.get("demo") or "",
                "pass_name": c.get("pass_name") or "",
                "partition_key": c.get("partition_key") or "",
                "check_name": c.get("check_name") or "",
                "severity": c.get("severity") or "",
                "details": details[:200],
            }
        )
    return rows


# Quasar colours of the ledger's run statuses (running, success, failed, cancelled, lost).
STATUS_COLORS = {
    "success": "positive",
    "failed": "negative",
    "lost": "negative",
    "cancelled": "warning",
    "running": "info",
}
# The status cell as a coloured badge (the colours as a JavaScript object in the template).
_COLOR_OBJECT = ", ".join(f"{status}: '{color}'" for status, color in STATUS_COLORS.items())
STATUS_SLOT = (
    '<q-td :props="props"><q-badge rounded :label="props.value" :data-status="props.value"'
    f" :color=\"({{{_COLOR_OBJECT}}})[props.value] || 'grey'\" /></q-td>"
)


def coverage_percent(coverage: DemoCoverage) -> int:
    """The share of the demo's expected partitions with every pass materialized (0-100)."""
    total = len(coverage.expected)
    return round(100 * (total - coverage.missing) / total) if total else 0


def never_ran(coverage: DemoCoverage, runs: list[dict[str, Any]]) -> bool:
    """Nothing of the demo materialized and no recent run of it in the ledger."""
    return not any(coverage.done.values()) and not any(r.get("demo") == coverage.demo for r in runs)


def _table(columns: tuple[tuple[str, str], ...], rows: list[dict[str, Any]], name: str) -> ui.table:
    table = ui.table(
        columns=[{"name": k, "label": t, "field": k, "align": "left"} for k, t in columns],
        rows=rows,
        row_key="id",
        pagination=0,
    )
    table.props("dense flat bordered").classes("w-full")
    set_attr(table, "data-testid", name)
    return table.mark(name)


class HealthView:
    """The health view's content inside a dialog, loaded off the event loop."""

    def __init__(self, demo_dir: Path, colors: ChartColors) -> None:
        self.demo_dir = demo_dir
        self.colors = colors
        self.health: Health | None = None
        with ui.dialog().props("maximized") as self.dialog, ui.card().classes("w-full") as card:
            set_attr(card, "data-dialog", "health")
            card.mark("dialog:health")
            with ui.row().classes("w-full items-center"):
                ui.label("Health").classes("text-xl basalt-label")
                ui.label("runs, coverage and checks from the run ledger").classes("basalt-muted")
                ui.space()
                refresh = ui.button("Refresh", icon="refresh", on_click=self.refresh)
                refresh.props("flat no-caps").mark("health-refresh")
                set_attr(refresh, "data-action", "health-refresh")
                close = ui.button(icon="close", on_click=self.dialog.close)
                close.props("flat round dense").mark("health-close")
                set_attr(close, "data-action", "health-close")
            self.body = ui.column().classes("w-full gap-3")
        self.dialog.on("hide", self.dialog.delete)

    async def refresh(self) -> None:
        self.body.clear()
        with self.body:
            ui.spinner()
        health = await run.io_bound(load_health, demo_scripts(self.demo_dir))
        if self.body.is_deleted or health is None:
            return
        self.health = health
        self.body.clear()
        with self.body:
            self._build(health)

    def _build(self, health: Health) -> None:
        if health.error:
            ui.label(f"The run ledger cannot be read: {health.error}").classes("basalt-error")
        ui.label("Recent runs").classes("text-lg basalt-label")
        if health.runs:
            table = _table(RUN_COLUMNS, run_rows(health.runs), "health-runs")
            table.add_slot("body-cell-status", STATUS_SLOT)
        else:
            ui.label("No runs recorded yet.").classes("basalt-muted").mark("health-no-runs")
        ui.label("Coverage").classes("text-lg basalt-label")
        ran = [c for c in health.coverage if c.error or not never_ran(c, health.runs)]
        for coverage in ran:
            self._coverage(coverage)
        never = [c for c in health.coverage if c not in ran]
        if never:
            with ui.column().classes("w-full gap-0") as box:
                box.mark("health-never-run")
                for coverage in never:
                    line = ui.label(f"{coverage.summary()} · never run").classes("basalt-muted")
                    line.mark(f"coverage:{coverage.demo}")
                    set_attr(line, "data-coverage", coverage.demo)
                    set_attr(line, "data-never-run", "true")
        ui.label("Failed checks").classes("text-lg basalt-label")
        if health.failed_checks:
            _table(CHECK_COLUMNS, check_rows(health.failed_checks), "health-checks")
        else:
            ui.label("No failed checks.").classes("basalt-muted").mark("health-no-checks")

    def _coverage(self, coverage: DemoCoverage) -> None:
        """One demo that ran: its summary and percent on one line, the heat map folded."""
        with ui.column().classes("w-full gap-0") as box:
            set_attr(box, "data-coverage", coverage.demo)
            with ui.row().classes("w-full items-center gap-3 no-wrap"):
                summary = ui.label(coverage.summary())
                summary.classes("basalt-error" if coverage.error else "grow")
                summary.mark(f"coverage:{coverage.demo}")
                if coverage.error:
                    return
                percent = coverage_percent(coverage)
                bar = ui.linear_progress(percent / 100, show_value=False, size="8px")
                bar.classes("w-48").props(
                    f"color={'positive' if percent == 100 else 'warning' if percent else 'negative'}"
                )
                label = ui.label(f"{percent}%").classes("basalt-label w-12 text-right")
                label.mark(f"coverage-percent:{coverage.demo}")
                set_attr(label, "data-percent", str(percent))
            if not coverage.universes or not coverage.days:
                return
            with ui.expansion("Heat map", icon="grid_on", value=False).classes("w-full") as fold:
                fold.props("dense")
                set_attr(fold, "data-heatmap-for", coverage.demo)
                height = 110 + 26 * len(coverage.universes)
                chart = ui.echart(coverage_chart_options(coverage, self.colors))
                chart.classes("w-full").style(f"height: {height}px")
                set_attr(chart, "data-testid", f"coverage-chart-{coverage.demo}")


async def open_health(demo_dir: Path, colors: ChartColors | None = None) -> HealthView:
    view = HealthView(demo_dir, colors or ChartColors())
    view.dialog.open()
    await view.refresh()
    return view
