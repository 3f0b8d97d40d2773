"""The demos: each validates from the command line, runs on synthetic data, and writes exactly
the columns its config promises, with values in them; ``--dry-run`` plans without writing.

Every ``demo/NN_*.py`` is picked up. The demos run as subprocesses, as a user would run them,
with the market-data store shared by the whole module so each venue and day is generated once.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import polars as pl
import pytest

REPO = Path(__file__).resolve().parents[2]
DEMOS = sorted((REPO / "demo").glob("[0-9][0-9]_*.py"))
KEY_COLUMNS = {"ListingId", "TimeBucket", "MIC", "Ticker", "Index"}
# Metric columns empty in every row by construction, not by accident: off-book prints carry
# no aggressor side (AggressorSide 0), so an off-book VWAP by Buy or Sell side has no trade.
ALWAYS_EMPTY = {"04_order_flow": {"OffBookBuyVWAP", "OffBookSellVWAP"}}
TIMEOUT = 180


def demo_id(path: Path) -> str:
    return path.stem


@dataclass(frozen=True)
class Promise:
    """What a demo's resolved config says a run writes: the files and each pass's columns."""

    columns: dict[str, list[str]]  # pass name -> columns
    outputs: dict[Path, str]  # output file -> pass name


def promise(path: Path, output_dir: Path, data_dir: Path) -> Promise:
    """Columns and output files of ``path`` as run with ``--output-dir`` and ``--data-dir``
    (a module the demo declares is known to its config only)."""
    from basalt.config import resolve, validate_resolved
    from basalt.pipeline.outputs import output_path
    from basalt.pipeline.runner import plan_run

    resolved = resolve(path, overrides={"OUTPUT_DIR": str(output_dir), "DATA_DIR": str(data_dir)})
    config, issues = validate_resolved(resolved)
    assert config is not None, [issue.format() for issue in issues]
    columns = config.pass_columns()
    plan = plan_run(config)
    outputs = {output_path(config, p, b): p.name for b in plan.batches for p in config.PASSES}
    return Promise(columns, outputs)


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One folder for the module: ``data`` (the shared store) and ``home``."""
    root = tmp_path_factory.mktemp("demos")
    (root / "home").mkdir()
    return root


@pytest.fixture(scope="module")
def data_dir(workspace: Path) -> Path:
    """The market-data store every demo run of this module shares (generated on first use)."""
    return workspace / "data"


def demo_env(workspace: Path, data_dir: Path, output_dir: Path | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        BASALT_DATA_DIR=str(data_dir),
        BASALT_OUTPUT_DIR=str(output_dir or workspace / "env-output"),
        BASALT_HOME=str(workspace / "home"),
        PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")])),
    )
    return env


def run(argv: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=TIMEOUT)


def explain(proc: subprocess.CompletedProcess[str]) -> str:
    return f"exit {proc.returncode}\n--- stdout\n{proc.stdout}\n--- stderr\n{proc.stderr}"


@pytest.mark.parametrize("path", DEMOS, ids=demo_id)
def test_demo_validates_from_the_command_line(path: Path, workspace: Path, data_dir: Path):
    # A fresh process: the demo is only parsed (USER_CONFIG read from the syntax tree), plus
    # imported when it declares its own module (demo 03), as basalt config validate does.
    proc = run(
        [sys.executable, "-m", "basalt", "config", "validate", str(path)],
        cwd=REPO,
        env=demo_env(workspace, data_dir),
    )
    assert proc.returncode == 0, explain(proc)
    assert proc.stdout.strip().endswith("valid")


