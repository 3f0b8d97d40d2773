"""Universe kind ``index``: members of an index (``index=SYN20``), from ``IndexMembership``."""

import polars as pl


def select(reference: pl.DataFrame, value: str | None) -> pl.DataFrame:
    return reference.filter(pl.col("IndexMembership").list.contains(value or ""))
