"""The health view's summary: coverage as a percent, a demo never run on one line without a
heat map, a demo that ran with its heat map folded."""

from __future__ import annotations

import datetime as dt

import pytest
from nicegui import ui

from config_ui.core.health import DemoCoverage
from config_ui.web.health_view import STATUS_COLORS, coverage_percent, never_ran

pytestmark = [pytest.mark.anyio, pytest.mark.nicegui_main_file("tests/config_ui/web/web_main.py")]

DAY = dt.date(2025, 1, 2)
NEXT = dt.date(2025, 1, 3)


def coverage(done: dict) -> DemoCoverage:
    return DemoCoverage(
        "01_ohlcv_bars",
        passes=["bars"],
        universes=["mic=XLON", "mic=XAMS"],
        days=[DAY, NEXT],
        done=done,
        expected={("mic=XLON", DAY), ("mic=XLON", NEXT), ("mic=XAMS", DAY), ("mic=XAMS", NEXT)},
    )


def test_percent_counts_partitions_with_every_pass() -> None:
    assert coverage({}).missing == 4 and coverage_percent(coverage({})) == 0
    one = coverage({("mic=XLON", DAY): 1, ("mic=XLON", NEXT): 0})
    assert coverage_percent(one) == 25
    every = coverage({key: 1 for key in coverage({}).expected})
    assert coverage_percent(every) == 100
    assert coverage_percent(DemoCoverage("empty")) == 0


def test_never_ran_needs_no_partition_and_no_recent_run() -> None:
    assert never_ran(coverage({}), [])
    assert not never_ran(coverage({}), [{"demo": "01_ohlcv_bars", "status": "failed"}])
    assert not never_ran(coverage({("mic=XLON", DAY): 1}), [])
    assert never_ran(coverage({}), [{"demo": "02_other", "status": "success"}])


def test_every_ledger_status_has_a_colour() -> None:
    from basalt.ledger.schema import STATUSES

    assert set(STATUSES) <= set(STATUS_COLORS)


async def test_demos_never_run_take_one_line_each_and_no_heat_map(user, tab) -> None:
    await user.open("/")
    tab.click("open-health")
    await user.should_see(marker="health-never-run", retries=100)
    await user.should_see(marker="health-no-runs")
    with user:
        lines = [
            e
            for e in user.find(marker="health-never-run").elements.pop().descendants()
            if isinstance(e, ui.label)
        ]
        charts = [e for e in user.current_layout.descendants() if isinstance(e, ui.echart)]
    assert len(lines) == len(tab.ctrl.project.demos()) >= 7
    assert all(line.props.get("data-never-run") == "true" for line in lines)
    assert lines[0].text.startswith("01_ohlcv_bars: 0 of") and lines[0].text.endswith("never run")
    assert charts == []
