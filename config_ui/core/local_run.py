"""Run a demo locally from an editor: a subprocess, its log and progress, cancel, the result.

The demo runs as ``python demo/NN_name.py --universe U --start-date D --end-date E`` in its
own process group, with ``BASALT_TRIGGER`` (tui or web) and ``BASALT_RUN_ID`` set, so the run
records itself in the ledger under an id the editor knows. Unsaved edits run from a snapshot
of the editor's YAML (``--config``), kept under ``<BASALT_HOME>/unsaved/<run id>.yaml`` so the
ledger's config file still shows what ran.

Threads: a reader thread collects the output. Renderers poll :attr:`LocalRun.lines`,
:attr:`LocalRun.progress` and :attr:`LocalRun.result` from a UI timer (or pass callbacks,
which run on the reader thread and must hand over to the UI thread themselves).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from basalt.atomic import write_text_atomic
from basalt.home import basalt_home
from basalt.ledger import RUN_ID_ENV, TRIGGER_ENV, Ledger, LedgerError, new_run_id

PROGRESS_LINE = re.compile(r"^batch (\d+)/(\d+) ")
CANCEL_GRACE = 5.0


@dataclass(frozen=True)
class RunRequest:
    """What to run: a demo script, for a universe and a date range (``None``: the config's)."""

    script: Path
    universe: str | None = None
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    unsaved_yaml: str | None = None  # the editor's YAML text when it has unsaved edits
    trigger: str = "tui"
    output_dir: Path | None = None

    def arguments(self, config_file: Path | None) -> list[str]:
        args = [str(self.script)]
        if self.universe:
            args += ["--universe", self.universe]
        if self.start_date:
            args += ["--start-date", self.start_date.isoformat()]
        if self.end_date:
            args += ["--end-date", self.end_date.isoformat()]
        if self.output_dir:
            args += ["--output-dir", str(self.output_dir)]
        if config_file is not None:
            args += ["--config", str(config_file)]
        return args


@dataclass(frozen=True)
class RunOutput:
    pass_name: str
    path: Path
    rows: int | None
    bytes: int | None


@dataclass
class RunResult:
    status: str  # success, failed, cancelled
    duration: float
    returncode: int
    outputs: list[RunOutput] = field(default_factory=list)
    error: str | None = None

    def describe(self) -> str:
        rows = sum(o.rows or 0 for o in self.outputs)
        head = f"{self.status} in {self.duration:.1f} s"
        if self.status == "success":
            return f"{head}: {len(self.outputs)} outputs, {rows:,} rows"
        return f"{head}: {self.error}" if self.error else head


class LocalRun:
    """One local run of a demo; :meth:`start` it, then poll or wait."""

    def __init__(
        self,
        request: RunRequest,
        on_line: Callable[[str], None] | None = None,
        on_done: Callable[[RunResult], None] | None = None,
        ledger: Ledger | None = None,
    ):
        self.request = request
        self.run_id = new_run_id()
        self.on_line = on_line
        self.on_done = on_done
        self.ledger = ledger or Ledger()
        self.lines: list[str] = []
        self.progress: tuple[int, int] | None = None
        self.result: RunResult | None = None
        self.config_file: Path | None = None
        self._process: subprocess.Popen[str] | None = None
        self._cancelled = False
        self._started = 0.0
        self._done = threading.Event()

    # --- lifecycle -----------------------------------------------------------------------

    def start(self) -> LocalRun:
        if self.request.unsaved_yaml is not None:
            self.config_file = basalt_home() / "unsaved" / f"{self.run_id}.yaml"
            self.config_file.parent.mkdir(parents=True, exist_ok=True)
            write_text_atomic(self.config_file, self.request.unsaved_yaml)
        env = {
            **os.environ,
            TRIGGER_ENV: self.request.trigger,
            RUN_ID_ENV: self.run_id,
            "PYTHONUNBUFFERED": "1",
            "BASALT_HOME": str(self.ledger.path.parent),
        }
        self._started = time.monotonic()
        self._process = subprocess.Popen(
            [sys.executable, *self.request.arguments(self.config_file)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            bufsize=1,
            env=env,
            start_new_session=True,
        )
        threading.Thread(target=self._read, name=f"run-{self.run_id[:8]}", daemon=True).start()
        return self

    @property
    def running(self) -> bool:
        return self._process is not None and not self._done.is_set()

    @property
    def command(self) -> str:
        return " ".join(["python", *self.request.arguments(self.config_file)])

    def wait(self, timeout: float | None = None) -> RunResult | None:
        self._done.wait(timeout)
        return self.result

    def cancel(self) -> None:
        """Stop the whole process group: SIGTERM (the run records itself as cancelled and
        removes outputs in flight), SIGKILL after a grace period."""
        process = self._process
        if process is None or self._done.is_set():
            return
        self._cancelled = True
        try:
            os.killpg(process.pid, signal.SIGTERM)
        except ProcessLookupError:
            return

        def _kill_late() -> None:
            if not self._done.wait(CANCEL_GRACE):
                try:
                    os.killpg(process.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass

        threading.Thread(target=_kill_late, daemon=True).start()

    # --- the reader thread ---------------------------------------------------------------

    def _read(self) -> None:
        process = self._process
        assert process is not None and process.stdout is not None
        for raw in process.stdout:
            line = raw.rstrip("\n")
            match = PROGRESS_LINE.match(line)
            if match:
                self.progress = (int(match[1]), int(match[2]))
            self.lines.append(line)
            if self.on_line:
                self.on_line(line)
        returncode = process.wait()
        result = self._result(returncode, time.monotonic() - self._started)
        self._record_end(result)
        self.result = result
        self._done.set()
        if self.on_done:
            self.on_done(self.result)

    def _record_end(self, result: RunResult) -> None:
        """Record the end of a run whose process could not record it (killed after the cancel's
        grace period, or crashed): its row, still ``running`` or taken for ``lost``, gets the
        status this editor saw and why. A row the run finished itself is left as it is."""
        if result.status == "success":
            return
        try:
            row = self.ledger.run(self.run_id)
            if row is None or row["status"] not in ("running", "lost"):
                return
            if result.status == "cancelled":
                reason = "cancelled by the user"
                if result.returncode == -signal.SIGKILL:
                    reason += f"; the run did not stop within {CANCEL_GRACE:.0f} s and was killed"
            else:
                reason = result.error or f"exit code {result.returncode}"
            self.ledger.finish_run(self.run_id, result.status, reason)
        except LedgerError:
            pass  # the ledger's own reconciliation marks the run lost

    def _result(self, returncode: int, duration: float) -> RunResult:
        if returncode == 0:
            status = "success"
        elif self._cancelled or returncode in (-signal.SIGTERM, -signal.SIGKILL, 130):
            status = "cancelled"
        else:
            status = "failed"
        errors = [line for line in self.lines if line.startswith("error: ")]
        error = "\n".join(e.removeprefix("error: ") for e in errors) or None
        if status == "failed" and error is None:
            error = "\n".join(self.lines[-5:]) or f"exit code {returncode}"
        outputs = []
        try:
            outputs = [
                RunOutput(a["pass_name"], Path(a["output_path"]), a["rows"], a["bytes"])
                for a in self.ledger.assets(run_id=self.run_id)
            ]
        except LedgerError as exc:
            error = f"{error or ''}\nrun ledger: {exc}".strip()
        return RunResult(status, duration, returncode, outputs, error)


def universe_choices(config: Any) -> list[str]:
    """Universes to offer for a run: the config's, then those its schedules name."""
    seen: list[str] = []
    for spec in [getattr(config, "UNIVERSE", None)] + [
        p.universe for s in getattr(config, "SCHEDULES", []) for p in (s.partitions or [])
    ]:
        if spec and spec not in seen:
            seen.append(spec)
    return seen
