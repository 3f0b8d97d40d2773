"""Watching the demo and theme folders with watchdog, and telling which changes matter.

A change matters when it is a demo file (``demo/NN_name.py`` or ``demo/NN_name.yaml``) or a
theme (``themes/*.toml``) being created, written, renamed or deleted. Editors that save by
writing a temporary file and renaming it over the target are seen through the rename's
destination. Everything else is ignored: temporary and backup files (``.x.yaml.123.tmp``,
``x.yaml~``, ``.x.yaml.swp``), hidden files, sub-folders (``.basalt/``, outputs,
``__pycache__``, Dagster's own files) and mere reads (our own validation reads every demo).

Both folders are watched without recursion, as demos are discovered (``demo/NN_*.py``).
When the platform's notifications cannot be set up (the inotify watch limit), it polls.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
from collections.abc import Callable
from pathlib import Path

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

log = logging.getLogger("basalt.dagster")

DEMO_FILE = re.compile(r"^[0-9][0-9]_[^/]*\.(py|yaml)$")
THEME_SUFFIX = ".toml"
POLL_INTERVAL = 0.5
# Written content only: "opened" and "closed_no_write" (reads) never reach the handler.
EVENT_FILTER: list[type[FileSystemEvent]] = [
    FileCreatedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileDeletedEvent,
    FileClosedEvent,
]
EVENT_TYPES = frozenset({"created", "modified", "moved", "deleted", "closed"})

OnPath = Callable[[Path], None]


def _same_folder(path: Path, folder: Path) -> bool:
    return os.path.realpath(path.parent) == os.path.realpath(folder)


def is_demo_file(path: str | Path, demo_dir: str | Path) -> bool:
    """A demo's ``.py`` or ``.yaml`` directly in ``demo_dir`` (not a temporary or hidden file)."""
    path = Path(path)
    return bool(DEMO_FILE.match(path.name)) and _same_folder(path, Path(demo_dir))


def is_theme_file(path: str | Path, themes_dir: str | Path) -> bool:
    """A theme file (``*.toml``, not hidden) directly in ``themes_dir``."""
    path = Path(path)
    return (
        path.suffix == THEME_SUFFIX
        and not path.name.startswith(".")
        and _same_folder(path, Path(themes_dir))
    )


class ChangeRouter(FileSystemEventHandler):
    """Sends each demo file an event touches to ``on_demo`` and each theme to ``on_theme``;
    for a rename, both the source (gone) and the destination (new content) count."""

    def __init__(
        self,
        demo_dir: str | Path,
        themes_dir: str | Path | None,
        on_demo: OnPath,
        on_theme: OnPath | None = None,
    ) -> None:
        self.demo_dir = Path(demo_dir)
        self.themes_dir = Path(themes_dir) if themes_dir is not None else None
        self.on_demo = on_demo
        self.on_theme = on_theme

    def route(self, path: str | Path) -> None:
        """Route one path (what :meth:`on_any_event` does for each path of an event)."""
        path = Path(path)
        if is_demo_file(path, self.demo_dir):
            self.on_demo(path)
        elif (
            self.themes_dir is not None
            and self.on_theme is not None
            and is_theme_file(path, self.themes_dir)
        ):
            self.on_theme(path)

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.is_directory or event.event_type not in EVENT_TYPES:
            return
        paths = [event.src_path]
        if event.event_type == "moved" and event.dest_path:
            paths.append(event.dest_path)
        for raw in paths:
            self.route(os.fsdecode(raw))


class FolderWatcher:
    """Watch the demo folder (and the theme folder if it exists) for :class:`ChangeRouter`.

    ``FolderWatcher(router).start()`` ... ``stop()``; callbacks run on watchdog's thread.
    """

    def __init__(self, router: ChangeRouter, *, polling: bool = False) -> None:
        self.router = router
        self.polling = polling
        self._observer: BaseObserver | None = None

    def folders(self) -> list[Path]:
        folders = [self.router.demo_dir]
        themes = self.router.themes_dir
        if themes is not None and themes.is_dir():
            folders.append(themes)
        return folders

    def _schedule(self, observer: BaseObserver) -> None:
        for folder in self.folders():
            observer.schedule(self.router, str(folder), recursive=False, event_filter=EVENT_FILTER)

    def start(self) -> FolderWatcher:
        """Start watching; raises ``FileNotFoundError`` naming the demo folder if it is missing."""
        if not self.router.demo_dir.is_dir():
            raise FileNotFoundError(f"demo folder {self.router.demo_dir} does not exist")
        if not self.polling:
            observer = Observer()
            try:
                self._schedule(observer)
                observer.start()
            except OSError as exc:
                log.warning("cannot watch %s natively (%s); polling instead", self.folders(), exc)
                with contextlib.suppress(Exception):
                    observer.unschedule_all()
            else:
                self._observer = observer
                return self
        observer = PollingObserver(timeout=POLL_INTERVAL)
        self._schedule(observer)
        observer.start()
        self._observer = observer
        return self

    def stop(self) -> None:
        """Stop watching and join watchdog's thread. Idempotent."""
        observer, self._observer = self._observer, None
        if observer is not None:
            observer.stop()
            if observer.is_alive():
                observer.join(timeout=5)
