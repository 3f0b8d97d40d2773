"""Runs: outputs, batching, failures that leave nothing half-written, and bad input."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import polars as pl
import pytest

from basalt.config import AnalyticsConfig
from basalt.data.store import MarketDataStore
from basalt.pipeline.batches import choose_freq, date_batches, listing_batches
from basalt.pipeline.runner import RunError, plan_run, run

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "bmll_sample"
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("store")


def config(data_dir: Path, out: Path, **overrides) -> AnalyticsConfig:
    base = {
        "START_DATE": "2025-01-02",
        "UNIVERSE": "mic=XLON",
        "DATA_DIR": str(data_dir),
        "OUTPUT_DIR": str(out),
        "PASSES": [{"name": "bars", "modules": ["trade"]}],
    }
    return AnalyticsConfig.model_validate(base | overrides)


def test_date_batches_follow_the_frequency():
    days = [dt.date(2025, 1, d) for d in (2, 3, 6, 7, 8, 13, 31)]
    assert [len(b.dates) for b in date_batches(days, "D")] == [1] * 7
    assert [str(b) for b in date_batches(days, "W")] == [
        "2025-01-02..2025-01-03",
        "2025-01-06..2025-01-08",
        "2025-01-13",
        "2025-01-31",
    ]
    assert len(date_batches(days, "M")) == 1
    assert choose_freq(dt.date(2025, 1, 1), dt.date(2025, 1, 5)) == "D"
    assert choose_freq(dt.date(2025, 1, 1), dt.date(2025, 6, 1)) == "W"


def test_listing_batches_keep_rows_under_the_limit():
    batches = listing_batches(list(range(10)), rows=1_000, max_rows=250)
    assert [len(b) for b in batches] == [2, 2, 2, 2, 2]
    assert sorted(i for b in batches for i in b) == list(range(10))
    assert listing_batches([1, 2], rows=10, max_rows=1_000_000) == [[1, 2]]


def test_dense_run_writes_every_session_bucket(data_dir, tmp_path):
    [batch] = run(config(data_dir, tmp_path))
    [out] = batch.outputs
    frame = pl.read_parquet(out.path)
    assert out.path == tmp_path / "basalt" / "bars" / "mic=XLON" / "2025-01-02_2025-01-02.parquet"
    listings = frame["ListingId"].n_unique()
    assert listings == 6
    # XLON continuous 08:00-16:30 London = UTC in January: 510 one-minute buckets
    assert frame.height == listings * 510
    assert frame["TimeBucket"].min() == dt.datetime(2025, 1, 2, 8, 1)
    assert frame["TimeBucket"].max() == dt.datetime(2025, 1, 2, 16, 30)
    assert frame.columns == config(data_dir, tmp_path).pass_columns()["bars"]
    assert frame.filter(pl.col("TradeTotalVolume").is_not_null()).height > frame.height // 2


def test_sparse_run_has_only_buckets_with_trades(data_dir, tmp_path):
    cfg = config(
        data_dir,
        tmp_path,
        PASSES=[{"name": "bars", "modules": ["trade"], "timeline_mode": "sparse"}],
    )
    frame = pl.read_parquet(run(cfg)[0].outputs[0].path)
    assert frame["TradeTotalCount"].min() >= 1


def test_skip_existing_output_skips_and_reuses(data_dir, tmp_path):
    cfg = config(
        data_dir,
        tmp_path,
        SKIP_EXISTING_OUTPUT=True,
        PASSES=[
            {"name": "bars", "modules": ["trade"]},
            {"name": "hourly", "time_bucket_seconds": 3600, "modules": ["reaggregate"]},
        ],
    )
    first = run(cfg)[0].outputs
    mtime = first[0].path.stat().st_mtime_ns
    second = run(cfg)[0].outputs
    assert [o.skipped for o in second] == [True, True]
    assert first[0].path.stat().st_mtime_ns == mtime


def test_multi_pass_reaggregation_matches_a_direct_hourly_pass(data_dir, tmp_path):
    cfg = config(
        data_dir,
        tmp_path,
        PASSES=[
            {
                "name": "m5",
                "time_bucket_seconds": 300,
                "modules": ["trade"],
                "timeline_mode": "sparse",
            },
            {"name": "h1", "time_bucket_seconds": 3600, "modules": ["reaggregate"]},
            {
                "name": "direct",
                "time_bucket_seconds": 3600,
                "modules": ["trade"],
                "timeline_mode": "sparse",
            },
        ],
    )
    outputs = {o.pass_name: pl.read_parquet(o.path) for o in run(cfg)[0].outputs}
    keys = ["ListingId", "TimeBucket"]
    joined = outputs["h1"].join(outputs["direct"], on=keys, suffix="_d")
    assert joined.height == outputs["direct"].height
    for col in [
        "TradeTotalOpen",
        "TradeTotalHigh",
        "TradeTotalLow",
        "TradeTotalClose",
        "TradeTotalVolume",
        "TradeTotalCount",
    ]:
        assert (joined[col] == joined[f"{col}_d"]).all(), col
    assert ((joined["TradeTotalVWAP"] - joined["TradeTotalVWAP_d"]).abs() < 1e-9).all()


def test_failed_batch_names_pass_dates_listings_and_writes_nothing(data_dir, tmp_path, monkeypatch):
    from basalt.analytics import trade

    def boom(config, inputs):
        raise ValueError("synthetic failure")

    monkeypatch.setattr(trade.TradeAnalytic, "compute", lambda self, c, i: boom(c, i))
    with pytest.raises(RunError) as err:
        run(config(data_dir, tmp_path))
    message = str(err.value)
    assert "pass 'bars'" in message and "2025-01-02" in message and "listings 10" in message
    assert "synthetic failure" in message
    assert list(tmp_path.rglob("*")) == []


def test_unwritable_output_is_a_clear_error_and_no_partial_file(data_dir, tmp_path, monkeypatch):
    def refuse(src, dst, *a, **k):
        raise PermissionError(13, "Permission denied", str(dst))

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(RunError, match="cannot write .*Permission denied"):
        run(config(data_dir, tmp_path))
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


def test_no_trading_day_and_empty_universe_are_errors(data_dir, tmp_path):
    with pytest.raises(RunError, match="no trading day"):
        plan_run(config(data_dir, tmp_path, START_DATE="2025-01-04", END_DATE="2025-01-05"))
    with pytest.raises(RunError, match="no listings"):
        run(config(data_dir, tmp_path, UNIVERSE="index=NOSUCH"))


def test_corrupt_parquet_is_named(data_dir, tmp_path):
    store_dir = tmp_path / "store"
    shutil.copytree(data_dir, store_dir)
    victim = MarketDataStore(store_dir).path("trades", "2025-01-02", "XLON")
    victim.write_bytes(b"not parquet at all")
    cfg = config(store_dir, tmp_path / "out")
    with pytest.raises(Exception) as err:
        run(cfg)
    assert str(victim) in str(err.value)


def test_real_format_fixture_runs_end_to_end(tmp_path):
    store = MarketDataStore(tmp_path / "store", generate_missing=False)
    for table, name in [
        ("trades", "trades-plus"),
        ("l2", "l2"),
        ("l3", "l3"),
        ("marketstate", "market-state"),
        ("reference", "reference"),
    ]:
        store.import_file(table, FIXTURES / f"{name}.parquet", mic="XLON")
    cfg = AnalyticsConfig.model_validate(
        {
            "START_DATE": "2026-01-02",
            "UNIVERSE": "mic=XLON",
            "DATA_DIR": str(store.root),
            "OUTPUT_DIR": str(tmp_path / "out"),
            "GENERATE_MISSING_DATA": False,
            "PASSES": [
                {
                    "name": "bars_1m",
                    "modules": ["trade", "l2", "l3", "execution", "marketstate"],
                    "timeline_mode": "sparse",
                }
            ],
        }
    )
    frame = pl.read_parquet(run(cfg)[0].outputs[0].path)
    trades = pl.read_parquet(FIXTURES / "trades-plus.parquet").filter(
        pl.col("Classification") == "LIT_CONTINUOUS"
    )
    assert frame["Ticker"].unique().to_list() == ["VOD"]
    assert frame["TradeTotalVolume"].sum() == pytest.approx(trades["Size"].sum())
    assert frame["TradeTotalCount"].sum() == trades.height


def test_killed_run_leaves_only_complete_outputs(tmp_path, data_dir):
    out = tmp_path / "out"
    env = os.environ | {"BASALT_DATA_DIR": str(data_dir), "BASALT_OUTPUT_DIR": str(out)}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "basalt",
            "run",
            str(REPO / "demo" / "01_ohlcv_bars.py"),
            "--start-date",
            "2025-01-06",
            "--end-date",
            "2025-01-17",
            "--universe",
            "all",
        ],
        env=env,
        cwd=tmp_path,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not list(out.rglob("*.parquet")):
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    written = list(out.rglob("*.parquet"))
    assert written, "the run should have written some output before it was killed"
    for path in written:
        assert pl.read_parquet(path).height > 0  # every visible output is complete
