"""The ``basalt_locations`` resource: a step reads and writes in its folders (a demo's own
DATA_DIR / OUTPUT_DIR win), the ledger goes to its home, and ``os.environ`` never changes."""

from __future__ import annotations

import os

import dagster as dg

from basalt import locations
from basalt.dagster.assets import build_demo_assets
from basalt.dagster.demos import load_demos
from basalt.dagster.resources import BasaltLocations
from basalt.ledger.store import Ledger
from tests.dagster.support import DEMO_DIR, write_demo

KEY = "2025-01-02|mic=XLON"


def spy_on_runs(monkeypatch) -> list[dict]:
    """What each pipeline run sees: the environment and the folders in effect."""
    from basalt.pipeline import runner

    seen: list[dict] = []
    real = runner.run

    def spy(*args, **kwargs):
        seen.append(
            {
                "environ": dict(os.environ),
                "data_dir": locations.data_dir(),
                "output_dir": locations.output_dir(),
                "home": locations.home(),
            }
        )
        return real(*args, **kwargs)

    monkeypatch.setattr(runner, "run", spy)
    return seen


def test_a_step_uses_the_resource_folders_and_leaves_the_environment(
    monkeypatch, tmp_path, data_dir, basalt_dirs, instance
):
    [demo] = load_demos(DEMO_DIR, only=["01"])
    seen = spy_on_runs(monkeypatch)
    before = dict(os.environ)
    where = BasaltLocations(
        data_dir=str(data_dir), output_dir=str(tmp_path / "out"), home=str(tmp_path / "home")
    )
    result = dg.materialize(
        build_demo_assets(True, demos=[demo]),
        partition_key=KEY,
        instance=instance,
        resources={"basalt_locations": where},
    )
    assert result.success
    [event] = result.get_asset_materialization_events()
    path = event.materialization.metadata["output_path"].value
    assert path.startswith(str(tmp_path / "out")) and os.path.exists(path)
    assert not basalt_dirs.exists()  # $BASALT_OUTPUT_DIR was not used
    [during] = seen
    assert during["environ"] == before == dict(os.environ)
    assert (during["output_dir"], during["home"]) == (tmp_path / "out", tmp_path / "home")
    assert locations.current() == locations.Locations()  # nothing left set after the step
    assert Ledger(tmp_path / "home" / "ledger.duckdb").run(result.run_id)["status"] == "success"


def test_a_demo_output_dir_wins_over_the_resource(monkeypatch, tmp_path, instance):
    own = tmp_path / "demo_output"
    write_demo(tmp_path / "demos", "01_own_dir", {"OUTPUT_DIR": str(own)})
    [demo] = load_demos(tmp_path / "demos")
    seen = spy_on_runs(monkeypatch)
    before = dict(os.environ)
    where = BasaltLocations(output_dir=str(tmp_path / "resource_out"), home=str(tmp_path / "h"))
    result = dg.materialize(
        build_demo_assets(True, demos=[demo]),
        partition_key=KEY,
        instance=instance,
        resources={"basalt_locations": where},
    )
    assert result.success
    [event] = result.get_asset_materialization_events()
    assert event.materialization.metadata["output_path"].value.startswith(str(own))
    assert seen[0]["output_dir"] == own
    assert seen[0]["environ"] == before == dict(os.environ)
    assert not (tmp_path / "resource_out").exists()


def test_empty_fields_read_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("BASALT_HOME", str(tmp_path / "env_home"))
    with BasaltLocations().using():
        assert locations.home() == tmp_path / "env_home"
    with BasaltLocations(home=str(tmp_path / "mine")).using():
        assert locations.home() == tmp_path / "mine"
    assert os.environ["BASALT_HOME"] == str(tmp_path / "env_home")
