"""Fixtures: one market-data store for the session, an output folder per test."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory) -> Path:
    """Generated market data shared by the Dagster tests (each venue and day made once)."""
    return tmp_path_factory.mktemp("dagster_store")


@pytest.fixture(autouse=True)
def basalt_dirs(data_dir: Path, tmp_path: Path, monkeypatch) -> Path:
    """``BASALT_DATA_DIR`` (shared) and ``BASALT_OUTPUT_DIR`` (this test's) for every test;
    returns the output folder."""
    out = tmp_path / "output"
    monkeypatch.setenv("BASALT_DATA_DIR", str(data_dir))
    monkeypatch.setenv("BASALT_OUTPUT_DIR", str(out))
    monkeypatch.delenv("DAGSTER_HOME", raising=False)
    monkeypatch.delenv("BASALT_DEMO_DIR", raising=False)
    return out


@pytest.fixture
def instance():
    import dagster as dg

    with dg.DagsterInstance.ephemeral() as inst:
        yield inst
