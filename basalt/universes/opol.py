"""Universe kind ``opol``: listings whose operating venue is ``value`` (``opol=XPAR``)."""

import polars as pl


def select(reference: pl.DataFrame, value: str | None) -> pl.DataFrame:
    return reference.filter(pl.col("OPOL") == value)
