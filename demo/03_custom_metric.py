"""Demo 03: your own metric as a module, declared in this file, next to the built-in ``trade``.

``LargeTradesConfig`` below is a complete analytics module in one class, registered without
touching the library:

- the class variables are its metadata: ``module_name`` (the name listed in a pass's
  ``modules``), ``tier``, ``description`` and ``required_tables`` (what the runner loads);
- its fields are its knobs, set per pass under ``large_trades_analytics`` and validated like
  any built-in module's (try ``large_trade_threshold: -1`` in the YAML);
- ``output_columns`` promises the exact columns without touching data (the runner, the
  editors and ``basalt analytics list`` rely on it);
- ``compute`` returns a LazyFrame keyed on (``ListingId``, ``TimeBucket``); the runner joins
  it with the other modules' frames. ``inputs.tables["trades"]`` already has ``TimeBucket``.

To try: add a knob (e.g. ``classifications``), or a third column such as ``LargeTradeVWAP``
(add it to ``output_columns`` and to ``compute``).
"""

from typing import ClassVar

import polars as pl
from pydantic import Field

from basalt.analytics.registry import PassInputs, documents
from basalt.config import ColumnContext, ModuleConfig, register_module

KEYS = ["ListingId", "TimeBucket"]


@documents("LargeTradeCount")
def large_trade_count(large: pl.Expr) -> pl.Expr:
    """Number of lit continuous trades whose notional reaches large_trade_threshold."""
    return large.sum().cast(pl.Int64)


@documents("LargeTradeShare")
def large_trade_share(large: pl.Expr) -> pl.Expr:
    """Share of the bucket's lit continuous volume (shares) traded in large trades, 0 to 1."""
    size = pl.col("Size").cast(pl.Float64)
    total = size.sum()
    return pl.when(total > 0).then(size.filter(large).sum() / total)


@register_module
class LargeTradesConfig(ModuleConfig):
    """Large trades: how many, and how much of the volume they carry."""

    module_name: ClassVar[str] = "large_trades"
    tier: ClassVar[str] = "core"
    description: ClassVar[str] = "Count and volume share of trades above a notional threshold"
    required_tables: ClassVar[tuple[str, ...]] = ("trades",)

    large_trade_threshold: float = Field(
        25_000.0,
        gt=0,
        description="Notional (price x shares, in the listing's currency) at or above which a "
        "trade is large. Pence on XLON, euros elsewhere.",
    )

    def output_columns(self, ctx: ColumnContext) -> list[str]:
        return ["LargeTradeCount", "LargeTradeShare"]

    def compute(self, inputs: PassInputs) -> pl.LazyFrame:
        trades = inputs.tables["trades"].filter(pl.col("Classification") == "LIT_CONTINUOUS")
        notional = pl.col("InstrumentCurrencyPrice") * pl.col("Size")
        large = notional >= self.large_trade_threshold
        return trades.group_by(KEYS).agg(
            large_trade_count(large).alias("LargeTradeCount"),
            large_trade_share(large).alias("LargeTradeShare"),
        )


USER_CONFIG = {
    "DATASETNAME": "large_trades",
    "START_DATE": "2025-01-03",
    "END_DATE": "2025-01-03",
    "UNIVERSE": "mic=XETR",
    "PASSES": [
        {
            "name": "large_5m",
            "time_bucket_seconds": 300,
            "modules": ["trade", "large_trades"],
            "trade_analytics": {
                "generic_metrics": [{"sides": "Total", "measures": ["Volume", "Count", "VWAP"]}],
            },
            "large_trades_analytics": {"large_trade_threshold": 25_000},
        }
    ],
}

# Which wins when both set a key: the YAML beside this file (yaml_overrides) or this dict.
CONFIG_YAML_PRECEDENCE = "yaml_overrides"


def get_universe(date):
    """The listings this demo covers on ``date``: every XETR listing in the reference data."""
    from basalt.universes import get_universe as universe_for

    return universe_for(date, "mic=XETR")


if __name__ == "__main__":
    from basalt.pipeline.cli import run_cli

    run_cli(USER_CONFIG, get_universe, config_file=__file__)
