"""Universe kind ``mic``: the listings of one venue (``mic=XLON``; several with ``mic=XLON,XPAR``)."""

import polars as pl


def select(reference: pl.DataFrame, value: str | None) -> pl.DataFrame:
    return reference.filter(pl.col("MIC").is_in([v.strip() for v in (value or "").split(",")]))
