"""A run's data and output folders reach everything it calls (a demo's own ``get_universe``,
worker processes) through :mod:`basalt.locations`; the process environment is not changed."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from basalt import locations
from basalt.cli import main
from basalt.config import AnalyticsConfig
from basalt.pipeline import runner
from tests.pipeline.support import DEMO_01, REPO

DEMO_07 = REPO / "demo" / "07_index_universe.py"


@pytest.fixture
def bare_env(tmp_path, monkeypatch) -> Path:
    """No folder in the environment, and a working directory of the test's own (where the
    defaults would land)."""
    for name in (locations.DATA_DIR_ENV, locations.OUTPUT_DIR_ENV):
        monkeypatch.delenv(name, raising=False)
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    return cwd


def test_run_flags_set_the_folders_and_leave_the_environment_alone(data_dir, tmp_path, bare_env):
    out = tmp_path / "out"
    before = dict(os.environ)
    args = ["run", str(DEMO_07), "--universe", "custom", "--date", "2025-01-03"]
    assert main([*args, "--data-dir", str(data_dir), "--output-dir", str(out)]) == 0
    assert dict(os.environ) == before
    [written] = list(out.rglob("*.parquet"))
    assert written.parent.name == "custom"
    # the demo's get_universe read the store given (nothing was generated in a default folder)
    assert not (bare_env / ".basalt" / "data").exists()
    assert not (bare_env / ".basalt" / "output").exists()
    assert locations.current() == locations.Locations()


def test_worker_processes_get_the_folders(data_dir, tmp_path, bare_env, monkeypatch):
    monkeypatch.setattr(runner, "IN_PROCESS_ROWS", 0)  # two batches: a process pool
    out = tmp_path / "out"
    config = AnalyticsConfig.model_validate(
        {
            "DATASETNAME": "workers",
            "START_DATE": "2025-01-06",
            "END_DATE": "2025-01-07",
            "UNIVERSE": "mic=XLON",
            "NUM_WORKERS": 2,
            "PASSES": [{"name": "bars", "modules": ["trade"], "time_bucket_seconds": 300}],
        }
    )
    before = dict(os.environ)
    with locations.using(data_dir=data_dir, output_dir=out):
        plan = runner.plan_run(config)
        assert len(plan.batches) == 2 and plan.workers == 2
        results = list(runner.iter_run(plan))
    assert dict(os.environ) == before
    written = sorted(o.path for r in results for o in r.outputs)
    assert [p.name for p in written] == [
        "2025-01-06_2025-01-06.parquet",
        "2025-01-07_2025-01-07.parquet",
    ]
    assert all(p.is_relative_to(out) and p.stat().st_size > 0 for p in written)
    assert not (bare_env / ".basalt").exists()


def test_the_command_line_with_workers_leaves_the_environment_alone(
    data_dir, tmp_path, bare_env, monkeypatch
):
    monkeypatch.setattr(runner, "IN_PROCESS_ROWS", 0)
    out = tmp_path / "out"
    before = dict(os.environ)
    args = ["run", str(DEMO_01), "--start-date", "2025-01-06", "--end-date", "2025-01-07"]
    folders = ["--data-dir", str(data_dir), "--output-dir", str(out), "--workers", "2"]
    assert main([*args, *folders]) == 0
    assert dict(os.environ) == before
    assert len(list(out.rglob("*.parquet"))) == 2
    assert not (bare_env / ".basalt" / "output").exists()
