"""``python -m config_ui``: short demo names open the one demo they stand for, anything else
exits 2 listing the candidates; a ``--goto`` path that names no field says so."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from basalt.config import AnalyticsConfig
from config_ui.core.form_builder import build_form
from config_ui.core.launch import LaunchError, find_demo, goto_problem

REPO = Path(__file__).resolve().parents[3]
DEMOS = ("01_ohlcv_bars", "02_spreads_depth")


@pytest.fixture()
def workdir(tmp_path: Path) -> Path:
    """A folder holding ``demo/`` with demos 01 and 02, their scripts only (no YAML yet)."""
    (tmp_path / "demo").mkdir()
    for stem in DEMOS:
        shutil.copy(REPO / "demo" / f"{stem}.py", tmp_path / "demo")
    return tmp_path


@pytest.mark.parametrize(
    ("typed", "opened"),
    [
        ("demo/01.py", "demo/01_ohlcv_bars.py"),
        ("demo/01", "demo/01_ohlcv_bars.py"),
        ("01", "demo/01_ohlcv_bars.py"),
        ("2", "demo/02_spreads_depth.py"),
        ("spreads", "demo/02_spreads_depth.py"),
        ("demo/02_spr", "demo/02_spreads_depth.py"),
        ("demo/01.yaml", "demo/01_ohlcv_bars.yaml"),
        ("demo/01_ohlcv_bars.py", "demo/01_ohlcv_bars.py"),
        ("demo/01_ohlcv_bars.yaml", "demo/01_ohlcv_bars.yaml"),
    ],
)
def test_a_short_name_opens_the_demo_it_stands_for(workdir, typed, opened):
    assert find_demo(typed, cwd=workdir) == Path(opened)


def test_an_absolute_short_name_stays_absolute(workdir):
    assert find_demo(str(workdir / "demo" / "01"), cwd=REPO) == workdir / "demo/01_ohlcv_bars.py"


def test_no_match_lists_every_demo(workdir):
    with pytest.raises(LaunchError) as caught:
        find_demo("demo/9.py", cwd=workdir)
    message = str(caught.value)
    assert message.startswith("demo/9.py: no such file or demo")
    assert "demo/01_ohlcv_bars.py" in message and "demo/02_spreads_depth.py" in message


def test_two_matches_list_both(workdir):
    shutil.copy(workdir / "demo/01_ohlcv_bars.py", workdir / "demo/01_copy.py")
    with pytest.raises(LaunchError) as caught:
        find_demo("01", cwd=workdir)
    message = str(caught.value)
    assert message.startswith("01 matches 2 demos")
    assert "demo/01_copy.py" in message and "demo/01_ohlcv_bars.py" in message
    assert "02_spreads_depth" not in message


@pytest.mark.parametrize(
    ("typed", "words"),
    [("notes.txt", "expected a demo script"), ("demo", "not a file"), ("x/01", "no demos in x/")],
)
def test_what_cannot_be_a_demo_is_named(workdir, typed, words):
    if typed == "demo":
        typed = "demo.py"
        (workdir / "demo.py").mkdir()
    with pytest.raises(LaunchError, match=words):
        find_demo(typed, cwd=workdir)


def test_goto_names_the_nearest_field():
    root = build_form(AnalyticsConfig, {"PASSES": [{"name": "a"}]}, lambda path: "default")
    assert goto_problem(root, "PASSES.0.time_bucket_seconds") is None
    assert goto_problem(root, "PASSES.0.time_bucket_secs") == (
        "--goto PASSES.0.time_bucket_secs: no such field; the nearest is "
        "PASSES.0.time_bucket_seconds"
    )
    assert goto_problem(root, "PASSES.0.trade_analytics.nope").endswith(
        "the nearest is PASSES.0.trade_analytics"
    )
    assert "top-level fields include DATASETNAME" in goto_problem(root, "NOPE.x")


# --- the command itself -----------------------------------------------------------------------


def run_cli(workdir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(
        os.environ,
        BASALT_HOME=str(workdir / "home"),
        BASALT_TUI_BENCH_T0=str(time.perf_counter()),
    )
    return subprocess.run(
        [sys.executable, "-m", "config_ui", *args, "--no-watch"],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_command_opens_demo_01_from_its_short_name(workdir):
    result = run_cli(workdir, "demo/01.py")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("first-frame-seconds ")
    # the editor created the YAML beside the script it opened, and only there
    assert (workdir / "demo/01_ohlcv_bars.yaml").is_file()
    assert not (workdir / "demo/02_spreads_depth.yaml").exists()


def test_the_command_lists_candidates_and_exits_2(workdir):
    result = run_cli(workdir, "demo/07.py")
    assert result.returncode == 2
    assert "error: demo/07.py: no such file or demo" in result.stderr
    assert "demo/01_ohlcv_bars.py" in result.stderr and "demo/02_spreads_depth.py" in result.stderr


def test_the_command_refuses_a_bad_goto(workdir):
    result = run_cli(workdir, "01", "--goto", "PASSES.0.time_bucket_secs")
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "error: --goto PASSES.0.time_bucket_secs: no such field; the nearest is "
        "PASSES.0.time_bucket_seconds"
    )
    assert not (workdir / "demo/01_ohlcv_bars.yaml").exists()  # refused before opening
