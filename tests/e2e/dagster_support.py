"""Helpers for the tests that run a real ``dagster dev``: GraphQL, waiting for the code location,
and finding (then ending) every process a test started.

``dagster dev`` runs in its own session (its webserver, daemon and code servers share its
process group). Run workers and code servers are found again by the test's unique
``DAGSTER_HOME`` in their environment, whatever group they ended up in.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

LOCATION = "basalt_demos"
PARTITION = "2025-01-02|mic=XLON"
START_TIMEOUT = 150
RUN_TIMEOUT = 240
GRACE_SECONDS = 8


@dataclass
class DagsterDev:
    """A ``dagster dev`` a test started (``process`` leads its process group)."""

    process: subprocess.Popen
    port: int
    home: Path
    output: Path
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-4000:]

    def graphql(self, query: str, variables: dict | None = None) -> dict:
        body = json.dumps({"query": query, "variables": variables or {}}).encode()
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}/graphql",
            data=body,
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            payload = json.loads(response.read())
        assert "errors" not in payload, payload["errors"]
        return payload["data"]


def our_processes(home: Path, *pgids: int) -> list[int]:
    """Live processes in one of the process groups ``pgids`` or carrying ``DAGSTER_HOME=home``
    (zombies and this process excepted)."""
    marker = f"DAGSTER_HOME={home}".encode()
    groups = set(pgids)
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        pid = int(entry.name)
        try:
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
            if state == "Z":
                continue
            in_group = os.getpgid(pid) in groups
            environ = (entry / "environ").read_bytes().split(b"\0")
        except (OSError, ProcessLookupError):
            continue
        if in_group or marker in environ:
            found.append(pid)
    return found


def wait_gone(home: Path, *pgids: int, timeout: float = 10.0) -> list[int]:
    """Wait for the test's processes to end; returns those still alive after ``timeout``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and our_processes(home, *pgids):
        time.sleep(0.25)
    return our_processes(home, *pgids)


def kill_all(home: Path, *pgids: int) -> None:
    """SIGKILL whatever of the test's processes is still alive (clean-up after a failure)."""
    for pid in our_processes(home, *pgids):
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def stop(server: DagsterDev) -> list[int]:
    """SIGINT to the group, SIGKILL to whatever is left after the grace period; returns the
    processes still alive at the end (should be none)."""
    pgid = server.process.pid  # start_new_session: the leader's pid is the group id
    try:
        os.killpg(pgid, signal.SIGINT)
    except ProcessLookupError:
        pass
    wait_gone(server.home, pgid, timeout=GRACE_SECONDS)
    kill_all(server.home, pgid)
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        pass
    return wait_gone(server.home, pgid, timeout=10)


LOCATIONS = """
{ workspaceOrError { __typename ... on Workspace { locationEntries {
    name loadStatus
    locationOrLoadError { __typename ... on PythonError { message } }
} } } }
"""


def wait_for_location(server: DagsterDev) -> None:
    """Wait until the code location has loaded (fails with the log if it does not)."""
    deadline = time.monotonic() + START_TIMEOUT
    last = None
    while time.monotonic() < deadline:
        assert server.process.poll() is None, f"dagster dev exited:\n{server.log()}"
        try:
            data = server.graphql(LOCATIONS)["workspaceOrError"]
        except (urllib.error.URLError, ConnectionError, TimeoutError) as exc:
            last = exc
            time.sleep(0.5)
            continue
        entries = {e["name"]: e for e in data.get("locationEntries", [])}
        entry = entries.get(LOCATION)
        last = entry
        if entry and entry["loadStatus"] == "LOADED":
            loaded = entry["locationOrLoadError"]
            assert loaded["__typename"] == "RepositoryLocation", loaded
            return
        time.sleep(0.5)
    pytest.fail(f"location {LOCATION} did not load: {last}\n{server.log()}")
