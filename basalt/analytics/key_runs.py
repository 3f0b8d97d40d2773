"""Grouping by runs of equal keys: an aggregation over slices of the frame instead of hashing.

The store writes each file in (``ListingId``, time) order, so the rows of one (``ListingId``,
``TimeBucket``) follow each other, in time order. Numbering the runs of equal keys and
grouping on that number (sorted by construction) lets Polars aggregate each group as a slice
of the frame: the trade bars take half the time of a hash group-by, the first and last rows of
a run are its first and last in time, and a group's result does not depend on how many other
rows the batch holds.

A run also ends where time goes back. So a key whose rows are not together, or not in time
order (a file in another order, a bucket spanning two files), forms several runs and comes out
more than once: never a wrong value, only a repeated key. `repeats_keys` tells; the runner then
computes the pass again on its tables sorted by (``ListingId``, time), where every key is one
run.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

RUN = "__key_run"


def key_runs(frame: pl.LazyFrame, keys: Sequence[str], order_by: str | None = None) -> pl.LazyFrame:
    """``frame`` with `RUN`: the number of the run of equal ``keys`` each row belongs to; with
    ``order_by``, a run also ends before a row whose ``order_by`` is less than the row above."""
    ends = [pl.col(k).ne_missing(pl.col(k).shift()) for k in keys]
    if order_by is not None:
        ends.append((pl.col(order_by) < pl.col(order_by).shift()).fill_null(False))
    return frame.with_columns(pl.any_horizontal(ends).cum_sum().set_sorted().alias(RUN))


def next_in_run(expr: pl.Expr) -> pl.Expr:
    """``expr`` on the next row of the same run (a frame from `key_runs`); null on a run's
    last row."""
    return pl.when(pl.col(RUN).shift(-1) == pl.col(RUN)).then(expr.shift(-1))


def per_run(runs: pl.LazyFrame, keys: Sequence[str], aggs: list[pl.Expr]) -> pl.LazyFrame:
    """``aggs`` over each run of a frame from `key_runs`, with the keys: one row per run, in
    row order."""
    return runs.group_by(RUN, maintain_order=True).agg(pl.col(*keys).first(), *aggs).drop(RUN)


def aggregate_runs(
    frame: pl.LazyFrame, keys: Sequence[str], aggs: list[pl.Expr], order_by: str | None = None
) -> pl.LazyFrame:
    """``aggs`` over each run of equal ``keys`` (see `key_runs`), with the keys."""
    return per_run(key_runs(frame, keys, order_by), keys, aggs)


def ordered_sum(expr: pl.Expr, mask: pl.Expr | None = None) -> pl.Expr:
    """The sum of ``expr`` over the rows of ``mask``, added one value after another in row
    order. Polars' own ``sum`` over a slice of the frame adds in blocks laid out by the
    slice's place in memory, so the same bucket could differ in its last digit from one batch
    to another. Rows outside ``mask`` add an exact 0.0 (cheaper than filtering them out)."""
    if mask is not None:
        expr = pl.when(mask).then(expr).otherwise(0.0)
    return expr.implode().list.sum()


def repeats_keys(frame: pl.DataFrame, keys: Sequence[str]) -> bool:
    """Whether some ``keys`` appear on more than one row of ``frame``."""
    return frame.height > 0 and bool(frame.select(pl.struct(keys).is_duplicated().any()).item())
