"""The GraphQL client against a tiny local HTTP server standing in for Dagster's webserver:
the requests it sends (the three partition tags) and how it reports errors."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from basalt.dagster.dev_handle import ensure_dagster_dev
from basalt.dagster.graphql import (
    DagsterGraphQLError,
    DagsterUnavailable,
    DagsterWebserver,
    partition_tags,
)
from tests.dagster.support import REPO

Answer = Callable[[dict[str, Any]], tuple[int, Any]]


class QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that gave up (the timeout test) breaks the pipe: expected


class FakeDagster:
    """Records each GraphQL request; answers with ``answer(body) -> (status, payload)``."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.answer: Answer = lambda body: (200, {"data": {}})
        self.delay = 0.0
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _send(self, status: int, payload: Any) -> None:
                data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                if self.path == "/server_info":
                    self._send(200, {"dagster_version": "1.13.27"})
                else:
                    self._send(404, b"")

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                fake.requests.append({"path": self.path, **body})
                time.sleep(fake.delay)
                self._send(*fake.answer(body))

        self.server = QuietServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    def data(self, payload: dict[str, Any]) -> None:
        self.answer = lambda body: (200, {"data": payload})


@pytest.fixture
def fake() -> Iterator[FakeDagster]:
    server = FakeDagster()
    server.thread.start()
    yield server
    server.server.shutdown()
    server.server.server_close()


@pytest.fixture
def client(fake: FakeDagster) -> DagsterWebserver:
    return DagsterWebserver("127.0.0.1", fake.port, timeout=5)


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # nothing listens once the socket is closed


def test_partition_tags_are_the_three_dagster_needs():
    assert partition_tags("2025-01-02|mic=XLON") == {
        "dagster/partition": "2025-01-02|mic=XLON",
        "dagster/partition/date": "2025-01-02",
        "dagster/partition/universe": "mic=XLON",
    }


def test_a_partition_run_is_an_asset_run_with_the_partition_tags(fake, client):
    fake.data({"launchRun": {"__typename": "LaunchRunSuccess", "run": {"runId": "r-123"}}})
    run_id = client.launch_partition_run(
        [["demo01_ohlcv_bars", "bars_1m"], ["demo05_multi_pass", "index_1h"]],
        "2025-01-02|mic=XLON",
        tags={"basalt/editor": "tui", "dagster/partition": "overridden?"},
    )
    assert run_id == "r-123"
    [request] = fake.requests
    assert request["path"] == "/graphql"
    assert "launchRun(executionParams: $params)" in request["query"]
    params = request["variables"]["params"]
    assert params["selector"] == {
        "repositoryLocationName": "basalt_demos",
        "repositoryName": "__repository__",
        "jobName": "__ASSET_JOB",
        "assetSelection": [
            {"path": ["demo01_ohlcv_bars", "bars_1m"]},
            {"path": ["demo05_multi_pass", "index_1h"]},
        ],
    }
    tags = {t["key"]: t["value"] for t in params["executionMetadata"]["tags"]}
    assert tags == {
        "basalt/editor": "tui",
        "dagster/partition": "2025-01-02|mic=XLON",
        "dagster/partition/date": "2025-01-02",
        "dagster/partition/universe": "mic=XLON",
    }
    assert client.run_url(run_id) == f"http://127.0.0.1:{fake.port}/runs/r-123"


def test_a_refused_launch_raises_with_dagsters_message(fake, client):
    fake.data({"launchRun": {"__typename": "InvalidSubsetError", "message": "no asset demo99/x"}})
    with pytest.raises(DagsterGraphQLError, match="InvalidSubsetError: no asset demo99/x"):
        client.launch_partition_run([["demo99", "x"]], "2025-01-02|mic=XLON")


