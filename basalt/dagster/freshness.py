"""Freshness of a demo's outputs, as Dagster's own ``FreshnessPolicy`` on each of its assets.

The deadline follows the demo's first enabled schedule that requests a relative date (``today``
or ``yesterday``): each of its ticks must be followed by a materialization within ``grace``
(default two hours). Ticks whose requested date is never a partition (a weekend, when weekends
are excluded) set no deadline. For the nightly ``0 2 * * *`` (Europe/London) requesting
yesterday, the policy is ``0 4 * * 2,3,4,5,6``, Europe/London, lower bound two hours: from
04:00 Tuesday to Saturday, the asset is fresh when it was materialized since 02:00.

Dagster's freshness daemon evaluates the policies (``dagster dev`` runs it): no job, no step in
partition runs, no ledger row. A policy looks at the latest materialization of any partition, so
the day after a venue holiday (whose tick the schedule skips) shows the asset late until the
next scheduled run. A cron whose time is not a single minute and hour, or that limits days of the
month or months, keeps its own ticks as deadlines: each tick needs a materialization since the
previous one.
"""

from __future__ import annotations

import datetime as dt

import dagster as dg
from croniter import croniter

from basalt.config.schedules import ScheduleConfig
from basalt.dagster.demos import Demo

GRACE = dt.timedelta(hours=2)
RELATIVE_DATES = ("today", "yesterday")
_DAY_MINUTES = 24 * 60


def _single(values: list) -> int | None:
    return values[0] if len(values) == 1 and isinstance(values[0], int) else None


def requested_weekdays(tick_weekday: int, schedule: ScheduleConfig) -> list[int]:
    """Python weekdays (0 = Monday) of the relative dates a tick on ``tick_weekday`` requests."""
    rules = [p.date for p in schedule.partitions] or ["yesterday"]
    return [(tick_weekday - (rule == "yesterday")) % 7 for rule in rules if rule in RELATIVE_DATES]


def relative_schedule(demo: Demo) -> ScheduleConfig | None:
    """The first enabled schedule that requests a relative date."""
    assert demo.config is not None
    for schedule in demo.config.SCHEDULES:
        rules = [p.date for p in schedule.partitions] or ["yesterday"]
        if schedule.enabled and any(rule in RELATIVE_DATES for rule in rules):
            return schedule
    return None


def deadline(
    schedule: ScheduleConfig, weekdays_only: bool, grace: dt.timedelta = GRACE
) -> tuple[str, dt.timedelta] | None:
    """``(deadline cron, lower bound)``: the schedule's ticks moved ``grace`` later, on the days
    whose tick requests a date that can be a partition, with ``grace`` as lower bound; the
    schedule's own cron with its shortest interval when its ticks cannot be moved; ``None`` when
    no tick requests such a date, or Dagster refuses the cron."""
    from dagster._utils.schedules import get_smallest_cron_interval, is_valid_cron_string

    from basalt.dagster.schedules import cron_of

    cron = cron_of(schedule.cron)
    if not is_valid_cron_string(cron):  # the schedule itself is refused, naming its field
        return None
    fields, _ = croniter.expand(cron)  # each field's values, or ["*"]
    minute, hour = _single(fields[0]), _single(fields[1])
    days = set(range(7)) if fields[4] == ["*"] else {int(d) % 7 for d in fields[4]}
    movable = grace < dt.timedelta(days=1) and grace.total_seconds() % 60 == 0
    if minute is None or hour is None or fields[2:4] != [["*"], ["*"]] or not movable:
        try:
            return cron, get_smallest_cron_interval(cron)
        except Exception:  # a cron Dagster runs but cannot measure: no deadline
            return None
    total = hour * 60 + minute + int(grace.total_seconds() // 60)
    carry, total = divmod(total, _DAY_MINUTES)
    kept = set()
    for cron_day in days:
        asked = requested_weekdays((cron_day - 1) % 7, schedule)
        if not weekdays_only or any(day < 5 for day in asked):
            kept.add((cron_day + carry) % 7)
    if not kept:
        return None
    field = "*" if kept == set(range(7)) else ",".join(str(d) for d in sorted(kept))
    return f"{total % 60} {total // 60} * * {field}", grace


def freshness_policy(demo: Demo, grace: dt.timedelta = GRACE) -> dg.FreshnessPolicy | None:
    """The freshness policy of the demo's assets, or ``None`` without an enabled schedule that
    requests a relative date."""
    schedule = relative_schedule(demo)
    if schedule is None:
        return None
    assert demo.config is not None
    weekdays_only = demo.config.EXCLUDE_WEEKENDS and demo.date_freq == "D"
    found = deadline(schedule, weekdays_only, grace)
    if found is None:
        return None
    deadline_cron, lower_bound = found
    return dg.FreshnessPolicy.cron(
        deadline_cron=deadline_cron, lower_bound_delta=lower_bound, timezone=schedule.timezone
    )
