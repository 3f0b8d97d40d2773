"""Schedules from YAML: cron and timezone, today / yesterday / fixed dates, defaults, skips."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import dagster as dg
import pytest

from basalt.dagster.build import build_definitions
from basalt.dagster.demos import load_demos
from tests.dagster.support import DEMO_DIR, write_demo

# Dagster's own partition tags trip its own tag-key deprecation warning.
pytestmark = pytest.mark.filterwarnings("ignore:Non-compliant tag keys:DeprecationWarning")

LONDON, TOKYO, UTC = ZoneInfo("Europe/London"), ZoneInfo("Asia/Tokyo"), ZoneInfo("UTC")

SCHEDULES_YAML = """\
USER_CONFIG:
  UNIVERSE: index=SYN10
  SCHEDULES:
    - name: tokyo_today
      cron: "30 8 * * 1-5"
      timezone: Asia/Tokyo
      partitions:
        - date: today
    - name: defaults
      cron: "@daily"
    - name: fixed
      cron: "0 6 * * *"
      partitions:
        - {date: 2025-01-03, universe: mic=XLON}
        - {date: yesterday, universe: mic=XPAR}
    - name: off
      enabled: false
"""


@pytest.fixture(scope="module")
def repository(tmp_path_factory) -> dg.RepositoryDefinition:
    folder = tmp_path_factory.mktemp("schedules")
    write_demo(folder, "01_sched", yaml_text=SCHEDULES_YAML)
    demos = load_demos(folder) + load_demos(DEMO_DIR, only=["01"])
    return build_definitions(demos=demos).get_repository_def()


@pytest.fixture(scope="module")
def schedules(repository) -> dict[str, dg.ScheduleDefinition]:
    return {s.name: s for s in repository.schedule_defs}


def evaluate(schedule: dg.ScheduleDefinition, when: dt.datetime, repository=None):
    """A tick, as the daemon would run it (a partitioned request needs the repository)."""
    context = dg.build_schedule_context(scheduled_execution_time=when, repository_def=repository)
    return schedule.evaluate_tick(context)


def tick(schedule, when: dt.datetime, repository) -> tuple[list[str], str | None]:
    data = evaluate(schedule, when, repository)
    return [str(r.partition_key) for r in data.run_requests or []], data.skip_message


def test_each_enabled_entry_is_a_schedule_with_its_cron_and_timezone(schedules):
    assert set(schedules) == {
        "basalt_freshness_checks_hourly",
        "demo01_ohlcv_bars_nightly_xlon",
        "demo01_sched_tokyo_today",
        "demo01_sched_defaults",
        "demo01_sched_fixed",
    }
    nightly = schedules["demo01_ohlcv_bars_nightly_xlon"]
    assert (nightly.cron_schedule, nightly.execution_timezone) == ("0 2 * * *", "Europe/London")
    assert nightly.job_name == "demo01_ohlcv_bars_job"
    assert nightly.default_status == dg.DefaultScheduleStatus.RUNNING
    assert schedules["demo01_sched_defaults"].cron_schedule == "0 0 * * *"  # @daily spelled out


def test_yesterday_is_the_day_before_the_tick(schedules, repository):
    nightly = schedules["demo01_ohlcv_bars_nightly_xlon"]
    assert tick(nightly, dt.datetime(2025, 1, 7, 2, 0, tzinfo=LONDON), repository) == (
        ["2025-01-06|mic=XLON"],
        None,
    )
    data = evaluate(nightly, dt.datetime(2025, 1, 8, 2, tzinfo=LONDON), repository)
    [request] = data.run_requests
    assert request.partition_key == dg.MultiPartitionKey(
        {"date": "2025-01-07", "universe": "mic=XLON"}
    )
    assert request.tags["basalt/schedule"] == "nightly_xlon"


def test_today_is_read_in_the_schedules_timezone(schedules, repository):
    # 08:30 in Tokyo on the 7th is still the 6th in UTC and London
    when = dt.datetime(2025, 1, 7, 8, 30, tzinfo=TOKYO)
    assert when.astimezone(UTC).date() == dt.date(2025, 1, 6)
    assert tick(schedules["demo01_sched_tokyo_today"], when, repository) == (
        ["2025-01-07|index=SYN10"],
        None,
    )


def test_no_partitions_means_yesterday_and_the_first_universe(schedules, repository):
    when = dt.datetime(2025, 1, 8, 0, 0, tzinfo=UTC)
    assert tick(schedules["demo01_sched_defaults"], when, repository) == (
        ["2025-01-07|index=SYN10"],
        None,
    )


def test_fixed_dates_and_skipped_weekends(schedules, repository):
    monday = dt.datetime(2025, 1, 6, 6, 0, tzinfo=UTC)
    keys, _ = tick(schedules["demo01_sched_fixed"], monday, repository)
    assert keys == ["2025-01-03|mic=XLON"]  # yesterday was a Sunday: no partition
    keys, skipped = tick(
        schedules["demo01_sched_defaults"], dt.datetime(2025, 1, 5, tzinfo=UTC), repository
    )
    assert keys == [] and "2025-01-04 is not a date partition of demo01_sched" in skipped
