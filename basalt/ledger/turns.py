"""Taking turns at the ledger file between processes.

DuckDB refuses a second process outright (no waiting), and a refused open costs milliseconds of
CPU, so many writers polling DuckDB itself waste the machine and leave the file idle between
their sleeps. Our processes queue on an advisory lock file beside the ledger instead
(``flock``: a non-blocking try is one system call, so waiting is cheap and the next writer goes
as soon as the previous one is done). The lock is released by the kernel when a process dies.
A process that does not take turns (a DuckDB shell on the file) is still handled by retrying
the open.
"""

from __future__ import annotations

import contextlib
import os
import random
import time
from collections.abc import Iterator
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - no flock: fall back to retrying DuckDB's own lock
    fcntl = None  # type: ignore[assignment]

POLL_SECONDS = 0.002


@contextlib.contextmanager
def turn(lock_path: Path, deadline: float) -> Iterator[bool]:
    """Hold the lock while the block runs: yields ``True``, or ``False`` when the deadline
    (``time.monotonic()``) passed first. Without ``flock`` it always yields ``True``."""
    if fcntl is None:
        yield True
        return
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o666)  # the umask decides
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    yield False
                    return
                time.sleep(POLL_SECONDS * (0.5 + random.random()))
        try:
            yield True
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
