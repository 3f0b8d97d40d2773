"""Files the pipeline and the editors write get the mode the umask gives (``0o666 & ~umask``),
not 0600; a file that already exists keeps its mode."""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from basalt.atomic import atomic_path, current_umask, write_bytes_atomic
from basalt.config.document import ConfigDocument

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "demo" / "01_ohlcv_bars.py"
TIMEOUT = 180


def mode(path: Path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


@contextlib.contextmanager
def umask(value: int) -> Iterator[None]:
    old = os.umask(value)
    try:
        yield
    finally:
        os.umask(old)


def run_with_umask(argv: list[str], value: int, cwd: Path, env: dict[str, str]):
    return subprocess.run(
        argv,
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        preexec_fn=lambda: os.umask(value),
    )


@pytest.mark.parametrize(("value", "expected"), [(0o022, 0o644), (0o027, 0o640)])
def test_a_demo_run_writes_files_the_umask_allows(tmp_path: Path, value: int, expected: int):
    data, out, home = tmp_path / "data", tmp_path / "out", tmp_path / "home"
    env = dict(os.environ)
    env.update(
        BASALT_DATA_DIR=str(data),
        BASALT_OUTPUT_DIR=str(out),
        BASALT_HOME=str(home),
        PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")])),
    )
    done = run_with_umask([sys.executable, str(DEMO)], value, tmp_path, env)
    assert done.returncode == 0, done.stderr
    files = [p for folder in (out, data, home) for p in folder.rglob("*") if p.is_file()]
    assert any(p.suffix == ".parquet" for p in out.rglob("*"))
    assert any(p.suffix == ".parquet" for p in data.rglob("*"))
    assert {str(p.relative_to(tmp_path)): oct(mode(p)) for p in files if mode(p) != expected} == {}


@pytest.mark.parametrize(("value", "expected"), [(0o022, 0o644), (0o027, 0o640)])
def test_config_set_creates_the_yaml_with_the_umask_mode(
    tmp_path: Path, value: int, expected: int
) -> None:
    script = tmp_path / "demo" / "01_ohlcv_bars.py"
    script.parent.mkdir()
    shutil.copy(DEMO, script)
    done = run_with_umask(
        [sys.executable, "-m", "basalt", "config", "set", str(script), "DATASETNAME", "x"],
        value,
        tmp_path,
        dict(os.environ),
    )
    assert done.returncode == 0, done.stderr
    assert mode(script.with_suffix(".yaml")) == expected


@pytest.mark.parametrize("existing", [0o640, 0o600, 0o664])
def test_a_saved_yaml_keeps_its_mode(tmp_path: Path, existing: int) -> None:
    path = tmp_path / "c.yaml"
    path.write_text("A: 1\n")
    path.chmod(existing)
    document = ConfigDocument.load(path)
    document.set("A", 2)
    with umask(0o022):
        document.save()
    assert path.read_text() == "A: 2\n" and mode(path) == existing


def test_current_umask_reads_without_changing_it() -> None:
    with umask(0o027):
        assert current_umask() == 0o027
        assert current_umask() == 0o027
    with umask(0o002):
        assert current_umask() == 0o002


@pytest.mark.parametrize(("value", "expected"), [(0o022, 0o644), (0o027, 0o640), (0o077, 0o600)])
def test_write_bytes_atomic_new_file_follows_the_umask(
    tmp_path: Path, value: int, expected: int
) -> None:
    path = tmp_path / "new.bin"
    with umask(value):
        write_bytes_atomic(path, b"data")
    assert path.read_bytes() == b"data" and mode(path) == expected
    assert [p.name for p in tmp_path.iterdir()] == ["new.bin"]


@pytest.mark.parametrize("existing", [0o600, 0o640, 0o755])
def test_write_bytes_atomic_existing_file_keeps_its_mode(tmp_path: Path, existing: int) -> None:
    path = tmp_path / "old.bin"
    path.write_bytes(b"old")
    path.chmod(existing)
    with umask(0o022):
        write_bytes_atomic(path, b"new")
    assert path.read_bytes() == b"new" and mode(path) == existing


def test_atomic_path_follows_the_umask_and_keeps_an_existing_mode(tmp_path: Path) -> None:
    new, old = tmp_path / "sub" / "new.parquet", tmp_path / "old.parquet"
    old.write_bytes(b"old")
    old.chmod(0o600)
    with umask(0o027):
        for path in (new, old):
            with atomic_path(path) as tmp:
                tmp.write_bytes(b"new")
    assert mode(new) == 0o640 and mode(old) == 0o600
    assert new.read_bytes() == old.read_bytes() == b"new"


def test_write_bytes_atomic_replaces_a_link_instead_of_writing_through(tmp_path: Path) -> None:
    target = tmp_path / "target.txt"
    target.write_bytes(b"target")
    target.chmod(0o600)
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    with umask(0o022):
        write_bytes_atomic(link, b"new")
    assert not link.is_symlink() and link.read_bytes() == b"new" and mode(link) == 0o644
    assert target.read_bytes() == b"target"
