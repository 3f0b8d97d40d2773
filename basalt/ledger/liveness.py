"""Liveness of runs: each run's row names the process running it (host, pid, start time) and
that process beats (updates ``heartbeat_at``) at each batch and every
:data:`HEARTBEAT_INTERVAL` seconds. :func:`reconcile`, called before every ledger read, marks
``lost`` a run still ``running`` whose process is gone: on this host, a pid that is not alive
or belongs to another process (another start time); on another host, a heartbeat older than
:data:`STALE_AFTER`. A Dagster run's row then waits for Dagster's own verdict, which its
run-status sensor or ``basalt dagster sync`` brings (:mod:`basalt.dagster.reconcile`)."""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
from typing import TYPE_CHECKING, Any

import duckdb

from basalt.ledger import schema

if TYPE_CHECKING:
    from basalt.ledger.store import Ledger

log = logging.getLogger("basalt.ledger")

HEARTBEAT_INTERVAL = 15.0
STALE_AFTER = dt.timedelta(minutes=2)
BEAT_TIMEOUT = 5.0  # a heartbeat that finds the ledger busy this long is skipped
DAGSTER_HINT = "; Dagster's status follows from its run-status sensor or 'basalt dagster sync'"


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


def this_host() -> str:
    return socket.gethostname()


def _proc_stat(pid: int) -> tuple[str, int] | None:
    """State and start time (clock ticks after boot) of a process, from ``/proc/PID/stat``;
    ``None`` when there is no such file."""
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8", errors="replace") as f:
            text = f.read()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2 :].split()  # after "pid (comm) "
    try:
        return fields[0], int(fields[19])  # state (field 3), starttime (field 22)
    except (IndexError, ValueError):
        return None


def process_start(pid: int) -> int | None:
    """Start time of a process in clock ticks after boot (``None`` without ``/proc``)."""
    stat = _proc_stat(pid)
    return stat[1] if stat else None


def process_identity(pid: int | None = None) -> dict[str, Any]:
    """``host``, ``pid`` and ``pid_started`` of a process of this host (default: this one)."""
    pid = os.getpid() if pid is None else pid
    return {"host": this_host(), "pid": pid, "pid_started": process_start(pid)}


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, another user's
        return True
    except OSError:
        return False
    return True


def _when(at: dt.datetime | None) -> str:
    return at.strftime("%Y-%m-%d %H:%M:%S UTC") if at else "none"


def gone_reason(
    row: dict[str, Any],
    now: dt.datetime,
    host: str,
    stale_after: dt.timedelta = STALE_AFTER,
) -> str | None:
    """Why the process of a ``running`` row is gone, or ``None`` while it may be alive (or the
    row names no process)."""
    pid, run_host = row.get("pid"), row.get("host")
    if pid is None or run_host is None:
        return None
    beat = row.get("heartbeat_at")
    last = f"last heartbeat {_when(beat)}"
    if run_host == host:
        if not _pid_alive(pid):
            return f"process {pid} on host {run_host} is gone ({last})"
        stat = _proc_stat(pid)
        if stat is not None and stat[0] == "Z":
            return f"process {pid} on host {run_host} is gone (exited, {last})"
        started = row.get("pid_started")
        if stat is not None and started is not None and stat[1] != started:
            return (
                f"process {pid} on host {run_host} is gone "
                f"(pid {pid} is now another process; {last})"
            )
        return None
    if beat is None or now - beat > stale_after:
        return (
            f"process {pid} on host {run_host} is gone "
            f"(no heartbeat for over {int(stale_after.total_seconds())} s; {last})"
        )
    return None


def reconcile(
    con: duckdb.DuckDBPyConnection,
    now: dt.datetime | None = None,
    host: str | None = None,
    stale_after: dt.timedelta = STALE_AFTER,
) -> list[str]:
    """Mark ``lost`` (reason in ``error``) every ``running`` run whose process is gone; the ids
    marked. A failure is logged, never raised: a read goes on without it."""
    now = now or _utcnow()
    host = host or this_host()
    try:
        cursor = con.execute(
            """
            SELECT run_id, trigger, host, pid, pid_started, heartbeat_at FROM meta.runs
            WHERE status = 'running' AND pid IS NOT NULL
            """
        )
        names = [d[0] for d in cursor.description]
        rows = [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]
        lost = []
        for row in rows:
            reason = gone_reason(row, now, host, stale_after)
            if reason is not None and row["trigger"] == "dagster":
                reason += DAGSTER_HINT
            if reason is not None:
                con.execute(schema.MARK_LOST, {"run_id": row["run_id"], "error": reason})
                lost.append(row["run_id"])
    except duckdb.Error as exc:
        log.info("run ledger: cannot check which runs are still alive: %s", exc)
        return []
    for run_id in lost:
        log.info("run ledger: run %s marked lost", run_id)
    return lost


def beat(ledger: Ledger, run_id: str, at: dt.datetime | None = None) -> bool:
    """Record that this process is running ``run_id``; ``False`` when the ledger could not
    be written (busy or broken: the next beat tries again)."""
    params = {"run_id": run_id, **process_identity(), "at": at or _utcnow()}
    try:
        with ledger.connect(timeout=min(ledger.busy_timeout, BEAT_TIMEOUT)) as con:
            con.execute(schema.BEAT_RUN, params)
    except Exception as exc:  # a heartbeat must never fail the run
        log.debug("run ledger %s: heartbeat skipped: %s", ledger.path, exc)
        return False
    return True


class Heartbeat:
    """A daemon thread that beats for one run every ``interval`` seconds until :meth:`stop`."""

    def __init__(self, ledger: Ledger, run_id: str, interval: float = HEARTBEAT_INTERVAL):
        self.ledger = ledger
        self.run_id = run_id
        self.interval = interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> Heartbeat:
        if self._thread is not None:
            return self
        self._thread = threading.Thread(
            target=self._loop, name=f"ledger-heartbeat-{self.run_id[:12]}", daemon=True
        )
        self._thread.start()
        return self

    def _loop(self) -> None:
        while not self._stop.wait(self.interval):
            beat(self.ledger, self.run_id)

    def beat(self) -> bool:
        return beat(self.ledger, self.run_id)

    def stop(self, timeout: float = BEAT_TIMEOUT + 1) -> None:
        self._stop.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout)
