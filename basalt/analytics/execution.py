"""``execution``: where volume traded, lit book or off book, by aggressor side."""

from __future__ import annotations

import polars as pl

from basalt.analytics.registry import Analytic, PassInputs, documents, register_analytic
from basalt.analytics.trade import PRICE, safe_ratio, side_mask
from basalt.config.modules.execution import ExecutionAnalyticsConfig

KEYS = ["ListingId", "TimeBucket"]


def venue_mask(venue: str, config: ExecutionAnalyticsConfig) -> pl.Expr:
    classes = config.lit_classifications if venue == "Lit" else config.off_book_classifications
    return pl.col("Classification").is_in(classes)


def _both(venue: pl.Expr, side: pl.Expr | None) -> pl.Expr:
    return venue if side is None else venue & side


@documents("Lit{Side}Volume", "OffBook{Side}Volume")
def venue_volume(mask: pl.Expr) -> pl.Expr:
    """Volume traded on the lit book (or off book) by that aggressor side."""
    return pl.col("Size").cast(pl.Float64).filter(mask).sum()


@documents("Lit{Side}VWAP", "OffBook{Side}VWAP")
def venue_vwap(mask: pl.Expr) -> pl.Expr:
    """VWAP of the lit (or off-book) trades of that aggressor side."""
    size = pl.col("Size").cast(pl.Float64)
    return safe_ratio((pl.col(PRICE) * size).filter(mask).sum(), size.filter(mask).sum())


@register_analytic
class ExecutionAnalytic(Analytic[ExecutionAnalyticsConfig]):
    module_name = "execution"

    def compute(self, config: ExecutionAnalyticsConfig, inputs: PassInputs) -> pl.LazyFrame:
        measures = {"Volume": venue_volume, "VWAP": venue_vwap}
        aggs = [
            measures[m](_both(venue_mask(v, config), side_mask(s))).alias(f"{v}{s}{m}")
            for v in config.venues
            for s in config.sides
            for m in config.measures
        ]
        return inputs.tables["trades"].group_by(KEYS).agg(aggs)
