"""Freshness: the latest date materialized against what the enabled schedules requested."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import dagster as dg
import pytest

from basalt.dagster.assets import (
    build_freshness_checks,
    expected_latest_date,
    latest_materialized_date,
)
from basalt.dagster.build import build_definitions
from basalt.dagster.demos import load_demos
from tests.dagster.support import DEMO_DIR, write_demo

LONDON = ZoneInfo("Europe/London")
BARS = dg.AssetKey(["demo01_ohlcv_bars", "bars_1m"])


@pytest.fixture(scope="module")
def demo01():
    [demo] = load_demos(DEMO_DIR, only=["01"])
    return demo


def test_expected_date_follows_the_last_tick_after_a_grace_period(demo01):
    # nightly_xlon: 02:00 London, yesterday; ticks are given two hours to finish
    at = lambda *args: expected_latest_date(demo01, dt.datetime(*args, tzinfo=LONDON))  # noqa: E731
    assert at(2025, 1, 8, 5, 0) == dt.date(2025, 1, 7)
    assert at(2025, 1, 8, 3, 0) == dt.date(2025, 1, 6)  # today's tick may still be running
    assert at(2025, 1, 6, 5, 0) == dt.date(2025, 1, 3)  # yesterday was a Sunday: Friday
    # before START_DATE nothing is expected
    assert at(2025, 1, 2, 5, 0) is None


def test_no_enabled_schedule_no_freshness_check(tmp_path, demo01):
    write_demo(tmp_path, "02_unscheduled")
    write_demo(
        tmp_path,
        "03_disabled",
        yaml_text="USER_CONFIG:\n  SCHEDULES: [{name: off, enabled: false}]\n",
    )
    demos = load_demos(tmp_path) + [demo01]
    checks = build_freshness_checks(True, demos=demos)
    assert [next(iter(c.check_keys)).asset_key for c in checks] == [BARS]


def test_freshness_check_reads_the_instance(demo01, instance):
    assert latest_materialized_date(instance, BARS) is None
    for key in ("2025-01-02|mic=XLON", "2025-01-06|mic=XPAR", "2025-01-03|mic=XLON"):
        instance.report_runless_asset_event(dg.AssetMaterialization(BARS, partition=key))
    assert latest_materialized_date(instance, BARS) == dt.date(2025, 1, 6)
    # the hourly job runs it on its own: the last tick asked for a date long after Jan 2025
    defs = build_definitions(demos=[demo01])
    result = defs.resolve_job_def("basalt_freshness_checks").execute_in_process(instance=instance)
    [evaluation] = result.get_asset_check_evaluations()
    assert evaluation.check_name == "freshness" and not evaluation.passed
    assert evaluation.metadata["latest_date"].value == "2025-01-06"
    assert evaluation.metadata["lag_days"].value > 300
