"""The Run panel's Dagster part: find the webserver, offer to start it, launch, then follow
the run's status with a link to it. Every network call runs off the event loop."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from nicegui import run, ui

from config_ui.core.dagster_launch import (
    FAILED,
    FINISHED,
    DagsterLaunch,
    DagsterTarget,
    launch_in_dagster,
    launch_status,
)
from config_ui.web.dagster_process import dagster_process
from config_ui.web.views import set_attr

POLL_SECONDS = 2.0
# a run's final states, and a backfill's


def answers(target: DagsterTarget) -> bool:
    """Whether a Dagster webserver answers at ``target`` (blocking)."""
    from basalt.dagster.graphql import DagsterUnavailable

    try:
        return target.available()
    except DagsterUnavailable:
        return False


class DagsterView:
    """Messages, the Start Dagster button, the launched run's link and status."""

    def __init__(self, target: DagsterTarget, demo_dir: Path | None = None) -> None:
        self.target = target
        self.demo_dir = demo_dir
        self.pending: tuple[Path, Any, str, dt.date, dt.date] | None = None
        self.launch: DagsterLaunch | None = None
        self.status: str | None = None
        with ui.column().classes("w-full gap-1") as self.container:
            set_attr(self.container, "data-panel", "dagster")
            self.message = ui.label("").classes("break-all").mark("dagster-message")
            set_attr(self.message, "data-dagster-state", "idle")
            self.message.set_visibility(False)
            self.start_button = ui.button(
                "Start Dagster", icon="power_settings_new", on_click=self.start
            ).props("outline no-caps")
            set_attr(self.start_button, "data-action", "start-dagster")
            self.start_button.mark("start-dagster").set_visibility(False)
            self.link_row = ui.row().classes("items-center gap-2")
            self.status_label = ui.label("").mark("dagster-status")
            set_attr(self.status_label, "data-dagster-status", "")
            self.status_label.set_visibility(False)
        self.timer = ui.timer(POLL_SECONDS, self.poll, active=False)

    def show(self, state: str, text: str, error: bool = False) -> None:
        self.message.set_text(text)
        set_attr(self.message, "data-dagster-state", state)
        self.message.classes(
            add="basalt-error" if error else "", remove="" if error else "basalt-error"
        )
        self.message.set_visibility(True)

    async def run(self, script: Path, config: Any, universe: str, start: dt.date, end: dt.date):  # noqa: ANN201
        """Launch ``script``'s passes for ``universe`` over start..end once Dagster answers."""
        self.pending = (script, config, universe, start, end)
        self.start_button.set_visibility(False)
        url = self.target.url
        process = dagster_process(self.target, self.demo_dir)
        if process.starting:
            self.show("starting", f"Waiting for Dagster to start at {url}…")
            if not await self._ensure():
                return
        self.show("checking", f"Looking for Dagster at {url}…")
        try:
            ok = await run.io_bound(answers, self.target)
        except Exception as exc:
            self.show("error", f"Cannot talk to Dagster at {url}: {exc}", error=True)
            return
        if ok is None:  # the server is shutting down
            return
        if not ok:
            why = f" (starting it failed: {process.error})" if process.error else ""
            self.show("unavailable", f"No Dagster webserver at {url}{why}", error=True)
            self.start_button.enable()
            self.start_button.set_visibility(True)
            return
        await self._launch()

    async def start(self) -> None:
        """Start ``basalt dagster dev`` on the target (or attach), then launch what waits."""
        self.start_button.disable()
        self.show("starting", f"Starting Dagster at {self.target.url} (about 10 s)…")
        if not await self._ensure():
            self.start_button.enable()
            return
        self.start_button.set_visibility(False)
        if self.pending is not None:
            await self.run(*self.pending)
        else:
            self.show("available", f"Dagster is running at {self.target.url}")

    async def _ensure(self) -> bool:
        process = dagster_process(self.target, self.demo_dir)
        try:
            await run.io_bound(process.ensure)
        except Exception as exc:
            self.show(
                "failed",
                f"Dagster did not start at {self.target.url}: {exc} (log: {process.log_path})",
                error=True,
            )
            return False
        return True

    async def _launch(self) -> None:
        assert self.pending is not None
        script, config, universe, start, end = self.pending
        self.show("launching", f"Launching {script.stem} for {universe}, {start}..{end}…")
        try:
            launch = await run.io_bound(
                launch_in_dagster, self.target, script, config, universe, start, end
            )
        except ValueError as exc:
            self.show("error", f"Nothing to launch: {exc}", error=True)
            return
        except Exception as exc:
            self.show("error", f"Dagster refused the launch: {exc}", error=True)
            return
        if launch is None:
            return
        self.pending = None
        self.launch = launch
        count = len(launch.partition_keys)
        self.show(
            "launched",
            f"Launched {launch.kind} {launch.id[:8]} ({count} partition{'s' * (count != 1)})",
        )
        self.link_row.clear()
        with self.link_row:
            link = ui.link("Open in Dagster", launch.url, new_tab=True).mark("dagster-run-link")
            set_attr(link, "data-action", "open-dagster-run")
        self.set_status("QUEUED" if launch.kind == "run" else "REQUESTED")
        self.timer.activate()

    def set_status(self, status: str) -> None:
        self.status = status
        self.status_label.set_text(f"Status: {status}")
        set_attr(self.status_label, "data-dagster-status", status)
        failed = status in FAILED
        self.status_label.classes(
            add="basalt-error" if failed else "", remove="" if failed else "basalt-error"
        )
        self.status_label.set_visibility(True)

    async def poll(self) -> None:
        launch = self.launch
        if launch is None:
            self.timer.deactivate()
            return
        try:
            status = await run.io_bound(launch_status, self.target, launch)
        except Exception as exc:
            self.status_label.set_text(f"Status unknown: {exc}")
            return
        if status is None or self.launch is not launch:
            return
        self.set_status(status)
        if status in FINISHED:
            self.timer.deactivate()
