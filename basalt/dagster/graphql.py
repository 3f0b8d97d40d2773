"""A small client for a running Dagster webserver's GraphQL API, over plain ``urllib``.

It imports neither ``dagster`` nor ``dagster_graphql``, so an editor can ping Dagster, reload
the code location, list schedules or launch a partition run without paying for Dagster's
import (about 2 s)::

    client = DagsterWebserver(port=3000)
    if client.ping():
        client.reload_location()                  # DagsterGraphQLError: the load error
        run_id = client.launch_partition_run(
            [["demo01_ohlcv_bars", "bars_1m"]], "2025-01-02|mic=XLON"
        )
        print(client.run_url(run_id), client.run_status(run_id))

Threads: one client is meant for one thread (as Dagster's own ``DagsterGraphQLClient``). It
keeps no connection open, but give each thread its own client, or guard a shared one with a
lock, so that a future connection cache stays safe.

Errors: :class:`DagsterUnavailable` when nothing answers (connection refused, timeout); its
message names the URL. :class:`DagsterGraphQLError` for an answer that says something went
wrong (a GraphQL error, a ``PythonError``, a code location that does not load).
"""

from __future__ import annotations

import json
import socket
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from basalt.dagster.partitions import DATE_DIMENSION, UNIVERSE_DIMENSION, split_partition_key

LOCATION = "basalt_demos"
REPOSITORY = "__repository__"  # the repository a Definitions object becomes
ASSET_JOB = "__ASSET_JOB"  # Dagster's implicit job over every asset
PARTITION_TAG = "dagster/partition"
PING_TIMEOUT = 1.0
DEFAULT_TIMEOUT = 60.0
TERMINAL_STATUSES = frozenset({"SUCCESS", "FAILURE", "CANCELED"})
BACKFILL_TERMINAL_STATUSES = frozenset(
    {"COMPLETED", "COMPLETED_SUCCESS", "COMPLETED_FAILED", "FAILED", "CANCELED"}
)


class DagsterGraphQLError(RuntimeError):
    """Dagster answered, but with an error; the message is Dagster's."""


class DagsterUnavailable(DagsterGraphQLError):
    """Nothing answers at the webserver's URL (not started, stopped, or too slow)."""


def partition_tags(partition_key: str) -> dict[str, str]:
    """The tags Dagster needs on a run of one multi-partition key ``DATE|UNIVERSE``:
    ``dagster/partition`` and one ``dagster/partition/<dimension>`` per dimension."""
    date, universe = split_partition_key(partition_key)
    return {
        PARTITION_TAG: f"{date}|{universe}",
        f"{PARTITION_TAG}/{DATE_DIMENSION}": date,
        f"{PARTITION_TAG}/{UNIVERSE_DIMENSION}": universe,
    }


def _asset_keys(asset_keys: Sequence[Sequence[str]]) -> list[dict[str, list[str]]]:
    keys = [{"path": [str(part) for part in key]} for key in asset_keys]
    if not keys or any(not key["path"] for key in keys):
        raise ValueError(f"asset keys must be non-empty lists of names, not {asset_keys!r}")
    return keys


def _tag_list(tags: Mapping[str, str]) -> list[dict[str, str]]:
    return [{"key": str(k), "value": str(v)} for k, v in tags.items()]