def test_a_bad_partition_key_or_asset_key_fails_before_any_request(fake, client):
    with pytest.raises(ValueError, match="expected DATE|UNIVERSE"):
        client.launch_partition_run([["demo01_ohlcv_bars", "bars_1m"]], "2025-01-02")
    with pytest.raises(ValueError, match="asset keys must be non-empty"):
        client.launch_partition_run([[]], "2025-01-02|mic=XLON")
    assert fake.requests == []


def test_a_backfill_names_its_partitions_and_assets(fake, client):
    fake.data(
        {"launchPartitionBackfill": {"__typename": "LaunchBackfillSuccess", "backfillId": "b1"}}
    )
    keys = ["2025-01-02|mic=XLON", "2025-01-03|mic=XLON"]
    assert client.launch_backfill([["demo01_ohlcv_bars", "bars_1m"]], keys) == "b1"
    params = fake.requests[0]["variables"]["params"]
    assert params["partitionNames"] == keys
    assert params["assetSelection"] == [{"path": ["demo01_ohlcv_bars", "bars_1m"]}]
    assert params["fromFailure"] is False
    assert client.backfill_url("b1") == f"http://127.0.0.1:{fake.port}/runs/b/b1"
    fake.data(
        {"partitionBackfillOrError": {"__typename": "PartitionBackfill", "status": "REQUESTED"}}
    )
    assert client.backfill_status("b1") == "REQUESTED"
    assert fake.requests[-1]["variables"] == {"id": "b1"}
    fake.data(
        {
            "partitionBackfillOrError": {
                "__typename": "BackfillNotFoundError",
                "message": "Backfill b2 not found",
            }
        }
    )
    with pytest.raises(DagsterGraphQLError, match="Backfill b2 not found"):
        client.backfill_status("b2")


def test_reload_passes_and_a_load_error_raises_dagsters_message(fake, client):
    fake.data(
        {
            "reloadRepositoryLocation": {
                "__typename": "WorkspaceLocationEntry",
                "loadStatus": "LOADED",
                "locationOrLoadError": {"__typename": "RepositoryLocation"},
            }
        }
    )
    client.reload_location()
    assert fake.requests[0]["variables"] == {"name": "basalt_demos"}
    fake.data(
        {
            "reloadRepositoryLocation": {
                "__typename": "WorkspaceLocationEntry",
                "loadStatus": "LOADED",
                "locationOrLoadError": {
                    "__typename": "PythonError",
                    "message": "ImportError: cannot import name 'defs'\n",
                },
            }
        }
    )
    with pytest.raises(DagsterGraphQLError) as info:
        client.reload_location()
    assert str(info.value) == (
        "code location 'basalt_demos' does not load: ImportError: cannot import name 'defs'"
    )
    fake.data(
        {
            "reloadRepositoryLocation": {
                "__typename": "RepositoryLocationNotFound",
                "message": "Location nope does not exist",
            }
        }
    )
    with pytest.raises(DagsterGraphQLError, match="Location nope does not exist"):
        client.reload_location("nope")


def test_location_status_and_error(fake, client):
    fake.data(
        {
            "workspaceOrError": {
                "__typename": "Workspace",
                "locationEntries": [
                    {
                        "name": "basalt_demos",
                        "loadStatus": "LOADED",
                        "locationOrLoadError": {"__typename": "PythonError", "message": "boom"},
                    },
                    {
                        "name": "other",
                        "loadStatus": "LOADING",
                        "locationOrLoadError": None,
                    },
                ],
            }
        }
    )
    assert client.location_error() == "boom"
    assert client.location_error("other") is None
    assert client.location_status("other") == "LOADING"
    with pytest.raises(DagsterGraphQLError, match="no code location 'gone'.*known: basalt_demos"):
        client.location_status("gone")


