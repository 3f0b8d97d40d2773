"""Health, from the run ledger: recent runs, each demo's coverage (universe x day) and the
checks that failed. Loaded in a worker thread; ``r`` loads it again."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Static
from textual.worker import Worker, WorkerState

from config_ui.tui.widgets.coverage_grid import CoverageGrid, legend_markup
from config_ui.tui.widgets.key_footer import KeyFooter

RUN_COLUMNS = (
    "Started (UTC)",
    "Trigger",
    "Demo",
    "Universe",
    "Dates",
    "Status",
    "Duration",
    "Rows",
    "Error",
)
CHECK_COLUMNS = ("Recorded", "Demo", "Pass", "Partition", "Check", "Severity", "Details")


def _when(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    return "" if value is None else str(value)


def _short(text: Any, width: int = 60) -> str:
    if not text:
        return ""
    line = str(text).strip().splitlines()[0] if str(text).strip() else ""
    return line if len(line) <= width else line[: width - 1] + "…"


def run_row(run: dict[str, Any]) -> list[str]:
    start, end = run.get("start_date"), run.get("end_date")
    dates = "" if start is None else str(start) if end in (None, start) else f"{start} to {end}"
    duration = run.get("duration_s")
    rows = run.get("rows")
    return [
        _when(run.get("started_at")),
        str(run.get("trigger") or ""),
        str(run.get("demo") or ""),
        str(run.get("universe") or ""),
        dates,
        str(run.get("status") or ""),
        "" if duration is None else f"{float(duration):.1f} s",
        "" if rows is None else f"{int(rows):,}",
        _short(run.get("error")),
    ]


def check_row(check: dict[str, Any]) -> list[str]:
    metadata = check.get("metadata") or {}
    details = ", ".join(f"{k}={v}" for k, v in metadata.items()) if metadata else ""
    return [
        _when(check.get("recorded_at")),
        str(check.get("demo") or ""),
        str(check.get("pass_name") or ""),
        str(check.get("partition_key") or ""),
        str(check.get("check_name") or ""),
        str(check.get("severity") or ""),
        _short(details),
    ]


def load(demo_folder: Path) -> Any:
    from config_ui.core.health import demo_scripts, load_health

    return load_health(demo_scripts(demo_folder))


class HealthScreen(Screen):
    DEFAULT_CSS = """
    HealthScreen #health-bar {
        height: 1;
        background: $panel;
        padding: 0 1;
    }
    HealthScreen #health-body {
        height: 1fr;
        padding: 0 1;
    }
    HealthScreen .health-heading {
        text-style: bold;
        margin-top: 1;
        height: 1;
    }
    HealthScreen #health-state {
        height: auto;
        color: $text-muted;
    }
    HealthScreen #health-state.-error {
        color: $text-error;
    }
    HealthScreen DataTable {
        height: auto;
        max-height: 16;
    }
    HealthScreen #coverage {
        height: auto;
    }
    HealthScreen #coverage-legend {
        height: 1;
        margin-bottom: 1;
    }
    """

    BINDINGS = [
        Binding("r", "refresh", "Refresh"),
        Binding("escape", "back", "Editor", tooltip="Back to the editor"),
        Binding("f2", "back", "Editor", show=False),
    ]

    def __init__(self, demo_folder: Path) -> None:
        super().__init__()
        self.demo_folder = demo_folder
        self.health: Any = None

    def compose(self) -> ComposeResult:
        yield Static(
            f"[b]Health[/b]  demos in {self.demo_folder.name}/ "
            "[dim]· runs, coverage and checks from the run ledger · r refreshes[/dim]",
            id="health-bar",
        )
        with VerticalScroll(id="health-body"):
            yield Static("Loading the run ledger …", id="health-state", markup=False)
            yield Static("Recent runs", classes="health-heading")
            yield DataTable(id="runs", zebra_stripes=True, cursor_type="row")
            yield Static("Coverage", classes="health-heading")
            yield Static(legend_markup(), id="coverage-legend")
            yield Vertical(id="coverage")
            yield Static("Failed checks", classes="health-heading")
            yield DataTable(id="checks", zebra_stripes=True, cursor_type="row")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#runs", DataTable).add_columns(*RUN_COLUMNS)
        self.query_one("#checks", DataTable).add_columns(*CHECK_COLUMNS)
        self.action_refresh()

    def action_refresh(self) -> None:
        self.query_one("#health-state", Static).update("Loading the run ledger …")
        self.run_worker(
            lambda: load(self.demo_folder),
            name="health",
            group="health",
            thread=True,
            exclusive=True,
            exit_on_error=False,
        )

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "health":
            return
        if event.state == WorkerState.SUCCESS:
            self.show(event.worker.result)
        elif event.state == WorkerState.ERROR:
            self._state(f"The run ledger cannot be read: {event.worker.error}", error=True)

    def _state(self, text: str, *, error: bool = False) -> None:
        state = self.query_one("#health-state", Static)
        state.update(text)
        state.set_class(error, "-error")

    def show(self, health: Any) -> None:
        self.health = health
        runs = self.query_one("#runs", DataTable)
        runs.clear()
        runs.add_rows(run_row(r) for r in health.runs)
        checks = self.query_one("#checks", DataTable)
        checks.clear()
        checks.add_rows(check_row(c) for c in health.failed_checks)
        coverage = self.query_one("#coverage", Vertical)
        coverage.remove_children()
        coverage.mount_all(CoverageGrid(c) for c in health.coverage)
        if health.error:
            self._state(f"The run ledger cannot be read: {health.error}", error=True)
            return
        failed = len(health.failed_checks)
        self._state(
            f"{len(health.runs)} recent run{'s' if len(health.runs) != 1 else ''}, "
            f"{len(health.coverage)} demo{'s' if len(health.coverage) != 1 else ''}, "
            f"{failed} failed check{'s' if failed != 1 else ''}."
            + ("" if health.runs else " No runs yet: F5 runs this demo.")
        )

    def action_back(self) -> None:
        self.app.show_editor()  # type: ignore[attr-defined]
