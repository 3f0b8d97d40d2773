"""One demo never takes down the others: each demo's definitions are built in a guard. A demo
broken in any way (invalid YAML, a check validation missed, a script that raises, assets that do
not build) keeps its last good definitions, or is left out without one; its error shows in its
assets' description, in a failing ``config_is_current`` check, in the editors' reload status
and in the runs made from the last good config."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import pytest

from basalt.config import schedules as schedule_config
from basalt.dagster import build as build_module
from basalt.dagster.build import Location, build_location
from basalt.dagster.dev import StatusPublisher
from basalt.dagster.last_good import last_good_path
from basalt.dagster.reload_status import (
    LOAD_REPORT_ENV,
    DemoLoadError,
    ReloadStatus,
    load_report_path,
    read_load_errors,
    read_status,
    report_load_errors,
)
from basalt.dagster.sensors import SENSOR_NAME
from tests.dagster.support import copy_demo

DEMOS = ("01_ohlcv_bars", "02_spreads_depth", "07_index_universe")
XLON_KEY = "2025-01-02|mic=XLON"


@dataclass(frozen=True)
class Seen:
    """What a Dagster user sees of a code location."""

    assets: frozenset[str]
    schedules: frozenset[str]
    sensors: frozenset[str]


def seen(location: Location) -> Seen:
    repo = location.defs.get_repository_def()
    return Seen(
        frozenset(k.to_user_string() for k in repo.asset_graph.get_all_asset_keys()),
        frozenset(s.name for s in repo.schedule_defs),
        frozenset(s.name for s in repo.sensor_defs),
    )


def demo_in(location: Location, stem: str):
    [demo] = [d for d in location.demos if d.stem == stem]
    return demo


def descriptions(location: Location, stem: str) -> list[str]:
    repo = location.defs.get_repository_def()
    return [
        spec.description or ""
        for assets in set(repo.assets_defs_by_key.values())
        for spec in assets.specs
        if spec.key.path[0] == "demo" + stem
    ]


def config_checks(location: Location, instance) -> dict[str, dg.AssetCheckEvaluation]:
    """Run every ``config_is_current`` check; evaluations by asset key."""
    repo = location.defs.get_repository_def()
    defs = {
        c
        for c in repo.asset_checks_defs_by_key.values()
        if any(k.name == "config_is_current" for k in c.check_keys)
    }
    result = dg.materialize(
        list(defs), instance=instance, selection=dg.AssetSelection.checks(*defs)
    )
    return {e.asset_key.to_user_string(): e for e in result.get_asset_check_evaluations()}


def snapshots() -> dict[str, str]:
    return {
        stem: last_good_path(stem).read_text() for stem in DEMOS if last_good_path(stem).exists()
    }


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    demo_dir = tmp_path / "demo"
    for stem in DEMOS:
        copy_demo(stem, demo_dir)
    return demo_dir


# --- the ways a demo breaks ---------------------------------------------------------------


def invalid_yaml(folder: Path, monkeypatch) -> tuple[str, str]:
    yaml = folder / "02_spreads_depth.yaml"
    yaml.write_text(yaml.read_text().replace("START_DATE: 2025-01-02", "START_DATE: someday"))
    return "02_spreads_depth", f"{yaml}:8:3: START_DATE: 'someday' is not a date (YYYY-MM-DD)"


def cron_validation_missed(folder: Path, monkeypatch) -> tuple[str, str]:
    """A cron Dagster refuses, accepted by validation (as ``61 2 * * *`` once was)."""
    monkeypatch.setattr(schedule_config, "check_cron", lambda value: value.strip())
    yaml = folder / "01_ohlcv_bars.yaml"
    yaml.write_text(yaml.read_text().replace('cron: "0 2 * * *"', 'cron: "61 2 * * *"'))
    return "01_ohlcv_bars", f"{yaml}:15:7: SCHEDULES.0.cron: Dagster refuses it: "


def script_raises(folder: Path, monkeypatch) -> tuple[str, str]:
    script = folder / "02_spreads_depth.py"
    script.write_text(script.read_text() + "\nraise RuntimeError('half-typed edit')\n")
    return "02_spreads_depth", f"{script}: importing the demo failed: RuntimeError: half-typed"


def assets_do_not_build(folder: Path, monkeypatch) -> tuple[str, str]:
    """A valid save whose assets raise while built (the last good config still builds)."""
    yaml = folder / "02_spreads_depth.yaml"
    yaml.write_text(yaml.read_text().replace("DATASETNAME: spreads_depth", "DATASETNAME: v2"))
    real = build_module.build_demo_assets

    def build_demo_assets(split_passes, *, demos, **kwargs):
        if demos[0].stem == "02_spreads_depth" and demos[0].config.DATASETNAME == "v2":
            raise RuntimeError("no asset for v2")
        return real(split_passes, demos=demos, **kwargs)

    monkeypatch.setattr(build_module, "build_demo_assets", build_demo_assets)
    return "02_spreads_depth", f"{yaml}:1:1: Dagster refuses it: RuntimeError: no asset for v2"


BREAKAGES = [invalid_yaml, cron_validation_missed, script_raises, assets_do_not_build]
Breakage = Callable[[Path, pytest.MonkeyPatch], tuple[str, str]]


# --- tests ----------------------------------------------------------------------------------


@pytest.mark.parametrize("breakage", BREAKAGES, ids=lambda b: b.__name__)
def test_a_broken_demo_keeps_its_last_good_definitions(
    breakage: Breakage, folder, monkeypatch, instance
):
    good = build_location(demo_dir=folder)
    assert good.load_errors == []
    kept = snapshots()
    assert set(kept) == set(DEMOS)
    assert all(e.passed for e in config_checks(good, instance).values())

    stem, error = breakage(folder, monkeypatch)
    location = build_location(demo_dir=folder)

    assert seen(location) == seen(good)  # every asset, schedule and sensor is still there
    assert snapshots() == kept  # the broken config did not become the last good one
    demo = demo_in(location, stem)
    assert demo.ok and demo.from_last_good and error in demo.last_good_error
    assert demo.config.model_dump() == demo_in(good, stem).config.model_dump()
    for others in set(DEMOS) - {stem}:
        assert not demo_in(location, others).from_last_good
    # where a Dagster user looks: the assets' description ...
    for text in descriptions(location, stem):
        assert text.startswith(f"⚠ Running the last good config of {demo.last_good_time}: ")
        assert error in text
    assert not any("⚠" in d for s in set(DEMOS) - {stem} for d in descriptions(location, s))
    # ... and the config_is_current check, failing on the broken demo only
    evaluations = config_checks(location, instance)
    assert len(evaluations) == len(seen(good).assets)
    for key, evaluation in evaluations.items():
        if key.startswith(f"demo{stem}/"):
            assert not evaluation.passed and evaluation.severity == dg.AssetCheckSeverity.ERROR
            assert error in evaluation.description
            assert error in evaluation.metadata["error"].value
        else:
            assert evaluation.passed, (key, evaluation.description)
    [load_error] = location.load_errors
    assert (load_error.demo, load_error.last_good_at) == (stem, demo.last_good_time)
    assert error in load_error.error
    assert error in location.defs.metadata["basalt/load_errors"].value


@pytest.mark.parametrize("breakage", BREAKAGES, ids=lambda b: b.__name__)
def test_without_a_last_good_config_a_broken_demo_is_left_out(
    breakage: Breakage, folder, monkeypatch
):
    stem, error = breakage(folder, monkeypatch)
    location = build_location(demo_dir=folder)

    others = [d for d in DEMOS if d != stem]
    for other in others:
        copy_demo(other, folder.parent / "others")
    expected = seen(build_location(demo_dir=folder.parent / "others"))
    assert seen(location) == expected
    assert SENSOR_NAME in expected.sensors
    assert not any(a.startswith(f"demo{stem}/") for a in expected.assets)
    demo = demo_in(location, stem)
    assert not demo.ok and error in demo.error
    assert not last_good_path(stem).exists()
    [load_error] = location.load_errors
    assert (load_error.demo, load_error.last_good_at) == (stem, None)
    assert load_error.describe().startswith(f"{stem}: left out (")


def test_the_check_fails_until_the_files_are_what_was_loaded(folder, instance):
    location = build_location(demo_dir=folder)
    yaml = folder / "01_ohlcv_bars.yaml"
    original = yaml.read_text()
    yaml.write_text(original.replace("DATASETNAME: ohlcv_bars", "DATASETNAME: renamed"))
    check = config_checks(location, instance)["demo01_ohlcv_bars/bars_1m"]
    assert not check.passed and "changed since the code location loaded" in check.description
    yaml.write_text(original)
    assert config_checks(location, instance)["demo01_ohlcv_bars/bars_1m"].passed


def test_a_run_of_a_last_good_config_says_so_in_its_tags_and_metadata(folder, instance):
    build_location(demo_dir=folder)
    yaml = folder / "01_ohlcv_bars.yaml"
    yaml.write_text(yaml.read_text().replace('cron: "0 2 * * *"', 'cron: "0 2 * *"'))
    location = build_location(demo_dir=folder)
    demo = demo_in(location, "01_ohlcv_bars")
    source = (
        f"last good of {demo.last_good_time}; YAML on disk invalid: {yaml}:15:7: SCHEDULES.0.cron"
    )
    repo = location.defs.get_repository_def()
    assets = repo.assets_defs_by_key[dg.AssetKey(["demo01_ohlcv_bars", "bars_1m"])]
    result = dg.materialize([assets], partition_key=XLON_KEY, instance=instance)
    assert result.success
    tags = instance.get_run_by_id(result.run_id).tags
    assert tags["basalt/config_source.demo01_ohlcv_bars"].startswith(source)
    [event] = result.get_asset_materialization_events()
    assert event.materialization.metadata["config_source"].value.startswith(source)


def test_the_schedule_of_a_last_good_config_says_so(folder, monkeypatch):
    build_location(demo_dir=folder)
    stem, error = cron_validation_missed(folder, monkeypatch)
    location = build_location(demo_dir=folder)
    schedule = location.defs.resolve_schedule_def("demo01_ohlcv_bars_nightly_xlon")
    assert schedule.cron_schedule == "0 2 * * *"  # the last good one
    assert schedule.description.startswith("⚠ Running the last good config of ")
    assert error in schedule.description


def test_demos_that_clash_leave_out_the_later_one(folder):
    copy_demo("02_spreads_depth", folder, "02_spreads.depth")  # the same Dagster names
    location = build_location(demo_dir=folder)
    names = [d.stem for d in location.demos if d.ok]
    assert names == ["01_ohlcv_bars", "02_spreads.depth", "07_index_universe"]
    clash = demo_in(location, "02_spreads_depth")
    assert "clashes with the other demos" in clash.error
    assert not last_good_path("02_spreads_depth").exists()


# --- the editors' reload status -------------------------------------------------------------


def test_the_status_names_each_demo_not_loaded_from_its_files():
    status = ReloadStatus(
        "reloaded",
        3000,
        demo="02_spreads_depth",
        seconds=2.4,
        load_errors=[
            DemoLoadError("01_ohlcv_bars", "a.yaml:15:7: SCHEDULES.0.cron: bad\nmore", "T"),
            DemoLoadError("04_order_flow", "b.yaml:2:3: START_DATE: bad"),
        ],
    )
    assert status.describe() == (
        "Dagster: reloaded in 2.4 s (02_spreads_depth); "
        "01_ohlcv_bars: running last good (a.yaml:15:7: SCHEDULES.0.cron: bad; more); "
        "04_order_flow: left out (b.yaml:2:3: START_DATE: bad)"
    )


def test_the_code_location_reports_its_load_errors_to_the_status(tmp_path, monkeypatch):
    report = load_report_path(3999)
    errors = [DemoLoadError("01_ohlcv_bars", "a.yaml:15:7: SCHEDULES.0.cron: bad", "T")]
    report_load_errors(errors)  # not asked: nothing written
    assert read_load_errors(report) is None
    monkeypatch.setenv(LOAD_REPORT_ENV, str(report))
    report_load_errors(errors)
    assert read_load_errors(report) == errors

    publisher = StatusPublisher("127.0.0.1", 3999, report)
    publisher.publish("reloaded", "02_spreads_depth", seconds=1.0)
    status = read_status(port=3999)
    assert status is not None and status.load_errors == errors
    assert "01_ohlcv_bars: running last good (a.yaml:15:7: SCHEDULES.0.cron: bad)" in (
        status.describe()
    )
    publisher.publish("reloading", "02_spreads_depth")  # not loaded yet: none shown
    assert read_status(port=3999).load_errors == []