RELOAD = """
mutation Reload($name: String!) {
  reloadRepositoryLocation(repositoryLocationName: $name) {
    __typename
    ... on WorkspaceLocationEntry {
      loadStatus
      locationOrLoadError { __typename ... on PythonError { message } }
    }
    ... on Error { message }
  }
}
"""
LOCATIONS = """
{ workspaceOrError { __typename
    ... on Workspace { locationEntries { name loadStatus
        locationOrLoadError { __typename ... on PythonError { message } } } }
    ... on PythonError { message } } }
"""
SCHEDULES = """
query Schedules($selector: RepositorySelector!) {
  schedulesOrError(repositorySelector: $selector) {
    __typename
    ... on Schedules { results { name cronSchedule executionTimezone
        scheduleState { status } } }
    ... on Error { message }
  }
}
"""
LAUNCH_RUN = """
mutation Launch($params: ExecutionParams!) {
  launchRun(executionParams: $params) {
    __typename
    ... on LaunchRunSuccess { run { runId } }
    ... on RunConfigValidationInvalid { errors { message } }
    ... on Error { message }
  }
}
"""
LAUNCH_BACKFILL = """
mutation Backfill($params: LaunchBackfillParams!) {
  launchPartitionBackfill(backfillParams: $params) {
    __typename
    ... on LaunchBackfillSuccess { backfillId }
    ... on RunConfigValidationInvalid { errors { message } }
    ... on Error { message }
  }
}
"""
BACKFILL_STATUS = """
query BackfillStatus($id: String!) {
  partitionBackfillOrError(backfillId: $id) {
    __typename ... on PartitionBackfill { status } ... on Error { message }
  }
}
"""
BACKFILL_PROGRESS = """
query BackfillProgress($id: String!) {
  partitionBackfillOrError(backfillId: $id) {
    __typename
    ... on PartitionBackfill { status numPartitions
      assetBackfillData { assetBackfillStatuses { __typename
          ... on AssetPartitionsStatusCounts {
            numPartitionsTargeted numPartitionsMaterialized numPartitionsFailed } } } }
    ... on Error { message }
  }
}
"""
RUN_STATUS = """
query RunStatus($id: ID!) {
  runOrError(runId: $id) { __typename ... on Run { status } ... on Error { message } }
}
"""


@dataclass(frozen=True)
class BackfillProgress:
    """A backfill's status and how many of its ``total`` partitions are ``done`` (every asset
    materialized or failed), ``failed`` of them with a failure."""

    status: str
    done: int
    total: int
    failed: int = 0


def _failure(result: Mapping[str, Any], what: str) -> DagsterGraphQLError:
    """The error of a union result that is not the success type."""
    message = result.get("message")
    if not message and result.get("errors"):
        message = "; ".join(e.get("message", "") for e in result["errors"])
    return DagsterGraphQLError(f"{what}: {result.get('__typename')}: {message or 'no message'}")


