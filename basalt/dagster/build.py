"""One ``Definitions`` object for all the demos: assets, checks, jobs, schedules, sensor."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import dagster as dg

from basalt.dagster.assets import build_demo_assets, build_freshness_checks
from basalt.dagster.demos import Demo, load_demos
from basalt.dagster.schedules import build_demo_jobs, build_demo_schedules
from basalt.dagster.sensors import build_universe_sensor

log = logging.getLogger("basalt.dagster")

FRESHNESS_JOB = "basalt_freshness_checks"
FRESHNESS_CRON = "15 * * * *"


def load_errors_markdown(demos: Sequence[Demo]) -> str:
    """The demos left out (and partitions dropped), one bullet each, for the UI."""
    lines = [f"- `{d.stem}`: {d.error}" for d in demos if d.error]
    lines += [f"- `{d.stem}` (loaded): {w}" for d in demos for w in d.warnings]
    return "\n".join(lines) if lines else "every demo loaded"


def build_definitions(
    split_passes: bool = True,
    *,
    demos: Sequence[Demo] | None = None,
    demo_dir: str | Path | None = None,
    universes: Sequence[Any] | None = None,
    null_rate_bounds: Mapping[str, float] | None = None,
    max_lag_days: int = 0,
    freshness_grace: dt.timedelta = dt.timedelta(hours=2),
    executor: dg.ExecutorDefinition = dg.in_process_executor,
) -> dg.Definitions:
    """Definitions of every demo in ``demo_dir`` that loads; the others are logged and listed
    in the definitions' ``basalt/load_errors`` metadata.

    Runs use the in-process executor: a run imports the code once, when it starts, so every
    pass of a run sees the same config (see :mod:`basalt.dagster.assets` for the run tag that
    keeps this true under other executors).
    """
    demos = list(demos) if demos is not None else load_demos(demo_dir, universes)
    ok = [d for d in demos if d.ok]
    freshness = build_freshness_checks(
        split_passes, demos=ok, max_lag_days=max_lag_days, grace=freshness_grace
    )
    jobs: list[Any] = build_demo_jobs(split_passes, demos=ok)
    schedules: list[Any] = build_demo_schedules(split_passes, demos=ok)
    if freshness:  # evaluated every hour, whether or not the scheduled runs happened
        job = dg.define_asset_job(
            FRESHNESS_JOB,
            selection=dg.AssetSelection.checks(*freshness),
            description="Freshness of every demo output with an enabled schedule.",
        )
        jobs.append(job)
        schedules.append(
            dg.ScheduleDefinition(
                name=f"{FRESHNESS_JOB}_hourly",
                cron_schedule=FRESHNESS_CRON,
                job=job,
                default_status=dg.DefaultScheduleStatus.RUNNING,
            )
        )
    return dg.Definitions(
        assets=build_demo_assets(split_passes, demos=ok, null_rate_bounds=null_rate_bounds),
        asset_checks=freshness,
        jobs=jobs,
        schedules=schedules,
        sensors=[build_universe_sensor(ok)],
        executor=executor,
        metadata={
            "basalt/demos": ", ".join(d.asset_name for d in ok),
            "basalt/load_errors": dg.MetadataValue.md(load_errors_markdown(demos)),
        },
    )
