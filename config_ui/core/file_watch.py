"""Watch the one file an editor has open and report changes made by someone else.

:class:`FileWatcher` watches the file's folder (not recursively) with watchdog, so editors
that save by writing a temporary file and renaming it over the target are seen as well as
in-place writes and deletion. Bursts of events are debounced; then the file is read and
``on_change(text)`` is called only if the text differs from the last known text (``None``
when the file is gone). Other files in the folder, temporary files included, are ignored.

The editor's own saves are not external changes: call :meth:`FileWatcher.acknowledge` with
the text just before writing it (or wrap the save in :meth:`FileWatcher.saving`).

Threads: ``on_change`` runs on the watcher's own thread, never on the UI thread. Renderers
must hand it over to their UI thread, e.g. Textual with ``app.call_from_thread(...)``,
NiceGUI with ``loop.call_soon_threadsafe(...)`` on the server's event loop or a queue
drained by ``ui.timer``. Do not touch widgets from the callback itself.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import TracebackType

from watchdog.events import (
    FileClosedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver
from watchdog.observers.polling import PollingObserver

from basalt.config.document import DocumentError, read_capped

__all__ = ["FileWatcher"]

log = logging.getLogger(__name__)

WRITE_SETTLE_LIMIT = 2.0
"""Seconds to wait, after an in-place write began, for the writer to close the file.

