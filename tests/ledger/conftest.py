"""Fixtures: one market-data store for the session, an output folder per test, and a ledger
file in the test's own ``BASALT_HOME`` (set for every test by the suite's conftest)."""

from __future__ import annotations

from pathlib import Path

import pytest

from basalt.ledger.store import Ledger


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory) -> Path:
    """Generated market data shared by these tests (each venue and day made once)."""
    return tmp_path_factory.mktemp("ledger_store")


@pytest.fixture(autouse=True)
def output_dir(data_dir: Path, tmp_path: Path, monkeypatch) -> Path:
    """``BASALT_DATA_DIR`` (shared) and ``BASALT_OUTPUT_DIR`` (this test's), inherited by
    subprocesses; no Dagster instance or demo folder from the environment."""
    out = tmp_path / "output"
    monkeypatch.setenv("BASALT_DATA_DIR", str(data_dir))
    monkeypatch.setenv("BASALT_OUTPUT_DIR", str(out))
    for name in ("DAGSTER_HOME", "BASALT_DEMO_DIR", "BASALT_TRIGGER", "BASALT_RUN_ID"):
        monkeypatch.delenv(name, raising=False)
    return out


@pytest.fixture
def ledger() -> Ledger:
    """The ledger every run path of this test writes (``$BASALT_HOME/ledger.duckdb``)."""
    return Ledger()
