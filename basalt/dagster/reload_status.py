"""The live-reload state of a running ``basalt dagster dev``, shared through a small JSON file
(``<BASALT_HOME>/dagster_reload.json``) that the editors read. No Dagster import here.

States: ``starting`` (dagster dev not answering yet), ``idle`` (loaded, nothing pending),
``reloading``, ``reloaded`` (``seconds`` it took), ``refused`` (a changed demo does not
validate: ``reason`` names the file, line and field; Dagster keeps the last good definitions),
``failed`` (the reload itself failed: ``reason``), ``stopped``.

Per-demo load errors: the code location reports the demos it could not load from their files
(running their last good config, or left out) to ``$BASALT_LOAD_REPORT`` when that is set
(``basalt dagster dev`` sets it); the status carries them in ``load_errors``, and
:meth:`ReloadStatus.describe` names each: ``01_ohlcv_bars: running last good (FILE:LINE:COL:
message)``.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

from basalt.atomic import write_text_atomic
from basalt.home import basalt_home

log = logging.getLogger("basalt.dagster")

STATUS_FILE = "dagster_reload.json"
STATES = ("starting", "idle", "reloading", "reloaded", "refused", "failed", "stopped")
LOAD_REPORT_ENV = "BASALT_LOAD_REPORT"


@dataclass(frozen=True)
class DemoLoadError:
    """A demo the code location did not load from its files: ``last_good_at`` (its time) when
    its last good config runs instead, ``None`` when it is left out."""

    demo: str
    error: str
    last_good_at: str | None = None

    def describe(self) -> str:
        """``01_ohlcv_bars: running last good (FILE:LINE:COL: message)`` on one line."""
        what = "running last good" if self.last_good_at is not None else "left out"
        return f"{self.demo}: {what} ({one_line(self.error)})"


def one_line(text: str) -> str:
    return "; ".join(line.strip() for line in text.splitlines() if line.strip())


def _load_error(entry: DemoLoadError | dict) -> DemoLoadError:
    """From the JSON form; keys this version does not know are ignored."""
    if isinstance(entry, DemoLoadError):
        return entry
    known = {f.name for f in fields(DemoLoadError)}
    return DemoLoadError(**{k: v for k, v in entry.items() if k in known})


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
    # The demos the code location runs from their last good config, or left out.
    load_errors: list[DemoLoadError] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.load_errors = [_load_error(e) for e in self.load_errors]

    def describe(self) -> str:
        """One line for a status bar: ``Dagster: reloaded in 2.4 s (01_ohlcv_bars)``, then each
        demo not loaded from its files: ``; 03_custom_metric: running last good (...)``."""
        what = f" ({self.demo})" if self.demo else ""
        if self.state == "reloaded" and self.seconds is not None:
            text = f"Dagster: reloaded in {self.seconds:.1f} s{what}"
        elif self.state in ("refused", "failed"):
            text = f"Dagster: {self.state}{what}: {self.reason or 'unknown reason'}"
        else:
            text = f"Dagster: {self.state}{what}"
        return "; ".join([text, *(e.describe() for e in self.load_errors)])


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


def load_report_path(port: int, home: Path | None = None) -> Path:
    """Where the code location served on ``port`` reports its load errors."""
    return (home or basalt_home()) / f"dagster_load_errors.{port}.json"


def write_load_errors(path: str | Path, errors: list[DemoLoadError]) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomic(path, json.dumps([asdict(e) for e in errors], indent=1))


def read_load_errors(path: str | Path) -> list[DemoLoadError] | None:
    """The load errors last reported to ``path``, or ``None`` (no report, unreadable)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        return [_load_error(entry) for entry in data]
    except (OSError, ValueError, TypeError, AttributeError):
        return None


def report_load_errors(errors: list[DemoLoadError]) -> None:
    """Write ``errors`` where ``$BASALT_LOAD_REPORT`` says (nothing when it is not set)."""
    target = os.environ.get(LOAD_REPORT_ENV)
    if not target:
        return
    try:
        write_load_errors(target, errors)
    except OSError as exc:  # the code location loads anyway
        log.warning("cannot report the load errors to %s: %s", target, exc)
