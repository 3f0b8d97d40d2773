"""Checks as plain functions: each passes on a good output and fails on a broken one."""

from __future__ import annotations

import datetime as dt

import polars as pl

from basalt.dagster import checks

KEYS = ("ListingId", "TimeBucket")
T0 = dt.datetime(2025, 1, 2, 8, 1)


def bars(rows: list[tuple]) -> pl.DataFrame:
    return pl.DataFrame(
        rows,
        schema={
            "ListingId": pl.Int64,
            "TimeBucket": pl.Datetime("us"),
            "TradeTotalVWAP": pl.Float64,
        },
        orient="row",
    )


GOOD = bars([(1, T0, 10.0), (1, T0 + dt.timedelta(minutes=1), None), (2, T0, 20.0)])


def test_a_good_output_passes_every_check():
    outcomes = checks.data_checks(GOOD, KEYS, {})
    assert {name: o.passed for name, o in outcomes.items()} == dict.fromkeys(
        checks.DATA_CHECKS, True
    )
    assert outcomes[checks.NOT_EMPTY].metadata["rows"] == 3
    assert outcomes[checks.NULL_RATE].metadata["null_rates"] == {"TradeTotalVWAP": 0.3333}


def test_each_check_fails_on_a_broken_output():
    assert not checks.check_not_empty(GOOD.clear()).passed
    duplicated = pl.concat([GOOD, GOOD.head(1)])
    dup = checks.check_unique_keys(duplicated, KEYS)
    assert not dup.passed and dup.metadata["duplicate_rows"] == 2
    assert "ListingId=1" in dup.metadata["first_duplicates"]
    backwards = GOOD.sort("TimeBucket", descending=True).sort("ListingId", maintain_order=True)
    order = checks.check_time_bucket_increasing(backwards, KEYS)
    assert not order.passed and order.metadata["out_of_order_rows"] == 1
    # two listings interleaved, each increasing: fine
    interleaved = GOOD.sort("TimeBucket", "ListingId")
    assert checks.check_time_bucket_increasing(interleaved, KEYS).passed
    nulls = GOOD.with_columns(pl.lit(None, pl.Int64).alias("ListingId"))
    rate = checks.check_null_rates(nulls, {}, KEYS)
    assert not rate.passed and "ListingId 100.0% > 0.0%" in rate.description


def test_null_rate_bounds_per_column_and_pattern():
    assert checks.null_rate_bound("ListingId", {}, KEYS) == 0.0
    assert checks.null_rate_bound("TradeTotalVWAP", {}, KEYS) == checks.DEFAULT_NULL_RATE
    assert checks.null_rate_bound("TradeTotalVWAP", {"Trade*": 0.2}, KEYS) == 0.2
    assert (
        checks.null_rate_bound("TradeTotalVWAP", {"Trade*": 0.2, "TradeTotalVWAP": 0.5}, KEYS)
        == 0.5
    )
    assert checks.null_rate_bound("Other", {"*": 0.1}, KEYS) == 0.1
    tight = checks.check_null_rates(GOOD, {"TradeTotalVWAP": 0.25}, KEYS)
    assert not tight.passed and tight.metadata["over_bound"] == {"TradeTotalVWAP": 0.3333}
    assert checks.check_null_rates(GOOD, {"TradeTotalVWAP": 0.5}, KEYS).passed


def test_index_level_outputs_are_keyed_on_index():
    index = pl.DataFrame({"Index": ["SYN20", "SYN20"], "TimeBucket": [T0, T0]})
    outcome = checks.check_unique_keys(index, ("Index", "TimeBucket"))
    assert not outcome.passed and "(Index, TimeBucket)" in outcome.description
    assert not checks.check_unique_keys(index, KEYS).passed  # no ListingId column: said so


def test_markdown_preview():
    table = checks.markdown_table(pl.DataFrame({"A": [1.23456789, None], "B|C": ["x|y", "z"]}))
    assert table.splitlines() == [
        "| A | B\\|C |",
        "| --- | --- |",
        "| 1.23457 | x\\|y |",
        "|  | z |",
    ]
