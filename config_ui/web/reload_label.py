"""The header's Dagster reload state: what the ``basalt dagster dev`` serving the editor's
Dagster port last wrote to its status file, read once a second (a small file read)."""

from __future__ import annotations

from nicegui import ui

from config_ui.core.dagster_launch import DagsterTarget
from config_ui.web.views import set_attr

REFRESH_SECONDS = 1.0
ALARMING = ("refused", "failed")


def reload_state_label(target: DagsterTarget) -> ui.label:
    """A label with ``data-reload-state`` (``none`` while there is no status); red when a
    reload was refused or failed, hidden when Dagster never wrote a status for this port."""
    label = (
        ui.label("")
        .classes("basalt-muted truncate max-w-[22rem] min-w-0 shrink")
        .mark("reload-state")
    )
    set_attr(label, "data-action", "reload-state")
    with label:
        tip = ui.tooltip("")
    shown: list[tuple[str, str]] = []

    def refresh() -> None:
        status = target.reload_status()
        state, text = (status.state, status.describe()) if status else ("none", "")
        if shown and shown[-1] == (state, text):
            return
        shown[:] = [(state, text)]
        label.set_text(text)
        tip.set_text(text)
        set_attr(label, "data-reload-state", state)
        alarming = state in ALARMING
        label.classes(
            add="basalt-error" if alarming else "basalt-muted",
            remove="basalt-muted" if alarming else "basalt-error",
        )
        label.set_visibility(status is not None)

    refresh()
    ui.timer(REFRESH_SECONDS, refresh)
    return label
