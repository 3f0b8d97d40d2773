"""Files not in (ListingId, time) order give the same bars, computed again on sorted tables."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import polars as pl
from polars.testing import assert_frame_equal

from basalt.config.analytics import AnalyticsConfig
from basalt.pipeline.runner import run


def config(data_dir: Path, out: Path) -> AnalyticsConfig:
    return AnalyticsConfig.model_validate(
        {
            "START_DATE": "2025-01-02",
            "UNIVERSE": "mic=XLON",
            "DATA_DIR": str(data_dir),
            "OUTPUT_DIR": str(out),
            "PASSES": [{"name": "bars", "modules": ["trade"], "time_bucket_seconds": 60}],
        }
    )


def output(cfg: AnalyticsConfig) -> pl.DataFrame:
    [batch] = run(cfg)
    [out] = batch.outputs
    return pl.read_parquet(out.path)


def reorder(data_dir: Path, store: Path, *by: str) -> None:
    """A copy of ``data_dir`` at ``store`` whose XLON trade file is sorted by ``by`` (stable:
    trades of one listing at one instant keep their order)."""
    shutil.copytree(data_dir, store)
    [trades] = sorted(store.glob("trades/date=2025-01-02/mic=XLON/*.parquet"))
    pl.read_parquet(trades).sort(*by, maintain_order=True).write_parquet(trades)


def test_a_file_in_time_order_across_listings_gives_the_same_bars(data_dir, tmp_path, caplog):
    with caplog.at_level(logging.INFO, logger="basalt.pipeline"):
        expected = output(config(data_dir, tmp_path / "ordered"))
    assert "not in (ListingId, time) order" not in caplog.text
    # every listing's trades interleaved with the others': each bucket's rows are apart
    reorder(data_dir, tmp_path / "store", "TradeTimestamp")
    with caplog.at_level(logging.INFO, logger="basalt.pipeline"):
        got = output(config(tmp_path / "store", tmp_path / "interleaved"))
    assert_frame_equal(got, expected, check_exact=True)
    assert "pass 'bars': the store's files are not in (ListingId, time) order" in caplog.text


def test_listings_in_another_order_need_no_second_computation(data_dir, tmp_path, caplog):
    expected = output(config(data_dir, tmp_path / "ordered"))
    reorder(data_dir, tmp_path / "store", "ListingId")  # stable: time order within a listing
    [trades] = sorted((tmp_path / "store").glob("trades/date=2025-01-02/mic=XLON/*.parquet"))
    rows = pl.read_parquet(trades)
    rows.sort("ListingId", descending=True, maintain_order=True).write_parquet(trades)
    with caplog.at_level(logging.INFO, logger="basalt.pipeline"):
        got = output(config(tmp_path / "store", tmp_path / "descending"))
    assert_frame_equal(got, expected, check_exact=True)
    assert "not in (ListingId, time) order" not in caplog.text
