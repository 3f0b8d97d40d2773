"""Starting a command in its own session and stopping its whole process group.

``dagster dev`` starts several processes (code-server proxy, gRPC server, webserver, daemon)
and can hang for 20 s or more on SIGINT. Started with ``start_new_session=True`` they share
one process group whose id is the leader's pid, so the group can be interrupted, given a grace
period, then killed as a whole. No Dagster import here.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import threading
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import IO

POLL_SECONDS = 0.1


def start_in_new_session(
    command: Sequence[str],
    *,
    env: Mapping[str, str] | None = None,
    cwd: str | Path | None = None,
    output: IO[bytes] | int | None = None,
) -> subprocess.Popen:
    """Start ``command`` as the leader of a new session (its process group id is its pid).

    ``output`` receives stdout and stderr (a file, ``subprocess.DEVNULL``, or ``None`` to
    share this process's). Ctrl-C in a terminal does not reach it: the caller forwards it.
    """
    return subprocess.Popen(
        list(command),
        env=dict(env) if env is not None else None,
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        stdout=output,
        stderr=subprocess.STDOUT if output is not None else None,
        start_new_session=True,
    )


def _group_members(pgid: int) -> list[int] | None:
    """Live (not zombie) processes of a group, from ``/proc``; ``None`` without ``/proc``."""
    proc = Path("/proc")
    if not (proc / "self" / "stat").exists():
        return None
    members = []
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] != "Z" and int(fields[2]) == pgid:
            members.append(int(entry.name))
    return members


def group_alive(pgid: int) -> bool:
    """Whether any process of the group is still running (zombies do not count)."""
    members = _group_members(pgid)
    if members is not None:
        return bool(members)
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def signal_group(pgid: int, sig: int) -> None:
    """Send ``sig`` to the group; a group already gone is fine."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pgid, sig)


def wait_group(
    pgid: int,
    timeout: float,
    leader: subprocess.Popen | None = None,
    hurry: threading.Event | None = None,
) -> bool:
    """Wait until every process of the group has ended (reaping ``leader``, our child, so it
    does not linger as a zombie), at most ``timeout`` seconds or until ``hurry`` is set;
    returns whether the group is gone."""
    deadline = time.monotonic() + timeout
    while True:
        if leader is not None:
            leader.poll()
        if not group_alive(pgid):
            return True
        if time.monotonic() >= deadline or (hurry is not None and hurry.is_set()):
            return False
        time.sleep(POLL_SECONDS)


def stop_process_group(
    process: subprocess.Popen | int,
    grace: float = 10.0,
    *,
    first_signal: int = signal.SIGINT,
    hurry: threading.Event | None = None,
) -> bool:
    """Stop the group led by ``process`` (a ``Popen`` started by :func:`start_in_new_session`,
    or a group id): ``first_signal`` to the group, SIGKILL to the group after ``grace`` seconds.

    Setting ``hurry`` (a second Ctrl-C) cuts the grace period short. Returns ``True`` when the
    group ended within the grace period, ``False`` when it had to be killed. Either way no process of the group is left when it returns (unless one ignores
    SIGKILL, which only the kernel can do).
    """
    if isinstance(process, subprocess.Popen):
        leader: subprocess.Popen | None = process
        pgid = process.pid
    else:
        leader = None
        pgid = int(process)
    signal_group(pgid, first_signal)
    ended = wait_group(pgid, grace, leader, hurry)
    if not ended:
        signal_group(pgid, signal.SIGKILL)
        wait_group(pgid, 10.0, leader)
    if leader is not None:  # reap it (the group can end between a poll and the check)
        with contextlib.suppress(subprocess.TimeoutExpired):
            leader.wait(timeout=5)
    return ended
