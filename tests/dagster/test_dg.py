"""``dg check defs`` from the project folder (``[tool.dg]`` in ``pyproject.toml``): the code
location ``basalt_demos`` loads, with no "superseded" or virtual-environment warning.

A demo whose YAML is broken does not fail the check: the code location leaves that demo out
(the others load) and says which file, line and field, and ``dg check defs`` exits 0."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.dagster.support import REPO, write_demo

DG = Path(sys.executable).with_name("dg")


@pytest.fixture
def env(tmp_path) -> dict[str, str]:
    home = tmp_path / "dagster_home"
    home.mkdir()
    shutil.copy(REPO / "dagster.yaml", home / "dagster.yaml")  # telemetry off
    env = {**os.environ, "DAGSTER_HOME": str(home)}
    env.pop("VIRTUAL_ENV", None)  # as `.venv/bin/dg` is run without activating the venv
    return env


def check_defs(env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(DG), "check", "defs"], cwd=REPO, env=env, capture_output=True, text=True, timeout=240
    )


def test_dg_check_defs_loads_the_code_location(env):
    done = check_defs(env)
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert "All definitions loaded successfully." in done.stdout
    assert "superseded" not in output.lower()
    assert "virtual environment" not in output
    assert "Traceback" not in output


def test_a_broken_demo_is_named_and_left_out(env, tmp_path):
    demos = tmp_path / "demos"
    write_demo(demos, "01_fine")
    broken = write_demo(demos, "02_broken", yaml_text="USER_CONFIG:\n  UNIVERSE: mac=XLON\n")
    env["BASALT_DEMO_DIR"] = str(demos)

    done = check_defs(env)

    assert done.returncode == 0, done.stdout + done.stderr
    assert "All definitions loaded successfully." in done.stdout
    yaml = broken.with_suffix(".yaml")
    assert (
        f"demo 02_broken left out of Dagster: {yaml}:2:3: UNIVERSE: unknown universe kind 'mac'"
        in done.stderr
    )
    assert "01_fine" not in done.stderr
