"""The table registry against the real-format fixtures and the generator."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from basalt.data import DataError, validate_frame
from basalt.data.tables import TABLES, schema_problems, table_spec, tables_markdown

README = Path(__file__).resolve().parents[2] / "basalt" / "data" / "README.md"


@pytest.mark.parametrize("table", list(TABLES))
def test_fixture_files_satisfy_their_spec(fixtures_dir: Path, table: str) -> None:
    spec = TABLES[table]
    schema = pl.read_parquet_schema(fixtures_dir / spec.fixture_file)
    assert schema_problems(spec, schema) == []
    assert schema[spec.time_column] == spec.columns[spec.time_column]


@pytest.mark.parametrize("table", list(TABLES))
def test_generated_tables_equal_the_spec_and_the_fixture_dtypes(
    fixtures_dir: Path, partition: dict[str, pl.DataFrame], table: str
) -> None:
    spec = TABLES[table]
    generated = partition[table].schema
    assert dict(generated) == dict(spec.columns)
    fixture = pl.read_parquet_schema(fixtures_dir / spec.fixture_file)
    shared = [name for name in generated if name in fixture]
    assert shared, "a generated table shares columns with its fixture"
    assert {name: generated[name] for name in shared} == {name: fixture[name] for name in shared}


def test_extensions_are_the_only_columns_missing_from_the_fixtures(fixtures_dir: Path) -> None:
    missing = {
        name: sorted(
            set(spec.columns) - set(pl.read_parquet_schema(fixtures_dir / spec.fixture_file))
        )
        for name, spec in TABLES.items()
    }
    assert missing == {
        "trades": [],
        "l2": [],
        "l3": [],
        "marketstate": [],
        "reference": ["IndexMembership", "TickSize"],
    }


def test_validate_frame_names_table_file_and_every_problem() -> None:
    frame = pl.DataFrame(
        {"ListingId": [1], "TradeTimestamp": [0], "Price": ["1.0"]},
        schema_overrides={"TradeTimestamp": pl.Datetime("ns")},
    )
    with pytest.raises(DataError) as caught:
        validate_frame("trades", frame, source="/data/my_trades.parquet")
    message = str(caught.value)
    assert "'trades'" in message and "/data/my_trades.parquet" in message
    assert "Size" in message and "AggressorSide" in message
    assert "'TradeTimestamp' has dtype Datetime(time_unit='ns'" in message
    assert "'Price' has dtype String, expected Float64" in message


def test_validate_frame_accepts_extra_columns_lazy_frames_and_schemas(
    partition: dict[str, pl.DataFrame],
) -> None:
    trades = partition["trades"].with_columns(pl.lit(1).alias("Extra"))
    validate_frame("trades", trades)
    validate_frame("trades", trades.lazy())
    validate_frame(table_spec("trades"), trades.schema)


def test_optional_columns_may_be_absent_but_not_mistyped() -> None:
    reference = TABLES["reference"]
    schema = {name: reference.columns[name] for name in reference.required_columns}
    validate_frame("reference", schema)
    with pytest.raises(DataError, match="'IndexMembership' has dtype String"):
        validate_frame("reference", {**schema, "IndexMembership": pl.String()})


def test_unknown_table_lists_the_known_ones() -> None:
    with pytest.raises(DataError, match="unknown table 'quotes'.*trades, l2, l3"):
        table_spec("quotes")


def test_readme_table_section_is_generated_from_the_specs() -> None:
    assert tables_markdown() in README.read_text()
