"""``basalt dagster dev``: ``dg dev`` on the workspace, reloaded when a demo is saved.

Dagster's development server (``dg dev``, else ``dagster dev`` when ``dagster-dg-cli`` is not
installed) does not watch files. This command starts it (in its own session, so its five
processes can be stopped as a group), waits until its webserver answers, then watches the demo
folder and ``themes/``: a saved demo is validated, then the code location ``basalt_demos`` is
reloaded through GraphQL (:class:`basalt.dagster.live_reload.LiveReloader`). A demo that
does not validate is not pushed: Dagster keeps the last good definitions and the status says
why. Every state goes to ``<BASALT_HOME>/dagster_reload.json``
(:mod:`basalt.dagster.reload_status`), which the editors show, with the demos the code location
could not load from their files (``BASALT_LOAD_REPORT``, written by the code location).

The demo folder and the workspace follow :mod:`basalt.dagster.folders`: ``./demo`` and
``./workspace.yaml`` when the working directory has them, else the installed checkout's; two
lines say which (``demos: /abs/demo (working directory)``). The code location loads the
watched folder (``BASALT_DEMO_DIR`` in the environment of the Dagster processes).

``DAGSTER_HOME`` defaults to ``<cwd>/.basalt/dagster``; a missing ``dagster.yaml`` there is
copied from the one beside the workspace (telemetry off, two runs at a time), as
``make dagster`` does.

Ctrl-C or SIGTERM: stop watching, SIGINT to the server's group, SIGKILL to the group
after a grace period (it can hang 20 s), status ``stopped``, exit 0.

For the editors: :func:`ensure_dagster_dev` (attach to a running webserver, or start this
command) and :class:`DevHandle`, from :mod:`basalt.dagster.dev_handle`.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from types import FrameType

from basalt.dagster.dev_handle import DevHandle, ensure_dagster_dev
from basalt.dagster.folders import CHECKOUT, DEMO_DIR_ENV, Chosen, choose_demo_dir, choose_workspace
from basalt.dagster.graphql import LOCATION, DagsterGraphQLError, DagsterWebserver
from basalt.dagster.live_reload import ReloadEvent
from basalt.dagster.process_group import start_in_new_session, stop_process_group
from basalt.dagster.reload_status import (
    LOAD_REPORT_ENV,
    ReloadStatus,
    load_report_path,
    read_load_errors,
    write_status,
)

__all__ = ["DevHandle", "cmd_dev", "ensure_dagster_dev"]

log = logging.getLogger("basalt.dagster")

GRACE_SECONDS = 10.0
START_TIMEOUT = 180.0
DEBOUNCE_SECONDS = 0.3
DAGSTER_HOME_ENV = "DAGSTER_HOME"
INSTANCE_FILE = "dagster.yaml"


class DevError(RuntimeError):
    """A problem the user can fix (busy port, missing workspace); one line, exit 2."""


# --- set-up -------------------------------------------------------------------------------


def default_workspace(cwd: Path | None = None) -> Path:
    """``workspace.yaml`` in the working directory, else the installed checkout's."""
    return choose_workspace(cwd=cwd).path


def default_dagster_home(cwd: Path | None = None) -> Path:
    """``<cwd>/.basalt/dagster`` (what ``make dagster`` uses)."""
    return (cwd or Path.cwd()) / ".basalt" / "dagster"


def prepare_dagster_home(env: Mapping[str, str], workspace: Path) -> Path:
    """``$DAGSTER_HOME`` or :func:`default_dagster_home`, created, with a ``dagster.yaml``
    copied from beside the workspace (else the repository's) when it has none."""
    home = Path(env.get(DAGSTER_HOME_ENV) or default_dagster_home()).resolve()
    home.mkdir(parents=True, exist_ok=True)
    target = home / INSTANCE_FILE
    if not target.exists():
        for template in (workspace.parent / INSTANCE_FILE, CHECKOUT / INSTANCE_FILE):
            if template.is_file():
                shutil.copyfile(template, target)
                log.info("copied %s to %s", template, target)
                break
    return home


def port_in_use(host: str, port: int) -> bool:
    """Whether something already listens on ``host:port``."""
    with socket.socket() as sock:
        sock.settimeout(1.0)
        return sock.connect_ex((host, port)) == 0


def has_dg() -> bool:
    """Whether ``dagster-dg-cli`` (the ``dg`` command) is installed."""
    return importlib.util.find_spec("dagster_dg_cli") is not None


