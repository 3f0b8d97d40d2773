"""The health view: recent runs (from every editor, the command line and Dagster), each
demo's partition coverage as a heat map, and failed checks, read from the run ledger."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from nicegui import run, ui

from config_ui.core.health import Health, demo_scripts, load_health
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


def check_rows(checks: list[dict[str, Any]]) -> list[dict[str, str]]:
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
            _table(RUN_COLUMNS, run_rows(health.runs), "health-runs")
        else:
            ui.label("No runs recorded yet.").classes("basalt-muted").mark("health-no-runs")
        ui.label("Coverage").classes("text-lg basalt-label")
        for coverage in health.coverage:
            with ui.column().classes("w-full gap-0") as box:
                set_attr(box, "data-coverage", coverage.demo)
                summary = ui.label(coverage.summary())
                summary.classes("basalt-error" if coverage.error else "basalt-muted")
                summary.mark(f"coverage:{coverage.demo}")
                if coverage.error or not coverage.universes or not coverage.days:
                    continue
                height = 110 + 26 * len(coverage.universes)
                chart = ui.echart(coverage_chart_options(coverage, self.colors))
                chart.classes("w-full").style(f"height: {height}px")
                set_attr(chart, "data-testid", f"coverage-chart-{coverage.demo}")
        ui.label("Failed checks").classes("text-lg basalt-label")
        if health.failed_checks:
            _table(CHECK_COLUMNS, check_rows(health.failed_checks), "health-checks")
        else:
            ui.label("No failed checks.").classes("basalt-muted").mark("health-no-checks")


async def open_health(demo_dir: Path, colors: ChartColors | None = None) -> HealthView:
    view = HealthView(demo_dir, colors or ChartColors())
    view.dialog.open()
    await view.refresh()
    return view
