"""The states of "Run in Dagster", one object both editors poll from a UI timer.

idle -> checking (does a webserver answer?) -> unavailable (offer "Start Dagster") or
launching. "Start Dagster" goes starting-dagster -> checking again when a launch waits, else
ready. A run then goes queued -> started -> success | failure | canceled; a backfill goes
requested -> in-progress (n of m partitions done) -> completed | failed | canceled. A launch
that cannot go ahead ends in error.

Every network call runs on a worker thread with its own GraphQL client. :meth:`poll` hands
over the current picture once something changed, so a renderer only draws it and forwards
clicks (:meth:`launch`, :meth:`start_dagster`, the link in :attr:`DagsterUpdate.url`).
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from config_ui.core.dagster_launch import (
    DagsterLaunch,
    DagsterTarget,
    launch_in_dagster,
    start_dagster,
)

POLL_SECONDS = 2.0
BUSY = frozenset({"checking", "starting-dagster", "launching"})
FOLLOWING = frozenset({"queued", "started", "requested", "in-progress"})
FINAL = frozenset({"success", "failure", "canceled", "completed", "failed"})
FAILED = frozenset({"failure", "failed", "canceled", "error", "unavailable"})

# Dagster's RunStatus and BulkActionStatus, as states of this object.
RUN_STATES = {
    "QUEUED": "queued",
    "NOT_STARTED": "queued",
    "MANAGED": "queued",
    "STARTING": "queued",
    "STARTED": "started",
    "CANCELING": "started",
    "SUCCESS": "success",
    "FAILURE": "failure",
    "CANCELED": "canceled",
}
BACKFILL_STATES = {
    "REQUESTED": "requested",
    "CANCELING": "in-progress",
    "COMPLETED": "completed",
    "COMPLETED_SUCCESS": "completed",
    "COMPLETED_FAILED": "failed",
    "FAILED": "failed",
    "FAILING": "in-progress",
    "CANCELED": "canceled",
}


def error_text(exc: BaseException) -> str:
    """An exception as one short line for the user."""
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0] if len(text) > 300 else text


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count != 1 else ''}"


def dev_log_path(target: DagsterTarget) -> Path:
    """Where a ``basalt dagster dev`` started by an editor for ``target`` writes its log."""
    from basalt.home import basalt_home

    return basalt_home() / f"dagster_dev_{target.port}.log"


def dev_starter(target: DagsterTarget, demo_dir: Path | None = None) -> Callable[[], Any]:
    """A ``start`` for :class:`DagsterRunState`: ``basalt dagster dev`` serving ``demo_dir``."""

    def start() -> Any:
        log_path = dev_log_path(target)
        log_path.parent.mkdir(parents=True, exist_ok=True)
        return start_dagster(target, log_path=log_path, demo_dir=demo_dir)

    return start


@dataclass(frozen=True)
class DagsterUpdate:
    """What the Dagster part of the Run panel shows now."""

    state: str
    message: str
    error: bool = False  # draw the message as an error
    offer_start: bool = False  # show "Start Dagster"
    launch: DagsterLaunch | None = None
    url: str | None = None  # the run's or backfill's page in Dagster
    status: str | None = None  # Dagster's own word (QUEUED, COMPLETED_SUCCESS, ...)
    progress: tuple[int, int] | None = None  # a backfill's partitions done, of all
    started: Any = None  # the dagster dev handle, in the one update after it started

    @property
    def busy(self) -> bool:
        return self.state in BUSY

    @property
    def finished(self) -> bool:
        return self.state in FINAL


@dataclass(frozen=True)
class _Request:
    script: Path
    config: Any
    universe: str
    start: dt.date
    end: dt.date


class DagsterRunState:
    """One editor's "Run in Dagster": :meth:`launch` or :meth:`start_dagster`, then
    :meth:`poll` from a timer.

    ``start`` starts (or attaches to) ``basalt dagster dev`` on the target and returns its
    handle, blocking; ``start_pending`` says whether such a start is already under way (a
    launch then waits for it), ``start_error`` why the last one failed. ``stop_late_start``: stop a handle that arrives after
    :meth:`close` (the caller owns what it started).
    """

    def __init__(
        self,
        target: DagsterTarget,
        start: Callable[[], Any] | None = None,
        *,
        start_pending: Callable[[], bool] = lambda: False,
        start_error: Callable[[], str | None] = lambda: None,
        log_path: Path | None = None,
        stop_late_start: bool = False,
        poll_seconds: float = POLL_SECONDS,
    ) -> None:
        self.target = target
        self._start = start
        self._start_pending = start_pending
        self._start_error = start_error
        self.log_path = log_path
        self.stop_late_start = stop_late_start
        self.poll_seconds = poll_seconds
        self._lock = threading.Lock()
        self._current = DagsterUpdate("idle", "")
        self._version = 0
        self._seen = 0
        self._pending: _Request | None = None
        self._stop = threading.Event()  # the current worker's
        self._starting = False
        self._started: Any = None  # a dagster dev handle not handed over yet
        self._closed = False
        self.threads: list[threading.Thread] = []
        self.states = ["idle"]  # every state entered, in order

    # -- what the renderers read ---------------------------------------------------------------

    @property
    def current(self) -> DagsterUpdate:
        with self._lock:
            return self._current

    @property
    def state(self) -> str:
        return self.current.state

    @property
    def busy(self) -> bool:
        return self.current.busy or self._starting

    def poll(self) -> DagsterUpdate | None:
        """The picture when it changed since the last poll, else None."""
        with self._lock:
            if self._seen == self._version:
                return None
            self._seen = self._version
            update = self._current
            if self._started is not None:  # handed over once
                update, self._started = replace(update, started=self._started), None
            return update

    # -- what the renderers forward ------------------------------------------------------------

    def launch(
        self, script: Path, config: Any, universe: str, start: dt.date, end: dt.date
    ) -> bool:
        """Launch ``script``'s passes for ``universe`` over start..end once Dagster answers
        (a run already followed stops being followed); False while busy."""
        if self.busy or self._closed:
            return False
        self._pending = _Request(Path(script), config, universe.strip(), start, end)
        self._spawn(self._check_and_launch, "dagster-launch", "checking", self._looking())
        return True

    def start_dagster(self) -> bool:
        """Start ``basalt dagster dev`` on the target, then launch what waits; False while
        busy or when this editor cannot start Dagster."""
        if self._start is None or self.busy or self._closed:
            return False
        self._starting = True
        self._spawn(
            self._start_then_launch, "dagster-start", "starting-dagster", self._starting_text()
        )
        return True

    def close(self) -> None:
        """Stop following (the editor closes); a start under way finishes on its own."""
        self._closed = True
        self._stop.set()

    def join(self, timeout: float | None = None) -> None:
        for thread in list(self.threads):
            thread.join(timeout)

    # -- the worker ----------------------------------------------------------------------------

    def _looking(self) -> str:
        return f"Looking for Dagster at {self.target.url}…"

    def _starting_text(self) -> str:
        return f"Starting Dagster at {self.target.url} (about 10 s)…"

    def _spawn(
        self, work: Callable[[threading.Event], None], name: str, state: str, message: str
    ) -> None:
        """Say the first state at once (a second click finds it busy), then work on a thread."""
        self._stop.set()  # the previous worker stops following its run
        stop = self._stop = threading.Event()
        self._say(stop, state, message)
        self.threads = [t for t in self.threads if t.is_alive()]
        thread = threading.Thread(target=work, args=(stop,), name=name, daemon=True)
        self.threads.append(thread)
        thread.start()

    def _say(self, stop: threading.Event, state: str, message: str, **changes: Any) -> None:
        """Set the picture, unless this worker was replaced or closed."""
        with self._lock:
            if stop.is_set():
                return
            keep = {"launch", "url", "status", "progress"} if state in FOLLOWING | FINAL else set()
            base = {k: getattr(self._current, k) for k in keep}
            self._current = DagsterUpdate(state, message, **{**base, **changes})
            self._version += 1
            if self.states[-1] != state:
                self.states.append(state)

    def _start_then_launch(self, stop: threading.Event) -> None:
        url = self.target.url
        if not self._run_start(stop):
            return
        if self._pending is not None:
            self._say(stop, "checking", self._looking())
            self._check_and_launch(stop)
        else:
            self._say(stop, "ready", f"Dagster is running at {url}")

    def _run_start(self, stop: threading.Event) -> bool:
        """Start Dagster; False when it failed (said so) or the editor closed meanwhile."""
        assert self._start is not None
        try:
            handle = self._start()
        except Exception as exc:
            log = f" (log: {self.log_path})" if self.log_path else ""
            self._say(
                stop,
                "unavailable",
                f"Dagster did not start at {self.target.url}: {error_text(exc)}{log}",
                error=True,
                offer_start=True,
            )
            return False
        finally:
            self._starting = False
        if self._closed:
            if self.stop_late_start and handle is not None:
                handle.stop()
            return False
        if handle is not None:
            with self._lock:
                self._started = handle
                self._version += 1
        return True

    def _check_and_launch(self, stop: threading.Event) -> None:
        from basalt.dagster.graphql import DagsterUnavailable

        request = self._pending
        assert request is not None
        url = self.target.url
        if self._start is not None and self._start_pending():
            self._starting = True
            self._say(stop, "starting-dagster", f"Waiting for Dagster to start at {url}…")
            if not self._run_start(stop):
                return
            self._say(stop, "checking", self._looking())
        client = self.target.client()  # this thread's own
        try:
            answers = bool(client.ping())
        except Exception as exc:
            self._say(
                stop, "error", f"Cannot talk to Dagster at {url}: {error_text(exc)}", error=True
            )
            return
        if not answers:
            self._unavailable(stop)
            return
        what = f"{request.script.stem} for {request.universe}, {request.start}..{request.end}"
        self._say(stop, "launching", f"Launching {what} in Dagster…")
        try:
            launch = launch_in_dagster(
                self.target,
                request.script,
                request.config,
                request.universe,
                request.start,
                request.end,
                client=client,
            )
        except ValueError as exc:
            self._say(stop, "error", f"Nothing to launch: {error_text(exc)}", error=True)
            return
        except DagsterUnavailable:
            self._unavailable(stop)
            return
        except Exception as exc:
            self._say(stop, "error", f"Dagster refused the launch: {error_text(exc)}", error=True)
            return
        self._pending = None
        self._follow(stop, client, launch)

    def _unavailable(self, stop: threading.Event) -> None:
        failed = self._start_error()
        why = f" (starting it failed: {failed})" if failed else ""
        offer = " Start it here; the launch follows." if self._start is not None else ""
        self._say(
            stop,
            "unavailable",
            f"No Dagster webserver at {self.target.url}{why}.{offer}",
            error=True,
            offer_start=self._start is not None,
        )

    def _follow(self, stop: threading.Event, client: Any, launch: DagsterLaunch) -> None:
        """Poll the run or backfill until it ends (or another launch replaces it)."""
        first = "QUEUED" if launch.kind == "run" else "REQUESTED"
        progress = (0, len(launch.partition_keys)) if launch.kind == "backfill" else None
        self._show(stop, launch, first, progress)
        while not stop.wait(self.poll_seconds):
            try:
                if launch.kind == "run":
                    status, progress = str(client.run_status(launch.id)), None
                else:
                    found = client.backfill_progress(launch.id)
                    total = found.total or len(launch.partition_keys)
                    status, progress = found.status, (found.done, total)
            except Exception as exc:
                state = self.current.state
                self._say(stop, state, f"{self._title(launch)}: status unknown ({error_text(exc)})")
                continue
            if self._show(stop, launch, status, progress):
                return

    @staticmethod
    def _title(launch: DagsterLaunch) -> str:
        count = plural(len(launch.partition_keys), "partition")
        return f"{launch.kind.capitalize()} {launch.id[:8]} ({count})"

    def _show(
        self,
        stop: threading.Event,
        launch: DagsterLaunch,
        status: str,
        progress: tuple[int, int] | None,
    ) -> bool:
        """Say a status; True when it is the last."""
        title = self._title(launch)
        if launch.kind == "run":
            state = RUN_STATES.get(status, "started")
            words = {
                "queued": "queued in Dagster",
                "started": "running in Dagster",
                "success": "succeeded",
                "failure": "failed (the run's page in Dagster has the logs)",
                "canceled": "was canceled",
            }
        else:
            state = BACKFILL_STATES.get(status, "in-progress")
            if state == "requested" and progress and progress[0] > 0:
                state = "in-progress"
            done = f"{progress[0]} of {progress[1]} partitions done" if progress else ""
            words = {
                "requested": "requested in Dagster",
                "in-progress": done or "in progress",
                "completed": f"completed ({done})" if done else "completed",
                "failed": "failed (the backfill's page in Dagster has the logs)",
                "canceled": "was canceled",
            }
        self._say(
            stop,
            state,
            f"{title} {words[state]}",
            error=state in FAILED,
            launch=launch,
            url=launch.url,
            status=status,
            progress=progress,
        )
        return state in FINAL
