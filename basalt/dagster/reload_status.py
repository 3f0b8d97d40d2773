"""The live-reload state of a running ``basalt dagster dev``, shared through a small JSON file
(``<BASALT_HOME>/dagster_reload.json``) that the editors read. No Dagster import here.

States: ``starting`` (dagster dev not answering yet), ``idle`` (loaded, nothing pending),
``reloading``, ``reloaded`` (``seconds`` it took), ``refused`` (a changed demo does not
validate: ``reason`` names the file, line and field; Dagster keeps the last good definitions),
``failed`` (the reload itself failed: ``reason``), ``stopped``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

from basalt.atomic import write_text_atomic
from basalt.home import basalt_home

STATUS_FILE = "dagster_reload.json"
STATES = ("starting", "idle", "reloading", "reloaded", "refused", "failed", "stopped")


@dataclass
class ReloadStatus:
    state: str
    port: int
    host: str = "127.0.0.1"
    demo: str | None = None
    reason: str | None = None
    seconds: float | None = None
    at: str = field(default_factory=lambda: dt.datetime.now(dt.timezone.utc).isoformat())
    pid: int = field(default_factory=os.getpid)
    # The ``dagster dev`` process group the writer started (its leader's pid), if any.
    dagster_pid: int | None = None

    def describe(self) -> str:
        """One line for a status bar: ``Dagster: reloaded in 2.4 s (01_ohlcv_bars)``."""
        what = f" ({self.demo})" if self.demo else ""
        if self.state == "reloaded" and self.seconds is not None:
            return f"Dagster: reloaded in {self.seconds:.1f} s{what}"
        if self.state in ("refused", "failed"):
            return f"Dagster: {self.state}{what}: {self.reason or 'unknown reason'}"
        return f"Dagster: {self.state}{what}"


def status_path(home: Path | None = None) -> Path:
    return (home or basalt_home()) / STATUS_FILE


def write_status(status: ReloadStatus, home: Path | None = None) -> None:
    if status.state not in STATES:
        raise ValueError(f"unknown reload state {status.state!r}")
    path = status_path(home)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomic(path, json.dumps(asdict(status), indent=1))


def read_status(home: Path | None = None, port: int | None = None) -> ReloadStatus | None:
    """The last status written, or ``None`` (no file, unreadable, or another port's).

    Keys this version does not know (written by a newer one) are ignored."""
    known = {f.name for f in fields(ReloadStatus)}
    try:
        data = json.loads(status_path(home).read_text(encoding="utf-8"))
        status = ReloadStatus(**{k: v for k, v in data.items() if k in known})
    except (OSError, ValueError, TypeError, AttributeError):
        return None
    if port is not None and status.port != port:
        return None
    return status
