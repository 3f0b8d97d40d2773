"""Each output is recorded under its partition's Dagster key and dates."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from basalt.ledger.recorder import RunRecorder, batch_partition_key
from basalt.pipeline.batches import DateBatch
from basalt.pipeline.runner import BatchResult, PassOutput

D = dt.date


def test_a_partition_is_keyed_by_its_first_day_and_a_range_by_both():
    assert batch_partition_key(D(2025, 1, 2), D(2025, 1, 2), "mic=XLON") == "2025-01-02|mic=XLON"
    assert batch_partition_key(D(2025, 1, 6), D(2025, 1, 12), "all") == "2025-01-06|all"
    assert batch_partition_key(D(2025, 2, 1), D(2025, 2, 28), "all") == "2025-02-01|all"
    # a file of an older layout (a batch of trading days) is named by its range
    assert batch_partition_key(D(2025, 1, 6), D(2025, 1, 10), "all") == "2025-01-06..2025-01-10|all"
    assert batch_partition_key(D(2025, 2, 1), D(2025, 2, 27), "all") == "2025-02-01..2025-02-27|all"


def test_a_batch_is_recorded_one_partition_per_output(ledger, tmp_path):
    recorder = RunRecorder(
        config_file=None,
        config_sha256=None,
        universe="mic=XLON",
        start_date=D(2025, 1, 6),
        end_date=D(2025, 1, 7),
        demo="01_ohlcv_bars",
        run_id="r1",
    )
    recorder.start()
    batch = DateBatch((D(2025, 1, 6), D(2025, 1, 7)))
    outputs = [
        PassOutput("bars_1m", Path(tmp_path / f"{d}.parquet"), 10, 100, False, d, d)
        for d in batch.dates
    ]
    recorder.batch_done(BatchResult(batch, outputs))
    recorder.finish("success")
    rows = sorted((a["partition_key"], a["start_date"], a["end_date"]) for a in ledger.assets("r1"))
    assert rows == [
        ("2025-01-06|mic=XLON", D(2025, 1, 6), D(2025, 1, 6)),
        ("2025-01-07|mic=XLON", D(2025, 1, 7), D(2025, 1, 7)),
    ]