class DagsterWebserver:
    """The GraphQL API of the Dagster webserver at ``http://host:port`` (see the module doc).

    ``timeout`` bounds each request in seconds; :meth:`ping` answers within about a second
    whatever it is.
    """

    def __init__(
        self, host: str = "127.0.0.1", port: int = 3000, timeout: float = DEFAULT_TIMEOUT
    ) -> None:
        self.host = host
        self.port = int(port)
        self.timeout = float(timeout)

    def __repr__(self) -> str:
        return f"DagsterWebserver({self.url!r})"

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def graphql_url(self) -> str:
        return f"{self.url}/graphql"

    def run_url(self, run_id: str) -> str:
        """The run's page in the Dagster UI."""
        return f"{self.url}/runs/{run_id}"

    def backfill_url(self, backfill_id: str) -> str:
        """The backfill's page in the Dagster UI."""
        return f"{self.url}/runs/b/{backfill_id}"

    # --- transport ----------------------------------------------------------------------

    def _unavailable(self, exc: BaseException, timeout: float) -> DagsterUnavailable:
        reason = getattr(exc, "reason", exc)
        if isinstance(reason, ConnectionRefusedError):
            why = "connection refused"
        elif isinstance(reason, (TimeoutError, socket.timeout)):
            why = f"no answer within {timeout:g} s"
        else:
            why = str(reason) or type(reason).__name__
        return DagsterUnavailable(
            f"Dagster is not answering at {self.url}: {why} "
            f"(start it with `basalt dagster dev --port {self.port}`)"
        )

    def ping(self) -> bool:
        """Whether a Dagster webserver answers (``/server_info``), within about a second."""
        try:
            with urllib.request.urlopen(
                f"{self.url}/server_info", timeout=min(PING_TIMEOUT, self.timeout)
            ) as response:
                info = json.loads(response.read())
        except (OSError, ValueError):
            return False
        return isinstance(info, dict) and "dagster_version" in info

    def query(
        self, query: str, variables: Mapping[str, Any] | None = None, timeout: float | None = None
    ) -> dict[str, Any]:
        """Run a GraphQL query or mutation; returns its ``data``.

        Raises :class:`DagsterUnavailable` when nothing answers and :class:`DagsterGraphQLError`
        with Dagster's messages when the answer carries ``errors``.
        """
        timeout = self.timeout if timeout is None else timeout
        body = json.dumps({"query": query, "variables": dict(variables or {})}).encode()
        request = urllib.request.Request(
            self.graphql_url,
            data=body,
            headers={"Content-Type": "application/json", "Accept": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                raw = response.read()
        except urllib.error.HTTPError as exc:  # Dagster answers 400 with its errors as JSON
            raw = exc.read()
            if not raw:
                raise DagsterGraphQLError(
                    f"{self.graphql_url}: HTTP {exc.code} {exc.reason}"
                ) from None
        except (OSError, urllib.error.URLError) as exc:
            raise self._unavailable(exc, timeout) from None
        try:
            payload = json.loads(raw)
        except ValueError:
            raise DagsterGraphQLError(
                f"{self.graphql_url} did not answer JSON: {raw[:200]!r}"
            ) from None
        errors = payload.get("errors") if isinstance(payload, dict) else None
        if errors:
            messages = "; ".join(str(e.get("message", e)) for e in errors)
            raise DagsterGraphQLError(f"{self.graphql_url}: {messages}")
        data = payload.get("data") if isinstance(payload, dict) else None
        if not isinstance(data, dict):
            raise DagsterGraphQLError(f"{self.graphql_url}: answer without data: {payload!r}")
        return data

    # --- code locations -----------------------------------------------------------------

    def reload_location(self, name: str = LOCATION) -> None:
        """Reload the code location (Dagster re-imports its code); returns once it is loaded.

        Raises :class:`DagsterGraphQLError` with Dagster's message when the code does not load
        (then the location shows the error until the next successful reload).
        """
        result = self.query(RELOAD, {"name": name})["reloadRepositoryLocation"]
        if result["__typename"] != "WorkspaceLocationEntry":
            raise _failure(result, f"reloading code location {name!r}")
        loaded = result.get("locationOrLoadError") or {}
        if loaded.get("__typename") == "PythonError":
            raise DagsterGraphQLError(
                f"code location {name!r} does not load: {loaded.get('message', '').strip()}"
            )

    def _location_entry(self, name: str) -> dict[str, Any]:
        workspace = self.query(LOCATIONS)["workspaceOrError"]
        if workspace["__typename"] != "Workspace":
            raise _failure(workspace, "reading the workspace")
        for entry in workspace["locationEntries"]:
            if entry["name"] == name:
                return entry
        known = ", ".join(e["name"] for e in workspace["locationEntries"]) or "none"
        raise DagsterGraphQLError(f"no code location {name!r} at {self.url} (known: {known})")

    def location_status(self, name: str = LOCATION) -> str:
        """``LOADING`` while the code location loads, then ``LOADED``."""
        return str(self._location_entry(name)["loadStatus"])

    def location_error(self, name: str = LOCATION) -> str | None:
        """The code location's load error (Dagster's text), or ``None`` when it loaded."""
        loaded = self._location_entry(name).get("locationOrLoadError") or {}
        if loaded.get("__typename") == "PythonError":
            return str(loaded.get("message", "")).strip()
        return None

    def schedules(self, location: str = LOCATION) -> list[dict[str, str]]:
        """Every schedule of the location: ``name``, ``cron``, ``timezone``, ``status``
        (``RUNNING`` or ``STOPPED``)."""
        selector = {"repositoryLocationName": location, "repositoryName": REPOSITORY}
        result = self.query(SCHEDULES, {"selector": selector})["schedulesOrError"]
        if result["__typename"] != "Schedules":
            raise _failure(result, f"listing the schedules of {location!r}")
        return [
            {
                "name": s["name"],
                "cron": s["cronSchedule"],
                "timezone": s["executionTimezone"],
                "status": s["scheduleState"]["status"],
            }
            for s in result["results"]
        ]

    # --- runs ---------------------------------------------------------------------------

    def launch_partition_run(
        self,
        asset_keys: Sequence[Sequence[str]],
        partition_key: str,
        tags: Mapping[str, str] | None = None,
        *,
        location: str = LOCATION,
    ) -> str:
        """Materialize ``asset_keys`` (``[["demo01_ohlcv_bars", "bars_1m"], ...]``) for one
        multi-partition key (``2025-01-02|mic=XLON``); returns the run id.

        The run carries the partition tags Dagster needs (:func:`partition_tags`) on top of
        ``tags``.
        """
        params = {
            "selector": {
                "repositoryLocationName": location,
                "repositoryName": REPOSITORY,
                "jobName": ASSET_JOB,
                "assetSelection": _asset_keys(asset_keys),
            },
            "executionMetadata": {
                "tags": _tag_list({**(tags or {}), **partition_tags(partition_key)})
            },
            "runConfigData": {},
        }
        result = self.query(LAUNCH_RUN, {"params": params})["launchRun"]
        if result["__typename"] != "LaunchRunSuccess":
            raise _failure(result, f"launching {partition_key}")
        return str(result["run"]["runId"])

    def launch_backfill(
        self,
        asset_keys: Sequence[Sequence[str]],
        partition_keys: Sequence[str],
        tags: Mapping[str, str] | None = None,
    ) -> str:
        """A backfill of ``asset_keys`` over ``partition_keys`` (one run per partition, as the
        daemon submits them); returns the backfill id."""
        keys = [str(key) for key in partition_keys]
        if not keys:
            raise ValueError("a backfill needs at least one partition key")
        for key in keys:
            split_partition_key(key)  # a key that does not parse fails here, with its text
        params = {
            "partitionNames": keys,
            "assetSelection": _asset_keys(asset_keys),
            "fromFailure": False,
            "tags": _tag_list(tags or {}),
        }
        result = self.query(LAUNCH_BACKFILL, {"params": params})["launchPartitionBackfill"]
        if result["__typename"] != "LaunchBackfillSuccess":
            raise _failure(result, f"launching a backfill of {len(keys)} partitions")
        return str(result["backfillId"])

    def run_status(self, run_id: str) -> str:
        """``QUEUED``, ``STARTING``, ``STARTED``, ``SUCCESS``, ``FAILURE``, ``CANCELING``,
        ``CANCELED``, ... (Dagster's ``RunStatus``)."""
        result = self.query(RUN_STATUS, {"id": run_id})["runOrError"]
        if result["__typename"] != "Run":
            raise _failure(result, f"run {run_id}")
        return str(result["status"])

    def backfill_status(self, backfill_id: str) -> str:
        """``REQUESTED``, ``COMPLETED_SUCCESS``, ``COMPLETED_FAILED``, ``FAILED``, ``CANCELING``,
        ``CANCELED``, ... (Dagster's ``BulkActionStatus``)."""
        result = self.query(BACKFILL_STATUS, {"id": backfill_id})["partitionBackfillOrError"]
        if result["__typename"] != "PartitionBackfill":
            raise _failure(result, f"backfill {backfill_id}")
        return str(result["status"])

    def backfill_progress(self, backfill_id: str) -> BackfillProgress:
        """The backfill's status with its partitions done so far (see :class:`BackfillProgress`)."""
        result = self.query(BACKFILL_PROGRESS, {"id": backfill_id})["partitionBackfillOrError"]
        if result["__typename"] != "PartitionBackfill":
            raise _failure(result, f"backfill {backfill_id}")
        data = result.get("assetBackfillData") or {}
        counts = [
            c
            for c in data.get("assetBackfillStatuses") or []
            if c.get("__typename") == "AssetPartitionsStatusCounts"
        ]
        total = result.get("numPartitions") or max(
            (int(c["numPartitionsTargeted"]) for c in counts), default=0
        )
        done = min(
            (int(c["numPartitionsMaterialized"]) + int(c["numPartitionsFailed"]) for c in counts),
            default=0,
        )
        failed = max((int(c["numPartitionsFailed"]) for c in counts), default=0)
        return BackfillProgress(str(result["status"]), min(done, total), int(total), failed)
