"""A real Dagster development server.

- ``dg dev`` from the project folder (``[tool.dg]`` in ``pyproject.toml``): the ``basalt_demos``
  location loads, GraphQL lists the assets and partitions, one partition run succeeds and
  writes its output, and nothing says "superseded".
- ``basalt dagster dev`` started in a copy of the project (its own ``demo/`` and
  ``workspace.yaml``) serves that copy's demos and says so; a run whose process is killed
  (``kill -9``) is ``failed`` in ``basalt ledger runs`` once the run-status sensor has ticked,
  with Dagster's reason.

Each server runs in its own session; it gets SIGINT, then SIGKILL after a grace period. Run
workers and code servers are found again by the test's unique ``DAGSTER_HOME`` in their
environment, and none may be left running.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from basalt.ledger.store import Ledger
from tests.e2e.dagster_support import (
    LOCATION,
    PARTITION,
    RUN_TIMEOUT,
    DagsterDev,
    stop,
    wait_for_location,
)
from tests.e2e.support import REPO, free_port, wait_until

DG = Path(sys.executable).with_name("dg")


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
            [str(DG), "dev", "-h", "127.0.0.1", "-p", str(port)],
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


def partition_tags(partition: str = PARTITION) -> dict[str, str]:
    date, universe = partition.split("|")
    return {
        "dagster/partition": partition,
        "dagster/partition/date": date,
        "dagster/partition/universe": universe,
    }


def launch(server: DagsterDev, job: str, partition: str = PARTITION) -> str:
    """Launch one partition of ``job``; returns the run id."""
    params = {
        "selector": {
            "repositoryLocationName": LOCATION,
            "repositoryName": "__repository__",
            "jobName": job,
        },
        "executionMetadata": {
            "tags": [{"key": k, "value": v} for k, v in partition_tags(partition).items()]
        },
        "runConfigData": {},
    }
    launched = server.graphql(LAUNCH, {"params": params})["launchRun"]
    assert launched["__typename"] == "LaunchRunSuccess", launched
    return launched["run"]["runId"]


def wait_for_end(server: DagsterDev, run_id: str) -> dict:
    """The run once Dagster says it ended (its status and tags)."""
    deadline = time.monotonic() + RUN_TIMEOUT
    while True:
        run = server.graphql(RUN, {"id": run_id})["runOrError"]
        if run["status"] in ("SUCCESS", "FAILURE", "CANCELED"):
            return run
        assert time.monotonic() < deadline, f"run {run_id} still {run['status']}\n{server.log()}"
        time.sleep(1)


def test_dg_dev_loads_lists_and_runs_a_partition(dagster_dev: DagsterDev):
    wait_for_location(dagster_dev)
    assert "superseded" not in dagster_dev.log_path.read_text().lower()

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

    run_id = launch(dagster_dev, "demo01_ohlcv_bars_job")
    run = wait_for_end(dagster_dev, run_id)
    assert run["status"] == "SUCCESS", f"run {run_id} ended {run['status']}\n{dagster_dev.log()}"
    tags = partition_tags()
    run_tags = {t["key"]: t["value"] for t in run["tags"]}
    assert {k: run_tags[k] for k in tags} == tags
    assert len(run_tags["basalt/config_sha256.demo01_ohlcv_bars"]) == 64
    output = dagster_dev.output / "ohlcv_bars/bars_1m/mic=XLON/2025-01-02_2025-01-02.parquet"
    assert output.is_file()


# The copy's demo waits in get_universe while a file "hold" is beside it: its run is still
# going when the test kills it.
HOLD = """

_get_universe = get_universe


def get_universe(date):
    import pathlib
    import time

    deadline = time.monotonic() + 120
    while pathlib.Path(__file__).with_name("hold").exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    return _get_universe(date)
"""


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    """Another checkout: ``demo/`` with one demo (``01_here``) and a ``workspace.yaml``."""
    root = tmp_path / "project"
    (root / "demo").mkdir(parents=True)
    script = (REPO / "demo/01_ohlcv_bars.py").read_text() + HOLD
    (root / "demo/01_here.py").write_text(script)
    shutil.copy(REPO / "demo/01_ohlcv_bars.yaml", root / "demo/01_here.yaml")
    shutil.copy(REPO / "workspace.yaml", root / "workspace.yaml")
    return root


@pytest.fixture
def basalt_dagster_dev(tmp_path: Path, project_copy: Path) -> Iterator[DagsterDev]:
    home = tmp_path / "dagster_home"
    output = tmp_path / "output"
    env = {k: v for k, v in os.environ.items() if k != "BASALT_DEMO_DIR"}
    env.update(
        DAGSTER_HOME=str(home),
        BASALT_HOME=str(tmp_path / "basalt_home"),
        BASALT_DATA_DIR=str(tmp_path / "data"),
        BASALT_OUTPUT_DIR=str(output),
    )
    port = free_port()
    log_path = tmp_path / "basalt_dagster_dev.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "basalt", "dagster", "dev", "--port", str(port)],
            cwd=project_copy,
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


def test_basalt_dagster_dev_serves_the_working_directory_and_records_a_killed_run(
    basalt_dagster_dev: DagsterDev, project_copy: Path, tmp_path: Path
):
    server = basalt_dagster_dev
    wait_for_location(server)
    log = server.log_path.read_text()
    assert f"demos: {project_copy / 'demo'} (working directory)" in log
    assert f"workspace: {project_copy / 'workspace.yaml'} (working directory)" in log
    assert "superseded" not in log.lower()
    keys = {"/".join(n["assetKey"]["path"]) for n in server.graphql(ASSETS)["assetNodes"]}
    assert keys == {"demo01_here/bars_1m"}  # the copy's demo, not the checkout's

    (project_copy / "demo/hold").touch()
    run_id = launch(server, "demo01_here_job")
    ledger = Ledger(tmp_path / "basalt_home" / "ledger.duckdb")
    row = wait_until(
        lambda: next((r for r in ledger.runs() if r["run_id"] == run_id and r["pid"]), None),
        RUN_TIMEOUT,
        "the run's ledger row with its process",
    )
    assert row["status"] == "running"
    os.kill(row["pid"], signal.SIGKILL)  # the run worker: its step runs in-process

    assert wait_for_end(server, run_id)["status"] == "FAILURE"
    wait_until(
        lambda: ledger.run(run_id)["status"] == "failed",
        60,
        "the run-status sensor marking the ledger row failed",
    )
    shown = subprocess.run(
        [sys.executable, "-m", "basalt", "ledger", "runs"],
        env={**os.environ, "BASALT_HOME": str(tmp_path / "basalt_home")},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert shown.returncode == 0, shown.stderr
    [line] = [x for x in shown.stdout.splitlines() if x.startswith(run_id[:12])]
    assert " failed " in line
    assert f"Dagster: Run execution process for {run_id} was terminated by signal 9" in line
