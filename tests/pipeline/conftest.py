"""Fixtures of the pipeline tests: one generated market-data store for the session."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory) -> Path:
    """Generated market data shared by these tests (each venue and day made once)."""
    return tmp_path_factory.mktemp("pipeline_store")
