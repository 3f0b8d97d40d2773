"""One writer per output file: an exclusive ``flock`` per output path, held while a batch
computes and writes it.

The lock of an output is ``<BASALT_HOME>/locks/<hash of its absolute path>.lock``; its holder
writes its run id, pid and host into it, so a run that finds it taken can say whom it waits for.
The kernel releases a ``flock`` when its process ends, however it ends (``kill -9`` too), so a
lock is never left stale. A batch takes the locks of all its outputs in one fixed order (by
lock file name), so two runs wanting overlapping outputs cannot deadlock. When ``BASALT_HOME``
cannot hold the locks (it is a file, or read-only), they go to :func:`fallback_dir`, with a
warning, rather than stopping the run. Lock files are kept
(removing one while another process waits on it would let two processes hold "the" lock).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import fcntl
import hashlib
import json
import logging
import os
import socket
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from basalt import locations

log = logging.getLogger("basalt.pipeline")

LOCKS_DIR = "locks"
POLL_SECONDS = 0.2
# How long a waiter gives a new holder to write its name before saying whom it waits for.
NAME_GRACE_SECONDS = 1.0
_WARNED: set[Path] = set()


@dataclass(frozen=True)
class Holder:
    """Who holds an output's lock (as its lock file says; ``None`` when unknown)."""

    run_id: str | None = None
    pid: int | None = None
    host: str | None = None

    def __str__(self) -> str:
        who = f"run {self.run_id}" if self.run_id else "another run"
        where = [f"pid {self.pid}"] if self.pid is not None else []
        if self.host and self.host != socket.gethostname():
            where.append(f"host {self.host}")
        return f"{who} ({', '.join(where)})" if where else who


def _stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def lock_file(output: str | Path, home: Path | None = None) -> Path:
    """The lock file of an output path."""
    digest = hashlib.sha256(str(Path(output).absolute()).encode("utf-8")).hexdigest()[:32]
    return (home or locations.home()) / LOCKS_DIR / f"{digest}.lock"


def fallback_dir() -> Path:
    """Where locks go when ``BASALT_HOME`` cannot hold them: this user's folder in the
    system's temporary folder (the same for every process of this host)."""
    return Path(tempfile.gettempdir()) / f"basalt-locks-{os.getuid()}"


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def _read_holder(fd: int) -> Holder | None:
    """The holder named in an open lock file; ``None`` while it is not (yet) readable, or names
    a process of this host that is gone (the previous holder's name, not yet overwritten)."""
    try:
        data = json.loads(os.pread(fd, 4096, 0).decode("utf-8"))
        holder = Holder(data.get("run_id"), data.get("pid"), data.get("host"))
    except (OSError, ValueError, AttributeError):
        return None
    if holder.pid is None:
        return None
    if holder.host == socket.gethostname() and not _pid_alive(int(holder.pid)):
        return None
    return holder


def _try_lock(fd: int) -> bool:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
            return False
        raise
    return True


class OutputLocks:
    """The locks of one batch's outputs. ``wait``: a taken lock is waited for (one line on
    ``notify`` per holder); otherwise the output is left out and returned as busy."""

    def __init__(
        self,
        run_id: str | None = None,
        *,
        wait: bool = True,
        notify: Callable[[str], None] | None = None,
        poll: float = POLL_SECONDS,
        home: Path | None = None,
    ):
        self.run_id = run_id
        self.wait = wait
        self.notify = notify or _stderr
        self.poll = poll
        self.home = home
        self._held: list[int] = []

    def _name(self, output: Path) -> bytes:
        return json.dumps(
            {
                "run_id": self.run_id,
                "pid": os.getpid(),
                "host": socket.gethostname(),
                "path": str(output),
                "since": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            }
        ).encode("utf-8")

    def _open(self, lock: Path) -> int:
        """The lock file, opened; in the temporary folder when ``BASALT_HOME`` cannot hold it
        (a home that is not a folder must not stop a run, as the ledger does not)."""
        try:
            lock.parent.mkdir(parents=True, exist_ok=True)
            return os.open(lock, os.O_RDWR | os.O_CREAT, 0o666)
        except OSError as exc:
            spare = fallback_dir() / lock.name
            if lock.parent not in _WARNED:
                _WARNED.add(lock.parent)
                log.warning(
                    "output locks: %s cannot be used (%s); using %s",
                    lock.parent,
                    exc.strerror or exc,
                    spare.parent,
                )
            spare.parent.mkdir(parents=True, exist_ok=True)
            return os.open(spare, os.O_RDWR | os.O_CREAT, 0o666)

    def _take(self, output: Path, lock: Path) -> Holder | None:
        """Lock one output; ``None`` once held, else (not waiting) who holds it."""
        fd = self._open(lock)
        try:
            told: Holder | None = None
            first_refusal = None
            while not _try_lock(fd):
                holder = _read_holder(fd)
                now = time.monotonic()
                first_refusal = first_refusal or now
                if holder is None and now - first_refusal < NAME_GRACE_SECONDS:
                    time.sleep(min(self.poll, 0.05))  # the new holder is writing its name
                    continue
                holder = holder or Holder()
                if not self.wait:
                    os.close(fd)
                    return holder
                if holder != told:
                    self.notify(f"waiting for {holder} writing {output}")
                    told = holder
                time.sleep(self.poll)
            os.ftruncate(fd, 0)
            os.pwrite(fd, self._name(output), 0)
        except BaseException:
            os.close(fd)  # releases the lock if it was taken
            raise
        self._held.append(fd)
        return None

    def acquire(self, outputs: Iterable[str | Path]) -> dict[Path, Holder]:
        """Lock each output, in lock-file order; the outputs left out (busy) with their holder."""
        paths = {Path(o).absolute() for o in outputs}
        ordered = sorted((lock_file(p, self.home), p) for p in paths)
        busy: dict[Path, Holder] = {}
        try:
            for lock, output in ordered:
                holder = self._take(output, lock)
                if holder is not None:
                    busy[output] = holder
                    self.notify(f"skipping {output}: {holder} is writing it")
        except BaseException:
            self.release()
            raise
        return busy

    def release(self) -> None:
        while self._held:
            os.close(self._held.pop())  # closing the file releases its flock

    def __enter__(self) -> OutputLocks:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


@contextlib.contextmanager
def holding(
    outputs: Iterable[str | Path],
    run_id: str | None = None,
    *,
    wait: bool = True,
    notify: Callable[[str], None] | None = None,
    poll: float = POLL_SECONDS,
) -> Iterator[dict[Path, Holder]]:
    """Hold the locks of ``outputs`` for the block; yields the outputs left out (only when
    not waiting: those another run is writing), by absolute path."""
    with OutputLocks(run_id, wait=wait, notify=notify, poll=poll) as locks:
        yield locks.acquire(outputs)
