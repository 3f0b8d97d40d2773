"""A downstream pass reads its upstream's file for the partition; when that file is missing and
the run recomputes it, the upstream's materialization and ledger row are recorded too."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import pytest

from basalt.dagster.assets import build_demo_assets
from basalt.dagster.demos import load_demos
from basalt.dagster.resources import BasaltLocations
from basalt.ledger.store import Ledger
from tests.dagster.support import DEMO_DIR

KEY = "2025-01-02|mic=XLON"
BARS = dg.AssetKey(["demo05_multi_pass", "bars_5m"])
INDEX = dg.AssetKey(["demo05_multi_pass", "index_1h"])


@pytest.fixture(scope="module")
def assets():
    [demo] = load_demos(DEMO_DIR, only=["05"])
    return build_demo_assets(True, demos=[demo])


def materialize(assets, instance, home, selection):
    return dg.materialize(
        assets,
        partition_key=KEY,
        instance=instance,
        selection=selection,
        resources={"basalt_locations": BasaltLocations(home=str(home))},
    )


def materializations(instance, key):
    return instance.fetch_materializations(key, limit=10).records


def test_a_missing_upstream_file_is_recomputed_and_recorded(assets, instance, tmp_path):
    result = materialize(assets, instance, tmp_path, [INDEX])
    assert result.success
    [bars] = materializations(instance, BARS)
    event = bars.asset_materialization
    assert event.partition == KEY
    meta = {k: v.value for k, v in event.metadata.items()}
    assert meta["recomputed_by"] == "demo05_multi_pass/index_1h"
    assert "/bars_5m/" in meta["output_path"] and meta["dagster/row_count"] > 0
    assert instance.get_materialized_partitions(BARS) == {KEY}
    ledger = Ledger(tmp_path / "ledger.duckdb")
    rows = {r["pass_name"]: r for r in ledger.assets(run_id=result.run_id)}
    assert set(rows) == {"bars_5m", "index_1h"}
    assert rows["bars_5m"]["output_path"] == meta["output_path"]
    assert rows["bars_5m"]["partition_key"] == KEY


def test_an_existing_upstream_file_is_read_not_rewritten(assets, instance, tmp_path):
    first = materialize(assets, instance, tmp_path, [BARS])
    [event] = first.asset_materializations_for_node("demo05_multi_pass__bars_5m")
    written = event.metadata["output_path"].value
    before = Path(written).stat().st_mtime_ns
    again = materialize(assets, instance, tmp_path, [INDEX])
    assert again.success
    assert len(materializations(instance, BARS)) == 1  # nothing new for the upstream
    assert Path(written).stat().st_mtime_ns == before
    ledger = Ledger(tmp_path / "ledger.duckdb")
    assert [r["pass_name"] for r in ledger.assets(run_id=again.run_id)] == ["index_1h"]