def server_name() -> str:
    """``dg dev``, or ``dagster dev`` without ``dg``: what this command starts."""
    return "dg dev" if has_dg() else "dagster dev"


def dagster_dev_command(workspace: Path, host: str, port: int) -> list[str]:
    """``dg dev`` with this interpreter (``dagster dev``, which Dagster marks superseded, when
    ``dg`` is not installed). Given ``-w``, ``dg dev`` starts the same services as ``dagster
    dev`` on that workspace, whatever the folder's ``[tool.dg]`` says. ``-p`` always: a busy
    port is not swapped for another."""
    runner = ["dagster_dg_cli.cli"] if has_dg() else ["dagster"]
    return [sys.executable, "-m", *runner, "dev", "-w", str(workspace)] + [
        "-h",
        host,
        "-p",
        str(port),
    ]


def validate_demo(py_path: Path) -> str | None:
    """The demo's error as its files are now (``FILE:LINE:COL: PATH: message``), or ``None``.

    The last good snapshot is not used: a demo that does not validate must not be pushed.
    """
    from basalt.dagster.demos import load_demo

    return load_demo(py_path, last_good=False).error


# --- status -------------------------------------------------------------------------------


# States after which the code location's load errors are current (it loaded, or kept its load).
LOADED_STATES = ("idle", "reloaded", "refused")


class StatusPublisher:
    """Writes each state to the status file (and logs it), naming this port and process; once
    the code location has loaded, with the load errors it reported to ``report``."""

    def __init__(self, host: str, port: int, report: Path | None = None) -> None:
        self.host = host
        self.port = port
        self.report = report
        self.dagster_pid: int | None = None
        self._lock = threading.Lock()
        self._closed = False

    def close(self) -> None:
        """No state after this one (a reload that ends after ``stopped`` is not reported)."""
        with self._lock:
            self._closed = True

    def publish(
        self,
        state: str,
        demo: str | None = None,
        reason: str | None = None,
        seconds: float | None = None,
    ) -> None:
        report = self.report if state in LOADED_STATES else None
        status = ReloadStatus(
            state,
            self.port,
            self.host,
            demo=demo,
            reason=reason,
            seconds=seconds,
            dagster_pid=self.dagster_pid,
            load_errors=(read_load_errors(report) or []) if report is not None else [],
        )
        with self._lock:
            if self._closed:
                return
            try:
                write_status(status)
            except OSError as exc:
                log.warning("cannot write the reload status: %s", exc)
        log.info("%s", status.describe())

    def __call__(self, event: ReloadEvent) -> None:
        """A :class:`ReloadEvent` from the live reloader."""
        self.publish(event.state, ", ".join(event.demos) or None, event.reason, event.seconds)


# --- running ------------------------------------------------------------------------------


class _Stop:
    """Set by SIGINT/SIGTERM; a second signal asks to hurry (the grace period is cut short)."""

    def __init__(self) -> None:
        self.event = threading.Event()
        self.hurry = threading.Event()

    def handler(self, signum: int, frame: FrameType | None) -> None:
        if self.event.is_set():
            self.hurry.set()
        self.event.set()


def wait_until_ready(
    client: DagsterWebserver,
    process: subprocess.Popen,
    timeout: float,
    stop: threading.Event,
) -> str | None:
    """Wait until the webserver answers and the code location has loaded; returns the
    location's load error (``None`` when it loaded). Raises :class:`DevError` if ``dagster
    dev`` exits or does not answer in time; returns early (``None``) once ``stop`` is set."""
    deadline = time.monotonic() + timeout
    while not stop.is_set():
        code = process.poll()
        if code is not None:
            raise DevError(f"{server_name()} exited with code {code} before answering")
        if time.monotonic() > deadline:
            raise DevError(f"{server_name()} did not answer at {client.url} within {timeout:g} s")
        if client.ping():
            try:
                if client.location_status(LOCATION) == "LOADED":
                    return client.location_error(LOCATION)
            except DagsterGraphQLError:
                pass  # the workspace is still coming up
        stop.wait(0.25)
    return None


def _reload_fn(host: str, port: int) -> Callable[[], None]:
    """``reload_fn`` for the reloader: its own client, used from its worker thread only."""
    client = DagsterWebserver(host, port, timeout=120.0)

    def reload() -> None:
        client.reload_location(LOCATION)

    return reload


def _configure_logging() -> None:
    if not logging.getLogger().handlers:
        logging.basicConfig(
            level=logging.INFO, format="basalt dagster dev: %(message)s", stream=sys.stderr
        )


