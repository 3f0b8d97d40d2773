"""Venue holidays in the runner: a day none of the universe's venues trades is left out, and a
run with no other day is a :class:`NoSession`, not a failure."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

import polars as pl
import pytest

from basalt.config import AnalyticsConfig
from basalt.data.store import MarketDataStore
from basalt.pipeline.runner import NoSession, RunError, plan_run, run
from basalt.pipeline.trading_days import closed_reason, session_days
from tests.pipeline.support import DEMO_01, basalt_run, finish

D = dt.date
SPRING_BANK_HOLIDAY = D(2025, 5, 26)  # London closed, Paris, Frankfurt and Amsterdam open


def config(data_dir: Path, out: Path, **overrides) -> AnalyticsConfig:
    base = {
        "DATASETNAME": "holidays",
        "START_DATE": "2025-05-26",
        "UNIVERSE": "mic=XLON",
        "DATA_DIR": str(data_dir),
        "OUTPUT_DIR": str(out),
        "PASSES": [{"name": "bars", "modules": ["trade"], "time_bucket_seconds": 300}],
    }
    return AnalyticsConfig.model_validate(base | overrides)


def test_closed_reason_names_the_venues_and_the_holiday():
    reason = closed_reason(["XLON"], SPRING_BANK_HOLIDAY)
    assert reason is not None and reason.startswith("no session: holiday (XLON")
    assert closed_reason(["XLON", "XPAR"], SPRING_BANK_HOLIDAY) is None  # Paris trades
    assert closed_reason(["XLON", "XPAR"], D(2025, 5, 24)) == "no session: weekend"
    christmas = closed_reason(["XPAR", "XLON"], D(2025, 12, 25))
    assert christmas is not None and "XLON" in christmas and "XPAR" in christmas


def test_session_days_follow_the_universe_venues(tmp_path):
    store = MarketDataStore(tmp_path / "store")
    days, closed = session_days("mic=XLON", D(2025, 5, 23), D(2025, 5, 27), store)
    assert days == [D(2025, 5, 23), D(2025, 5, 27)]
    assert closed[SPRING_BANK_HOLIDAY].startswith("no session: holiday (XLON")
    assert closed[D(2025, 5, 24)] == "no session: weekend"
    # an index spans venues: closed only when all of them are
    days, _ = session_days("index=SYN20", D(2025, 5, 26), D(2025, 5, 26), store)
    assert days == [SPRING_BANK_HOLIDAY]
    days, _ = session_days("mic=XLON+index=SYN10", D(2025, 5, 26), D(2025, 5, 26), store)
    assert days == []


def test_a_holiday_run_raises_no_session(data_dir, tmp_path):
    with pytest.raises(NoSession) as err:
        plan_run(config(data_dir, tmp_path))
    assert isinstance(err.value, RunError)
    assert err.value.reason.startswith("no session: holiday (XLON")
    assert str(err.value).startswith("no trading day for universe 'mic=XLON' on 2025-05-26: ")
    with pytest.raises(NoSession, match="no session: weekend"):
        plan_run(config(data_dir, tmp_path, START_DATE="2025-05-24", END_DATE="2025-05-25"))
    assert not tmp_path.joinpath("holidays").exists()


def test_a_range_skips_the_holiday_and_says_so(data_dir, tmp_path, caplog):
    cfg = config(data_dir, tmp_path, START_DATE="2025-05-23", END_DATE="2025-05-27")
    with caplog.at_level(logging.INFO, logger="basalt.pipeline"):
        outputs = [o for r in run(cfg) for o in r.outputs]
    assert sorted(o.path.name for o in outputs) == [
        "2025-05-23_2025-05-23.parquet",
        "2025-05-27_2025-05-27.parquet",
    ]
    assert all(o.rows > 0 for o in outputs)
    assert "2025-05-26 skipped: no session: holiday (XLON" in caplog.text


def test_an_index_runs_on_a_london_holiday_without_its_london_members(data_dir, tmp_path):
    [result] = run(config(data_dir, tmp_path, UNIVERSE="index=SYN20"))
    [out] = result.outputs
    frame = pl.read_parquet(out.path)
    assert frame.height > 0
    assert "XLON" not in frame["MIC"].unique().to_list()


def test_the_command_line_says_one_line_and_exits_0_on_a_holiday(data_dir, tmp_path):
    code, out, err = finish(
        basalt_run(
            str(DEMO_01),
            *("--date", "2025-05-26", "--data-dir", str(data_dir)),
            *("--output-dir", str(tmp_path / "out")),
        )
    )
    assert code == 0, err
    [line] = out.splitlines()
    assert line.startswith("no trading day for universe 'mic=XLON' on 2025-05-26: ")
    assert "no session: holiday (XLON" in line and line.endswith("; nothing to run")
    assert "Traceback" not in err
    assert not (tmp_path / "out").exists()
