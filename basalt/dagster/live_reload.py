"""Keeping a running Dagster in step with the demos on disk: debounce, validate, reload.

:class:`LiveReloader` receives "this demo file changed" notices (:meth:`LiveReloader.notify`,
from any thread, typically a file watcher's) and, on its own worker thread:

1. waits until the changes settle (``debounce`` seconds without a new one, at most
   ``max_delay`` after the first), so an editor's burst of writes is one change;
2. validates each changed demo (``validate_fn(py_path)`` returns the error or ``None``); a demo
   that does not validate is not pushed: the state is ``refused`` with the reason (file, line,
   field) and Dagster keeps the last good definitions;
3. reloads (``reload_fn()``), one reload at a time: changes that arrive during a reload are
   merged into one reload that follows it.

Every state change goes to ``status_fn(ReloadEvent)``: ``reloading``, ``reloaded`` (with the
seconds it took), ``refused`` (reason), ``failed`` (the reload raised: its message). Nothing
here knows about processes, GraphQL or watchdog, so it is tested with plain functions.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

log = logging.getLogger("basalt.dagster")

DEFAULT_DEBOUNCE = 0.3


@dataclass(frozen=True)
class ReloadEvent:
    """One state change of the reloader; ``demos`` are stems (``01_ohlcv_bars``)."""

    state: str
    demos: tuple[str, ...] = ()
    reason: str | None = None
    seconds: float | None = None


ReloadFn = Callable[[], None]
ValidateFn = Callable[[Path], str | None]
StatusFn = Callable[[ReloadEvent], None]


def demo_script(path: str | Path) -> Path:
    """The demo a changed file belongs to: its ``.py`` (``01_x.yaml`` -> ``01_x.py``)."""
    return Path(path).with_suffix(".py")


class LiveReloader:
    """Debounces demo changes, validates them and reloads, one reload at a time.

    ``LiveReloader(reload_fn, validate_fn, status_fn, debounce=0.3)``; :meth:`start`,
    :meth:`notify` for each changed demo file, :meth:`stop` (or use it as a context manager).
    ``reload_fn`` and ``validate_fn`` run on the reloader's worker thread only, so a
    GraphQL client used by ``reload_fn`` needs no lock.
    """

    def __init__(
        self,
        reload_fn: ReloadFn,
        validate_fn: ValidateFn,
        status_fn: StatusFn,
        debounce: float = DEFAULT_DEBOUNCE,
        *,
        max_delay: float | None = None,
    ) -> None:
        if debounce < 0:
            raise ValueError(f"debounce must be >= 0 seconds, not {debounce}")
        self.reload_fn = reload_fn
        self.validate_fn = validate_fn
        self.status_fn = status_fn
        self.debounce = float(debounce)
        self.max_delay = float(max_delay) if max_delay is not None else max(2.0, 10 * debounce)
        self._cond = threading.Condition()
        self._pending: set[Path] = set()
        self._first_at: float | None = None
        self._last_at: float | None = None
        self._busy = False
        self._running = False
        self._worker: threading.Thread | None = None
        self.reloads = 0  # reload_fn calls so far (diagnostics, tests)

    # --- public -------------------------------------------------------------------------

    def start(self) -> LiveReloader:
        """Start the worker thread; returns ``self``."""
        with self._cond:
            if self._running:
                return self
            self._running = True
        self._worker = threading.Thread(target=self._run, name="LiveReloader", daemon=True)
        self._worker.start()
        return self

    def stop(self, timeout: float | None = 5.0) -> None:
        """Stop the worker: pending changes are dropped; a reload under way is waited for
        up to ``timeout`` seconds (the thread is a daemon: it never blocks the exit)."""
        with self._cond:
            self._running = False
            self._pending.clear()
            self._cond.notify_all()
        worker = self._worker
        if worker is not None and worker is not threading.current_thread():
            worker.join(timeout)

    def notify(self, path: str | Path) -> None:
        """A demo's ``.py`` or ``.yaml`` changed (created, written, renamed, deleted)."""
        script = demo_script(path)
        now = time.monotonic()
        with self._cond:
            if not self._running:
                return
            self._pending.add(script)
            if self._first_at is None:
                self._first_at = now
            self._last_at = now
            self._cond.notify_all()

    def wait_idle(self, timeout: float) -> bool:
        """Wait until nothing is pending and no reload runs; returns whether that happened."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while self._pending or self._busy:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._cond.wait(left)
            return True

    def __enter__(self) -> LiveReloader:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    # --- worker -------------------------------------------------------------------------

    def _due(self) -> float | None:
        """Seconds until the pending changes are due (<= 0: now); ``None``: nothing pending."""
        if not self._pending or self._first_at is None or self._last_at is None:
            return None
        due = min(self._last_at + self.debounce, self._first_at + self.max_delay)
        return due - time.monotonic()

    def _take_batch(self) -> list[Path] | None:
        """Block until a batch is due; ``None`` once stopped."""
        with self._cond:
            while True:
                if not self._running:
                    return None
                wait = self._due()
                if wait is not None and wait <= 0:
                    batch = sorted(self._pending)
                    self._pending.clear()
                    self._first_at = self._last_at = None
                    self._busy = True
                    return batch
                self._cond.wait(wait)

    def _run(self) -> None:
        while True:
            batch = self._take_batch()
            if batch is None:
                return
            try:
                self._handle(batch)
            except Exception:  # a bug in a callback must not end live reload
                log.exception("live reload of %s failed", ", ".join(p.stem for p in batch))
            finally:
                with self._cond:
                    self._busy = False
                    self._cond.notify_all()

    def _validate(self, script: Path) -> str | None:
        if not script.exists():
            return None  # a demo removed: the reload drops it
        try:
            return self.validate_fn(script)
        except Exception as exc:
            return f"{script}: could not be validated: {type(exc).__name__}: {exc}"

    def _handle(self, batch: list[Path]) -> None:
        refused: dict[str, str] = {}
        for script in batch:
            error = self._validate(script)
            if error:
                refused[script.stem] = error
        valid = tuple(s.stem for s in batch if s.stem not in refused)
        reason = "\n".join(refused.values()) or None
        if not valid:
            log.debug("not reloading Dagster: %s", reason)
            self.status_fn(ReloadEvent("refused", tuple(refused), reason))
            return
        self.status_fn(ReloadEvent("reloading", valid))
        started = time.monotonic()
        self.reloads += 1
        try:
            self.reload_fn()
        except Exception as exc:
            log.debug("reloading Dagster failed: %s", exc)
            self.status_fn(ReloadEvent("failed", valid, str(exc)))
            return
        seconds = round(time.monotonic() - started, 3)
        log.debug("Dagster reloaded in %.1f s (%s)", seconds, ", ".join(valid))
        if refused:  # the others went in; these keep their last good definitions
            log.info(
                "reloaded %s; kept the last good definitions of %s",
                ", ".join(valid),
                ", ".join(refused),
            )
            self.status_fn(ReloadEvent("refused", tuple(refused), reason, seconds))
        else:
            self.status_fn(ReloadEvent("reloaded", valid, None, seconds))