def run_dev(
    *,
    host: str,
    port: int,
    workspace: Path,
    demo_dir: Path,
    themes_dir: Path | None,
    grace: float = GRACE_SECONDS,
    start_timeout: float = START_TIMEOUT,
    debounce: float = DEBOUNCE_SECONDS,
) -> int:
    """Start ``dg dev``, live-reload it until a signal, stop it; returns the exit code.

    Must run in the main thread (it installs SIGINT and SIGTERM handlers).
    """
    from basalt.dagster.demo_watch import ChangeRouter, FolderWatcher
    from basalt.dagster.live_reload import LiveReloader

    if not workspace.is_file():
        raise DevError(f"workspace file {workspace} does not exist (use --workspace)")
    if not demo_dir.is_dir():
        raise DevError(f"demo folder {demo_dir} does not exist (use --demo-dir)")
    if port_in_use(host, port):
        raise DevError(f"port {port} on {host} is already in use (another dagster dev? use --port)")
    report = load_report_path(port)
    with contextlib.suppress(OSError):
        report.unlink(missing_ok=True)  # a previous session's
    status = StatusPublisher(host, port, report)
    env = dict(os.environ)
    env[DAGSTER_HOME_ENV] = str(prepare_dagster_home(env, workspace))
    env[DEMO_DIR_ENV] = str(demo_dir.resolve())
    env[LOAD_REPORT_ENV] = str(report)
    status.publish("starting")

    stop = _Stop()
    previous = {sig: signal.signal(sig, stop.handler) for sig in (signal.SIGINT, signal.SIGTERM)}
    process = start_in_new_session(dagster_dev_command(workspace, host, port), env=env)
    status.dagster_pid = process.pid
    log.info(
        "%s (pid %s) on http://%s:%s, DAGSTER_HOME=%s",
        server_name(),
        process.pid,
        host,
        port,
        env[DAGSTER_HOME_ENV],
    )
    reloader = LiveReloader(_reload_fn(host, port), validate_demo, status, debounce)
    router = ChangeRouter(
        demo_dir,
        themes_dir,
        reloader.notify,
        lambda path: log.info(
            "theme %s changed (the editors reload it; Dagster has no use for it)", path.name
        ),
    )
    watcher = FolderWatcher(router)
    code = 0
    try:
        client = DagsterWebserver(host, port, timeout=30.0)
        error = wait_until_ready(client, process, start_timeout, stop.event)
        if not stop.event.is_set():
            reloader.start()
            watcher.start()
            if error:
                status.publish("failed", reason=f"code location {LOCATION} does not load: {error}")
            else:
                status.publish("idle")
            log.info("watching %s for demo changes; Ctrl-C stops", demo_dir)
        while not stop.event.wait(0.5):
            exited = process.poll()
            if exited is not None:
                status.publish("failed", reason=f"{server_name()} exited with code {exited}")
                code = 1
                break
    except (DevError, OSError) as exc:  # OSError: the demo folder cannot be watched
        status.publish("failed", reason=str(exc))
        log.error("%s", exc)
        code = 1
    finally:
        watcher.stop()
        reloader.stop(timeout=2.0)
        log.info("stopping %s (grace %g s)", server_name(), grace)
        stop_process_group(process, grace, hurry=stop.hurry)
        status.publish("stopped")
        status.close()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return code


def cmd_dev(args: argparse.Namespace) -> int:
    """``basalt dagster dev [--host 127.0.0.1] [--port 3000] [--workspace workspace.yaml]
    [--demo-dir DIR] [--themes-dir themes]``; says which demo folder and workspace it uses."""
    from basalt.config.cli import CliError

    _configure_logging()
    demo_dir = choose_demo_dir(getattr(args, "demo_dir", None))
    workspace = choose_workspace(getattr(args, "workspace", None))
    announce(demo_dir, workspace)
    themes = getattr(args, "themes_dir", None)
    try:
        return run_dev(
            host=args.host,
            port=int(args.port),
            workspace=workspace.path,
            demo_dir=demo_dir.path,
            themes_dir=Path(themes).resolve() if themes else None,
        )
    except DevError as exc:
        raise CliError(str(exc), code=2) from None


def announce(demo_dir: Chosen, workspace: Chosen) -> None:
    """``demos: /abs/demo (working directory)`` and the same for the workspace, on stderr
    (whatever the logging set-up: the user must see which folder is served)."""
    for line in (demo_dir.describe("demos"), workspace.describe("workspace")):
        print(f"basalt dagster dev: {line}", file=sys.stderr, flush=True)
