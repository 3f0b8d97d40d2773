"""The local store: layout, ensure (idempotent, atomic), scan, reference, import."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from basalt.data import DataError, MarketDataStore, default_data_dir
from basalt.data.store import file_source
from basalt.data.tables import TABLES

DAY = date(2026, 1, 2)
SATURDAY = date(2026, 1, 3)
SMALL = 200
FIXTURE_ORDER = ["reference", "trades", "l2", "marketstate", "l3"]


def _store(root: Path, **options: object) -> MarketDataStore:
    return MarketDataStore(root, trades_per_listing=SMALL, **options)


def _files(root: Path) -> dict[Path, bytes]:
    return {path: path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()}


def test_default_data_dir_follows_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("BASALT_DATA_DIR", raising=False)
    monkeypatch.chdir(tmp_path)
    assert default_data_dir() == tmp_path / ".basalt" / "data"
    assert MarketDataStore().root == tmp_path / ".basalt" / "data"
    monkeypatch.setenv("BASALT_DATA_DIR", str(tmp_path / "elsewhere"))
    assert default_data_dir() == tmp_path / "elsewhere"


def test_path_layout(tmp_path: Path) -> None:
    store = _store(tmp_path)
    expected = tmp_path / "l2" / "date=2026-01-02" / "mic=XLON" / "data.parquet"
    assert store.path("l2", "2026-01-02", "XLON") == expected


def test_ensure_generates_every_table_once_and_is_idempotent(tmp_path: Path) -> None:
    store = _store(tmp_path)
    generated = store.ensure(["trades"], [DAY, SATURDAY], ["XLON", "XPAR"])
    assert generated == [(DAY, "XLON"), (DAY, "XPAR")]
    for table in TABLES:
        assert store.partitions(table) == [(DAY, "XLON"), (DAY, "XPAR")]
    before = _files(tmp_path)
    assert not [path for path in before if path.name != "data.parquet"]
    assert store.ensure(TABLES, [DAY, SATURDAY], ["XLON", "XPAR"]) == []
    assert _files(tmp_path) == before


def test_ensure_refills_a_partition_with_identical_bytes(tmp_path: Path) -> None:
    store = _store(tmp_path)
    store.ensure(["trades"], [DAY], ["XAMS"])
    before = _files(tmp_path)
    store.path("l3", DAY, "XAMS").unlink()
    assert store.ensure(["trades"], [DAY], ["XAMS"]) == []
    assert store.ensure(["l3"], [DAY], ["XAMS"]) == [(DAY, "XAMS")]
    assert _files(tmp_path) == before


def test_generation_is_byte_identical_across_stores_and_processes(tmp_path: Path) -> None:
    serial, parallel = _store(tmp_path / "a"), _store(tmp_path / "b")
    serial.ensure(TABLES, [DAY], ["XLON", "XETR"])
    parallel.ensure(TABLES, [DAY], ["XLON", "XETR"], workers=2)
    first, second = _files(tmp_path / "a"), _files(tmp_path / "b")
    assert len(first) == 10
    assert [path.relative_to(tmp_path / "a") for path in first] == [
        path.relative_to(tmp_path / "b") for path in second
    ]
    assert list(first.values()) == list(second.values())


def test_concurrent_writers_of_one_partition_leave_whole_identical_files(tmp_path: Path) -> None:
    reference = _store(tmp_path / "reference")
    reference.ensure(TABLES, [DAY], ["XPAR"])
    with ThreadPoolExecutor(3) as pool:
        stores = [_store(tmp_path / "shared") for _ in range(3)]
        runs = [pool.submit(store.ensure, TABLES, [DAY], ["XPAR"]) for store in stores]
        assert [(DAY, "XPAR")] in [run.result() for run in runs]
    shared = _files(tmp_path / "shared")
    assert [path.name for path in shared] == ["data.parquet"] * 5
    assert list(shared.values()) == list(_files(tmp_path / "reference").values())


def test_a_failed_write_leaves_neither_partial_nor_temporary_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = _store(tmp_path)
    original = pl.DataFrame.write_parquet

    def write_then_fail(frame: pl.DataFrame, file: Path, **options: object) -> None:
        Path(file).write_bytes(b"PAR1 half a file")
        raise OSError("disk full")

    monkeypatch.setattr(pl.DataFrame, "write_parquet", write_then_fail)
    with pytest.raises(OSError, match="disk full"):
        store.ensure(["trades"], [DAY], ["XLON"])
    assert [path for path in tmp_path.rglob("*") if path.is_file()] == []

    monkeypatch.setattr(pl.DataFrame, "write_parquet", original)
    assert store.ensure(["trades"], [DAY], ["XLON"]) == [(DAY, "XLON")]
    assert {path.name for path in tmp_path.rglob("*") if path.is_file()} == {"data.parquet"}


def test_ensure_is_off_for_real_data_stores(tmp_path: Path) -> None:
    store = _store(tmp_path, generate_missing=False)
    assert store.ensure(TABLES, [DAY], ["XLON"]) == []
    assert store.reference(DAY).is_empty()
    assert list(tmp_path.iterdir()) == []


def test_scan_reads_only_existing_partitions(tmp_path: Path) -> None:
    store = _store(tmp_path)
    store.ensure(["trades"], [DAY], ["XLON", "XPAR"])
    trades = store.scan("trades", [DAY, date(2026, 1, 5)])
    assert isinstance(trades, pl.LazyFrame)
    collected = trades.collect()
    assert collected.schema == TABLES["trades"].schema
    assert set(collected["MIC"].unique()) == {"XLON", "XPAR"}
    assert store.scan("trades", [DAY], ["XPAR"]).collect()["MIC"].unique().to_list() == ["XPAR"]
    assert store.row_count("trades", [DAY]) == collected.height
    picked = store.scan("l2", [DAY], columns=["ListingId", "BidPrice1"]).collect()
    assert picked.columns == ["ListingId", "BidPrice1"]


def test_scan_without_files_is_empty_with_the_schema(tmp_path: Path) -> None:
    empty = _store(tmp_path).scan("l3", [DAY]).collect()
    assert empty.is_empty() and empty.schema == TABLES["l3"].schema


def test_corrupt_parquet_file_is_a_data_error_naming_it(tmp_path: Path) -> None:
    store = _store(tmp_path)
    store.ensure(["trades"], [DAY], ["XLON"])
    path = store.path("trades", DAY, "XLON")
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    with pytest.raises(DataError, match="corrupt or unreadable parquet file") as caught:
        store.scan("trades", [DAY])
    assert str(path) in str(caught.value)
    path.write_bytes(b"definitely not parquet")
    with pytest.raises(DataError, match=str(path)):
        store.scan("trades", [DAY]).collect()


def test_a_mistyped_file_is_a_data_error_naming_it(tmp_path: Path) -> None:
    store = _store(tmp_path)
    store.ensure(["trades"], [DAY], ["XLON"])
    path = store.path("trades", DAY, "XLON")
    pl.read_parquet(path).with_columns(pl.col("Size").cast(pl.Int32)).write_parquet(path)
    with pytest.raises(DataError, match=r"'trades' in .*mic=XLON.*'Size' has dtype Int32"):
        store.scan("trades", [DAY])


def test_reference_generates_only_the_reference(tmp_path: Path) -> None:
    store = _store(tmp_path)
    reference = store.reference(DAY)
    assert reference.height == 24
    assert reference.schema == TABLES["reference"].schema
    assert (reference["Date"].dt.date() == DAY).all()
    assert {path.parts[-4] for path in tmp_path.rglob("data.parquet")} == {"reference"}
    assert store.reference(SATURDAY).is_empty()


def test_mics_and_trading_days(tmp_path: Path) -> None:
    store = _store(tmp_path)
    assert store.mics() == ["XAMS", "XETR", "XLON", "XPAR"]
    days = store.trading_days(date(2025, 12, 24), date(2025, 12, 31), ["XETR", "XLON"])
    assert days == [date(2025, 12, 24), date(2025, 12, 29), date(2025, 12, 30), date(2025, 12, 31)]
    assert store.trading_days(date(2025, 12, 24), date(2025, 12, 31), ["XETR"]) == [
        date(2025, 12, 29),
        date(2025, 12, 30),
    ]


def test_venue_holidays_are_never_generated(tmp_path: Path) -> None:
    store = _store(tmp_path)
    bank_holiday, labour_day = date(2025, 5, 26), date(2025, 5, 1)
    assert store.missing(["trades"], [bank_holiday, labour_day], ["XLON", "XPAR"]) == [
        (labour_day, "XLON"),
        (bank_holiday, "XPAR"),
    ]
    assert store.ensure(["trades"], [bank_holiday], ["XLON"]) == []
    assert not any(tmp_path.rglob("data.parquet"))
    assert sorted(store.reference(bank_holiday)["MIC"].unique()) == ["XAMS", "XETR", "XPAR"]
    assert store.trading_days(date(2025, 5, 23), date(2025, 5, 27), ["XLON"]) == [
        date(2025, 5, 23),
        date(2025, 5, 27),
    ]


@pytest.fixture
def imported(tmp_path: Path, fixtures_dir: Path) -> MarketDataStore:
    """A real-data store holding the fixture files."""
    store = MarketDataStore(tmp_path / "real", generate_missing=False)
    for table in FIXTURE_ORDER:
        written = store.import_file(table, fixtures_dir / TABLES[table].fixture_file)
        assert written == [store.path(table, DAY, "XLON")]
    return store


@pytest.mark.parametrize("table", FIXTURE_ORDER)
def test_imported_fixtures_scan_back_to_the_same_rows(
    imported: MarketDataStore, fixtures_dir: Path, table: str
) -> None:
    original = pl.read_parquet(fixtures_dir / TABLES[table].fixture_file)
    scanned = imported.scan(table, [DAY], columns=original.columns).collect()
    expected = original.sort("ListingId", TABLES[table].time_column, maintain_order=True)
    assert_frame_equal(scanned, expected)
    assert file_source(imported.path(table, DAY, "XLON")).startswith("import(")


def test_imported_files_scan_with_the_spec_schema(imported: MarketDataStore) -> None:
    reference = imported.scan("reference", [DAY]).collect()
    assert reference.schema == TABLES["reference"].schema
    assert reference["IndexMembership"].to_list() == [None]
    assert imported.reference(DAY)["Ticker"].to_list() == ["VOD"]


def test_importing_again_replaces_the_same_listings(
    imported: MarketDataStore, fixtures_dir: Path
) -> None:
    imported.import_file("trades", fixtures_dir / "trades-plus.parquet")
    assert imported.row_count("trades", [DAY]) == 50
    other = pl.read_parquet(fixtures_dir / "trades-plus.parquet").with_columns(
        pl.lit(999).cast(pl.Int64).alias("ListingId")
    )
    other_file = imported.root.parent / "other.parquet"
    other.write_parquet(other_file)
    imported.import_file("trades", other_file)
    assert imported.row_count("trades", [DAY]) == 100


def test_import_without_mic_or_reference_explains_what_to_do(
    tmp_path: Path, fixtures_dir: Path
) -> None:
    store = MarketDataStore(tmp_path, generate_missing=False)
    with pytest.raises(DataError, match="no MIC column and no reference for ListingId 121317"):
        store.import_file("l3", fixtures_dir / "l3.parquet")
    assert store.import_file("l3", fixtures_dir / "l3.parquet", mic="XLON") == [
        store.path("l3", DAY, "XLON")
    ]


def test_import_rejects_bad_files(tmp_path: Path, fixtures_dir: Path) -> None:
    store = MarketDataStore(tmp_path, generate_missing=False)
    with pytest.raises(DataError, match="no such file"):
        store.import_file("trades", tmp_path / "missing.parquet")
    with pytest.raises(DataError, match=r"'l2' in .*trades-plus.parquet: missing column"):
        store.import_file("l2", fixtures_dir / "trades-plus.parquet")
    assert list(tmp_path.iterdir()) == []


def test_synthetic_data_is_never_mixed_into_imported_partitions(
    tmp_path: Path, fixtures_dir: Path
) -> None:
    store = _store(tmp_path)
    store.import_file("trades", fixtures_dir / "trades-plus.parquet")
    with pytest.raises(DataError, match=r"cannot generate XLON 2026-01-02: .*import\(trades-plus"):
        store.ensure(["l2"], [DAY], ["XLON"])
    assert store.reference(DAY)["MIC"].unique().sort().to_list() == ["XAMS", "XETR", "XPAR"]
    store.ensure(["trades"], [DAY], ["XPAR"])
    store.path("l2", DAY, "XPAR").unlink()
    with pytest.raises(DataError, match=r"holds data from synthetic\(seed=42"):
        MarketDataStore(tmp_path, seed=1).ensure(["l2"], [DAY], ["XPAR"])


def test_summary_describes_the_store(tmp_path: Path) -> None:
    store = _store(tmp_path)
    store.ensure(TABLES, [DAY, date(2026, 1, 5)], ["XLON"])
    summary = store.summary()
    assert summary["table"].to_list() == sorted(TABLES)
    trades = summary.row(by_predicate=pl.col("table") == "trades", named=True)
    assert trades["mics"] == "XLON" and trades["dates"] == 2
    assert trades["rows"] == store.row_count("trades", [DAY, date(2026, 1, 5)])
    assert trades["sources"] == ["synthetic(seed=42, trades_per_listing=200)"]
