"""Shared fixtures: the real-format sample files and small generated partitions."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest

from basalt.data import synthetic

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "bmll_sample"
FIXTURE_DAY = date(2026, 1, 2)
SMALL = 400
"""Trades per listing for fast tests."""


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    assert FIXTURES.is_dir(), f"real-format fixtures missing: {FIXTURES}"
    return FIXTURES


@pytest.fixture(scope="session")
def partition() -> dict[str, pl.DataFrame]:
    """Every table of XLON on the fixture day, at the default size (as a demo would)."""
    return synthetic.generate_partition(FIXTURE_DAY, "XLON")


@pytest.fixture(scope="session")
def xpar_partition() -> dict[str, pl.DataFrame]:
    """A second venue (EUR, other tick table) at a small size."""
    return synthetic.generate_partition(FIXTURE_DAY, "XPAR", trades_per_listing=SMALL)