def test_schedules_are_listed_with_cron_timezone_and_status(fake, client):
    fake.data(
        {
            "schedulesOrError": {
                "__typename": "Schedules",
                "results": [
                    {
                        "name": "demo01_ohlcv_bars_nightly_xlon",
                        "cronSchedule": "0 2 * * *",
                        "executionTimezone": "Europe/London",
                        "scheduleState": {"status": "RUNNING"},
                    }
                ],
            }
        }
    )
    assert client.schedules() == [
        {
            "name": "demo01_ohlcv_bars_nightly_xlon",
            "cron": "0 2 * * *",
            "timezone": "Europe/London",
            "status": "RUNNING",
        }
    ]
    assert fake.requests[0]["variables"]["selector"] == {
        "repositoryLocationName": "basalt_demos",
        "repositoryName": "__repository__",
    }


def test_run_status(fake, client):
    fake.data({"runOrError": {"__typename": "Run", "status": "STARTED"}})
    assert client.run_status("r-1") == "STARTED"
    assert fake.requests[0]["variables"] == {"id": "r-1"}
    fake.data({"runOrError": {"__typename": "RunNotFoundError", "message": "Run r-2 not found"}})
    with pytest.raises(DagsterGraphQLError, match="Run r-2 not found"):
        client.run_status("r-2")


def test_graphql_errors_carry_dagsters_messages(fake, client):
    fake.answer = lambda body: (
        400,
        {"errors": [{"message": 'Cannot query field "nope" on type "Query".'}]},
    )
    with pytest.raises(DagsterGraphQLError, match='Cannot query field "nope"') as info:
        client.query("{ nope }")
    assert not isinstance(info.value, DagsterUnavailable)


def test_a_refused_connection_is_unavailable_and_names_the_url():
    port = closed_port()
    client = DagsterWebserver("127.0.0.1", port)
    started = time.monotonic()
    assert client.ping() is False
    assert time.monotonic() - started < 2.0
    for call in (
        client.reload_location,
        client.schedules,
        lambda: client.run_status("r-1"),
        lambda: client.launch_partition_run([["a", "b"]], "2025-01-02|mic=XLON"),
    ):
        with pytest.raises(DagsterUnavailable) as info:
            call()
        assert f"Dagster is not answering at http://127.0.0.1:{port}: connection refused" in str(
            info.value
        )


def test_a_slow_answer_is_unavailable(fake):
    fake.delay = 1.0
    fake.data({"runOrError": {"__typename": "Run", "status": "STARTED"}})
    client = DagsterWebserver("127.0.0.1", fake.port, timeout=0.2)
    with pytest.raises(DagsterUnavailable, match="no answer within 0.2 s"):
        client.run_status("r-1")


def test_ping_answers_for_a_dagster_webserver(fake, client):
    assert client.ping() is True
    assert client.url == f"http://127.0.0.1:{fake.port}"


def test_ensure_dagster_dev_attaches_to_a_webserver_that_answers(fake):
    handle = ensure_dagster_dev("127.0.0.1", fake.port)
    assert handle.attached and handle.process is None
    handle.stop()  # nothing to stop: the fake keeps answering
    assert handle.client().ping()


def test_the_client_and_dev_modules_do_not_import_dagster():
    code = (
        "import sys\n"
        "import basalt.dagster.graphql, basalt.dagster.dev, basalt.dagster.dev_handle\n"
        "import basalt.dagster.live_reload, basalt.dagster.demo_watch\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('dagster', 'dagster_graphql')))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"


def test_every_query_is_valid_against_dagsters_schema():
    from dagster_graphql.schema import create_schema
    from graphql import parse, validate

    import basalt.dagster.graphql as client_module

    schema = create_schema().graphql_schema
    queries = {
        name: getattr(client_module, name)
        for name in (
            "RELOAD",
            "LOCATIONS",
            "SCHEDULES",
            "LAUNCH_RUN",
            "LAUNCH_BACKFILL",
            "BACKFILL_STATUS",
            "BACKFILL_PROGRESS",
            "RUN_STATUS",
        )
    }
    problems = {
        name: [e.message for e in validate(schema, parse(q))] for name, q in queries.items()
    }
    assert problems == dict.fromkeys(queries, [])
