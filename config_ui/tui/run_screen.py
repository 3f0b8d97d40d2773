"""Run the open demo: locally (a subprocess whose output, progress and result show here) or
in Dagster (a run or a backfill, with its status and link).

The screen is installed once and kept while the app runs: leaving it (Escape, F2) does not
stop a run, and coming back shows the run where it is. A local run is polled ten times a
second from a timer; the run itself lives in :class:`config_ui.core.local_run.LocalRun`.
"""

from __future__ import annotations

import datetime as dt
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.widgets import Button, Static

from config_ui.core.dagster_launch import DagsterTarget
from config_ui.core.local_run import LocalRun, RunRequest
from config_ui.core.run_defaults import run_defaults
from config_ui.core.run_state import FINAL, LocalRunState
from config_ui.core.session import EditorSession
from config_ui.tui.dialogs.unsaved_run import UnsavedRunScreen
from config_ui.tui.widgets.dagster_panel import DagsterPanel
from config_ui.tui.widgets.key_footer import KeyFooter
from config_ui.tui.widgets.output_preview import OutputPreviewPanel
from config_ui.tui.widgets.reload_status_line import ReloadStatusLine
from config_ui.tui.widgets.run_log import RunLog
from config_ui.tui.widgets.run_options import RunOptions, RunOptionsError
from config_ui.tui.widgets.run_result_line import RunResultLine, result_text

if TYPE_CHECKING:
    from config_ui.tui.app import EditorApp

POLL_SECONDS = 0.1
Prepared = tuple[str, dt.date, dt.date]


