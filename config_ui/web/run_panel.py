"""The Run panel of one tab (a drawer on the right): universe and dates, Run locally, Run in
Dagster, Cancel; a local run's progress, log, result and the preview of its outputs.

A local run belongs to the tab that started it; the panel polls it every 0.2 s. When the tab
closes the run keeps going (the run ledger, and so the health view, show it) and the
server's shutdown cancels it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from nicegui import ui

from config_ui.core.dagster_launch import DagsterTarget
from config_ui.core.local_run import LocalRun, RunRequest, RunResult
from config_ui.core.run_state import LocalRunState
from config_ui.web import dialogs, runs_in_flight
from config_ui.web.charts import ChartColors
from config_ui.web.controller import EditorController
from config_ui.web.dagster_view import DagsterView
from config_ui.web.formatting import plural
from config_ui.web.notices import notify
from config_ui.web.output_view import OutputsView
from config_ui.web.run_form import RunForm, first_error
from config_ui.web.views import set_attr

POLL_SECONDS = 0.2
LOG_LINES = 1000
WIDTH = 600  # the drawer's width at first (px); the handle on its left edge resizes it
MIN_WIDTH = 380
KEEP_FOR_FORM = 420  # the form keeps at least this much of the window
RESIZE_EVENT = "basalt_run_width"

# Dragging the handle shows a guide line; on release the width goes to Python, which sets the
# drawer's width (the page's layout follows). A double click gives back the first width. The
# form keeps KEEP_FOR_FORM pixels beside the open navigation: on opening, a drawer too wide
# for the window narrows (``basaltFitRun``).
RESIZE_JS = """
<script>
(() => {
  const room = () => {
    const left = document.querySelector('.q-drawer--left:not(.q-layout--prevent-focus)');
    return window.innerWidth - (left ? left.offsetWidth : 0) - KEEP_FOR_FORM;
  };
  const widthAt = (x) => Math.round(Math.max(Math.min(window.innerWidth - x, room()), MIN_WIDTH));
  window.basaltFitRun = (current) => {
    if (current > room()) emitEvent('RESIZE_EVENT', {width: Math.max(room(), MIN_WIDTH)});
  };
  document.addEventListener('mousedown', (e) => {
    if (!e.target.closest || !e.target.closest('.basalt-resize-handle')) return;
    e.preventDefault();
    const guide = document.createElement('div');
    guide.className = 'basalt-resize-guide';
    document.body.appendChild(guide);
    const move = (ev) => { guide.style.left = (window.innerWidth - widthAt(ev.clientX)) + 'px'; };
    const up = (ev) => {
      document.removeEventListener('mousemove', move);
      document.removeEventListener('mouseup', up);
      guide.remove();
      emitEvent('RESIZE_EVENT', {width: widthAt(ev.clientX)});
    };
    move(e);
    document.addEventListener('mousemove', move);
    document.addEventListener('mouseup', up);
  });
  document.addEventListener('dblclick', (e) => {
    if (e.target.closest && e.target.closest('.basalt-resize-handle')) {
      emitEvent('RESIZE_EVENT', {width: null});
    }
  });
})();
</script>
"""
for _name, _value in (
    ("MIN_WIDTH", MIN_WIDTH),
    ("KEEP_FOR_FORM", KEEP_FOR_FORM),
    ("RESIZE_EVENT", RESIZE_EVENT),
):
    RESIZE_JS = RESIZE_JS.replace(_name, str(_value))


def _button(text: str, icon: str, action: str, handler: Callable[[], Any]) -> ui.button:
    button = ui.button(text, icon=icon, on_click=handler).props("no-caps")
    set_attr(button, "data-action", action)
    return button.mark(action)


def kept_text(result: RunResult) -> str:
    """What a cancelled run left: the outputs of the batches that finished before it."""
    if not result.outputs:
        return "No batch finished before the cancel: nothing was written."
    rows = sum(o.rows or 0 for o in result.outputs)
    return (
        f"Kept {plural(len(result.outputs), 'complete output')} ({rows:,} rows) of the "
        "batches that finished; the batch in flight left nothing behind. Preview:"
    )


class RunPanel:
    """State and actions of the Run drawer; :meth:`build` makes its elements."""

    def __init__(
        self, ctrl: EditorController, target: DagsterTarget, colors: ChartColors | None = None
    ) -> None:
        self.ctrl = ctrl
        self.target = target
        self.colors = colors or ChartColors()
        self.form = RunForm()
        self.form.follow(ctrl.session)
        self.state = LocalRunState()
        self.status = "idle"  # what the result line shows: the run's state, or refused
        self.refused: str | None = None
        self.refused_path: str | None = None
        self.outputs: OutputsView | None = None
        self.width = WIDTH

    # -- the elements ---------------------------------------------------------------------

    def build(self) -> ui.right_drawer:
        with ui.right_drawer(value=False).props(f"width={WIDTH} bordered") as drawer:
            self.drawer = drawer
            set_attr(drawer, "data-panel", "run")
            handle = ui.element("div").classes("basalt-resize-handle").mark("run-resize")
            set_attr(handle, "title", "Drag to resize; double-click for the first width")
            set_attr(handle, "data-action", "run-resize")
            with ui.row().classes("w-full items-center"):
                ui.label("Run").classes("text-lg basalt-label")
                ui.label(self.ctrl.pair.script.name).classes("basalt-muted")
                ui.space()
                close = ui.button(icon="close", on_click=drawer.hide).props("flat dense round")
                set_attr(close, "data-action", "close-run")
            self._inputs()
            with ui.row().classes("w-full gap-2"):
                self.local_button = _button(
                    "Run locally", "play_arrow", "run-local", self.run_local
                )
                self.dagster_button = _button(
                    "Run in Dagster", "rocket_launch", "run-dagster", self.run_dagster
                )
                self.cancel_button = _button("Cancel", "stop", "run-cancel", self.cancel)
                self.cancel_button.props("outline").disable()
            with ui.row().classes("w-full items-center gap-2") as self.refusal_row:
                self.refusal = ui.label("").classes("basalt-error").mark("run-refused")
                goto = ui.button("Show the field", on_click=self._show_refused_field)
                self.goto_button = goto.props("flat dense no-caps").mark("run-refused-goto")
            self.refusal_row.set_visibility(False)
            self.dagster = DagsterView(self.target, self.ctrl.project.demo_dir)
            ui.separator()
            self._local_part()
        self.timer = ui.timer(POLL_SECONDS, self.poll, active=False)
        ui.add_head_html(RESIZE_JS)
        ui.on(RESIZE_EVENT, lambda e: self.resize((e.args or {}).get("width")))
        return drawer

    def resize(self, width: Any) -> None:
        """Set the drawer's width in pixels (None: the first width)."""
        try:
            pixels = WIDTH if width is None else max(MIN_WIDTH, int(width))
        except (TypeError, ValueError):
            return
        self.width = pixels
        self.drawer.props(f"width={pixels}")

    def _inputs(self) -> None:
        with ui.row().classes("w-full items-start gap-2"):  # the dates wrap below when narrow
            self.universe = ui.select(
                self.form.universes,
                label="Universe",
                with_input=True,
                new_value_mode="add-unique",
            ).bind_value(self.form, "universe")
            self.universe.props("dense outlined options-dense").classes("min-w-[16rem] grow")
            self.universe.mark("run-universe")
            set_attr(self.universe, "data-field", "run-universe")
            for name, label in (("start", "Start date"), ("end", "End date")):
                field = ui.input(label, placeholder="YYYY-MM-DD").bind_value(self.form, name)
                field.props("dense outlined").classes("w-[8.5rem]").mark(f"run-{name}")
                set_attr(field, "data-field", f"run-{name}")

    def _local_part(self) -> None:
        self.command = (
            ui.label("").classes("basalt-muted font-mono break-words").mark("run-command")
        )
        with ui.row().classes("w-full items-center gap-2 no-wrap"):
            self.progress = ui.linear_progress(0, show_value=False, size="10px").classes("grow")
            set_attr(self.progress, "data-testid", "run-progress")
            set_attr(self.progress, "data-progress", "")
            self.progress.mark("run-progress")
            self.progress_text = ui.label("").classes("basalt-muted whitespace-nowrap")
        self.log = ui.log(max_lines=LOG_LINES).classes(
            "w-full h-48 shrink-0 font-mono text-xs basalt-run-log"
        )
        set_attr(self.log, "data-testid", "run-log")
        self.log.mark("run-log")
        self.result = ui.label("No run yet.").classes("whitespace-pre-wrap").mark("run-result")
        set_attr(self.result, "data-testid", "run-result")
        set_attr(self.result, "data-run-status", "idle")
        self.outputs_box = ui.column().classes("w-full gap-2")

    # -- opening ----------------------------------------------------------------------------

    def open(self) -> None:
        """Show the drawer with the session's current universe and dates as defaults."""
        self.follow()
        self.drawer.show()
        ui.run_javascript(f"window.basaltFitRun && window.basaltFitRun({self.width})")

    def follow(self) -> None:
        """Universe and dates follow the session (unsaved edits too); typed values stay."""
        self.form.follow(self.ctrl.session)
        self.universe.set_options(self.form.universes, value=self.form.universe)

    def toggle(self) -> None:
        if self.drawer.value:
            self.drawer.hide()
        else:
            self.open()

    # -- checks before a run ----------------------------------------------------------------

    def refuse(self, message: str | None, path: str | None = None) -> None:
        self.refused, self.refused_path = message, path
        self.refusal.set_text(message or "")
        self.goto_button.set_visibility(bool(path))
        self.refusal_row.set_visibility(bool(message))
        if message:
            notify(message, type="negative")

    def _show_refused_field(self) -> None:
        if self.refused_path:
            self.ctrl.goto(self.refused_path)

    def check(self) -> bool:
        """Refuse a config with errors (its first one, path and message) or bad inputs."""
        self.follow()
        error = first_error(self.ctrl.session, self.ctrl.input_errors)
        if error is not None:
            path, message = error
            where = f" at {path}" if path else ""
            self.refuse(f"Not run: the config has an error{where}: {message}", path or None)
            return False
        problem = self.form.problem()
        if problem:
            self.refuse(f"Not run: {problem}")
            return False
        self.refuse(None)
        return True

    def _after_save(self, action: Callable[[], Any]) -> Callable[[], Any]:
        def save_then_run() -> Any:
            self.ctrl.save()
            if self.ctrl.session.dirty:
                notify("Not saved, so nothing was run", type="warning")
                return None
            return action()

        return save_then_run

    # -- local runs ---------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self.state.in_flight

    @property
    def local(self) -> LocalRun | None:
        return self.state.run

    def run_local(self) -> None:
        with self.drawer:
            if self.running:
                notify("A run is in progress in this tab; cancel it or wait", type="warning")
                return
            if not self.check():
                return
            if self.ctrl.session.dirty:
                dialogs.unsaved_run_dialog(
                    self.ctrl,
                    self._after_save(self.start_local),
                    lambda: self.start_local(unsaved=True),
                    where="locally",
                )
                return
            self.start_local()

    def start_local(self, unsaved: bool = False) -> LocalRun | None:
        with self.drawer:
            if self.running or not self.check():
                return None
            start, end = self.form.dates
            universe = (self.form.universe or "").strip()
            request = RunRequest(
                script=self.ctrl.pair.script,
                universe=universe,
                start_date=start,
                end_date=end,
                unsaved_yaml=self.ctrl.session.document.text if unsaved else None,
                trigger="web",
            )
            try:
                run = self.state.start(request)
            except OSError as exc:
                self.refuse(f"Could not start the run: {exc}")
                return None
            runs_in_flight.track(run)
            self.log.clear()
            self.outputs_box.clear()
            self.outputs = None
            self.command.set_text(run.command)
            self._set_progress(None)
            what = " with unsaved edits" if unsaved else ""
            self._set_status("running", f"Running {universe}, {start}..{end}{what}…")
            self.cancel_button.enable()
            self.local_button.disable()
            self.timer.activate()
            return run

    def cancel(self) -> None:
        if not self.state.cancel():
            return
        self.cancel_button.disable()
        self._set_status("cancelling", "Cancelling…")

    async def poll(self) -> None:
        """Bring the page up to date with the run (every 0.2 s while one is going)."""
        update = self.state.poll()
        if update is None:
            self.timer.deactivate()
            return
        for line in update.lines[-LOG_LINES:]:
            self.log.push(line)
        self._set_progress(update.progress)
        if update.result is not None:
            self.timer.deactivate()
            await self._finished(update.result)

    async def _finished(self, result: RunResult) -> None:
        self.cancel_button.disable()
        self.local_button.enable()
        self._set_status(result.status, result.describe())
        if result.status == "success" and result.outputs:
            self.outputs = OutputsView(self.outputs_box, result.outputs, self.colors)
            await self.outputs.show(0)
        elif result.status == "success":
            with self.outputs_box:
                ui.label("The run wrote no outputs.").classes("basalt-muted")
        elif result.status == "cancelled":
            with self.outputs_box:
                kept = ui.label(kept_text(result)).classes("basalt-muted").mark("run-kept")
                set_attr(kept, "data-testid", "run-kept")
                preview_box = ui.column().classes("w-full gap-2")
            if result.outputs:
                self.outputs = OutputsView(preview_box, result.outputs, self.colors)
                await self.outputs.show(0)

    def _set_progress(self, progress: tuple[int, int] | None) -> None:
        done, total = progress or (0, 0)
        self.progress.set_value(done / total if total else 0.0)
        set_attr(self.progress, "data-progress", f"{done}/{total}" if progress else "")
        self.progress_text.set_text(f"batch {done}/{total}" if progress else "")

    def _set_status(self, status: str, text: str) -> None:
        self.status = status
        self.result.set_text(text)
        set_attr(self.result, "data-run-status", status)
        kinds = {
            "success": "basalt-ok",
            "failed": "basalt-error",
            "cancelled": "basalt-warn",
            "lost": "basalt-error",
        }
        self.result.classes(
            add=kinds.get(status, ""),
            remove=" ".join(c for s, c in kinds.items() if s != status),
        )

    # -- Dagster ----------------------------------------------------------------------------

    async def run_dagster(self) -> None:
        with self.drawer:
            if not self.check():
                return
            if self.ctrl.session.dirty:
                dialogs.unsaved_run_dialog(
                    self.ctrl, self._after_save(self.launch_dagster), None, where="in Dagster"
                )
                return
            await self.launch_dagster()

    async def launch_dagster(self) -> None:
        with self.drawer:
            config = self.ctrl.session.config
            if config is None or not self.check():
                return
            start, end = self.form.dates
            await self.dagster.run(
                self.ctrl.pair.script, config, (self.form.universe or "").strip(), start, end
            )
