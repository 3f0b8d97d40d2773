"""A finished run's outputs: pick one, see its first rows as a table and its main series as
a chart (candlesticks for OHLC, lines otherwise)."""

from __future__ import annotations

from collections.abc import Sequence

from nicegui import run, ui

from config_ui.core.local_run import RunOutput
from config_ui.core.output_preview import OutputPreview, preview_output
from config_ui.web.charts import ChartColors, output_chart_options
from config_ui.web.views import set_attr

PREVIEW_ROWS = 20


def output_label(output: RunOutput) -> str:
    rows = f"{output.rows:,} rows" if output.rows is not None else "rows unknown"
    return f"{output.pass_name}: {output.path.name} ({rows})"


def preview_table(preview: OutputPreview) -> ui.table:
    columns = [
        {"name": c, "label": c, "field": c, "align": "left", "headerClasses": "basalt-label"}
        for c in preview.columns
    ]
    rows = [
        {"_row": i, **dict(zip(preview.columns, cells, strict=True))}
        for i, cells in enumerate(preview.rows)
    ]
    table = ui.table(columns=columns, rows=rows, row_key="_row", pagination=0)
    table.props("dense flat bordered virtual-scroll").classes("w-full").style("max-height: 22rem")
    set_attr(table, "data-testid", "run-preview-table")
    return table.mark("run-preview-table")


def preview_chart(preview: OutputPreview, colors: ChartColors) -> ui.echart | None:
    if preview.chart is None:
        ui.label("No time axis to chart in this output.").classes("basalt-muted")
        return None
    chart = ui.echart(output_chart_options(preview.chart, colors)).classes("w-full h-96")
    set_attr(chart, "data-testid", "run-chart")
    set_attr(chart, "data-chart-kind", preview.chart.kind)
    return chart.mark("run-chart")


class OutputsView:
    """The outputs of one run inside ``container``: a select, then table and chart."""

    def __init__(
        self, container: ui.element, outputs: Sequence[RunOutput], colors: ChartColors
    ) -> None:
        self.outputs = list(outputs)
        self.colors = colors
        self.preview: OutputPreview | None = None
        container.clear()
        with container:
            options = {i: output_label(o) for i, o in enumerate(self.outputs)}
            self.select = ui.select(options, value=0, label="Output").props(
                "dense outlined options-dense"
            )
            self.select.classes("w-full").mark("run-output")
            set_attr(self.select, "data-action", "run-output")
            self.body = ui.column().classes("w-full gap-2")
        self.select.on_value_change(lambda e: self.show(e.value))

    async def show(self, index: int | None) -> None:
        if index is None or not 0 <= index < len(self.outputs):
            return
        output = self.outputs[index]
        self.body.clear()
        with self.body:
            waiting = ui.label(f"Reading {output.path.name}…").classes("basalt-muted")
        try:
            preview = await run.io_bound(preview_output, output.path, PREVIEW_ROWS)
        except Exception as exc:  # a file removed or rewritten since the run
            preview = None
            problem: str | None = f"Cannot read {output.path}: {exc}"
        else:
            problem = None
        if self.body.is_deleted:
            return
        waiting.delete()
        with self.body:
            if preview is None:
                ui.label(problem or "The preview was interrupted.").classes("basalt-error")
                return
            self.preview = preview
            ui.label(
                f"{output.path} · first {len(preview.rows)} of {preview.total_rows:,} rows"
            ).classes("basalt-muted break-all")
            preview_table(preview)
            preview_chart(preview, self.colors)
