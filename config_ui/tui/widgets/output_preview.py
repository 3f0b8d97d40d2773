"""A run's outputs at a glance: pick one, see its main series as a sparkline and its first
rows as a table. Files are read in a worker thread (an output can be large)."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Select, Sparkline, Static
from textual.worker import Worker, WorkerState

PREVIEW_ROWS = 20


def load_preview(path: Path) -> Any:
    """The preview of ``path``, or the reason it cannot be read (a string)."""
    from config_ui.core.output_preview import preview_output

    try:
        return preview_output(path, rows=PREVIEW_ROWS)
    except Exception as exc:  # a missing or unreadable file is shown, not raised
        return f"cannot read {path}: {exc}"


class OutputPreviewPanel(Vertical):
    DEFAULT_CSS = """
    OutputPreviewPanel {
        height: 1fr;
        display: none;
    }
    OutputPreviewPanel.-shown {
        display: block;
    }
    OutputPreviewPanel #output-choice {
        display: none;
        width: 1fr;
    }
    OutputPreviewPanel.-several #output-choice {
        display: block;
    }
    OutputPreviewPanel .preview-title {
        height: 1;
        padding: 0 1;
        color: $text-muted;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    OutputPreviewPanel Sparkline {
        height: 3;
        margin: 0 1;
    }
    OutputPreviewPanel DataTable {
        height: 1fr;
        min-height: 4;
    }
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.outputs: list[Any] = []
        self.preview: Any = None
        self._wanted: str | None = None

    def compose(self) -> ComposeResult:
        yield Select[int]([], prompt="output", id="output-choice")
        yield Static("", id="chart-title", classes="preview-title", markup=False)
        yield Sparkline([], id="chart")
        yield Static("", id="table-title", classes="preview-title", markup=False)
        yield DataTable(id="preview-table", zebra_stripes=True, cursor_type="row")

    # -- what to show -------------------------------------------------------------------------

    def show_outputs(self, outputs: list[Any]) -> None:
        """The outputs of a run (``RunOutput``s); previews the first."""
        self.outputs = list(outputs)
        self.set_class(bool(self.outputs), "-shown")
        self.set_class(len(self.outputs) > 1, "-several")
        if not self.outputs:
            return
        select = self.query_one("#output-choice", Select)
        with self.prevent(Select.Changed):
            select.set_options(
                (f"{o.pass_name} · {Path(o.path).name}", i) for i, o in enumerate(self.outputs)
            )
            select.value = 0
        self.open(0)

    def clear(self) -> None:
        self.show_outputs([])
        self.preview = None

    def open(self, index: int) -> None:
        path = Path(self.outputs[index].path)
        self._wanted = str(path)
        self.query_one("#chart-title", Static).update(f"Reading {path.name} …")
        self.run_worker(
            partial(load_preview, path),
            name=str(path),
            group="preview",
            thread=True,
            exclusive=True,
            exit_on_error=False,
        )

    @on(Select.Changed, "#output-choice")
    def _output_chosen(self, event: Select.Changed) -> None:
        if isinstance(event.value, int) and event.value < len(self.outputs):
            self.open(event.value)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if worker.group != "preview" or worker.name != self._wanted:
            return
        if event.state == WorkerState.SUCCESS:
            self._show(worker.result)
        elif event.state == WorkerState.ERROR:
            self._show(f"cannot read {worker.name}: {worker.error}")

    def _show(self, preview: Any) -> None:
        chart_title = self.query_one("#chart-title", Static)
        table_title = self.query_one("#table-title", Static)
        sparkline = self.query_one(Sparkline)
        table = self.query_one(DataTable)
        table.clear(columns=True)
        if isinstance(preview, str):
            self.preview = None
            chart_title.update(preview)
            table_title.update("")
            sparkline.data = []
            return
        self.preview = preview
        chart = preview.chart
        chart_title.update(chart.title if chart is not None else "No time series to chart")
        sparkline.data = chart.main if chart is not None else []
        shown = len(preview.rows)
        table_title.update(
            f"First {shown:,} of {preview.total_rows:,} rows · {preview.path}"
            if shown < preview.total_rows
            else f"{preview.total_rows:,} rows · {preview.path}"
        )
        table.add_columns(*preview.columns)
        table.add_rows(preview.rows)
