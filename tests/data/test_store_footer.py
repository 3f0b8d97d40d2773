"""Row counts and provenance come from the file footers through Polars: a run never imports
pyarrow for them, and a broken footer is a DataError naming the file."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from basalt.data import DataError, MarketDataStore
from basalt.data.store import file_rows, file_source, synthetic_source

REPO = Path(__file__).resolve().parents[2]
DAY = date(2026, 1, 2)
SMALL = 200


def test_rows_and_source_come_from_the_footer(tmp_path: Path) -> None:
    store = MarketDataStore(tmp_path, trades_per_listing=SMALL)
    store.ensure(["trades"], [DAY], ["XLON"])
    path = store.path("trades", DAY, "XLON")
    assert file_rows(path) == pl.read_parquet(path).height > 0
    assert store.row_count("trades", [DAY]) == file_rows(path)
    assert file_source(path) == synthetic_source(store.seed, SMALL)
    pl.read_parquet(path).write_parquet(path)  # a foreign file: no provenance recorded
    assert file_source(path) == "unknown"


def test_a_broken_footer_is_a_data_error_naming_the_file(tmp_path: Path) -> None:
    store = MarketDataStore(tmp_path, trades_per_listing=SMALL)
    store.ensure(["trades"], [DAY], ["XLON"])
    path = store.path("trades", DAY, "XLON")
    path.write_bytes(b"not parquet at all")
    for ask in (lambda: store.row_count("trades", [DAY]), lambda: file_source(path)):
        with pytest.raises(DataError, match="corrupt or unreadable parquet file") as caught:
            ask()
        assert str(path) in str(caught.value)


def test_counting_rows_does_not_import_pyarrow(tmp_path: Path) -> None:
    store = MarketDataStore(tmp_path, trades_per_listing=SMALL)
    store.ensure(["trades"], [DAY], ["XLON"])
    probe = (
        "import json, sys\n"
        "from datetime import date\n"
        "import basalt.pipeline.runner\n"
        "from basalt.data.store import MarketDataStore, file_source\n"
        f"store = MarketDataStore({str(tmp_path)!r})\n"
        "assert store.row_count('trades', [date(2026, 1, 2)]) > 0\n"
        "file_source(store.path('trades', date(2026, 1, 2), 'XLON'))\n"
        "print(json.dumps('pyarrow' in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) is False