Only where the platform reports closes (inotify on Linux); elsewhere the debounce alone
decides when the file is read.
"""

POLL_INTERVAL = 0.5
"""Seconds between directory scans when falling back to polling."""

_EVENT_FILTER: list[type[FileSystemEvent]] = [
    FileCreatedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileDeletedEvent,
    FileClosedEvent,
]
_EVENT_TYPES = frozenset({"created", "modified", "moved", "deleted", "closed"})

_UNKNOWN = object()
"""Last known text before anything was read or acknowledged: any text is a change."""
_UNREADABLE = object()
"""The file exists but could not be read (permissions, a folder in its place)."""

OnChange = Callable[[str | None], None]


class FileWatcher:
    """Report external changes to one file: ``on_change(text)``, or ``on_change(None)`` on delete.

    ``FileWatcher(path, on_change, debounce=0.15)``; :meth:`start` and :meth:`stop` (or use it
    as a context manager). The last known text starts as the file's text when :meth:`start`
    runs, unless :meth:`acknowledge` set it before. Undecodable bytes reach ``on_change`` as
    U+FFFD; reload through the document layer to get the precise error.

    ``polling=True`` scans the folder every :data:`POLL_INTERVAL` seconds instead of using the
    platform's notifications; the watcher also falls back to polling by itself when those
    cannot be set up (e.g. the inotify watch limit is reached).
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        on_change: OnChange,
        debounce: float = 0.15,
        *,
        polling: bool = False,
    ) -> None:
        if debounce < 0:
            raise ValueError(f"debounce must be >= 0 seconds, not {debounce}")
        self.path = Path(os.path.abspath(path))
        self.debounce = float(debounce)
        self._on_change = on_change
        self._polling = polling
        # The names an event may use for the file: as given, and through the real folder
        # (macOS reports /private/var/... for /var/...).
        self._names = frozenset(
            {str(self.path), os.path.join(os.path.realpath(self.path.parent), self.path.name)}
        )
        self._cond = threading.Condition()
        self._state = "new"  # -> "running" -> "stopped"
        self._last: object = _UNKNOWN
        self._acknowledged = 0  # bumped by acknowledge(): a read racing a save is redone
        self._deadline: float | None = None
        self._write_open_since: float | None = None
        self._close_events = False
        self._checks = 0
        self._observer: BaseObserver | None = None
        self._worker: threading.Thread | None = None

    # -- public ---------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        """True between :meth:`start` and :meth:`stop`."""
        return self._state == "running"

    @property
    def checks(self) -> int:
        """How many times the file was read after a burst of events (diagnostics, tests)."""
        return self._checks

    def start(self) -> FileWatcher:
        """Start watching; no-op if already running. Returns ``self``.

        Raises ``FileNotFoundError`` if the file's folder does not exist and ``RuntimeError``
        once stopped (a watcher is not restarted; create a new one).
        """
        with self._cond:
            if self._state == "running":
                return self
            if self._state == "stopped":
                raise RuntimeError("a stopped FileWatcher cannot be started again")
            folder = self.path.parent
            if not folder.is_dir():
                raise FileNotFoundError(
                    errno.ENOENT,
                    f"cannot watch {self.path}: its folder does not exist",
                    str(folder),
                )
            if self._last is _UNKNOWN:
                text = self._read()
                if text is not _UNREADABLE:
                    self._last = text
            self._state = "running"
        try:
            self._observer = self._start_observer()
        except BaseException:
            with self._cond:
                self._state = "new"
            raise
        self._worker = threading.Thread(
            target=self._run, name=f"FileWatcher[{self.path.name}]", daemon=True
        )
        self._worker.start()
        return self

    def stop(self) -> None:
        """Stop watching and join the watcher's threads. Idempotent.

        Once it returns no ``on_change`` call is running or will start. Safe to call from
        ``on_change`` itself (then only the observer thread is joined).
        """
        with self._cond:
            self._state = "stopped"
            self._cond.notify_all()
            observer, worker = self._observer, self._worker
        current = threading.current_thread()
        if observer is not None:
            observer.stop()
            if observer.is_alive() and observer is not current:
                observer.join()
        if worker is not None and worker is not current and worker.is_alive():
            worker.join()

    def acknowledge(self, text: str | None) -> None:
        """Make ``text`` the last known text: the editor's own save, not an external change.

        Call it just before writing the file (a failed save can acknowledge the old text).
        """
        with self._cond:
            self._last = text
            self._acknowledged += 1

    @contextlib.contextmanager
    def saving(self, text: str | None) -> Iterator[None]:
        """``with watcher.saving(text): document.save()``: acknowledge, and undo if it fails."""
        with self._cond:
            previous = self._last
        self.acknowledge(text)
        try:
            yield
        except BaseException:
            with self._cond:
                self._last = previous
                self._acknowledged += 1
            raise

    def __enter__(self) -> FileWatcher:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"FileWatcher({str(self.path)!r}, {self._state})"

    # -- observer side ----------------------------------------------------------------------

    def _start_observer(self) -> BaseObserver:
        handler = _Handler(self)
        folder = str(self.path.parent)
        if not self._polling:
            observer = Observer()
            try:
                observer.schedule(handler, folder, recursive=False, event_filter=_EVENT_FILTER)
                observer.start()
            except OSError as exc:
                log.warning("cannot watch %s natively (%s); polling instead", folder, exc)
                with contextlib.suppress(Exception):
                    observer.unschedule_all()
            else:
                # inotify reports when a writer closes the file: wait for it before reading.
                self._close_events = type(observer).__module__.endswith(".inotify")
                return observer
        observer = PollingObserver(timeout=POLL_INTERVAL)
        observer.schedule(handler, folder, recursive=False, event_filter=_EVENT_FILTER)
        observer.start()
        return observer

    def _on_event(self, event: FileSystemEvent) -> None:
        """Called on watchdog's dispatch thread: note the event, let the worker debounce."""
        if event.is_directory or event.event_type not in _EVENT_TYPES:
            return
        src = os.fsdecode(event.src_path)
        dest_path = getattr(event, "dest_path", "")  # only moves carry one before watchdog 5
        dest = os.fsdecode(dest_path) if dest_path else ""
        if src not in self._names and dest not in self._names:
            return
        now = time.monotonic()
        with self._cond:
            if self._state != "running":
                return
            self._deadline = now + self.debounce
            if self._close_events:
                if event.event_type == "modified":
                    if self._write_open_since is None:
                        self._write_open_since = now
                else:  # closed, moved, deleted, created: no write left half done
                    self._write_open_since = None
            self._cond.notify_all()

    # -- worker side ------------------------------------------------------------------------

    def _run(self) -> None:
        while self._wait_until_due():
            self._check()

    def _wait_until_due(self) -> bool:
        """Block until a debounced check is due (True) or the watcher stops (False)."""
        with self._cond:
            while self._state == "running":
                if self._deadline is None:
                    self._cond.wait()
                    continue
                due = self._deadline
                if self._write_open_since is not None:
                    due = max(due, self._write_open_since + WRITE_SETTLE_LIMIT)
                remaining = due - time.monotonic()
                if remaining > 0:
                    self._cond.wait(remaining)
                    continue
                self._deadline = None
                self._write_open_since = None
                return True
            return False

    def _check(self) -> None:
        with self._cond:
            acknowledged = self._acknowledged
        text = self._read()
        with self._cond:
            self._checks += 1
            if self._state != "running" or text is _UNREADABLE:
                return
            if self._acknowledged != acknowledged:
                # The editor saved while we read: look again once its write has settled.
                self._deadline = time.monotonic() + self.debounce
                return
            if text == self._last:
                return
            self._last = text
        try:
            self._on_change(text)  # type: ignore[arg-type]
        except Exception:
            log.exception("on_change failed for %s", self.path)

    def _read(self) -> str | None | object:
        """The file's text; a file too large or not a regular file is not read at all."""
        try:
            data = read_capped(self.path)
        except FileNotFoundError:
            return None
        except DocumentError as exc:
            log.warning("not reading %s", exc)
            return _UNREADABLE
        except OSError as exc:
            log.warning("cannot read %s: %s", self.path, exc.strerror or exc)
            return _UNREADABLE
        return data.decode("utf-8", errors="replace")


class _Handler(FileSystemEventHandler):
    def __init__(self, watcher: FileWatcher) -> None:
        self._watcher = watcher

    def on_any_event(self, event: FileSystemEvent) -> None:
        self._watcher._on_event(event)
