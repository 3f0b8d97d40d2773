"""Checks on a pass output, as plain functions of a Polars frame (Dagster wiring is in
``assets``): not empty, unique keys, ``TimeBucket`` increasing per key, null rate under a bound
per column; and whether the config a demo's assets run is the one its files hold
(``config_is_current``). Freshness is Dagster's own (:mod:`basalt.dagster.freshness`).
"""

from __future__ import annotations

import fnmatch
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import polars as pl

NOT_EMPTY = "not_empty"
UNIQUE_KEYS = "unique_keys"
TIME_BUCKET_INCREASING = "time_bucket_increasing"
NULL_RATE = "null_rate"
CONFIG_IS_CURRENT = "config_is_current"
DATA_CHECKS = (NOT_EMPTY, UNIQUE_KEYS, TIME_BUCKET_INCREASING, NULL_RATE)
DESCRIPTIONS = {
    NOT_EMPTY: "The output has at least one row.",
    UNIQUE_KEYS: "No two rows share the output's key (ListingId or MIC or Index, TimeBucket).",
    TIME_BUCKET_INCREASING: "TimeBucket strictly increases within each listing (or index).",
    NULL_RATE: "Each column's share of nulls is under its bound (keys: none allowed).",
    CONFIG_IS_CURRENT: "The config the code location loaded is the one the demo's files hold.",
}
# Metric columns may be empty by construction (a dense timeline, an off-book VWAP by side):
# by default only key columns are bounded. Tighten per column with null_rate_bounds.
DEFAULT_NULL_RATE = 1.0
ROW_PREVIEW = 5


@dataclass(frozen=True)
class CheckOutcome:
    passed: bool
    description: str
    metadata: dict[str, Any] = field(default_factory=dict)


def check_not_empty(frame: pl.DataFrame) -> CheckOutcome:
    rows = frame.height
    text = f"{rows:,} rows" if rows else "the output has no row"
    return CheckOutcome(rows > 0, text, {"rows": rows})


def check_unique_keys(frame: pl.DataFrame, keys: Sequence[str]) -> CheckOutcome:
    missing = [k for k in keys if k not in frame.columns]
    if missing:
        return CheckOutcome(False, f"key column {missing[0]} is missing", {"keys": list(keys)})
    duplicated = frame.select(pl.struct(list(keys)).is_duplicated()).to_series()
    count = int(duplicated.sum())
    meta: dict[str, Any] = {"keys": list(keys), "duplicate_rows": count}
    if count:
        meta["first_duplicates"] = _rows_text(frame.filter(duplicated).select(keys).head(3))
        return CheckOutcome(False, f"{count:,} rows share a ({', '.join(keys)}) key", meta)
    return CheckOutcome(True, f"every ({', '.join(keys)}) is unique", meta)


def check_time_bucket_increasing(frame: pl.DataFrame, keys: Sequence[str]) -> CheckOutcome:
    group = [k for k in keys if k != "TimeBucket"]
    if "TimeBucket" not in frame.columns or any(g not in frame.columns for g in group):
        return CheckOutcome(False, "TimeBucket or a key column is missing", {"keys": list(keys)})
    step = pl.col("TimeBucket").diff()
    step = step.over(group) if group else step
    bad = frame.select((step <= pl.duration(microseconds=0)).fill_null(False)).to_series()
    count = int(bad.sum())
    meta: dict[str, Any] = {"per": group, "out_of_order_rows": count}
    if count:
        meta["first_out_of_order"] = _rows_text(frame.filter(bad).select(keys).head(3))
        return CheckOutcome(False, f"{count:,} rows do not follow an earlier TimeBucket", meta)
    return CheckOutcome(True, f"TimeBucket increases within each {'/'.join(group)}", meta)


def null_rate_bound(column: str, bounds: Mapping[str, float], keys: Sequence[str]) -> float:
    """The bound for a column: an exact entry, else the first matching pattern (``Trade*``),
    else 0 for a key column, else ``bounds['*']`` or :data:`DEFAULT_NULL_RATE`."""
    if column in bounds:
        return float(bounds[column])
    for pattern, bound in bounds.items():
        if pattern != "*" and fnmatch.fnmatchcase(column, pattern):
            return float(bound)
    if column in keys:
        return 0.0
    return float(bounds.get("*", DEFAULT_NULL_RATE))


