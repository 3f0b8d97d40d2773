"""The run ledger follows Dagster's own run status.

A Dagster run's ledger row is written by its steps (:mod:`basalt.dagster.step_ledger`). When the
run ends without its steps saying so (its process killed, a run cancelled while queued, a launch
that failed), Dagster still knows how it ended. Two ways bring that to the ledger:

- the run-status sensors (:mod:`basalt.dagster.run_status`) record each failed or cancelled run
  as it happens, creating the row from the run's tags when no step wrote one;
- ``basalt dagster sync`` gives every ledger row of a Dagster run still ``running`` or ``lost``
  the final status of its finished Dagster run (:func:`reconcile_ledger`).

Statuses only move forward in the ledger: a row a step already marked ``failed`` or
``cancelled`` keeps it (and its error); a ``lost`` or ``running`` row takes Dagster's status and
reason. Every write goes through :meth:`Ledger.write`, so a broken or busy ledger spools it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import dagster as dg

from basalt.dagster.demos import Demo
from basalt.dagster.partitions import PartitionKeyError, date_partition
from basalt.ledger.store import Ledger

TRIGGER = "dagster"
DATE_TAG = "dagster/partition/date"
UNIVERSE_TAG = "dagster/partition/universe"
CONFIG_SHA_TAG = "basalt/config_sha256.{asset}"
JOB_SUFFIX = "_job"
DEMO_PREFIX = "demo"

# Dagster's final run statuses and the ledger's names for them.
LEDGER_STATUS = {
    dg.DagsterRunStatus.SUCCESS: "success",
    dg.DagsterRunStatus.FAILURE: "failed",
    dg.DagsterRunStatus.CANCELED: "cancelled",
}
# What Dagster says when something outside the run marks it failed (its process gone): the
# engine event just before says why.
OUTSIDE = "from outside the execution context"
CRASH_WORDS = ("terminated", "exited", "unexpectedly")
SOURCE = re.compile(r"^\[[A-Za-z_]\w*\] ")  # the component that reported an engine event


def _naive_utc(timestamp: float | dt.datetime | None) -> dt.datetime | None:
    if timestamp is None:
        return None
    if isinstance(timestamp, dt.datetime):
        moment = timestamp if timestamp.tzinfo else timestamp.replace(tzinfo=dt.timezone.utc)
    else:
        moment = dt.datetime.fromtimestamp(timestamp, dt.timezone.utc)
    return moment.astimezone(dt.timezone.utc).replace(tzinfo=None)


@dataclass(frozen=True)
class RunEnd:
    """How a finished Dagster run ended, with what its ledger row needs."""

    run_id: str
    status: str  # success, failed, cancelled
    reason: str | None
    started_at: dt.datetime
    finished_at: dt.datetime
    demo: str | None = None
    config_file: str | None = None
    config_sha256: str | None = None
    universe: str | None = None
    start_date: dt.date | None = None
    end_date: dt.date | None = None

    def ops(self) -> list[tuple[str, dict[str, Any]]]:
        """The ledger writes: the run's row (kept as it is when a step wrote it; created from
        these facts otherwise), then its end."""
        start = {
            "run_id": self.run_id,
            "trigger": TRIGGER,
            "demo": self.demo,
            "config_file": self.config_file,
            "config_sha256": self.config_sha256,
            "universe": self.universe,
            "start_date": self.start_date,
            "end_date": self.end_date,
            "at": self.started_at,
        }
        finish = {
            "run_id": self.run_id,
            "status": self.status,
            "error": self.reason,
            "at": self.finished_at,
        }
        return [("start_run", start), ("finish_run", finish)]


def demo_asset_names(run: dg.DagsterRun) -> list[str]:
    """The demo asset names (``demo01_ohlcv_bars``) a run selects: from its asset selection,
    else its job (``demo01_ohlcv_bars_job``)."""
    names = sorted({key.path[0] for key in (run.asset_selection or ()) if key.path})
    if names:
        return names
    job = run.job_name or ""
    if job.startswith(DEMO_PREFIX) and job.endswith(JOB_SUFFIX):
        return [job.removesuffix(JOB_SUFFIX)]
    return []


def _last_message(
    instance: dg.DagsterInstance, run_id: str, event_type: dg.DagsterEventType, limit: int = 1
) -> list[str]:
    records = instance.get_records_for_run(
        run_id, of_type=event_type, ascending=False, limit=limit
    ).records
    messages = []
    for record in records:
        event = record.event_log_entry.dagster_event
        text = (event.message if event is not None else None) or record.event_log_entry.message
        if text:
            messages.append(" ".join(text.split()))
    return messages


def dagster_reason(instance: dg.DagsterInstance, run: dg.DagsterRun) -> str | None:
    """Dagster's reason for a failed or cancelled run (``None`` for a success): the failure or
    cancellation message; when Dagster marked it failed from outside (its process gone), the
    engine event saying how the process ended comes first."""
    if run.status == dg.DagsterRunStatus.FAILURE:
        event_type = dg.DagsterEventType.RUN_FAILURE
    elif run.status == dg.DagsterRunStatus.CANCELED:
        event_type = dg.DagsterEventType.RUN_CANCELED
    else:
        return None
    message = next(iter(_last_message(instance, run.run_id, event_type)), None)
    word = "failed" if run.status == dg.DagsterRunStatus.FAILURE else "cancelled"
    if message is None:
        return f"Dagster: run {word}"
    if OUTSIDE in message:
        for engine in _last_message(instance, run.run_id, dg.DagsterEventType.ENGINE_EVENT, 5):
            if "process" in engine.lower() and any(w in engine.lower() for w in CRASH_WORDS):
                message = f"{SOURCE.sub('', engine)} {message}"  # without "[DagsterApiServer] "
                break
    return f"Dagster: {message}"


def _dates(tags: Mapping[str, str], freq: str) -> tuple[dt.date | None, dt.date | None]:
    key = tags.get(DATE_TAG)
    if not key:
        return None, None
    try:
        dates = date_partition(key, freq)
    except (PartitionKeyError, ValueError):
        return None, None
    return dates.start_date, dates.end_date


def run_end(
    instance: dg.DagsterInstance,
    run_id: str,
    demos: Mapping[str, Demo] | None = None,
) -> RunEnd | None:
    """How the Dagster run ``run_id`` ended, or ``None`` while it is not finished (or unknown to
    ``instance``). ``demos`` (by asset name) give the demo's stem, config file and date
    frequency; without them the stem comes from the asset name."""
    record = instance.get_run_record_by_id(run_id)
    if record is None:
        return None
    run = record.dagster_run
    status = LEDGER_STATUS.get(run.status)
    if status is None:
        return None
    names = demo_asset_names(run)
    asset = names[0] if names else None
    demo = (demos or {}).get(asset) if asset else None
    stem = demo.stem if demo is not None else (asset.removeprefix(DEMO_PREFIX) if asset else None)
    start_date, end_date = _dates(run.tags, demo.date_freq if demo is not None else "D")
    created = _naive_utc(record.create_timestamp)
    assert created is not None
    started = _naive_utc(record.start_time) or created
    finished = _naive_utc(record.end_time) or _naive_utc(record.update_timestamp) or started
    return RunEnd(
        run_id=run.run_id,
        status=status,
        reason=dagster_reason(instance, run),
        started_at=started,
        finished_at=finished,
        demo=stem,
        config_file=str(demo.config_file) if demo is not None and demo.config_file else None,
        config_sha256=run.tags.get(CONFIG_SHA_TAG.format(asset=asset)) if asset else None,
        universe=run.tags.get(UNIVERSE_TAG),
        start_date=start_date,
        end_date=end_date,
    )


def record_run_end(ledger: Ledger, end: RunEnd) -> None:
    """Write the run's end to the ledger (its row created when no step wrote one), in one
    transaction; a write the ledger cannot take goes to its spool."""
    ledger.write(end.ops())


# --- basalt dagster sync ------------------------------------------------------------------

OPEN_ROWS = """
SELECT run_id, status FROM meta.runs
WHERE trigger = 'dagster' AND status IN ('running', 'lost')
ORDER BY started_at
"""


@dataclass
class Reconciled:
    """What :func:`reconcile_ledger` did: the runs given Dagster's status, by that status, and
    the open rows it left (their Dagster run still going, or not in this instance)."""

    ended: list[RunEnd] = field(default_factory=list)
    still_running: int = 0
    unknown: int = 0

    @property
    def open_rows(self) -> int:
        """The ledger rows of Dagster runs that were ``running`` or ``lost``."""
        return len(self.ended) + self.still_running + self.unknown

    def summary(self, dry_run: bool = False) -> str:
        """``ledger: 2 Dagster runs given their final status (1 failed, 1 cancelled); ...``."""
        verb = "would give" if dry_run else "given"
        counts = Counter(end.status for end in self.ended)
        n = len(self.ended)
        text = f"ledger: {n} Dagster run{'' if n == 1 else 's'} {verb} their final status"
        if counts:
            text += " (" + ", ".join(f"{c} {s}" for s, c in sorted(counts.items())) + ")"
        if self.still_running:
            text += f"; {self.still_running} still running in Dagster"
        if self.unknown:
            text += f"; {self.unknown} not in this Dagster instance"
        return text


def reconcile_ledger(
    instance: dg.DagsterInstance,
    ledger: Ledger,
    demos: Mapping[str, Demo] | None = None,
    dry_run: bool = False,
) -> Reconciled:
    """Every ledger row of a Dagster run still ``running`` or ``lost`` whose Dagster run has
    finished gets Dagster's final status (success, failed, cancelled) and reason. Reading the
    ledger raises :class:`~basalt.ledger.store.LedgerError` (one line) when it is unreadable."""
    done = Reconciled()
    for row in ledger.query(OPEN_ROWS):
        if instance.get_run_record_by_id(row["run_id"]) is None:
            done.unknown += 1
            continue
        end = run_end(instance, row["run_id"], demos)
        if end is None:
            done.still_running += 1
            continue
        done.ended.append(end)
    if not dry_run:
        for end in done.ended:
            record_run_end(ledger, end)
    return done


def demos_by_asset(demos: Sequence[Demo]) -> dict[str, Demo]:
    """Demos keyed by their Dagster asset name (``demo01_ohlcv_bars``)."""
    return {demo.asset_name: demo for demo in demos}
