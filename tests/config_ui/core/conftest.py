"""A copy of demo 01 and an editing session on it, for the core's tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from config_ui.core.session import EditorSession

REPO = Path(__file__).resolve().parents[3]


@pytest.fixture()
def demo(tmp_path: Path) -> Path:
    for suffix in (".py", ".yaml"):
        shutil.copy(REPO / "demo" / f"01_ohlcv_bars{suffix}", tmp_path)
    return tmp_path / "01_ohlcv_bars.py"


@pytest.fixture()
def session(demo: Path) -> EditorSession:
    return EditorSession.open(demo)
