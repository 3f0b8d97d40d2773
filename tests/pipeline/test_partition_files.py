"""One file per pass and partition: whatever the batch size, a run writes the same files as a
Dagster partition run, so reading a pass's folder never counts a row twice."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

import polars as pl
import pytest

from basalt.config import AnalyticsConfig
from basalt.dagster.demos import load_demo
from basalt.dagster.partitions import (
    DatePartition,
    PartitionRun,
    UniversePartition,
    run_partition,
)
from basalt.pipeline.batches import (
    Period,
    date_batches,
    partition_freq,
    period_of,
    whole_periods,
)
from basalt.pipeline.runner import plan_run, run
from basalt.pipeline.split import SplitError, split_by_partition
from tests.pipeline.support import DEMO_01, basalt_run, finish

D = dt.date
KEYS = ["ListingId", "TimeBucket"]


def config(data_dir: Path, out: Path, **overrides) -> AnalyticsConfig:
    base = {
        "DATASETNAME": "parts",
        "START_DATE": "2025-01-06",
        "END_DATE": "2025-01-08",
        "UNIVERSE": "mic=XLON",
        "DATA_DIR": str(data_dir),
        "OUTPUT_DIR": str(out),
        "PASSES": [
            {"name": "bars", "modules": ["trade"], "time_bucket_seconds": 300},
            {"name": "hourly", "time_bucket_seconds": 3600, "modules": ["reaggregate"]},
        ],
    }
    return AnalyticsConfig.model_validate(base | overrides)


def names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.glob("*.parquet"))


def test_partition_period_follows_batch_freq_and_batches_keep_partitions_whole(tmp_path):
    assert [partition_freq(config(tmp_path, tmp_path, BATCH_FREQ=f)) for f in (None, "D")] == [
        "D",
        "D",
    ]
    assert [partition_freq(config(tmp_path, tmp_path, BATCH_FREQ=f)) for f in ("2W", "A")] == [
        "D",
        "D",
    ]
    assert partition_freq(config(tmp_path, tmp_path, BATCH_FREQ="W")) == "W"
    assert partition_freq(config(tmp_path, tmp_path, BATCH_FREQ="M")) == "M"
    assert period_of(D(2025, 1, 8), "W") == Period(D(2025, 1, 6), D(2025, 1, 12))
    assert period_of(D(2025, 2, 8), "M") == Period(D(2025, 2, 1), D(2025, 2, 28))
    assert whole_periods(D(2025, 1, 2), D(2025, 1, 3), "W") == (D(2024, 12, 30), D(2025, 1, 5))
    # the week of Mon 27 Jan..Sun 2 Feb straddles two months: monthly batches keep it whole
    days = [D(2025, 1, 27) + dt.timedelta(days=n) for n in range(12) if n % 7 < 5]
    batches = date_batches(days, "M", "W")
    assert [b.partitions for b in batches] == [
        (Period(D(2025, 1, 27), D(2025, 2, 2)),),
        (Period(D(2025, 2, 3), D(2025, 2, 9)),),
    ]
    assert batches[0].dates[-1] == D(2025, 1, 31)


def test_split_puts_each_row_in_the_partition_of_its_bucket(tmp_path):
    p = config(tmp_path, tmp_path).PASSES[0]  # 5-minute buckets labelled by their end
    frame = pl.DataFrame(
        {
            "ListingId": [1, 1, 1, 1],
            "TimeBucket": [
                dt.datetime(2025, 1, 6, 8, 5),
                dt.datetime(2025, 1, 7, 0, 0),  # (23:55, 00:00] of the 6th
                dt.datetime(2025, 1, 11, 9, 0),  # a Saturday: no partition, goes to Friday
                dt.datetime(2025, 1, 13, 9, 0),
            ],
        }
    )
    periods = [Period(D(2025, 1, d), D(2025, 1, d)) for d in (6, 10, 13)]
    parts = split_by_partition(frame, p, periods, "D")
    assert {k.key: v.height for k, v in parts.items()} == {
        "2025-01-06": 2,
        "2025-01-10": 1,
        "2025-01-13": 1,
    }
    kept = split_by_partition(frame, p, periods, "D", keep=periods[1:2])
    assert list(kept) == periods[1:2] and kept[periods[1]].height == 1
    empty = split_by_partition(frame.head(0), p, periods, "D")
    assert all(v.height == 0 and v.columns == frame.columns for v in empty.values())
    with pytest.raises(SplitError, match="pass 'bars' has no TimeBucket column"):
        split_by_partition(frame.drop("TimeBucket"), p, periods, "D")


def test_a_big_batch_writes_one_file_per_day(data_dir, tmp_path):
    cfg = config(data_dir, tmp_path, BATCH_FREQ="2W", END_DATE="2025-01-10")
    [batch] = plan_run(cfg).batches  # the five days are computed together
    assert len(batch.dates) == 5
    outputs = run(cfg)[0].outputs
    folder = tmp_path / "parts" / "bars" / "mic=XLON"
    assert names(folder) == [f"2025-01-{d:02d}_2025-01-{d:02d}.parquet" for d in range(6, 11)]
    assert {(o.pass_name, o.start) for o in outputs} == {
        (name, D(2025, 1, d)) for name in ("bars", "hourly") for d in range(6, 11)
    }
    for o in outputs:
        frame = pl.read_parquet(o.path)
        assert frame.height == o.rows > 0
        days = (frame["TimeBucket"] - dt.timedelta(minutes=5)).dt.date().unique().to_list()
        assert days == [o.start]
    # the same days computed one by one give the same files
    daily = run(config(data_dir, tmp_path / "daily", END_DATE="2025-01-10"))
    for o in (o for r in daily for o in r.outputs):
        twin = tmp_path / o.path.relative_to(tmp_path / "daily")
        assert pl.read_parquet(o.path).equals(pl.read_parquet(twin)), o.path


def test_weekly_partitions_cover_whole_weeks(data_dir, tmp_path, caplog):
    cfg = config(data_dir, tmp_path, BATCH_FREQ="W", START_DATE="2025-01-08", END_DATE="2025-01-09")
    with caplog.at_level(logging.INFO, logger="basalt.pipeline"):
        [result] = run(cfg)
    assert "dates widened to whole partitions (W): 2025-01-06..2025-01-12" in caplog.text
    folder = tmp_path / "parts" / "bars" / "mic=XLON"
    assert names(folder) == ["2025-01-06_2025-01-12.parquet"]
    frame = pl.read_parquet(folder / "2025-01-06_2025-01-12.parquet")
    assert frame["TimeBucket"].dt.date().unique().sort().to_list() == [
        D(2025, 1, d) for d in range(6, 11)
    ]
    assert {o.start for o in result.outputs} == {D(2025, 1, 6)}


def test_skip_existing_output_works_per_partition_file(data_dir, tmp_path):
    cfg = config(data_dir, tmp_path, BATCH_FREQ="2W", SKIP_EXISTING_OUTPUT=True)
    first = {(o.pass_name, o.start): o for o in run(cfg)[0].outputs}
    before = {k: pl.read_parquet(o.path) for k, o in first.items()}
    mtimes = {k: o.path.stat().st_mtime_ns for k, o in first.items()}
    first[("bars", D(2025, 1, 7))].path.unlink()
    first[("hourly", D(2025, 1, 8))].path.unlink()
    second = {(o.pass_name, o.start): o for o in run(cfg)[0].outputs}
    redone = {k for k, o in second.items() if not o.skipped}
    assert redone == {("bars", D(2025, 1, 7)), ("hourly", D(2025, 1, 8))}
    assert all(o.reason == "exists" for o in second.values() if o.skipped)
    for key, o in second.items():
        assert pl.read_parquet(o.path).equals(before[key]), key
        if key not in redone:
            assert o.path.stat().st_mtime_ns == mtimes[key]


def test_a_long_cli_range_then_a_daily_dagster_run_count_each_row_once(data_dir, tmp_path):
    out = tmp_path / "out"
    code, stdout, err = finish(
        basalt_run(
            str(DEMO_01),
            *("--start-date", "2025-01-06", "--end-date", "2025-01-17", "--batch-freq", "2W"),
            *("--data-dir", str(data_dir), "--output-dir", str(out)),
        )
    )
    assert code == 0, err
    folder = out / "ohlcv_bars" / "bars_1m" / "mic=XLON"
    days = [D(2025, 1, 6) + dt.timedelta(days=n) for n in range(12) if n % 7 < 5]
    assert names(folder) == [f"{d}_{d}.parquet" for d in days]
    demo = load_demo(DEMO_01)
    base = demo.config.model_dump(mode="json") | {
        "DATA_DIR": str(data_dir),
        "OUTPUT_DIR": str(out),
    }
    [result] = run_partition(
        base, None, PartitionRun(UniversePartition("mic", "XLON"), DatePartition("2025-01-08"))
    )
    [written] = result.outputs
    assert written.path == folder / "2025-01-08_2025-01-08.parquet"
    assert names(folder) == [f"{d}_{d}.parquet" for d in days]
    rows = pl.scan_parquet(folder / "**" / "*.parquet")
    total = rows.select(pl.len()).collect().item()
    keys = rows.select(pl.struct(KEYS).n_unique()).collect().item()
    assert total == keys == 10 * pl.read_parquet(written.path).height


def test_an_older_layout_file_in_the_folder_is_named(data_dir, tmp_path, caplog):
    cfg = config(data_dir, tmp_path, BATCH_FREQ="2W")
    run(cfg)
    folder = tmp_path / "parts" / "bars" / "mic=XLON"
    weekly = folder / "2025-01-06_2025-01-10.parquet"  # as a batch of a week used to write
    pl.concat([pl.read_parquet(p) for p in sorted(folder.glob("*.parquet"))]).write_parquet(weekly)
    with caplog.at_level(logging.WARNING, logger="basalt.pipeline"):
        run(cfg)
    assert f"{weekly} holds 2025-01-06..2025-01-10 in one file (an older layout)" in caplog.text
    assert "counts those days twice" in caplog.text


def test_demo_date_dimension_is_the_partition_period():
    demo = load_demo(DEMO_01)
    assert demo.date_freq == partition_freq(demo.config) == "D"
    weekly = demo.config.model_copy(update={"BATCH_FREQ": "W"})
    demo.config = weekly
    assert demo.date_freq == "W"


def test_a_pass_without_a_time_column_runs_one_partition_per_batch(tmp_path, monkeypatch, caplog):
    cfg = config(tmp_path, tmp_path, BATCH_FREQ="2W", END_DATE="2025-01-10")
    assert plan_run(cfg).freq == "2W"
    monkeypatch.setattr(
        AnalyticsConfig, "pass_columns", lambda self: {"bars": ["ListingId"], "hourly": ["Index"]}
    )
    with caplog.at_level(logging.INFO, logger="basalt.pipeline"):
        plan = plan_run(cfg)
    assert plan.freq == "D" and [len(b.dates) for b in plan.batches] == [1] * 5
    assert "a pass has no TimeBucket column: one partition per batch" in caplog.text