class RunScreen(Screen):
    DEFAULT_CSS = """
    RunScreen #run-bar {
        height: 1;
        background: $panel;
    }
    RunScreen #run-title {
        width: auto;
        padding: 0 1;
    }
    RunScreen #run-buttons {
        height: auto;
        padding: 0 1;
    }
    RunScreen #run-buttons Button {
        margin-right: 1;
    }
    RunScreen #run-body {
        height: 1fr;
    }
    RunScreen #run-body > * {
        width: 1fr;
    }
    """

    BINDINGS = [
        Binding("escape", "back", "Editor", tooltip="Back to the editor"),
        Binding("f2", "back", "Editor", show=False),
    ]

    def __init__(
        self,
        session: EditorSession,
        *,
        target: DagsterTarget,
        output_dir: Path | None = None,
    ) -> None:
        super().__init__()
        self.session = session
        self.target = target
        self.output_dir = output_dir
        self.local = LocalRunState()

    @property
    def editor_app(self) -> EditorApp:
        return self.app  # type: ignore[return-value]

    @property
    def run(self) -> LocalRun | None:
        return self.local.run

    @property
    def in_flight(self) -> bool:
        return self.local.in_flight

    @property
    def _reported(self) -> bool:
        return self.local.run is None or self.local.state in FINAL

    @property
    def _shown(self) -> int:
        return self.local._shown

    @property
    def demo_name(self) -> str:
        return (self.session.script or self.session.path).stem

    # -- layout -----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="run-bar"):
            yield Static(
                f"[b]Run[/b]  {self.demo_name}  [dim]locally or in Dagster ({self.target.url})"
                "[/dim]",
                id="run-title",
            )
            yield ReloadStatusLine(self.target.port)
        yield RunOptions()
        with Horizontal(id="run-buttons"):
            yield Button("Run locally", id="run-local", variant="primary")
            yield Button("Run in Dagster", id="run-dagster")
            yield Button("Cancel", id="cancel", variant="error", disabled=True)
        yield RunResultLine("Choose a universe and dates, then run.", id="run-result")
        yield DagsterPanel(self.target, demo_dir=(self.session.script or self.session.path).parent)
        with Horizontal(id="run-body"):
            yield RunLog()
            yield OutputPreviewPanel()
        yield KeyFooter()

    def on_resize(self) -> None:
        self.query_one(RunOptions).set_class(self.size.width >= 140, "-one-row")

    def on_mount(self) -> None:
        self.follow_config()
        self.set_interval(POLL_SECONDS, self.poll)

    def on_screen_resume(self) -> None:
        self.follow_config()

    def follow_config(self) -> None:
        """The run options follow the session's universe and dates (unsaved edits too)."""
        self.query_one(RunOptions).follow(run_defaults(self.session))

    def _buttons(self) -> None:
        """Run locally while idle, Cancel while a run is in flight. The button about to be
        disabled hands its focus to the other one (never to "Run in Dagster")."""
        running = self.in_flight
        run_local = self.query_one("#run-local", Button)
        cancel = self.query_one("#cancel", Button)
        enabled, disabled = (cancel, run_local) if running else (run_local, cancel)
        enabled.disabled = False
        if self.focused is disabled or self.focused is None:
            enabled.focus()
        disabled.disabled = True

    def refuse(self, message: str) -> None:
        self.query_one(RunResultLine).say(message, "refused")
        self.notify(message, severity="error", timeout=8)

    # -- what to run -------------------------------------------------------------------------

    async def prepare(self) -> Prepared | None:
        """The universe and dates to run, or None (the reason shown) when the demo cannot
        run as it is: no script, a config that does not validate, a field not understood."""
        editor = self.editor_app.editor
        if editor is not None and editor.flush_pending():
            await editor.refresh_view()
        self.follow_config()
        if self.session.script is None:
            self.refuse(f"{self.session.path.name} has no demo script beside it: nothing to run.")
            return None
        if self.session.config is None:
            issue = self.session.issues[0] if self.session.issues else None
            where = f"{issue.path or '<root>'}: {issue.message}" if issue else "unknown error"
            self.refuse(f"Cannot run: the config does not validate. {where}")
            return None
        try:
            return self.query_one(RunOptions).values()
        except RunOptionsError as exc:
            self.refuse(str(exc))
            return None

    async def save_first(self) -> bool:
        editor = self.editor_app.editor
        if editor is not None:
            return await editor.save_now()
        return False

    # -- running locally ---------------------------------------------------------------------

    @on(Button.Pressed, "#run-local")
    async def action_run_local(self) -> None:
        if self.in_flight:
            self.notify("A run is already in flight; Cancel stops it.", severity="warning")
            return
        prepared = await self.prepare()
        if prepared is None:
            return
        if self.session.dirty:
            dialog = UnsavedRunScreen(self.session.path.name)
            self.app.push_screen(dialog, partial(self._unsaved_answered, prepared))
            return
        self.start_local(prepared)

    async def _unsaved_answered(self, prepared: Prepared, choice: str | None) -> None:
        if choice == "save":
            if await self.save_first():
                self.start_local(prepared)
        elif choice == "unsaved":
            self.start_local(prepared, unsaved_yaml=self.session.document.text)

    def start_local(self, prepared: Prepared, unsaved_yaml: str | None = None) -> None:
        universe, start, end = prepared
        assert self.session.script is not None
        request = RunRequest(
            script=self.session.script,
            universe=universe,
            start_date=start,
            end_date=end,
            unsaved_yaml=unsaved_yaml,
            trigger="tui",
            output_dir=self.output_dir,
        )
        try:
            run = self.local.start(request)
        except OSError as exc:
            self.refuse(f"Could not start the run: {exc}")
            return
        self.query_one(RunLog).start(run.command)
        self.query_one(OutputPreviewPanel).clear()
        edits = " (unsaved edits)" if unsaved_yaml is not None else ""
        self.query_one(RunResultLine).say(
            f"Running {self.demo_name}{edits} for {universe}, {start} to {end} …", "running"
        )
        self._buttons()

    def poll(self) -> None:
        """Bring the log, the progress and the result up to date with the run."""
        update = self.local.poll()
        if update is None:
            return
        if update.lines:
            self.query_one(RunLog).write(update.lines)
        if update.progress is not None:
            self.query_one(RunLog).progress(*update.progress)
        if update.result is not None:
            self.finished(update.result)

    def finished(self, result: Any) -> None:
        self.query_one(RunResultLine).show(result)
        self.query_one(RunLog).finished(result.status == "success")
        self.query_one(OutputPreviewPanel).show_outputs(result.outputs)
        self._buttons()
        if self.app.screen is not self:
            severity: SeverityLevel = "error"
            if result.status == "success":
                severity = "information"
            elif result.status == "cancelled":
                severity = "warning"
            self.app.notify(f"Run of {self.demo_name}: {result_text(result)}", severity=severity)

    @on(Button.Pressed, "#cancel")
    def action_cancel_run(self) -> None:
        if not self.local.cancel():
            return
        self.query_one(RunResultLine).say(
            "Cancelling … (outputs being written are removed)", "cancelled"
        )
        cancel = self.query_one("#cancel", Button)
        if self.focused is cancel:
            self.query_one("#run-output").focus()
        cancel.disabled = True

    # -- running in Dagster ----------------------------------------------------------------------

    @on(Button.Pressed, "#run-dagster")
    async def action_run_dagster(self) -> None:
        panel = self.query_one(DagsterPanel)
        if panel.busy:
            self.notify("Dagster is busy with the last request; wait a moment.")
            return
        prepared = await self.prepare()
        if prepared is None:
            return
        if self.session.dirty:
            dialog = UnsavedRunScreen(self.session.path.name, allow_unsaved=False)
            self.app.push_screen(dialog, partial(self._dagster_answered, prepared))
            return
        self.launch_in_dagster(prepared)

    async def _dagster_answered(self, prepared: Prepared, choice: str | None) -> None:
        if choice == "save" and await self.save_first():
            self.launch_in_dagster(prepared)

    def launch_in_dagster(self, prepared: Prepared) -> None:
        assert self.session.script is not None
        self.query_one(DagsterPanel).start_launch(
            self.session.script, self.session.config, *prepared
        )

    # -- leaving ---------------------------------------------------------------------------------

    def action_back(self) -> None:
        self.editor_app.show_editor()
