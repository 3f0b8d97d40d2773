"""Assets: names, partitions, a materialization equal to the command-line run, its metadata and
checks, config captured at run start, and bad input (a broken demo, a bad partition key)."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys

import dagster as dg
import polars as pl
import pytest
from polars.testing import assert_frame_equal

from basalt.dagster import assets as assets_module
from basalt.dagster.assets import (
    build_demo_assets,
    demo_partitions_def,
    partition_key,
    universe_partitions_def_name,
)
from basalt.dagster.build import build_definitions
from basalt.dagster.demos import load_demos, reload_config, sha256_text
from basalt.dagster.resources import BasaltLocations, default_resources
from tests.dagster.support import DEMO_DIR, REPO, copy_demo, write_demo

XLON_KEY = "2025-01-02|mic=XLON"


def keys_of(assets) -> set[str]:
    return {k.to_user_string() for a in assets for k in a.keys}


def materialize(assets, key, instance, **kwargs):
    kwargs.setdefault("resources", default_resources())
    return dg.materialize(assets, partition_key=key, instance=instance, **kwargs)


def metadata_of(result, asset: str) -> dict:
    [event] = [
        e
        for e in result.get_asset_materialization_events()
        if e.asset_key.to_user_string() == asset
    ]
    return {k: v.value for k, v in event.materialization.metadata.items()}


def checks_of(result) -> dict[str, bool]:
    return {
        f"{e.asset_key.to_user_string()}:{e.check_name}": e.passed
        for e in result.get_asset_check_evaluations()
    }


@pytest.fixture(scope="module")
def repo_demos():
    return {d.number: d for d in load_demos(DEMO_DIR)}


def test_every_demo_is_an_asset_or_one_per_pass(repo_demos):
    demos = list(repo_demos.values())
    assert all(d.ok for d in demos), [d.error for d in demos]
    whole = build_demo_assets(demos=demos)
    assert keys_of(whole) == {d.asset_name for d in demos}
    assert "demo01_ohlcv_bars" in keys_of(whole)
    split = build_demo_assets(True, demos=demos)
    assert {"demo05_multi_pass/bars_5m", "demo05_multi_pass/index_1h"} <= keys_of(split)
    [index] = [a for a in split if a.key.to_user_string() == "demo05_multi_pass/index_1h"]
    assert index.asset_deps[index.key] == {dg.AssetKey(["demo05_multi_pass", "bars_5m"])}
    [bars] = [a for a in whole if a.key.to_user_string() == "demo05_multi_pass"]
    assert {c.name for c in bars.check_specs} >= {"bars_5m_unique_keys", "index_1h_unique_keys"}


def test_partitions_are_dates_by_universes(repo_demos, tmp_path):
    demo = repo_demos["01"]
    pdef = demo_partitions_def(demo)
    assert [d.name for d in pdef.partitions_defs] == ["date", "universe"]
    dates = pdef.get_partitions_def_for_dimension("date")
    assert dates.timezone == "Europe/London"  # the schedule's: its today is a partition
    keys = dates.get_partition_keys()
    assert keys[:3] == ["2025-01-02", "2025-01-03", "2025-01-06"]  # no weekend
    assert demo.universe_keys[0] == "mic=XLON"  # the config's UNIVERSE first
    assert str(partition_key("2025-01-02", "mic=XLON")) == XLON_KEY
    assert pdef.get_tags_for_partition_key(XLON_KEY)["dagster/partition/universe"] == "mic=XLON"
    weekly = write_demo(tmp_path, "01_weekly", {"BATCH_FREQ": "W", "START_DATE": "2025-01-08"})
    every_day = write_demo(tmp_path, "02_daily", {"EXCLUDE_WEEKENDS": False})
    demos = {d.stem: d for d in load_demos(tmp_path)}
    week_keys = demo_partitions_def(demos[weekly.stem]).get_partitions_def_for_dimension("date")
    assert week_keys.get_partition_keys()[:2] == ["2025-01-06", "2025-01-13"]
    day_keys = demo_partitions_def(demos[every_day.stem]).get_partitions_def_for_dimension("date")
    assert day_keys.get_partition_keys()[2:4] == ["2025-01-04", "2025-01-05"]


def test_a_materialized_partition_equals_the_command_line_run(
    repo_demos, basalt_dirs, tmp_path, instance
):
    demo = repo_demos["01"]
    result = materialize(build_demo_assets(True, demos=[demo]), XLON_KEY, instance)
    assert result.success
    meta = metadata_of(result, "demo01_ohlcv_bars/bars_1m")
    cli_dir = tmp_path / "cli"
    subprocess.run(
        [sys.executable, "-m", "basalt", "run", "demo/01_ohlcv_bars.py", "--date", "2025-01-02"]
        + ["--universe", "mic=XLON", "--output-dir", str(cli_dir)],
        cwd=REPO,
        check=True,
        capture_output=True,
        env={**os.environ},
    )
    relative = "ohlcv_bars/bars_1m/mic=XLON/2025-01-02_2025-01-02.parquet"
    assert meta["output_path"] == str(basalt_dirs / relative)
    ours, theirs = pl.read_parquet(basalt_dirs / relative), pl.read_parquet(cli_dir / relative)
    assert_frame_equal(ours, theirs)
    # what every materialization records
    assert meta["dagster/row_count"] == ours.height > 0
    assert meta["columns"] == ", ".join(ours.columns)
    preview = meta["preview"].splitlines()
    assert preview[0].startswith("| ListingId | TimeBucket |") and len(preview) == 2 + 5
    assert meta["config_sha256"] == sha256_text(demo.config_json)
    assert meta["config_file"] == str(DEMO_DIR / "01_ohlcv_bars.yaml")
    assert meta["universe"] == "mic=XLON" and meta["dates"] == "2025-01-02"
    assert all(checks_of(result).values()) and len(checks_of(result)) == 4
    assert instance.get_materialized_partitions(dg.AssetKey(["demo01_ohlcv_bars", "bars_1m"])) == {
        XLON_KEY
    }


def test_checks_fail_on_a_broken_output(repo_demos, monkeypatch, instance):
    real = assets_module.run_partition

    def broken(*args, **kwargs):
        results = real(*args, **kwargs)
        path = results[0].outputs[0].path
        frame = pl.read_parquet(path)
        frame = pl.concat([frame, frame.head(2)]).with_columns(
            pl.when(pl.int_range(pl.len()) == 0)
            .then(None)
            .otherwise(pl.col("ListingId"))
            .alias("ListingId")
        )
        frame.write_parquet(path)
        return results

    monkeypatch.setattr(assets_module, "run_partition", broken)
    result = materialize(build_demo_assets(True, demos=[repo_demos["01"]]), XLON_KEY, instance)
    assert result.success  # the asset is written; its checks say what is wrong
    prefix = "demo01_ohlcv_bars/bars_1m:"
    assert checks_of(result) == {
        prefix + "not_empty": True,
        prefix + "unique_keys": False,
        prefix + "time_bucket_increasing": False,
        prefix + "null_rate": False,
    }


def test_a_yaml_saved_mid_run_does_not_change_the_run(tmp_path, monkeypatch, instance):
    script = copy_demo("05_multi_pass", tmp_path)
    [demo] = load_demos(tmp_path)
    assets = build_demo_assets(True, demos=[demo])
    first_sha = demo.config_sha256
    real = assets_module.run_partition
    calls = []

    def edit_after_first_pass(*args, **kwargs):
        results = real(*args, **kwargs)
        calls.append([o.path for r in results for o in r.outputs])
        if len(calls) == 1:  # the user saves the YAML while the run goes on
            yaml = script.with_suffix(".yaml")
            yaml.write_text(
                yaml.read_text().replace("DATASETNAME: multi_pass", "DATASETNAME: edited")
            )
            demo.config = reload_config(demo)[0]  # what a step that re-imports the code sees
        return results

    monkeypatch.setattr(assets_module, "run_partition", edit_after_first_pass)
    result = materialize(assets, XLON_KEY, instance)
    assert result.success and demo.config_sha256 != first_sha
    shas = {
        metadata_of(result, f"demo05_multi_pass/{p}")["config_sha256"]
        for p in ("bars_5m", "index_1h")
    }
    assert shas == {first_sha}
    assert all("/multi_pass/" in str(path) for paths in calls for path in paths)
    tags = instance.get_run_by_id(result.run_id).tags
    assert tags["basalt/config_sha256.demo05_multi_pass"] == first_sha
    # the next run starts with the saved file, even as a re-execution carrying the parent's tags
    copied = {k: v for k, v in tags.items() if k.startswith(".dagster/basalt_config")}
    assert copied
    again = materialize(
        assets, XLON_KEY, instance, selection=["demo05_multi_pass/bars_5m"], tags=copied
    )
    assert "/edited/" in metadata_of(again, "demo05_multi_pass/bars_5m")["output_path"]


def test_the_whole_demo_asset_records_every_pass(repo_demos, instance):
    result = materialize(build_demo_assets(demos=[repo_demos["05"]]), XLON_KEY, instance)
    meta = metadata_of(result, "demo05_multi_pass")
    assert meta["bars_5m/row_count"] > meta["index_1h/row_count"] == meta["dagster/row_count"] > 0
    assert "index_1h" in meta["output_path"] and "| bars_5m |" in meta["passes"]
    assert set(checks_of(result)) >= {"demo05_multi_pass:index_1h_unique_keys"}
    assert all(checks_of(result).values())


@pytest.mark.parametrize("day", ["2025-05-26", "2025-04-18"])  # Spring Bank Holiday, Good Friday
def test_a_venue_holiday_materializes_as_an_empty_success(
    repo_demos, instance, basalt_dirs, tmp_path, day
):
    from basalt.ledger.store import Ledger

    home = tmp_path / "home"
    resources = {"basalt_locations": BasaltLocations(home=str(home))}
    assets = build_demo_assets(True, demos=[repo_demos["01"]])
    result = materialize(assets, f"{day}|mic=XLON", instance, resources=resources)
    assert result.success
    meta = metadata_of(result, "demo01_ohlcv_bars/bars_1m")
    assert meta["no session"] == "holiday" and meta["dagster/row_count"] == 0
    assert meta["reason"].startswith("no session: holiday") and "XLON" in meta["reason"]
    assert "output_path" not in meta and not basalt_dirs.exists()  # no file written
    evaluations = result.get_asset_check_evaluations()
    assert len(evaluations) == 4 and all(e.passed for e in evaluations)
    assert all(e.metadata["skipped"].value == meta["reason"] for e in evaluations)
    assert {e.partition for e in evaluations} == {f"{day}|mic=XLON"}
    ledger = Ledger(home / "ledger.duckdb")
    run = ledger.run(result.run_id)
    assert run["status"] == "success" and str(run["start_date"]) == day
    assert ledger.assets(run_id=result.run_id) == []


def test_a_partition_key_that_does_not_parse_fails_the_run(tmp_path, instance):
    write_demo(
        tmp_path,
        "01_dynamic",
        extra="""
        from basalt.dagster.universes import ConfigUniverses

        UNIVERSES = [ConfigUniverses()]
        """,
    )
    [demo] = load_demos(tmp_path)
    assert demo.dynamic
    instance.add_dynamic_partitions(universe_partitions_def_name(demo), ["foo=bar"])
    result = materialize(
        build_demo_assets(True, demos=[demo]), "2025-01-02|foo=bar", instance, raise_on_error=False
    )
    assert not result.success
    [failure] = result.get_step_failure_events()
    message = failure.step_failure_data.error.message
    assert "demo01_dynamic: partition key '2025-01-02|foo=bar': universe does not parse" in message
    assert "unknown universe kind 'foo'" in message


def test_a_demo_whose_yaml_is_invalid_is_left_out(tmp_path, caplog):
    copy_demo("01_ohlcv_bars", tmp_path)
    bad = copy_demo("02_spreads_depth", tmp_path)
    bad.with_suffix(".yaml").write_text(
        "USER_CONFIG:\n  START_DATE: 2025-01-02\n  PASSES:\n    - name: book\n"
        "      time_bucket_seconds: -5\n"
    )
    broken = copy_demo("04_order_flow", tmp_path)
    broken.with_suffix(".yaml").write_text("USER_CONFIG:\n  START_DATE: [2025-01-02\n")
    with caplog.at_level("WARNING", logger="basalt.dagster"):
        defs = build_definitions(demo_dir=tmp_path)
    graph = defs.resolve_asset_graph()
    assert {k.to_user_string() for k in graph.get_all_asset_keys()} == {"demo01_ohlcv_bars/bars_1m"}
    errors = defs.metadata["basalt/load_errors"].value
    assert (
        f"{bad.with_suffix('.yaml')}:5:7: PASSES.0.time_bucket_seconds: must be greater than 0"
        in errors
    )
    assert f"{broken.with_suffix('.yaml')}:" in errors
    assert "demo 02_spreads_depth left out of Dagster" in caplog.text
    assert "demo 04_order_flow left out of Dagster" in caplog.text


def test_definitions_use_the_in_process_executor(repo_demos):
    defs = build_definitions(demos=list(repo_demos.values()))
    job = defs.resolve_job_def("demo01_ohlcv_bars_job")
    assert job.executor_def is dg.in_process_executor
    assert job.partitions_def == demo_partitions_def(repo_demos["01"])
    assert dt.date(2025, 1, 2).isoformat() in job.partitions_def.get_partition_keys()[0]


def test_a_demo_can_bound_null_rates(tmp_path):
    write_demo(tmp_path, "01_bounded", extra='NULL_RATE_BOUNDS = {"Trade*": 0.2}\n')
    [demo] = load_demos(tmp_path)
    assert demo.null_rate_bounds == {"Trade*": 0.2}


def test_a_demo_module_runs_in_its_demo_only(tmp_path, instance):
    """Every demo loads into one code server: demo 03's ``large_trades`` runs in demo 03's
    assets, and a demo loaded after it that lists the module is refused."""
    copy_demo("03_custom_metric", tmp_path, "01_custom_metric")  # loads first
    plain = copy_demo("01_ohlcv_bars", tmp_path, "02_ohlcv_bars")
    plain_yaml = plain.with_suffix(".yaml")
    plain_yaml.write_text(
        plain_yaml.read_text()
        + "  PASSES:\n    - name: bars_1m\n      modules: [trade, large_trades]\n"
    )
    demos = load_demos(tmp_path)
    assert [(d.stem, d.ok) for d in demos] == [("01_custom_metric", True), ("02_ohlcv_bars", False)]
    assert f"{plain_yaml}:" in demos[1].error
    assert "PASSES.0.modules.1: unknown module 'large_trades'" in demos[1].error
    assert "large_trades" in demos[0].modules and "large_trades" not in demos[1].modules
    defs = build_definitions(demos=demos)
    graph = defs.resolve_asset_graph()
    assert {k.to_user_string() for k in graph.get_all_asset_keys()} == {
        "demo01_custom_metric/large_5m"
    }
    result = materialize(build_demo_assets(True, demos=[demos[0]]), "2025-01-03|mic=XETR", instance)
    assert result.success
    meta = metadata_of(result, "demo01_custom_metric/large_5m")
    assert meta["columns"].endswith("LargeTradeCount, LargeTradeShare")
    assert meta["dagster/row_count"] > 0
