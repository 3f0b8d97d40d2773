"""The Run panel's Dagster part: draws what
:class:`~config_ui.core.dagster_run_state.DagsterRunState` says (checking, Start Dagster when
nothing answers, the run's status and link) and forwards the clicks to it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from nicegui import ui

from config_ui.core.dagster_launch import DagsterLaunch, DagsterTarget
from config_ui.core.dagster_run_state import FAILED, DagsterRunState, DagsterUpdate
from config_ui.web.dagster_process import dagster_process
from config_ui.web.notices import notify
from config_ui.web.views import set_attr

POLL_SECONDS = 0.25  # how often the view draws the state's news


class DagsterView:
    """Messages, the Start Dagster button, the launched run's link and status."""

    def __init__(self, target: DagsterTarget, demo_dir: Path | None = None) -> None:
        self.target = target
        process = dagster_process(target, demo_dir)
        self.state = DagsterRunState(
            target,
            process.ensure,
            start_pending=lambda: process.starting,
            start_error=lambda: process.error,
            log_path=process.log_path,
        )
        self.drawn: DagsterUpdate = self.state.current
        self._link_url: str | None = None
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
        self.timer = ui.timer(POLL_SECONDS, self.poll)

    @property
    def launch(self) -> DagsterLaunch | None:
        return self.drawn.launch

    @property
    def status(self) -> str | None:
        return self.drawn.status

    async def run(self, script: Path, config: Any, universe: str, start: dt.date, end: dt.date):  # noqa: ANN201
        """Launch ``script``'s passes for ``universe`` over start..end once Dagster answers."""
        if not self.state.launch(script, config, universe, start, end):
            notify("Dagster is busy with the last request; wait a moment.")
        self.poll()

    async def start(self) -> None:
        """Start ``basalt dagster dev`` on the target (or attach), then launch what waits."""
        self.state.start_dagster()
        self.poll()

    def poll(self) -> None:
        update = self.state.poll()
        if update is None:
            return
        self.drawn = update
        self.message.set_text(update.message)
        set_attr(self.message, "data-dagster-state", update.state)
        _error_class(self.message, update.error)
        self.message.set_visibility(update.state != "idle")
        self.start_button.set_visibility(update.offer_start or update.state == "starting-dagster")
        self.start_button.set_enabled(not update.busy)
        if update.url != self._link_url:
            self._link_url = update.url
            self.link_row.clear()
            if update.url:
                with self.link_row:
                    link = ui.link("Open in Dagster", update.url, new_tab=True)
                    link.mark("dagster-run-link")
                    set_attr(link, "data-action", "open-dagster-run")
        if update.status is not None:
            self.status_label.set_text(f"Status: {update.status}")
            set_attr(self.status_label, "data-dagster-status", update.status)
            _error_class(self.status_label, update.state in FAILED)
        self.status_label.set_visibility(update.status is not None)


def _error_class(element: ui.element, error: bool) -> None:
    element.classes(add="basalt-error" if error else "", remove="" if error else "basalt-error")
