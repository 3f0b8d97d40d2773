"""Run in Dagster: draws what :class:`~config_ui.core.dagster_run_state.DagsterRunState`
says (checking, Start Dagster when nothing answers, the run's status and link) and forwards
the clicks to it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Button, Link, Static

from config_ui.core.dagster_run_state import (
    DagsterRunState,
    DagsterUpdate,
    dev_log_path,
    dev_starter,
)

POLL_SECONDS = 0.2  # how often the panel draws the state's news


class DagsterPanel(Vertical):
    DEFAULT_CSS = """
    DagsterPanel {
        height: auto;
        padding: 0 1;
        display: none;
    }
    DagsterPanel.-shown {
        display: block;
    }
    DagsterPanel #dagster-status {
        height: auto;
    }
    DagsterPanel.-error #dagster-status {
        color: $text-error;
    }
    DagsterPanel > Horizontal {
        height: auto;
    }
    DagsterPanel #start-dagster {
        display: none;
        margin-right: 2;
    }
    DagsterPanel.-offline #start-dagster {
        display: block;
    }
    DagsterPanel #dagster-url {
        display: none;
        margin-top: 1;
    }
    DagsterPanel.-launched #dagster-url {
        display: block;
    }
    """

    class Started(Message):
        """``basalt dagster dev`` was started (or found) on the target: ``handle.stop()``
        stops what was started, and should be called when the editor exits."""

        def __init__(self, handle: Any) -> None:
            super().__init__()
            self.handle = handle

    status: reactive[str] = reactive("")
    """What the panel says."""
    phase: reactive[str] = reactive("idle")
    """The state of :class:`DagsterRunState` last drawn."""

    def __init__(self, target: Any, demo_dir: Path | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.target = target
        self.state = DagsterRunState(
            target,
            dev_starter(target, demo_dir),
            log_path=dev_log_path(target),
            stop_late_start=True,
        )
        self.drawn: DagsterUpdate = self.state.current

    def compose(self) -> ComposeResult:
        yield Static("", id="dagster-status", markup=False)
        with Horizontal():
            yield Button("Start Dagster", id="start-dagster", variant="primary")
            yield Link("", id="dagster-url")

    def on_mount(self) -> None:
        self.set_interval(POLL_SECONDS, self.poll)

    def on_unmount(self) -> None:
        self.state.close()

    @property
    def busy(self) -> bool:
        return self.state.busy

    @property
    def launch(self) -> Any:
        return self.drawn.launch

    @property
    def last_status(self) -> str | None:
        return self.drawn.status

    def watch_status(self, status: str) -> None:
        self.query_one("#dagster-status", Static).update(status)

    def poll(self) -> None:
        update = self.state.poll()
        if update is None:
            return
        self.drawn = update
        if update.started is not None:
            self.post_message(self.Started(update.started))
        if update.url:
            link = self.query_one("#dagster-url", Link)
            link.text = link.url = update.url
        self.status = update.message
        self.phase = update.state
        self.set_class(update.state != "idle", "-shown")
        self.set_class(update.offer_start, "-offline")
        self.set_class(update.error, "-error")
        self.set_class(update.url is not None, "-launched")
        self.query_one("#start-dagster", Button).disabled = update.busy

    def start_launch(
        self, script: Path, config: Any, universe: str, start: dt.date, end: dt.date
    ) -> None:
        """Launch ``script``'s passes for universe x start..end once Dagster answers."""
        self.state.launch(script, config, universe, start, end)

    @on(Button.Pressed, "#start-dagster")
    def start_dagster(self, event: Button.Pressed | None = None) -> None:
        if event is not None:
            event.stop()
        self.state.start_dagster()
