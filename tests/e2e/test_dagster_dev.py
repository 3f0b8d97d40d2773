"""A real ``dagster dev`` on the repository's ``workspace.yaml``: the ``basalt_demos`` location
loads, GraphQL lists the assets and partitions, one partition run succeeds and writes its
output, and every process the test started is gone afterwards.

``dagster dev`` runs in its own session (its webserver, daemon and code servers share its
process group); it gets SIGINT, then the whole group SIGKILL after a grace period. Run workers
and code servers are found again by the test's unique ``DAGSTER_HOME`` in their environment.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.dagster_support import (
    LOCATION,
    PARTITION,
    RUN_TIMEOUT,
    DagsterDev,
    stop,
    wait_for_location,
)
from tests.e2e.support import REPO, free_port


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
