"""Run in Dagster: is a webserver answering, launch (one partition as a run, several as a
backfill), then its status every two seconds and the link to it. When nothing answers on the
port, a button starts ``basalt dagster dev`` there.

Every network call runs in a worker thread; errors are shown as text.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import time
from pathlib import Path
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Button, Link, Static
from textual.worker import Worker, WorkerState, get_current_worker

POLL_SECONDS = 2.0


def error_text(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0] if len(text) > 300 else text


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
    """idle, checking, offline, starting, ready, launching, launched, error."""

    def __init__(self, target: Any, demo_dir: Path | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.target = target
        self.demo_dir = demo_dir
        self.launch: Any = None
        self.last_status: str | None = None

    def compose(self) -> ComposeResult:
        yield Static("", id="dagster-status", markup=False)
        with Horizontal():
            yield Button("Start Dagster", id="start-dagster", variant="primary")
            yield Link("", id="dagster-url")

    @property
    def busy(self) -> bool:
        return self.phase in ("checking", "starting", "launching")

    def watch_status(self, status: str) -> None:
        self.query_one("#dagster-status", Static).update(status)

    def watch_phase(self, phase: str) -> None:
        self.set_class(phase != "idle", "-shown")
        self.set_class(phase == "offline", "-offline")
        self.set_class(phase == "error", "-error")
        self.set_class(self.launch is not None and phase == "launched", "-launched")
        self.query_one("#start-dagster", Button).disabled = phase == "starting"

    def _say(self, phase: str, status: str) -> None:
        self.status = status
        self.phase = phase

    # -- launching ----------------------------------------------------------------------------

    def start_launch(
        self, script: Path, config: Any, universe: str, start: dt.date, end: dt.date
    ) -> None:
        """Check the webserver, then launch ``script``'s passes for universe x start..end."""
        self.launch = None
        self._say("checking", f"Looking for the Dagster webserver at {self.target.url} …")
        self.run_worker(
            lambda: self._launch(script, config, universe, start, end),
            name="launch",
            group="dagster",
            thread=True,
            exclusive=True,
            exit_on_error=False,
        )

    def _from_thread(self, callback: Any, *args: Any) -> None:
        with contextlib.suppress(RuntimeError):  # the app is closing
            self.app.call_from_thread(callback, *args)

    def _launch(self, script: Path, config: Any, universe: str, start: dt.date, end: dt.date):
        from basalt.dagster.graphql import DagsterUnavailable
        from config_ui.core.dagster_launch import FINISHED, launch_in_dagster, launch_status

        worker = get_current_worker()
        try:
            available = self.target.available()
        except (DagsterUnavailable, OSError):
            available = False
        except Exception as exc:
            self._from_thread(self._say, "error", f"Dagster: {error_text(exc)}")
            return
        if not available:
            self._from_thread(self._offline)
            return
        self._from_thread(self._say, "launching", f"Launching in Dagster at {self.target.url} …")
        try:
            launch = launch_in_dagster(self.target, script, config, universe, start, end)
        except Exception as exc:  # DagsterUnavailable, DagsterGraphQLError, no partition
            self._from_thread(self._say, "error", f"Dagster did not launch: {error_text(exc)}")
            return
        self._from_thread(self._launched, launch)
        while not worker.is_cancelled:
            try:
                status = launch_status(self.target, launch)
            except Exception as exc:
                status = f"status unavailable ({error_text(exc)})"
            self._from_thread(self._status_of, launch, status)
            if status in FINISHED:
                return
            deadline = time.monotonic() + POLL_SECONDS
            while time.monotonic() < deadline and not worker.is_cancelled:
                time.sleep(0.1)

    def _offline(self) -> None:
        self._say(
            "offline",
            f"No Dagster webserver at {self.target.url}. Start one here (basalt dagster dev), "
            "then run again.",
        )

    def _launched(self, launch: Any) -> None:
        self.launch = launch
        link = self.query_one("#dagster-url", Link)
        link.text = launch.url
        link.url = launch.url
        self._status_of(launch, "launched")

    def _status_of(self, launch: Any, status: str) -> None:
        self.last_status = status
        count = len(launch.partition_keys)
        what = f"{launch.kind} {launch.id} ({count} partition{'s' if count != 1 else ''})"
        self._say("launched", f"Dagster {what}: {status}")

    # -- starting dagster dev -------------------------------------------------------------------

    @on(Button.Pressed, "#start-dagster")
    def start_dagster(self, event: Button.Pressed | None = None) -> None:
        if event is not None:
            event.stop()
        self._say(
            "starting",
            f"Starting Dagster at {self.target.url} … (loading the demos takes a while)",
        )
        self.run_worker(
            self._start_dagster,
            name="start",
            group="dagster-dev",
            thread=True,
            exclusive=True,
            exit_on_error=False,
        )

    def _start_dagster(self) -> Any:
        from basalt.home import basalt_home
        from config_ui.core.dagster_launch import start_dagster

        log_path = basalt_home() / f"dagster_dev_{self.target.port}.log"
        log_path.parent.mkdir(parents=True, exist_ok=True)
        handle = start_dagster(self.target, log_path=log_path, demo_dir=self.demo_dir)
        if get_current_worker().is_cancelled:  # the editor closed while Dagster started
            handle.stop()
            return None
        return handle

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if worker.group == "dagster-dev":
            if event.state == WorkerState.SUCCESS:
                self.post_message(self.Started(worker.result))
                self._say("ready", f"Dagster is up at {self.target.url}: run again to launch.")
            elif event.state == WorkerState.ERROR and worker.error is not None:
                self._say("error", f"Dagster did not start: {error_text(worker.error)}")
        elif worker.group == "dagster" and event.state == WorkerState.ERROR:
            self._say("error", f"Dagster: {error_text(worker.error or RuntimeError())}")
