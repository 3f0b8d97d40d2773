"""The last good config of each demo: kept once its definitions are built, used when its YAML
goes bad, so a reload caused by another demo keeps this one's last good definitions."""

from __future__ import annotations

import os

from basalt.config.fingerprint import config_json
from basalt.dagster.build import build_definitions, build_location
from basalt.dagster.demos import load_demo, load_demos
from basalt.dagster.last_good import last_good_path
from basalt.home import basalt_home
from tests.dagster.support import copy_demo

BAD_CRON = 'cron: "0 2 * *"'


def break_cron(script):
    yaml = script.with_suffix(".yaml")
    yaml.write_text(yaml.read_text().replace('cron: "0 2 * * *"', BAD_CRON))
    return yaml


def built(script):
    """The demo as the code location loads it (which keeps its last good config)."""
    [demo] = [d for d in build_location(demo_dir=script.parent).demos if d.stem == script.stem]
    return demo


def test_a_demo_that_builds_leaves_its_config_as_canonical_json(tmp_path):
    script = copy_demo("01_ohlcv_bars", tmp_path)
    load_demo(script)
    snapshot = last_good_path("01_ohlcv_bars")
    assert not snapshot.exists()  # loading alone keeps nothing: building does
    demo = built(script)
    assert demo.ok and not demo.from_last_good
    assert snapshot == basalt_home() / "last_good" / "01_ohlcv_bars.json"
    assert snapshot.read_text() == config_json(demo.config)
    assert not list(snapshot.parent.glob(".*.tmp"))


def test_an_invalid_yaml_loads_the_last_good_config_with_a_warning(tmp_path):
    script = copy_demo("01_ohlcv_bars", tmp_path)
    good = built(script)
    yaml = break_cron(script)
    demo = load_demo(script)
    assert demo.ok and demo.from_last_good
    assert demo.config == good.config
    assert demo.config.SCHEDULES[0].cron == "0 2 * * *"
    assert demo.module is not None and callable(demo.get_universe)
    assert demo.universe_keys == good.universe_keys
    [warning] = demo.warnings
    assert warning.startswith(f"using the last good config: {yaml}:15:7: SCHEDULES.0.cron")
    assert demo.last_good_error in warning
    # What a validation before a reload sees: the files as they are.
    strict = load_demo(script, last_good=False)
    assert not strict.ok and strict.error.startswith(f"{yaml}:15:7: SCHEDULES.0.cron")


def test_the_snapshot_is_not_overwritten_by_a_fallback_and_follows_good_saves(tmp_path):
    script = copy_demo("01_ohlcv_bars", tmp_path)
    built(script)
    snapshot = last_good_path("01_ohlcv_bars")
    before = snapshot.read_text()
    yaml = break_cron(script)
    assert built(script).from_last_good
    assert snapshot.read_text() == before
    yaml.write_text(yaml.read_text().replace(BAD_CRON, 'cron: "30 3 * * *"'))
    assert built(script).config.SCHEDULES[0].cron == "30 3 * * *"
    assert '"cron":"30 3 * * *"' in snapshot.read_text()


def test_a_reload_keeps_the_last_good_definitions_of_a_broken_demo(tmp_path):
    copy_demo("01_ohlcv_bars", tmp_path)
    copy_demo("02_spreads_depth", tmp_path)
    first = build_definitions(demo_dir=tmp_path)
    keys = {k.to_user_string() for k in first.resolve_asset_graph().get_all_asset_keys()}
    yaml = break_cron(tmp_path / "01_ohlcv_bars.py")
    again = build_definitions(demo_dir=tmp_path)  # as a reload caused by demo 02 would
    graph = again.resolve_asset_graph()
    assert {k.to_user_string() for k in graph.get_all_asset_keys()} == keys
    schedule = again.resolve_schedule_def("demo01_ohlcv_bars_nightly_xlon")
    assert schedule.cron_schedule == "0 2 * * *"
    errors = again.metadata["basalt/load_errors"].value
    assert f"`01_ohlcv_bars` (loaded): using the last good config: {yaml}:15:7:" in errors


def test_without_a_snapshot_an_invalid_demo_is_left_out(tmp_path):
    script = copy_demo("01_ohlcv_bars", tmp_path)
    break_cron(script)
    assert not last_good_path("01_ohlcv_bars").exists()  # this test's own BASALT_HOME
    demo = load_demo(script)
    assert not demo.ok and not demo.from_last_good
    assert "SCHEDULES.0.cron" in demo.error


def test_a_snapshot_that_no_longer_validates_is_not_used(tmp_path, caplog):
    script = copy_demo("01_ohlcv_bars", tmp_path)
    built(script)
    snapshot = last_good_path("01_ohlcv_bars")
    snapshot.write_text(snapshot.read_text().replace('"PASSES":[', '"PASSES":"nope","X":['))
    break_cron(script)
    with caplog.at_level("WARNING", logger="basalt.dagster"):
        [demo] = load_demos(tmp_path)
    assert not demo.ok and "SCHEDULES.0.cron" in demo.error
    assert f"last good config {snapshot} no longer validates" in caplog.text


def test_an_unwritable_home_does_not_stop_a_demo_loading(tmp_path, monkeypatch, caplog):
    home = tmp_path / "home"
    home.mkdir()
    (home / "last_good").write_text("a file where the folder should be")
    monkeypatch.setenv("BASALT_HOME", str(home))
    with caplog.at_level("WARNING", logger="basalt.dagster"):
        demo = built(copy_demo("01_ohlcv_bars", tmp_path / "demo"))
    assert demo.ok
    assert "cannot keep the last good config of 01_ohlcv_bars" in caplog.text
    assert os.path.isfile(home / "last_good")


def test_a_script_that_no_longer_imports_still_serves_the_last_good_config(tmp_path):
    script = copy_demo("01_ohlcv_bars", tmp_path)
    good = built(script)
    yaml = break_cron(script)
    script.write_text(script.read_text() + "\nraise RuntimeError('half-typed edit')\n")
    demo = load_demo(script)
    assert demo.ok and demo.from_last_good and demo.module is None
    assert demo.config == good.config
    assert demo.warnings[0].startswith(f"using the last good config: {yaml}:15:7:")
    assert "importing the demo failed: RuntimeError: half-typed edit" in demo.warnings[1]
    assert "default universes, no get_universe" in demo.warnings[1]


def test_a_demo_module_comes_back_with_its_last_good_config(tmp_path):
    """The snapshot of demo 03 validates with demo 03's own module, imported again."""
    script = copy_demo("03_custom_metric", tmp_path)
    built(script)
    yaml = script.with_suffix(".yaml")
    yaml.write_text(yaml.read_text().replace("time_bucket_seconds: 300", "time_bucket_seconds: -5"))
    demo = load_demo(script)
    assert demo.ok and demo.from_last_good
    assert demo.config.PASSES[0].modules == ["trade", "large_trades"]
    assert demo.config.module_scope is demo.modules and "large_trades" in demo.modules
    assert demo.config.pass_columns()["large_5m"][-1] == "LargeTradeShare"
