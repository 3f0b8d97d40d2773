"""Fixtures of the terminal editor tests: a demo pair copied to a temporary folder (the
repository's demos are never edited), UI state kept out of the working directory, and
helpers to wait for the app."""

from __future__ import annotations

import asyncio
import inspect
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
DEMO = REPO / "demo"


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    """Run ``async def`` tests in a fresh event loop (no async plugin needed)."""
    if not inspect.iscoroutinefunction(pyfuncitem.obj):
        return None
    names = pyfuncitem._fixtureinfo.argnames
    asyncio.run(pyfuncitem.obj(**{name: pyfuncitem.funcargs[name] for name in names}))
    return True


@pytest.fixture(autouse=True)
def _ui_state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BASALT_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("BASALT_TUI_BENCH_T0", raising=False)


def copy_demo(tmp_path: Path, stem: str) -> Path:
    """Copy ``demo/<stem>.py`` and its YAML into ``tmp_path``; the copied script's path."""
    folder = tmp_path / "demo"
    folder.mkdir(exist_ok=True)
    for suffix in (".py", ".yaml"):
        source = DEMO / f"{stem}{suffix}"
        if source.exists():
            shutil.copy(source, folder / source.name)
    schema = DEMO / "analytics-config.schema.json"
    if schema.exists():
        shutil.copy(schema, folder / schema.name)
    return folder / f"{stem}.py"


@pytest.fixture
def multi_pass(tmp_path: Path) -> Path:
    return copy_demo(tmp_path, "05_multi_pass")


@pytest.fixture
def ohlcv(tmp_path: Path) -> Path:
    return copy_demo(tmp_path, "01_ohlcv_bars")


@pytest.fixture
def custom_metric(tmp_path: Path) -> Path:
    return copy_demo(tmp_path, "03_custom_metric")


async def _wait_for(pilot, condition: Callable[[], bool], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        await pilot.pause(0.02)


@pytest.fixture
def wait_for():
    """``await wait_for(pilot, condition)``: let the app run until ``condition()`` holds."""
    return _wait_for


@pytest.fixture
def text_of():
    """The plain text a Static shows."""
    return lambda widget: str(widget.render())
