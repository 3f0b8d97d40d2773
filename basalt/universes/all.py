"""Universe kind ``all``: every listing in the reference data of the date."""

import polars as pl


def select(reference: pl.DataFrame, value: str | None) -> pl.DataFrame:
    return reference
