"""The code location: what ``defs`` holds, ``dagster definitions validate``, and Dagster staying
optional for the rest of ``basalt``."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

from ruamel.yaml import YAML

from tests.dagster.support import REPO

DEMO_ASSETS = {
    "demo01_ohlcv_bars/bars_1m",
    "demo02_spreads_depth/book_5m",
    "demo03_custom_metric/large_5m",
    "demo04_order_flow/flow_1m",
    "demo05_multi_pass/bars_5m",
    "demo05_multi_pass/index_1h",
    "demo06_market_state/phases_15m",
    "demo07_index_universe/bars_5m",
}


def test_defs_hold_every_demo_split_by_pass():
    from basalt.dagster.definitions import defs, load_errors

    assert load_errors == {}
    repo = defs.get_repository_def()
    assert {k.to_user_string() for k in repo.asset_graph.get_all_asset_keys()} == DEMO_ASSETS
    assert sorted(s.name for s in repo.schedule_defs) == ["demo01_ohlcv_bars_nightly_xlon"]
    assert "basalt_universe_sensor" in [s.name for s in repo.sensor_defs]
    checks = {k.name for k in repo.asset_graph.asset_check_keys}
    assert checks == {
        "not_empty",
        "unique_keys",
        "time_bucket_increasing",
        "null_rate",
        "config_is_current",
    }
    # the folders are a resource, bound here
    assert type(defs.resources["basalt_locations"]).__name__ == "BasaltLocations"
    assert "basalt_locations" in repo.get_top_level_resources()
    current = {
        k.asset_key.to_user_string()
        for k in repo.asset_graph.asset_check_keys
        if k.name == "config_is_current"
    }
    assert current == DEMO_ASSETS  # on every asset of every demo
    assert defs.metadata["basalt/load_errors"].value == "every demo loaded"


def test_workspace_and_instance_files():
    yaml = YAML(typ="safe")
    [entry] = yaml.load((REPO / "workspace.yaml").read_text())["load_from"]
    assert entry["python_module"]["module_name"] == "basalt.dagster.definitions"
    assert entry["python_module"]["location_name"] == "basalt_demos"
    instance = yaml.load((REPO / "dagster.yaml").read_text())
    assert instance["telemetry"] == {"enabled": False}
    assert instance["concurrency"]["runs"]["max_concurrent_runs"] >= 1


def test_dagster_definitions_validate_passes(tmp_path):
    home = tmp_path / "dagster_home"
    home.mkdir()
    shutil.copy(REPO / "dagster.yaml", home / "dagster.yaml")
    done = subprocess.run(
        [sys.executable, "-m", "dagster", "definitions", "validate", "-w", "workspace.yaml"],
        cwd=REPO,
        env={**os.environ, "DAGSTER_HOME": str(home)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Validation successful for code location basalt_demos" in done.stdout + done.stderr


def test_only_basalt_dagster_imports_dagster():
    pattern = re.compile(r"^\s*(import dagster|from dagster)", re.MULTILINE)
    outside = [
        path.relative_to(REPO)
        for path in (REPO / "basalt").rglob("*.py")
        if "dagster" not in path.relative_to(REPO / "basalt").parts[:1]
        and pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert outside == []
    # what a demo's UNIVERSES and the command line use loads without dagster
    code = (
        "import sys, basalt.cli, basalt.pipeline.runner, basalt.dagster, "
        "basalt.dagster.universes, basalt.dagster.partitions, basalt.dagster.demos, "
        "basalt.dagster.checks; print('dagster' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
