"""Files not in (ListingId, time) order give the same pass output: a bucket whose rows are
apart comes out twice, and the pass is computed again on sorted tables."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from basalt.config.analytics import AnalyticsConfig
from basalt.pipeline.runner import run

# (module, table, its time column, bucket seconds)
MODULES = [("trade", "trades", "TradeTimestamp", 60), ("l2", "l2", "EventTimestamp", 300)]
REPEATED = "pass 'p': the store's files are not in (ListingId, time) order"


def output(data_dir: Path, out: Path, module: str, seconds: int) -> pl.DataFrame:
    config = AnalyticsConfig.model_validate(
        {
            "START_DATE": "2025-01-02",
            "UNIVERSE": "mic=XLON",
            "DATA_DIR": str(data_dir),
            "OUTPUT_DIR": str(out),
            "PASSES": [{"name": "p", "modules": [module], "time_bucket_seconds": seconds}],
        }
    )
    [batch] = run(config)
    [written] = batch.outputs
    return pl.read_parquet(written.path)


def reorder(data_dir: Path, store: Path, table: str, *by: str, descending: bool = False) -> None:
    """A copy of ``data_dir`` at ``store`` whose XLON ``table`` file is sorted by ``by``
    (stable: rows of one listing at one instant keep their order)."""
    shutil.copytree(data_dir, store)
    [path] = sorted(store.glob(f"{table}/date=2025-01-02/mic=XLON/*.parquet"))
    rows = pl.read_parquet(path)
    rows.sort(*by, descending=descending, maintain_order=True).write_parquet(path)


@pytest.mark.parametrize(("module", "table", "time", "seconds"), MODULES)
def test_listings_interleaved_in_time_order_give_the_same_output(
    data_dir, tmp_path, caplog, module, table, time, seconds
):
    with caplog.at_level(logging.INFO, logger="basalt.pipeline"):
        expected = output(data_dir, tmp_path / "ordered", module, seconds)
    assert REPEATED not in caplog.text
    # every listing's rows interleaved with the others': each bucket's rows are apart
    reorder(data_dir, tmp_path / "store", table, time)
    with caplog.at_level(logging.INFO, logger="basalt.pipeline"):
        got = output(tmp_path / "store", tmp_path / "interleaved", module, seconds)
    assert_frame_equal(got, expected, check_exact=True)
    assert REPEATED in caplog.text


@pytest.mark.parametrize(("module", "table", "time", "seconds"), MODULES)
def test_listings_in_another_order_need_no_second_computation(
    data_dir, tmp_path, caplog, module, table, time, seconds
):
    expected = output(data_dir, tmp_path / "ordered", module, seconds)
    # stable: each listing's rows together and still in time order
    reorder(data_dir, tmp_path / "store", table, "ListingId", descending=True)
    with caplog.at_level(logging.INFO, logger="basalt.pipeline"):
        got = output(tmp_path / "store", tmp_path / "descending", module, seconds)
    assert_frame_equal(got, expected, check_exact=True)
    assert REPEATED not in caplog.text