@pytest.mark.parametrize("path", DEMOS, ids=demo_id)
def test_demo_runs_and_writes_the_promised_columns(
    path: Path, workspace: Path, data_dir: Path, tmp_path: Path
):
    output_dir = tmp_path / "out"
    expected = promise(path, output_dir, data_dir)
    proc = run(
        [sys.executable, str(path), "--output-dir", str(output_dir), "--data-dir", str(data_dir)],
        cwd=tmp_path,
        env=demo_env(workspace, data_dir),
    )
    assert proc.returncode == 0, explain(proc)

    written = sorted(p for p in output_dir.rglob("*") if p.is_file())
    assert written == sorted(expected.outputs), explain(proc)
    empty_by_design = ALWAYS_EMPTY.get(path.stem, set())
    for file, pass_name in expected.outputs.items():
        frame = pl.read_parquet(file)
        assert frame.columns == expected.columns[pass_name], file
        assert frame.height > 0, f"{file}: no rows"
        keys = [c for c in frame.columns if c in KEY_COLUMNS]
        assert frame.select(keys).null_count().sum_horizontal().item() == 0, f"{file}: null keys"
        metrics = [c for c in frame.columns if c not in KEY_COLUMNS]
        assert metrics, f"{file}: no metric columns"
        all_null = {c for c in metrics if frame[c].null_count() == frame.height}
        assert all_null == empty_by_design, (
            f"{file}: metric columns with no value: {sorted(all_null)}"
        )


@pytest.mark.parametrize("path", DEMOS, ids=demo_id)
def test_dry_run_prints_batches_and_outputs_and_writes_nothing(
    path: Path, workspace: Path, tmp_path: Path
):
    fresh_data = tmp_path / "no-data"
    env = demo_env(workspace, fresh_data, output_dir=tmp_path / "env-output")
    expected = promise(path, Path("out"), fresh_data)  # printed relative to the working dir
    proc = run(
        [
            sys.executable,
            str(path),
            "--dry-run",
            "--output-dir",
            "out",
            "--data-dir",
            str(fresh_data),
        ],
        cwd=tmp_path,
        env=env,
    )
    assert proc.returncode == 0, explain(proc)
    lines = proc.stdout.splitlines()
    assert any(line.startswith("Batches") for line in lines), explain(proc)
    batches = {file.stem for file in expected.outputs}  # "<start>_<end>" of each date batch
    for batch in batches:
        start, end = batch.split("_")
        assert f"  {start if start == end else f'{start}..{end}'}" in lines, explain(proc)
    for file in expected.outputs:
        assert f"  {file}" in lines, explain(proc)
    assert list(tmp_path.iterdir()) == [], "a dry run wrote files"


def test_dry_run_prints_long_output_paths_on_one_line(workspace: Path, tmp_path: Path):
    path = DEMOS[0]
    output_dir = tmp_path / "a-long-output-folder-name-so-the-path-is-longer-than-eighty-characters"
    expected = promise(path, output_dir, tmp_path / "no-data")
    proc = run(
        [
            sys.executable,
            str(path),
            "--dry-run",
            "--output-dir",
            str(output_dir),
            "--data-dir",
            str(tmp_path / "no-data"),
        ],
        cwd=tmp_path,
        env=demo_env(workspace, tmp_path / "no-data"),
    )
    assert proc.returncode == 0, explain(proc)
    missing = [str(f) for f in expected.outputs if f"  {f}" not in proc.stdout.splitlines()]
    assert missing == [], "each output path is printed whole on its own line"


def test_custom_universe_comes_from_the_demo_get_universe(
    workspace: Path, data_dir: Path, tmp_path: Path
):
    path = REPO / "demo" / "07_index_universe.py"
    output_dir = tmp_path / "out"
    env = demo_env(workspace, data_dir)
    del env["BASALT_DATA_DIR"]  # the store is given by --data-dir only
    proc = run(
        [
            sys.executable,
            str(path),
            "--universe",
            "custom",
            "--output-dir",
            str(output_dir),
            "--data-dir",
            str(data_dir),
        ],
        cwd=tmp_path,
        env=env,
    )
    assert proc.returncode == 0, explain(proc)
    (file,) = output_dir.rglob("*.parquet")
    assert file.parent.name == "custom"
    tickers = set(pl.read_parquet(file)["Ticker"].unique())
    spec = importlib.util.spec_from_file_location("_test_demo_07_watchlist", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert tickers == set(module.WATCHLIST)
    # the demo's own get_universe reads the store given by --data-dir, not ./.basalt
    assert not (tmp_path / ".basalt").exists()


def test_the_seven_demos_are_there():
    assert [p.stem[:2] for p in DEMOS] == ["01", "02", "03", "04", "05", "06", "07"]
