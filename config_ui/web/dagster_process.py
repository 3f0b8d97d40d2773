"""The ``basalt dagster dev`` this server started (or attached to), one per address: started
by ``--dagster`` when the server starts or by the Run panel's "Start Dagster", stopped when
the server shuts down if this server started it (attaching never stops the other one)."""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any

from basalt.home import basalt_home
from config_ui.core.dagster_launch import DagsterTarget, start_dagster

log = logging.getLogger(__name__)

START_TIMEOUT = 60.0  # how long the shutdown waits for a start still in progress


class DagsterProcess:
    """Starts ``basalt dagster dev`` on a target once; :meth:`stop` stops it if it was ours."""

    def __init__(self, target: DagsterTarget, demo_dir: Path | None = None) -> None:
        self.target = target
        self.demo_dir = demo_dir  # the demos its live reload watches
        self.handle: Any = None
        self.error: str | None = None
        self._start_lock = threading.Lock()  # one start at a time
        self._state_lock = threading.Lock()  # hand-over between a start and a stop
        self._stopping = False
        self._thread: threading.Thread | None = None

    @property
    def log_path(self) -> Path:
        return basalt_home() / f"dagster_dev_{self.target.port}.log"

    def ensure(self) -> Any:
        """Start (or attach to) Dagster and return the handle; blocks for the 8-10 s dagster
        dev needs, so call it off the event loop. Raises what the start raises."""
        with self._start_lock:
            if self.handle is not None or self._stopping:
                return self.handle
            self.log_path.parent.mkdir(parents=True, exist_ok=True)
            handle = start_dagster(self.target, log_path=self.log_path, demo_dir=self.demo_dir)
            with self._state_lock:
                self.handle, self.error = handle, None
                stop_now = self._stopping
            if stop_now:  # the server shut down while dagster dev was starting
                self._stop_handle()
            return handle

    def start_in_background(self) -> threading.Thread:
        """:meth:`ensure` on a thread (the server serves pages meanwhile)."""

        def work() -> None:
            try:
                self.ensure()
            except Exception as exc:  # shown by the Run panel, logged for the terminal
                self.error = str(exc) or type(exc).__name__
                log.warning("Dagster at %s did not start: %s", self.target.url, self.error)

        self._thread = threading.Thread(target=work, name="dagster-dev-start", daemon=True)
        self._thread.start()
        return self._thread

    @property
    def starting(self) -> bool:
        return self._start_lock.locked()

    @property
    def started_here(self) -> bool:
        return self.handle is not None and not getattr(self.handle, "attached", False)

    def stop(self) -> None:
        with self._state_lock:
            self._stopping = True
        if self._start_lock.acquire(timeout=START_TIMEOUT):  # a start in progress ends first
            self._start_lock.release()
        self._stop_handle()

    def _stop_handle(self) -> None:
        with self._state_lock:
            handle, self.handle = self.handle, None
        if handle is not None:
            try:
                handle.stop()
            except Exception as exc:
                log.warning("stopping Dagster at %s: %s", self.target.url, exc)


_PROCESSES: dict[DagsterTarget, DagsterProcess] = {}
_LOCK = threading.Lock()


def dagster_process(target: DagsterTarget, demo_dir: Path | None = None) -> DagsterProcess:
    """The process for ``target`` (made on first use, serving ``demo_dir``)."""
    with _LOCK:
        if target not in _PROCESSES:
            _PROCESSES[target] = DagsterProcess(target, demo_dir)
        return _PROCESSES[target]


def stop_all() -> None:
    """Stop every Dagster this server started (the server is shutting down)."""
    with _LOCK:
        processes = list(_PROCESSES.values())
        _PROCESSES.clear()
    for process in processes:
        process.stop()
