"""Data checks per partition: two partitions materialized on one instance keep a result each,
so a failure in one does not hide behind the other's later success (or the reverse)."""

from __future__ import annotations

import dagster as dg
import polars as pl

from basalt.dagster import assets as assets_module
from basalt.dagster.assets import build_demo_assets, demo_partitions_def
from basalt.dagster.demos import load_demos
from basalt.dagster.resources import default_resources
from tests.dagster.support import DEMO_DIR

BARS = dg.AssetKey(["demo01_ohlcv_bars", "bars_1m"])
GOOD = "2025-01-02|mic=XLON"
BROKEN = "2025-01-03|mic=XLON"


def test_each_partition_keeps_its_check_results(monkeypatch, instance):
    [demo] = load_demos(DEMO_DIR, only=["01"])
    real = assets_module.run_partition

    def duplicate_rows_on_jan_3(*args, **kwargs):
        results = real(*args, **kwargs)
        path = results[0].outputs[0].path
        if "2025-01-03" in path.name:
            frame = pl.read_parquet(path)
            pl.concat([frame, frame.head(2)]).write_parquet(path)
        return results

    monkeypatch.setattr(assets_module, "run_partition", duplicate_rows_on_jan_3)
    assets = build_demo_assets(True, demos=[demo])
    [bars] = assets
    spec = next(iter(bars.check_specs))
    assert spec.partitions_def == demo_partitions_def(demo)  # the asset's partitions
    for key in (BROKEN, GOOD):  # the good one last: it must not hide the broken one
        result = dg.materialize(
            assets, partition_key=key, instance=instance, resources=default_resources()
        )
        assert result.success
        assert {e.partition for e in result.get_asset_check_evaluations()} == {key}

    storage = instance.event_log_storage
    unique = dg.AssetCheckKey(BARS, "unique_keys")
    history = storage.get_asset_check_execution_history(unique, limit=10)
    by_partition = {r.partition: r.event.dagster_event.event_specific_data.passed for r in history}
    assert by_partition == {GOOD: True, BROKEN: False}
    # the partition status Dagster shows: one entry per partition and check
    infos = storage.get_asset_check_partition_info([unique])
    assert {info.partition_key: info.latest_execution_status.value for info in infos} == {
        GOOD: "SUCCEEDED",
        BROKEN: "FAILED",
    }
