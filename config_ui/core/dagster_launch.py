"""Run a demo in Dagster from an editor: one partition as a run, a date range as a backfill.

The editor talks to the Dagster webserver (default 127.0.0.1:3000) through its GraphQL API
(:mod:`basalt.dagster.graphql`, no Dagster import). When nothing answers, the editor says so
and offers :func:`start_dagster`, which starts ``basalt dagster dev`` (live reload included)
or attaches to one already running on that port.

Threads: every call here blocks on the network. The editors go through
:class:`~config_ui.core.dagster_run_state.DagsterRunState`, which calls them on its worker
thread with that thread's own client (the GraphQL client is not shared between threads).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from basalt.dagster.demos import asset_name_for, safe_name
from basalt.dagster.graphql import BACKFILL_TERMINAL_STATUSES, TERMINAL_STATUSES
from basalt.dagster.reload_status import ReloadStatus, read_status
from basalt.ledger.gaps import expected_days

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 3000
# A run's or a backfill's last status, and those that mean it did not succeed.
FINISHED = TERMINAL_STATUSES | BACKFILL_TERMINAL_STATUSES
FAILED = frozenset({"FAILURE", "CANCELED", "FAILED", "COMPLETED_FAILED"})


@dataclass(frozen=True)
class DagsterTarget:
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def client(self) -> Any:
        from basalt.dagster.graphql import DagsterWebserver

        return DagsterWebserver(self.host, self.port)

    def available(self) -> bool:
        return bool(self.client().ping())

    def reload_status(self) -> ReloadStatus | None:
        """The live-reload state of a ``basalt dagster dev`` serving this port, if any."""
        return read_status(port=self.port)


@dataclass
class DagsterLaunch:
    """What was launched: a run (one partition) or a backfill (several)."""

    kind: str  # run | backfill
    id: str
    url: str
    partition_keys: list[str] = field(default_factory=list)


def asset_keys(script: Path, config: Any) -> list[list[str]]:
    """Every pass asset of a demo, as Dagster names them (``[demo01_ohlcv_bars, bars_1m]``)."""
    name = asset_name_for(Path(script).stem)
    return [[name, safe_name(p.name)] for p in config.PASSES]


def partition_keys(
    universe: str, start: dt.date, end: dt.date, exclude_weekends: bool = True
) -> list[str]:
    """Dagster keys (``2025-01-02|mic=XLON``) of a universe's partitions from start to end."""
    return [f"{day}|{universe}" for day in expected_days(start, end, universe, exclude_weekends)]


def launch_in_dagster(
    target: DagsterTarget,
    script: Path,
    config: Any,
    universe: str,
    start: dt.date,
    end: dt.date,
    client: Any = None,
) -> DagsterLaunch:
    """Launch the demo's pass assets for ``universe`` over start..end: a run for one
    partition, a backfill for several. Raises ``ValueError`` when the range has no
    partition, and the client's errors (``DagsterUnavailable``, ``DagsterGraphQLError``).
    ``client``: this thread's client (default: a new one)."""
    keys = partition_keys(universe, start, end, config.EXCLUDE_WEEKENDS)
    if not keys:
        raise ValueError(f"no {universe} partition between {start} and {end}")
    client = client or target.client()
    assets = asset_keys(script, config)
    if len(keys) == 1:
        run_id = client.launch_partition_run(assets, keys[0])
        return DagsterLaunch("run", run_id, client.run_url(run_id), keys)
    backfill_id = client.launch_backfill(assets, keys)
    return DagsterLaunch("backfill", backfill_id, client.backfill_url(backfill_id), keys)


def launch_status(target: DagsterTarget, launch: DagsterLaunch, client: Any = None) -> str:
    """A run's status (QUEUED, STARTED, SUCCESS, FAILURE, ...); a backfill's (REQUESTED,
    COMPLETED_SUCCESS, COMPLETED_FAILED, FAILED, CANCELED, ...)."""
    client = client or target.client()
    if launch.kind == "run":
        return str(client.run_status(launch.id))
    return str(client.backfill_status(launch.id))


def start_dagster(
    target: DagsterTarget, log_path: Path | None = None, demo_dir: Path | None = None
) -> Any:
    """Attach to the webserver on ``target`` or start ``basalt dagster dev`` there, serving
    the demos in ``demo_dir`` (default: its own, ``demo/`` in the working directory); returns
    a handle whose ``stop()`` stops only what it started."""
    from basalt.dagster.dev import ensure_dagster_dev

    return ensure_dagster_dev(target.host, target.port, log_path=log_path, demo_dir=demo_dir)
