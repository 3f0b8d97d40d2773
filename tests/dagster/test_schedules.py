"""Schedules from YAML: cron and timezone, today / yesterday / fixed dates, defaults, skips,
venue holidays."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import dagster as dg
import pytest

from basalt.dagster.build import build_definitions
from basalt.dagster.demos import Demo, load_demos
from basalt.dagster.schedules import schedule_requests
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
    - name: venues
      cron: "0 6 * * *"
      timezone: Europe/London
      partitions:
        - {date: yesterday, universe: mic=XLON}
        - {date: yesterday, universe: mic=XPAR}
    - name: off
      enabled: false
"""


@pytest.fixture(scope="module")
def demos(tmp_path_factory) -> dict[str, Demo]:
    folder = tmp_path_factory.mktemp("schedules")
    write_demo(folder, "01_sched", yaml_text=SCHEDULES_YAML)
    return {d.stem: d for d in load_demos(folder) + load_demos(DEMO_DIR, only=["01"])}


@pytest.fixture(scope="module")
def repository(demos) -> dg.RepositoryDefinition:
    return build_definitions(demos=list(demos.values())).get_repository_def()


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
    assert {name for name in schedules if name.startswith("demo")} == {
        "demo01_ohlcv_bars_nightly_xlon",
        "demo01_sched_tokyo_today",
        "demo01_sched_defaults",
        "demo01_sched_fixed",
        "demo01_sched_venues",
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


def test_a_venue_holiday_is_skipped_with_its_name_and_the_next_day_runs(schedules, repository):
    nightly = schedules["demo01_ohlcv_bars_nightly_xlon"]
    after_spring_bank = dt.datetime(2025, 5, 27, 2, 0, tzinfo=LONDON)
    assert tick(nightly, after_spring_bank, repository) == (
        [],
        "2025-05-26 is a holiday on XLON (Spring Bank Holiday): nothing to run",
    )
    after_early_may = dt.datetime(2025, 5, 6, 2, 0, tzinfo=LONDON)
    assert tick(nightly, after_early_may, repository)[1] == (
        "2025-05-05 is a holiday on XLON (Early May Bank Holiday): nothing to run"
    )
    day_after = dt.datetime(2025, 5, 28, 2, 0, tzinfo=LONDON)
    assert tick(nightly, day_after, repository) == (["2025-05-27|mic=XLON"], None)


def test_other_universes_of_a_tick_still_run_on_a_holiday(schedules, repository, demos):
    venues = schedules["demo01_sched_venues"]
    assert tick(venues, dt.datetime(2025, 5, 27, 6, tzinfo=LONDON), repository) == (
        ["2025-05-26|mic=XPAR"],
        None,
    )
    assert tick(venues, dt.datetime(2025, 5, 2, 6, tzinfo=LONDON), repository) == (
        ["2025-05-01|mic=XLON"],
        None,
    )
    # the skipped partition is logged with its reason
    demo = demos["01_sched"]
    [entry] = [s for s in demo.config.SCHEDULES if s.name == "venues"]
    requests, skipped = schedule_requests(demo, entry, dt.datetime(2025, 5, 27, 6, tzinfo=LONDON))
    assert [str(r.partition_key) for r in requests] == ["2025-05-26|mic=XPAR"]
    assert skipped == ["2025-05-26 is a holiday on XLON (Spring Bank Holiday): nothing to run"]
    requests, skipped = schedule_requests(demo, entry, dt.datetime(2025, 12, 27, 6, tzinfo=LONDON))
    assert requests == []
    assert skipped == [
        "2025-12-26 is a holiday on XLON (Boxing Day): nothing to run",
        "2025-12-26 is a holiday on XPAR (Boxing Day): nothing to run",
    ]
