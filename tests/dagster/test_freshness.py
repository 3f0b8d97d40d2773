"""Freshness: Dagster's own policy on each asset of a scheduled demo, its deadline derived from
the schedule, evaluated by Dagster, with no job, step or ledger row of ours."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import dagster as dg
import pytest
from dagster._core.definitions.freshness import FreshnessState
from dagster._core.definitions.freshness_evaluator import CronFreshnessPolicyEvaluator

from basalt.config.schedules import ScheduleConfig
from basalt.dagster.build import build_definitions
from basalt.dagster.demos import load_demos
from basalt.dagster.freshness import deadline, freshness_policy
from basalt.ledger.store import Ledger
from tests.dagster.support import DEMO_DIR, write_demo

BARS = dg.AssetKey(["demo01_ohlcv_bars", "bars_1m"])
TWO_HOURS = dt.timedelta(hours=2)


@pytest.fixture(scope="module")
def demo01():
    [demo] = load_demos(DEMO_DIR, only=["01"])
    return demo


def schedule(cron: str, *dates: str) -> ScheduleConfig:
    return ScheduleConfig(name="s", cron=cron, partitions=[{"date": d} for d in dates])


def test_the_deadline_follows_the_nightly_schedule(demo01):
    # 02:00 London requesting yesterday: due by 04:00, on the mornings after a weekday
    policy = freshness_policy(demo01)
    assert policy == dg.FreshnessPolicy.cron(
        deadline_cron="0 4 * * 2,3,4,5,6", lower_bound_delta=TWO_HOURS, timezone="Europe/London"
    )


def test_deadlines_of_other_crons():
    weekdays_only = True
    # today's date: the tick's own day; past midnight: the next day
    assert deadline(schedule("30 23 * * 1-5", "today"), weekdays_only) == (
        "30 1 * * 2,3,4,5,6",
        TWO_HOURS,
    )
    # every day kept when weekends are partitions
    assert deadline(schedule("0 2 * * *"), False) == ("0 4 * * *", TWO_HOURS)
    # a cron that cannot be moved keeps its ticks: a materialization since the previous one
    assert deadline(schedule("*/15 * * * *"), weekdays_only) == (
        "*/15 * * * *",
        dt.timedelta(minutes=15),
    )
    # only Sundays, asking for Saturday: never a partition, no deadline
    assert deadline(schedule("0 2 * * 0", "yesterday"), weekdays_only) is None
    # day names and 7 (Sunday) read as cron reads them: Monday's and Sunday's ticks ask for a
    # weekend day, so only Tuesday to Friday keep a deadline
    for days in ("1-5,7", "MON-FRI"):
        assert deadline(schedule(f"0 2 * * {days}"), weekdays_only) == (
            "0 4 * * 2,3,4,5",
            TWO_HOURS,
        )


def test_only_scheduled_demos_have_a_policy(tmp_path, demo01):
    write_demo(tmp_path, "02_unscheduled")
    write_demo(
        tmp_path,
        "03_disabled",
        yaml_text="USER_CONFIG:\n  SCHEDULES: [{name: off, cron: '0 2 * * *', enabled: false}]\n",
    )
    write_demo(
        tmp_path,
        "04_fixed",
        yaml_text="USER_CONFIG:\n  SCHEDULES: [{name: once, partitions: [{date: 2025-01-02}]}]\n",
    )
    assert [freshness_policy(d) for d in load_demos(tmp_path)] == [None, None, None]
    repo = build_definitions(demos=[demo01, *load_demos(tmp_path)]).get_repository_def()
    policies = {
        key.to_user_string(): spec.freshness_policy
        for a in repo.assets_defs_by_key.values()
        for key, spec in a.specs_by_key.items()
    }
    assert policies["demo01_ohlcv_bars/bars_1m"] == freshness_policy(demo01)
    assert [k for k, p in policies.items() if p is not None] == ["demo01_ohlcv_bars/bars_1m"]


def test_no_freshness_job_step_or_ledger_row(demo01, instance, tmp_path, monkeypatch):
    monkeypatch.setenv("BASALT_HOME", str(tmp_path / "home"))
    defs = build_definitions(demos=[demo01])
    repo = defs.get_repository_def()
    assert [j for j in repo.job_names if "fresh" in j] == []
    assert [s.name for s in repo.schedule_defs] == ["demo01_ohlcv_bars_nightly_xlon"]
    assert {k.name for k in repo.asset_graph.asset_check_keys} == {
        "not_empty",
        "unique_keys",
        "time_bucket_increasing",
        "null_rate",
        "config_is_current",
    }
    # a partition run of the demo's job runs the asset's step and the config check, nothing else
    job = defs.resolve_job_def("demo01_ohlcv_bars_job")
    result = job.execute_in_process(instance=instance, partition_key="2025-01-02|mic=XLON")
    steps = {e.step_key for e in result.all_events if e.is_step_success}
    assert steps == {"demo01_ohlcv_bars__bars_1m", "demo01_ohlcv_bars_config_is_current"}
    ledger = Ledger()
    assert [(r["start_date"], r["universe"]) for r in ledger.runs()] == [
        (dt.date(2025, 1, 2), "mic=XLON")
    ]


@pytest.mark.parametrize(
    ("later", "state"),
    [(dt.timedelta(minutes=1), FreshnessState.PASS), (dt.timedelta(days=4), FreshnessState.FAIL)],
)
def test_dagster_evaluates_the_policy(demo01, instance, later, state, monkeypatch):
    """Dagster's own evaluator (the freshness daemon's): a minute after a materialization the
    asset is fresh; four days later a deadline has passed with no materialization since its
    tick (deadlines are at most three days apart: Saturday to Tuesday)."""
    import asyncio

    from dagster._core.loader import LoadingContextForTest

    policy = freshness_policy(demo01)
    instance.report_runless_asset_event(
        dg.AssetMaterialization(BARS, partition="2025-01-02|mic=XLON")
    )
    [record] = instance.fetch_materializations(BARS, limit=1).records
    now = dt.datetime.fromtimestamp(record.timestamp, dt.timezone.utc) + later
    monkeypatch.setattr(
        "dagster._core.definitions.freshness_evaluator.get_current_datetime",
        lambda tz=None: now.astimezone(ZoneInfo(tz)) if tz else now,
    )
    node = SimpleNamespace(key=BARS, freshness_policy_or_from_metadata=policy)
    context = LoadingContextForTest(instance)
    found = asyncio.run(CronFreshnessPolicyEvaluator().evaluate_freshness(context, node))
    assert found == state
