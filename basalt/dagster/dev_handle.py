"""A Dagster webserver for an editor: attach to the one running, or start ``basalt dagster dev``.

::

    handle = ensure_dagster_dev("127.0.0.1", 3000, log_path=".basalt/dagster_dev.log")
    client = handle.client()          # a DagsterWebserver (one per thread)
    ...
    handle.stop()                     # stops what it started; nothing when attached

When something already answers on the port, nothing is started (``handle.attached``): the
user's own ``basalt dagster dev`` (or ``make dagster``) keeps running after the editor quits.
Otherwise ``basalt dagster dev`` starts in its own session, so the editor gets live reload too,
and :func:`ensure_dagster_dev` returns once Dagster answers and the watcher is running.
No Dagster import here (Dagster runs in the child processes).
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from basalt.dagster.graphql import DagsterUnavailable, DagsterWebserver
from basalt.dagster.process_group import start_in_new_session, stop_process_group
from basalt.dagster.reload_status import ReloadStatus, read_status
from basalt.home import HOME_ENV

START_TIMEOUT = 180.0
# The child gives dagster dev its own grace period (basalt.dagster.dev.GRACE_SECONDS, 10 s)
# before killing it; this covers that and the child's own exit.
STOP_TIMEOUT = 30.0


@dataclass
class DevHandle:
    """A Dagster webserver an editor uses: started by it (``process``) or ``attached``."""

    host: str
    port: int
    attached: bool
    process: subprocess.Popen | None = None
    log_path: Path | None = None
    home: Path | None = None  # BASALT_HOME of the started process (its status file)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def running(self) -> bool:
        """Whether the process it started is still running (``True`` when attached)."""
        return self.attached or (self.process is not None and self.process.poll() is None)

    def client(self, timeout: float = 60.0) -> DagsterWebserver:
        """A new GraphQL client for this webserver (give each thread its own)."""
        return DagsterWebserver(self.host, self.port, timeout=timeout)

    def status(self) -> ReloadStatus | None:
        """The live-reload status of this port (from ``<BASALT_HOME>/dagster_reload.json``)."""
        return read_status(self.home, self.port)

    def log_tail(self, chars: int = 4000) -> str:
        if self.log_path is None or not self.log_path.exists():
            return ""
        return self.log_path.read_text(errors="replace")[-chars:]

    def stop(self, timeout: float = STOP_TIMEOUT) -> None:
        """Stop what :func:`ensure_dagster_dev` started; nothing when attached.

        SIGTERM asks ``basalt dagster dev`` to stop Dagster (SIGINT, grace, SIGKILL of its
        group); if it has not finished after ``timeout`` seconds, both groups are killed.
        """
        if self.attached or self.process is None:
            return
        status = self.status()
        dagster_pid = (
            status.dagster_pid if status is not None and status.pid == self.process.pid else None
        )
        if stop_process_group(self.process, timeout, first_signal=signal.SIGTERM):
            return
        if dagster_pid is not None:  # the child was killed before it could stop Dagster
            stop_process_group(dagster_pid, 0.0, first_signal=signal.SIGKILL)


def _home_of(env: Mapping[str, str], cwd: Path) -> Path:
    configured = env.get(HOME_ENV)
    return Path(configured).expanduser() if configured else cwd / ".basalt" / "home"


def ensure_dagster_dev(
    host: str = "127.0.0.1",
    port: int = 3000,
    log_path: str | Path | None = None,
    *,
    timeout: float = START_TIMEOUT,
    workspace: str | Path | None = None,
    demo_dir: str | Path | None = None,
    cwd: str | Path | None = None,
    env: Mapping[str, str] | None = None,
) -> DevHandle:
    """A Dagster webserver on ``host:port``: the one already answering (``attached``), else
    ``basalt dagster dev`` started in its own session (output to ``log_path``, else dropped).

    Returns once Dagster answers and live reload is watching the demos. Raises
    :class:`DagsterUnavailable` (with the end of the log) when it exits or does not answer
    within ``timeout`` seconds; what it started is stopped first.
    """
    probe = DagsterWebserver(host, port)
    if probe.ping():
        return DevHandle(host, int(port), attached=True)
    folder = Path(cwd) if cwd is not None else Path.cwd()
    full_env = dict(os.environ if env is None else env)
    command = [sys.executable, "-m", "basalt", "dagster", "dev"]
    command += ["--host", host, "--port", str(port)]
    if workspace is not None:
        command += ["--workspace", str(workspace)]
    if demo_dir is not None:
        command += ["--demo-dir", str(demo_dir)]
    log_file = Path(log_path) if log_path is not None else None
    if log_file is not None:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        with log_file.open("ab") as sink:
            process = start_in_new_session(command, env=full_env, cwd=folder, output=sink)
    else:
        process = start_in_new_session(command, env=full_env, cwd=folder, output=subprocess.DEVNULL)
    handle = DevHandle(host, int(port), False, process, log_file, _home_of(full_env, folder))
    deadline = time.monotonic() + timeout
    while True:
        code = process.poll()
        if code is not None:
            if probe.ping():  # another editor started it first: use that one
                return DevHandle(host, int(port), attached=True)
            raise DagsterUnavailable(
                f"basalt dagster dev exited with code {code} before {handle.url} answered"
                + (f":\n{handle.log_tail()}" if log_file else "")
            )
        status = handle.status()
        if status is not None and status.pid == process.pid and status.state != "starting":
            if probe.ping():
                return handle
        if time.monotonic() > deadline:
            with contextlib.suppress(Exception):
                handle.stop()
            raise DagsterUnavailable(
                f"Dagster did not answer at {handle.url} within {timeout:g} s"
                + (f":\n{handle.log_tail()}" if log_file else "")
            )
        time.sleep(0.25)
