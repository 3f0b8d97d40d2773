"""A dense pass split into several listing batches writes each (listing, bucket) once, with
the same values as one batch holding every listing."""

from __future__ import annotations

from pathlib import Path

import polars as pl
from polars.testing import assert_frame_equal

from basalt.config.analytics import AnalyticsConfig
from basalt.pipeline.runner import plan_run, run, store_for


def config(data_dir: Path, out: Path, **overrides) -> AnalyticsConfig:
    base = {
        "START_DATE": "2025-01-02",
        "UNIVERSE": "mic=XLON",
        "DATA_DIR": str(data_dir),
        "OUTPUT_DIR": str(out),
        "PASSES": [{"name": "bars", "modules": ["trade"], "time_bucket_seconds": 300}],
    }
    return AnalyticsConfig.model_validate(base | overrides)


def output(cfg: AnalyticsConfig) -> pl.DataFrame:
    [batch] = run(cfg)
    [out] = batch.outputs
    return pl.read_parquet(out.path)


def test_several_listing_batches_write_each_bucket_once(data_dir, tmp_path):
    whole = output(config(data_dir, tmp_path / "whole"))
    store = store_for(config(data_dir, tmp_path))
    [batch] = plan_run(config(data_dir, tmp_path)).batches
    rows = store.row_count("trades", batch.dates, ["XLON"])
    listings = whole["ListingId"].n_unique()
    assert listings >= 3
    # about two listings' rows per batch: several listing batches
    split = output(config(data_dir, tmp_path / "split", MAX_ROWS_PER_BATCH=2 * rows // listings))
    assert split.select("ListingId", "TimeBucket").is_duplicated().sum() == 0
    assert split.height == whole.height
    assert_frame_equal(split, whole, check_exact=True)
