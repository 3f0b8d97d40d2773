"""Partitions: specs, date ranges, keys, the cross product, and running one partition."""

from __future__ import annotations

import datetime as dt
import os

import polars as pl
import pytest

from basalt.dagster.partitions import (
    DatePartition,
    PartitionKeyError,
    PartitionRun,
    PartitionRunError,
    UniversePartition,
    build_partition_runs,
    date_partition,
    parse_partition_key,
    parse_universe_spec,
    run_partition,
)
from basalt.universes import UniverseSpecError

D2 = dt.date(2025, 1, 2)
BASE = {
    "DATASETNAME": "part_test",
    "START_DATE": "2024-06-03",
    "UNIVERSE": "all",
    "PASSES": [{"name": "bars", "modules": ["trade"], "time_bucket_seconds": 300}],
}


def test_universe_partition_spec_and_parse():
    assert UniversePartition("mic", "XLON").spec == "mic=XLON"
    assert UniversePartition("all").spec == "all"
    assert str(UniversePartition("custom", "watchlist")) == "custom=watchlist"
    assert parse_universe_spec("mic=XLON") == UniversePartition("mic", "XLON")
    both = parse_universe_spec(" mic=XLON + index=SYN10 ")
    assert both.spec == "mic=XLON+index=SYN10" and both.kinds == ("mic", "index")
    with pytest.raises(UniverseSpecError, match="unknown universe kind 'mac'.*did you mean 'mic'"):
        parse_universe_spec("mac=XLON")
    # the function behind a custom universe does not change the key
    assert UniversePartition("custom", None, lambda d: None) == UniversePartition("custom")


def test_date_partition_day_range_and_errors():
    day = DatePartition("2025-01-02")
    assert (day.start_date, day.end_date, day.key, str(day)) == (D2, D2, "2025-01-02", "2025-01-02")
    week = date_partition("2025-01-06", "W")
    assert (week.start_date, week.end_date, str(week)) == (
        dt.date(2025, 1, 6),
        dt.date(2025, 1, 12),
        "2025-01-06..2025-01-12",
    )
    assert date_partition("2025-02-01", "M").end_date == dt.date(2025, 2, 28)
    with pytest.raises(PartitionKeyError, match="ends before it starts"):
        DatePartition("2025-01-03", "2025-01-02")
    with pytest.raises(PartitionKeyError, match="'2025-13-01' is not a date"):
        DatePartition("2025-13-01")


def test_partition_runs_are_the_cross_product():
    runs = build_partition_runs(
        ["mic=XLON", UniversePartition("index", "SYN10")], [D2, "2025-01-03"]
    )
    assert [r.key for r in runs] == [
        "2025-01-02|mic=XLON",
        "2025-01-03|mic=XLON",
        "2025-01-02|index=SYN10",
        "2025-01-03|index=SYN10",
    ]
    assert runs[0].overrides() == {
        "START_DATE": "2025-01-02",
        "END_DATE": "2025-01-02",
        "UNIVERSE": "mic=XLON",
    }


def test_partition_keys_parse_or_say_why():
    run = parse_partition_key("2025-01-02|mic=XLON")
    assert run == PartitionRun(UniversePartition("mic", "XLON"), DatePartition(D2))
    assert parse_partition_key({"date": "2025-01-06", "universe": "all"}, "W").dates.end_date == (
        dt.date(2025, 1, 12)
    )
    assert parse_partition_key("mic=XLON|2025-01-02") == run  # dimension order tolerated
    with pytest.raises(PartitionKeyError, match="expected DATE\\|UNIVERSE"):
        parse_partition_key("2025-01-02")
    with pytest.raises(PartitionKeyError, match="universe does not parse: unknown universe kind"):
        parse_partition_key("2025-01-02|foo=bar")
    with pytest.raises(PartitionKeyError, match="'2025-02-30' is not a date"):
        parse_partition_key("2025-02-30|mic=XLON")


def test_run_partition_runs_the_universe_and_dates(basalt_dirs):
    seen = []
    partition = PartitionRun(UniversePartition("mic", "XLON"), DatePartition(D2))
    results = run_partition(BASE, None, partition, on_result=lambda p, c: seen.append((p, c)))
    [output] = [o for r in results for o in r.outputs]
    assert output.path == basalt_dirs / "part_test/bars/mic=XLON/2025-01-02_2025-01-02.parquet"
    frame = pl.read_parquet(output.path)
    assert frame.height == output.rows > 0 and set(frame["MIC"]) == {"XLON"}
    [(got, config)] = seen
    assert got is partition
    assert (config.UNIVERSE, config.START_DATE, config.end_date) == ("mic=XLON", D2, D2)


def test_run_partition_errors_name_the_problem():
    custom = PartitionRun(UniversePartition("custom"), DatePartition(D2))
    with pytest.raises(PartitionRunError, match="defines no get_universe"):
        run_partition(BASE, None, custom)
    bad = {**BASE, "PASSES": [{"name": "bars", "time_bucket_seconds": -1}]}
    with pytest.raises(PartitionRunError, match="PASSES.0.time_bucket_seconds"):
        run_partition(bad, None, PartitionRun(UniversePartition("mic", "XLON"), DatePartition(D2)))


def test_run_partition_uses_the_config_folders_and_leaves_the_environment(basalt_dirs, tmp_path):
    out = tmp_path / "config_out"
    before = dict(os.environ)
    partition = PartitionRun(UniversePartition("mic", "XLON"), DatePartition(D2))
    [result] = run_partition({**BASE, "OUTPUT_DIR": str(out)}, None, partition)
    assert dict(os.environ) == before
    [output] = result.outputs
    assert output.path == out / "part_test/bars/mic=XLON/2025-01-02_2025-01-02.parquet"
    assert not basalt_dirs.exists()  # the environment's folder was not used


def test_reuse_outputs_reads_each_partition_file_it_finds(basalt_dirs):
    passes = [
        {"name": "bars", "modules": ["trade"], "time_bucket_seconds": 300},
        {"name": "hourly", "modules": ["reaggregate"], "time_bucket_seconds": 3600},
    ]
    weekly = {**BASE, "BATCH_FREQ": "W", "PASSES": passes}
    week = PartitionRun(UniversePartition("mic", "XLON"), date_partition("2025-01-06", "W"))
    [first] = run_partition(weekly, None, week)
    files = {o.pass_name: o.path for o in first.outputs}
    assert files["bars"].name == "2025-01-06_2025-01-12.parquet"
    bars_mtime = files["bars"].stat().st_mtime_ns
    before = pl.read_parquet(files["hourly"])
    [again] = run_partition(weekly, None, week, reuse_outputs=["bars"])
    by_pass = {o.pass_name: o for o in again.outputs}
    assert by_pass["bars"].skipped and not by_pass["hourly"].skipped
    assert files["bars"].stat().st_mtime_ns == bars_mtime  # read, not rewritten
    assert pl.read_parquet(files["hourly"]).equals(before)
