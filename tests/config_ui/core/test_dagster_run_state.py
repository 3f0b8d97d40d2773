"""The states of "Run in Dagster", as both editors see them, against a small HTTP server
standing in for Dagster's webserver."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from basalt.dagster.graphql import DagsterWebserver
from config_ui.core.dagster_run_state import DagsterRunState, DagsterUpdate
from tests.dagster.test_graphql_client import FakeDagster, closed_port

SCRIPT = Path("demo/01_ohlcv_bars.py")
CONFIG = SimpleNamespace(PASSES=[SimpleNamespace(name="bars_1m")], EXCLUDE_WEEKENDS=True)
THURSDAY, FRIDAY, SATURDAY, MONDAY = (dt.date(2025, 1, d) for d in (2, 3, 4, 6))


class OneThreadClient:
    """A client that fails the test when used from another thread than its own."""

    def __init__(self, client: DagsterWebserver, made: list[str]) -> None:
        self._client = client
        self._thread = threading.get_ident()
        made.append(threading.current_thread().name)

    def __getattr__(self, name: str) -> Any:
        assert threading.get_ident() == self._thread, f"{name} called from another thread"
        return getattr(self._client, name)


class Target:
    """Points at the fake once it is ``up``, at a closed port before."""

    host = "127.0.0.1"

    def __init__(self, fake: FakeDagster, up: bool = True) -> None:
        self.fake, self.up, self.clients = fake, up, []
        self.closed = closed_port()

    @property
    def port(self) -> int:
        return self.fake.port if self.up else self.closed

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def client(self) -> OneThreadClient:
        return OneThreadClient(DagsterWebserver(self.host, self.port, timeout=5), self.clients)


class Dagster:
    """Answers launches, then hands out the statuses in ``runs`` / ``backfills`` in turn
    (the last one repeats)."""

    def __init__(self) -> None:
        self.runs = ["QUEUED", "STARTED", "SUCCESS"]
        self.backfills: list[tuple[str, int]] = [("REQUESTED", 0), ("COMPLETED_SUCCESS", 2)]
        self.refuse: str | None = None

    def __call__(self, body: dict[str, Any]) -> tuple[int, Any]:
        query = body["query"]
        if "launchRun" in query:
            if self.refuse:
                return 200, {
                    "data": {"launchRun": {"__typename": "PythonError", "message": self.refuse}}
                }
            return 200, {
                "data": {
                    "launchRun": {"__typename": "LaunchRunSuccess", "run": {"runId": "r1234567890"}}
                }
            }
        if "launchPartitionBackfill" in query:
            success = {"__typename": "LaunchBackfillSuccess", "backfillId": "bf12345"}
            return 200, {"data": {"launchPartitionBackfill": success}}
        if "runOrError" in query:
            status = self.runs.pop(0) if len(self.runs) > 1 else self.runs[0]
            return 200, {"data": {"runOrError": {"__typename": "Run", "status": status}}}
        if "partitionBackfillOrError" in query:
            status, done = self.backfills.pop(0) if len(self.backfills) > 1 else self.backfills[0]
            counts = {
                "__typename": "AssetPartitionsStatusCounts",
                "numPartitionsTargeted": 2,
                "numPartitionsMaterialized": done,
                "numPartitionsFailed": 0,
            }
            backfill = {
                "__typename": "PartitionBackfill",
                "status": status,
                "numPartitions": 2,
                "assetBackfillData": {"assetBackfillStatuses": [counts]},
            }
            return 200, {"data": {"partitionBackfillOrError": backfill}}
        return 400, {"errors": [{"message": f"unexpected query {query[:40]}"}]}


@pytest.fixture
def fake() -> Iterator[FakeDagster]:
    server = FakeDagster()
    server.answer = Dagster()
    server.thread.start()
    yield server
    server.server.shutdown()
    server.server.server_close()


def settle(state: DagsterRunState, until: Callable[[DagsterUpdate], bool]) -> list[DagsterUpdate]:
    """Poll like a UI timer until ``until(update)``; every update seen."""
    seen: list[DagsterUpdate] = []
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        update = state.poll()
        if update is not None:
            seen.append(update)
            if until(update):
                return seen
        time.sleep(0.005)
    raise AssertionError(f"never reached; seen {[u.state for u in seen]}")


def make(target: Any, start: Callable[[], Any] | None = None, **kwargs: Any) -> DagsterRunState:
    return DagsterRunState(target, start, poll_seconds=0.01, **kwargs)


def test_a_day_is_a_run_from_checking_to_success_with_its_link(fake):
    target = Target(fake)
    state = make(target)
    assert state.state == "idle" and state.poll() is None
    assert state.launch(SCRIPT, CONFIG, " mic=XLON ", THURSDAY, THURSDAY)
    updates = settle(state, lambda u: u.finished)
    assert state.states == ["idle", "checking", "launching", "queued", "started", "success"]
    last = updates[-1]
    assert last.state == "success" and not last.error and not last.offer_start
    assert last.url == f"{target.url}/runs/r1234567890" and last.status == "SUCCESS"
    assert last.launch.partition_keys == ["2025-01-02|mic=XLON"]
    assert last.message == "Run r1234567 (1 partition) succeeded"
    assert state.poll() is None  # nothing new
    state.join(5)
    # One client for the worker thread, never shared.
    assert len(target.clients) == 1 and target.clients[0] == "dagster-launch"
    launch = next(r for r in fake.requests if "launchRun" in r["query"])
    tags = {
        t["key"]: t["value"] for t in launch["variables"]["params"]["executionMetadata"]["tags"]
    }
    assert tags["dagster/partition/date"] == "2025-01-02"


def test_a_range_is_a_backfill_with_partitions_done(fake):
    fake.answer.backfills = [("REQUESTED", 0), ("REQUESTED", 1), ("COMPLETED_SUCCESS", 2)]
    state = make(Target(fake))
    state.launch(SCRIPT, CONFIG, "mic=XLON", FRIDAY, MONDAY)
    updates = settle(state, lambda u: u.finished)
    assert state.states == [
        "idle",
        "checking",
        "launching",
        "requested",
        "in-progress",
        "completed",
    ]
    progress = next(u for u in updates if u.state == "in-progress")
    assert progress.progress == (1, 2)
    assert progress.message == "Backfill bf12345 (2 partitions) 1 of 2 partitions done"
    assert updates[-1].progress == (2, 2) and updates[-1].url.endswith("/runs/b/bf12345")


@pytest.mark.parametrize(
    ("statuses", "end", "words"),
    [(["STARTED", "FAILURE"], "failure", "failed"), (["CANCELED"], "canceled", "canceled")],
)
def test_a_run_that_fails_or_is_canceled_says_so(fake, statuses, end, words):
    fake.answer.runs = statuses
    state = make(Target(fake))
    state.launch(SCRIPT, CONFIG, "mic=XLON", THURSDAY, THURSDAY)
    last = settle(state, lambda u: u.finished)[-1]
    assert last.state == end and last.error and words in last.message


def test_a_failed_backfill(fake):
    fake.answer.backfills = [("COMPLETED_FAILED", 2)]
    state = make(Target(fake))
    state.launch(SCRIPT, CONFIG, "mic=XLON", FRIDAY, MONDAY)
    last = settle(state, lambda u: u.finished)[-1]
    assert (last.state, last.status, last.error) == ("failed", "COMPLETED_FAILED", True)


def test_a_refused_launch_and_an_empty_range_are_errors_in_words(fake):
    fake.answer.refuse = "asset bars_1m not found"
    state = make(Target(fake))
    state.launch(SCRIPT, CONFIG, "mic=XLON", THURSDAY, THURSDAY)
    last = settle(state, lambda u: u.state == "error")[-1]
    assert last.message.startswith("Dagster refused the launch: ") and last.error
    assert "asset bars_1m not found" in last.message and last.url is None
    state.join(5)
    state.launch(SCRIPT, CONFIG, "mic=XLON", SATURDAY, SATURDAY)
    last = settle(state, lambda u: u.state == "error")[-1]
    assert last.message.startswith("Nothing to launch: no mic=XLON partition")


def test_nothing_answering_offers_start_and_the_launch_follows_the_start(fake):
    target = Target(fake, up=False)
    handle = SimpleNamespace(stop=lambda: None)

    def start() -> Any:
        target.up = True
        return handle

    state = make(target, start)
    state.launch(SCRIPT, CONFIG, "mic=XLON", THURSDAY, THURSDAY)
    last = settle(state, lambda u: u.state == "unavailable")[-1]
    assert last.offer_start and last.error
    assert last.message.startswith(f"No Dagster webserver at http://127.0.0.1:{target.closed}")
    state.join(5)
    assert state.start_dagster()
    updates = settle(state, lambda u: u.finished)
    assert state.states == [
        *("idle", "checking", "unavailable", "starting-dagster", "checking", "launching"),
        *("queued", "started", "success"),
    ]
    assert [u.started for u in updates if u.started is not None] == [handle]  # handed over once
    assert updates[-1].state == "success" and not updates[-1].offer_start


def test_a_start_that_fails_says_why_and_offers_again(fake, tmp_path):
    def start() -> Any:
        raise RuntimeError("port 3000 is taken")

    state = make(Target(fake, up=False), start, log_path=tmp_path / "dev.log")
    state.start_dagster()
    last = settle(state, lambda u: u.state == "unavailable")[-1]
    assert last.message.startswith("Dagster did not start at http://127.0.0.1:")
    assert "port 3000 is taken" in last.message and str(tmp_path / "dev.log") in last.message
    assert last.offer_start and not state.busy


def test_busy_refuses_a_second_request_and_a_late_start_is_stopped_after_close(fake):
    release, stopped = threading.Event(), []

    def start() -> Any:
        release.wait(5)
        return SimpleNamespace(stop=lambda: stopped.append(True))

    state = make(Target(fake), start, stop_late_start=True)
    assert state.start_dagster() and state.busy
    assert settle(state, lambda u: u.state == "starting-dagster")[-1].busy
    assert not state.launch(SCRIPT, CONFIG, "mic=XLON", THURSDAY, THURSDAY)
    assert not state.start_dagster()
    state.close()
    release.set()
    state.join(5)
    assert stopped == [True] and state.poll() is None


def test_a_background_start_under_way_is_waited_for(fake):
    target = Target(fake, up=False)
    pending = [True]

    def start() -> Any:
        target.up, pending[0] = True, False
        return None

    state = make(target, start, start_pending=lambda: pending[0])
    state.launch(SCRIPT, CONFIG, "mic=XLON", THURSDAY, THURSDAY)
    settle(state, lambda u: u.finished)
    assert state.states[:5] == ["idle", "checking", "starting-dagster", "checking", "launching"]


def test_a_new_launch_stops_following_the_last(fake):
    fake.answer.runs = ["STARTED"]  # never ends
    state = make(Target(fake))
    state.launch(SCRIPT, CONFIG, "mic=XLON", THURSDAY, THURSDAY)
    settle(state, lambda u: u.state == "started")
    first = state.threads[0]
    fake.answer.runs = ["SUCCESS"]
    assert state.launch(SCRIPT, CONFIG, "mic=XLON", THURSDAY, THURSDAY)
    first.join(5)
    assert not first.is_alive()
    assert settle(state, lambda u: u.finished)[-1].state == "success"


def test_a_second_click_while_launching_is_refused(fake):
    fake.delay = 0.3
    state = make(Target(fake))
    assert state.launch(SCRIPT, CONFIG, "mic=XLON", THURSDAY, THURSDAY)
    assert state.busy and not state.launch(SCRIPT, CONFIG, "mic=XLON", THURSDAY, THURSDAY)
    assert settle(state, lambda u: u.finished)[-1].state == "success"
    assert sum("launchRun" in r["query"] for r in fake.requests) == 1


def test_a_failed_background_start_is_named(fake):
    state = make(Target(fake, up=False), lambda: None, start_error=lambda: "no dagster installed")
    state.launch(SCRIPT, CONFIG, "mic=XLON", THURSDAY, THURSDAY)
    last = settle(state, lambda u: u.state == "unavailable")[-1]
    assert "(starting it failed: no dagster installed)" in last.message
