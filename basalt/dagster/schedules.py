"""Schedules from each demo's ``SCHEDULES``: one Dagster schedule per enabled entry.

Each tick yields one run request per listed partition (``date``: today, yesterday, relative to
the tick in the schedule's timezone, or a fixed YYYY-MM-DD; ``universe``: a spec, unset: the
config's UNIVERSE); no partitions listed: yesterday and the first universe. The date dimension
is time-based, so ``build_schedule_from_partitioned_job`` would impose its own cron: these are
``@schedule`` functions yielding ``RunRequest(partition_key=MultiPartitionKey(...))``.

A requested day on which no venue of the universe trades (a venue holiday of ``mic=XLON``, by
the venue calendars) gets no run request: the tick says why (``2025-05-26 is a holiday on XLON
(Spring Bank Holiday): nothing to run``), and the other partitions of the tick still run.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import dagster as dg

from basalt.config.schedules import ScheduleConfig, SchedulePartition
from basalt.dagster.assets import (
    asset_keys,
    partition_key,
    requested_date,
    universe_partitions_def_name,
    warned,
)
from basalt.dagster.demos import Demo, current_universe_keys, date_key_for, load_demos
from basalt.data.universe_days import closed_on
from basalt.universes.spec import UniverseSpecError, parse_universe_spec

_MACROS = {
    "@hourly": "0 * * * *",
    "@daily": "0 0 * * *",
    "@midnight": "0 0 * * *",
    "@weekly": "0 0 * * 0",
    "@monthly": "0 0 1 * *",
    "@yearly": "0 0 1 1 *",
    "@annually": "0 0 1 1 *",
}


def cron_of(cron: str) -> str:
    """A five-field cron (``@daily`` and friends spelled out)."""
    return _MACROS.get(cron.strip(), cron.strip())


def demo_job(demo: Demo, split_passes: bool) -> dg.UnresolvedAssetJobDefinition:
    """The partitioned job of a demo's assets (one object per demo, shared by its schedules)."""
    cache_key = f"job:{split_passes}"
    if cache_key not in demo.cache:
        demo.cache[cache_key] = dg.define_asset_job(
            f"{demo.asset_name}_job",
            selection=dg.AssetSelection.assets(*asset_keys(demo, split_passes)),
            description=f"Every pass of {demo.stem}, for one date x universe partition.",
            tags={"basalt/demo": demo.asset_name},
        )
    return demo.cache[cache_key]


def build_demo_jobs(
    split_passes: bool = False, *, demos: Sequence[Demo] | None = None
) -> list[dg.UnresolvedAssetJobDefinition]:
    demos = demos if demos is not None else load_demos()
    return [demo_job(d, split_passes) for d in demos if d.ok]


def _universe_of(demo: Demo, spec: str | None) -> str:
    """A listed universe, or the first of the demo's (its config's UNIVERSE; for a dynamic
    demo, as the YAML says now)."""
    if spec is not None:
        return parse_universe_spec(spec).spec
    if demo.dynamic:
        keys, _ = current_universe_keys(demo)
        if keys:
            return keys[0]
    return demo.universe_keys[0]


def schedule_requests(
    demo: Demo,
    schedule: ScheduleConfig,
    tick: dt.datetime,
    instance: dg.DagsterInstance | None = None,
) -> tuple[list[dg.RunRequest], list[str]]:
    """The run requests of one tick, and why any listed partition was skipped."""
    local_day = tick.astimezone(ZoneInfo(schedule.timezone)).date()
    requests: list[dg.RunRequest] = []
    skipped: list[str] = []
    known: set[str] | None = set(demo.universe_keys)
    if demo.dynamic:  # the sensor's keys; unknown without an instance
        name = universe_partitions_def_name(demo)
        known = set(instance.get_dynamic_partitions(name)) if instance is not None else None
    parts: Sequence[SchedulePartition | None] = schedule.partitions or [None]  # None: defaults
    for part in parts:
        day = requested_date(part.date if part is not None else "yesterday", local_day)
        try:
            universe = _universe_of(demo, part.universe if part is not None else None)
        except UniverseSpecError as exc:
            skipped.append(str(exc))
            continue
        date_key = date_key_for(demo, day, now=tick)
        if date_key is None:
            skipped.append(f"{day} is not a date partition of {demo.asset_name}")
            continue
        if known is not None and universe not in known:
            skipped.append(f"universe '{universe}' is not a partition of {demo.asset_name}")
            continue
        closed = closed_on(universe, day)
        if closed is not None:
            skipped.append(f"{day} is {closed}: nothing to run")
            continue
        key = partition_key(date_key, universe)
        requests.append(
            dg.RunRequest(
                run_key=f"{schedule.name}:{key}",
                partition_key=key,
                tags={"basalt/demo": demo.asset_name, "basalt/schedule": schedule.name},
            )
        )
    return requests, skipped


def _instance(context: dg.ScheduleEvaluationContext) -> dg.DagsterInstance | None:
    try:
        return context.instance
    except dg.DagsterInvariantViolationError:  # a test context built without an instance
        return None


def schedule_name(demo: Demo, schedule: ScheduleConfig) -> str:
    return f"{demo.asset_name}_{schedule.name}"


def _schedule(demo: Demo, schedule: ScheduleConfig, job: Any) -> dg.ScheduleDefinition:
    @dg.schedule(
        name=schedule_name(demo, schedule),
        cron_schedule=cron_of(schedule.cron),
        execution_timezone=schedule.timezone,
        job=job,
        default_status=dg.DefaultScheduleStatus.RUNNING,
        description=warned(
            demo, f"{schedule.name} from {demo.config_file}: {schedule.cron} ({schedule.timezone})"
        ),
        tags={"basalt/demo": demo.asset_name, "basalt/schedule": schedule.name},
    )
    def _tick(context: dg.ScheduleEvaluationContext) -> Iterator[dg.RunRequest | dg.SkipReason]:
        tick = context.scheduled_execution_time or dt.datetime.now(ZoneInfo(schedule.timezone))
        requests, skipped = schedule_requests(demo, schedule, tick, _instance(context))
        for reason in skipped:
            context.log.warning(reason)
        if not requests:
            yield dg.SkipReason("; ".join(skipped) or "no partition requested")
        yield from requests

    return _tick


def build_schedule(
    demo: Demo, schedule: ScheduleConfig, split_passes: bool = False
) -> dg.ScheduleDefinition:
    """The Dagster schedule of one ``SCHEDULES`` entry of a demo that loads."""
    return _schedule(demo, schedule, demo_job(demo, split_passes))


def build_demo_schedules(
    split_passes: bool = False,
    *,
    demos: Sequence[Demo] | None = None,
    demo_dir: str | Path | None = None,
) -> list[dg.ScheduleDefinition]:
    """One schedule per enabled ``SCHEDULES`` entry of every demo that loads, named
    ``demoNN_name_<schedule>``, targeting the demo's job."""
    demos = demos if demos is not None else load_demos(demo_dir)
    return [
        build_schedule(demo, schedule, split_passes)
        for demo in demos
        if demo.ok and demo.config is not None
        for schedule in demo.config.SCHEDULES
        if schedule.enabled
    ]