def check_null_rates(
    frame: pl.DataFrame, bounds: Mapping[str, float], keys: Sequence[str]
) -> CheckOutcome:
    rows = frame.height
    rates = {
        c: (n / rows if rows else 0.0) for c, n in frame.null_count().row(0, named=True).items()
    }
    over = {
        c: (round(rate, 4), null_rate_bound(c, bounds, keys))
        for c, rate in rates.items()
        if rate > null_rate_bound(c, bounds, keys)
    }
    meta: dict[str, Any] = {
        "null_rates": {c: round(r, 4) for c, r in rates.items() if r > 0},
        "bounds": {c: null_rate_bound(c, bounds, keys) for c in frame.columns},
    }
    if over:
        shown = ", ".join(f"{c} {r:.1%} > {b:.1%}" for c, (r, b) in over.items())
        meta["over_bound"] = {c: r for c, (r, _) in over.items()}
        return CheckOutcome(False, f"null rate over its bound: {shown}", meta)
    return CheckOutcome(True, "every column's null rate is within its bound", meta)


def data_checks(
    frame: pl.DataFrame, keys: Sequence[str], bounds: Mapping[str, float] | None = None
) -> dict[str, CheckOutcome]:
    """Every data check of one output, by check name."""
    return {
        NOT_EMPTY: check_not_empty(frame),
        UNIQUE_KEYS: check_unique_keys(frame, keys),
        TIME_BUCKET_INCREASING: check_time_bucket_increasing(frame, keys),
        NULL_RATE: check_null_rates(frame, bounds or {}, keys),
    }


def skipped_checks(reason: str) -> dict[str, CheckOutcome]:
    """Outcomes when there is nothing to check (no trading day in the partition)."""
    return {
        name: CheckOutcome(True, f"skipped: {reason}", {"skipped": reason}) for name in DATA_CHECKS
    }


def check_config_current(
    loaded_sha256: str,
    source: str,
    disk_sha256: str | None,
    disk_error: str | None,
    load_error: str | None = None,
) -> CheckOutcome:
    """Pass when the files on disk hold the loaded config (``disk_sha256``); fail with the
    files' error (``FILE:LINE:COL: message``), else with ``load_error`` (why the code location
    runs another config), else because the files changed since the code location loaded."""
    meta: dict[str, Any] = {"config_sha256": loaded_sha256, "config_source": source}
    if disk_error is not None:
        meta["error"] = disk_error
        return CheckOutcome(False, f"The files on disk do not load: {disk_error}", meta)
    meta["disk_config_sha256"] = disk_sha256
    if disk_sha256 == loaded_sha256:
        return CheckOutcome(True, "The files on disk hold the loaded config.", meta)
    if load_error is not None:
        meta["error"] = load_error
        return CheckOutcome(False, f"The files on disk do not load: {load_error}", meta)
    return CheckOutcome(
        False, "The files changed since the code location loaded them; reload it.", meta
    )


def _rows_text(frame: pl.DataFrame) -> str:
    return "; ".join(
        ", ".join(f"{k}={v}" for k, v in row.items()) for row in frame.iter_rows(named=True)
    )


def markdown_table(frame: pl.DataFrame, rows: int = ROW_PREVIEW) -> str:
    """The first rows as a Markdown table (pipes escaped, floats to 6 significant digits)."""
    head = frame.head(rows)

    def cell(value: Any) -> str:
        if value is None:
            return ""
        if isinstance(value, float):
            value = f"{value:.6g}"
        return str(value).replace("|", "\\|").replace("\n", " ")

    lines = [
        "| " + " | ".join(cell(c) for c in head.columns) + " |",
        "| " + " | ".join("---" for _ in head.columns) + " |",
    ]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in head.iter_rows()]
    return "\n".join(lines)
