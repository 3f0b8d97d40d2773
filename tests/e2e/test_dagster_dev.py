"""A real ``dagster dev`` on the repository's ``workspace.yaml``: the ``basalt_demos`` location
loads, GraphQL lists the assets and partitions, one partition run succeeds and writes its
output, and every process the test started is gone afterwards.

``dagster dev`` runs in its own session (its webserver, daemon and code servers share its
process group); it gets SIGINT, then the whole group SIGKILL after a grace period. Run workers
and code servers are found again by the test's unique ``DAGSTER_HOME`` in their environment.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

pytest.importorskip("dagster_webserver")
pytest.importorskip("dagster_graphql")

REPO = Path(__file__).resolve().parents[2]
LOCATION = "basalt_demos"
PARTITION = "2025-01-02|mic=XLON"
START_TIMEOUT = 150
RUN_TIMEOUT = 240
GRACE_SECONDS = 8


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class DagsterDev:
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


def our_processes(home: Path, pgid: int) -> list[int]:
    """Live processes in the test's process group or carrying its DAGSTER_HOME."""
    marker = f"DAGSTER_HOME={home}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        pid = int(entry.name)
        try:
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
            if state == "Z":
                continue
            in_group = os.getpgid(pid) == pgid
            environ = (entry / "environ").read_bytes().split(b"\0")
        except (OSError, ProcessLookupError):
            continue
        if in_group or marker in environ:
            found.append(pid)
    return found


def stop(server: DagsterDev) -> list[int]:
    """SIGINT to the group, SIGKILL to whatever is left after the grace period; returns the
    processes still alive at the end (should be none)."""
    pgid = server.process.pid  # start_new_session: the leader's pid is the group id
    try:
        os.killpg(pgid, signal.SIGINT)
    except ProcessLookupError:
        pass
    deadline = time.monotonic() + GRACE_SECONDS
    while time.monotonic() < deadline and our_processes(server.home, pgid):
        time.sleep(0.25)
    for pid in our_processes(server.home, pgid):
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        pass
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and our_processes(server.home, pgid):
        time.sleep(0.25)
    return our_processes(server.home, pgid)


@pytest.fixture
def dagster_dev(tmp_path: Path) -> Iterator[DagsterDev]:
    home = tmp_path / "dagster_home"
    home.mkdir()
    shutil.copy(REPO / "dagster.yaml", home / "dagster.yaml")  # telemetry off, run cap
    output = tmp_path / "output"
    env = {
        **os.environ,
        "DAGSTER_HOME": str(home),
        "BASALT_DATA_DIR": str(tmp_path / "data"),
        "BASALT_OUTPUT_DIR": str(output),
    }
    port = free_port()
    log_path = tmp_path / "dagster_dev.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "dagster", "dev", "-w", "workspace.yaml"]
            + ["-h", "127.0.0.1", "-p", str(port)],
            cwd=REPO,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = DagsterDev(process, port, home, output, log_path)
    try:
        yield server
    finally:
        leftover = stop(server)
        assert leftover == [], f"processes left running: {leftover}"


LOCATIONS = """
{ workspaceOrError { __typename ... on Workspace { locationEntries {
    name loadStatus
    locationOrLoadError { __typename ... on PythonError { message } }
} } } }
"""
ASSETS = """
{ assetNodes { assetKey { path } isPartitioned
    partitionKeysByDimension { name partitionKeys } } }
"""
LAUNCH = """
mutation Launch($params: ExecutionParams!) {
  launchRun(executionParams: $params) {
    __typename
    ... on LaunchRunSuccess { run { runId } }
    ... on PythonError { message }
    ... on RunConfigValidationInvalid { errors { message } }
    ... on InvalidSubsetError { message }
  }
}
"""
RUN = """
query Run($id: ID!) { runOrError(runId: $id) { __typename
    ... on Run { status tags { key value } } } }
"""


def wait_for_location(server: DagsterDev) -> None:
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


def test_dagster_dev_loads_lists_and_runs_a_partition(dagster_dev: DagsterDev):
    wait_for_location(dagster_dev)

    nodes = {"/".join(n["assetKey"]["path"]): n for n in dagster_dev.graphql(ASSETS)["assetNodes"]}
    assert {
        "demo01_ohlcv_bars/bars_1m",
        "demo05_multi_pass/bars_5m",
        "demo05_multi_pass/index_1h",
    } <= set(nodes)
    bars = nodes["demo01_ohlcv_bars/bars_1m"]
    assert bars["isPartitioned"]
    dims = {d["name"]: d["partitionKeys"] for d in bars["partitionKeysByDimension"]}
    assert dims["date"][:3] == ["2025-01-02", "2025-01-03", "2025-01-06"]
    assert dims["universe"][0] == "mic=XLON" and "mic=XPAR" in dims["universe"]

    date, universe = PARTITION.split("|")
    tags = {
        "dagster/partition": PARTITION,
        "dagster/partition/date": date,
        "dagster/partition/universe": universe,
    }
    params = {
        "selector": {
            "repositoryLocationName": LOCATION,
            "repositoryName": "__repository__",
            "jobName": "demo01_ohlcv_bars_job",
        },
        "executionMetadata": {"tags": [{"key": k, "value": v} for k, v in tags.items()]},
        "runConfigData": {},
    }
    launched = dagster_dev.graphql(LAUNCH, {"params": params})["launchRun"]
    assert launched["__typename"] == "LaunchRunSuccess", launched
    run_id = launched["run"]["runId"]

    deadline = time.monotonic() + RUN_TIMEOUT
    status = None
    while time.monotonic() < deadline:
        run = dagster_dev.graphql(RUN, {"id": run_id})["runOrError"]
        status = run["status"]
        if status in ("SUCCESS", "FAILURE", "CANCELED"):
            break
        time.sleep(1)
    assert status == "SUCCESS", f"run {run_id} ended {status}\n{dagster_dev.log()}"
    run_tags = {t["key"]: t["value"] for t in run["tags"]}
    assert {k: run_tags[k] for k in tags} == tags
    assert len(run_tags["basalt/config_sha256.demo01_ohlcv_bars"]) == 64
    output = dagster_dev.output / "ohlcv_bars/bars_1m/mic=XLON/2025-01-02_2025-01-02.parquet"
    assert output.is_file()
