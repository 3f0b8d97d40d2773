"""The live-reload state of the ``basalt dagster dev`` serving the editor's Dagster port,
beside the status line: ``Dagster: reloaded in 2.4 s (01_ohlcv_bars)``, or why a save was
refused. Hidden while there is no state for that port.

The state is a small JSON file that ``basalt dagster dev`` rewrites (see
:mod:`basalt.dagster.reload_status`); reading it once a second is cheap enough for the UI
thread.
"""

from __future__ import annotations

from textual.reactive import reactive
from textual.widgets import Static

ERROR_STATES = ("refused", "failed")


class ReloadStatusLine(Static):
    DEFAULT_CSS = """
    ReloadStatusLine {
        width: 1fr;
        height: 1;
        text-align: right;
        padding: 0 1;
        background: $panel;
        color: $text-muted;
        text-wrap: nowrap;
        text-overflow: ellipsis;
        display: none;
    }
    ReloadStatusLine.-shown {
        display: block;
    }
    ReloadStatusLine.-error {
        color: $text-error;
        text-style: bold;
    }
    ReloadStatusLine.-busy {
        color: $text-warning;
    }
    """

    text: reactive[str] = reactive("", layout=True)
    """What the line says; empty hides it."""
    state: reactive[str] = reactive("")
    """The reload state (``reloaded``, ``refused`` ...); styles the line."""

    def __init__(self, port: int, *, interval: float = 1.0, **kwargs) -> None:
        super().__init__("", markup=False, **kwargs)
        self.port = port
        self.interval = interval

    def on_mount(self) -> None:
        self.read_status()
        self.set_interval(self.interval, self.read_status)

    def read_status(self) -> None:
        # The same read as ``DagsterTarget.reload_status()``, without importing the launcher.
        from basalt.dagster.reload_status import read_status

        status = read_status(port=self.port)
        self.state = status.state if status is not None else ""
        self.text = status.describe() if status is not None else ""

    def watch_text(self, text: str) -> None:
        self.update(text)
        self.tooltip = text or None
        self.set_class(bool(text), "-shown")

    def watch_state(self, state: str) -> None:
        self.set_class(state in ERROR_STATES, "-error")
        self.set_class(state in ("starting", "reloading"), "-busy")
