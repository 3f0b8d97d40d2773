"""``trade``: OHLC, volume, count, notional, VWAP, average and median price, volatility.

Sides are by aggressor: Total (every counted trade), Buy (``AggressorSide`` 1), Sell (2).
Only trades whose ``Classification`` is in the config's ``classifications`` count. Prices
are ``InstrumentCurrencyPrice`` (the listing's currency), which equals ``Price`` for lit trades.
"""

from __future__ import annotations

import polars as pl

from basalt.analytics.key_runs import aggregate_runs, ordered_sum
from basalt.analytics.registry import Analytic, PassInputs, documents, register_analytic
from basalt.config.modules.base import as_list
from basalt.config.modules.trade import TradeAnalyticsConfig

KEYS = ["ListingId", "TimeBucket"]
# Prices in the listing's own currency: real files quote some off-book XLON trades in GBP
# while lit trades are in GBp, so ``Price`` cannot be mixed across trade types.
PRICE = "InstrumentCurrencyPrice"
TIME = "TradeTimestamp"
_SIDE_CODES = {"Buy": 1, "Sell": 2}


def side_mask(side: str) -> pl.Expr | None:
    """Rows of a side by ``AggressorSide``; ``None`` (no filter) for Total."""
    return None if side == "Total" else pl.col("AggressorSide") == _SIDE_CODES[side]


def only(expr: pl.Expr, mask: pl.Expr | None) -> pl.Expr:
    """``expr`` restricted to the rows of ``mask`` (all rows when ``mask`` is None)."""
    return expr if mask is None else expr.filter(mask)


def safe_ratio(numerator: pl.Expr, denominator: pl.Expr) -> pl.Expr:
    """``numerator / denominator``, null (not NaN) where the denominator is zero."""
    return pl.when(denominator != 0).then(numerator / denominator)


def _price(mask: pl.Expr | None) -> pl.Expr:
    """Prices of the bucket's trades, in trade-time order (ties in file order): the rows of
    a run come in time order (`aggregate_runs` with ``order_by``)."""
    return only(pl.col(PRICE), mask)


SIZE = pl.col("Size").cast(pl.Float64)


@documents("Trade{Side}Open", "Trade{Side}High", "Trade{Side}Low", "Trade{Side}Close")
def ohlc(mask: pl.Expr | None, prefix: str) -> list[pl.Expr]:
    """First, highest, lowest and last trade price in the bucket."""
    price = _price(mask)
    return [
        price.first().alias(f"{prefix}Open"),
        price.max().alias(f"{prefix}High"),
        price.min().alias(f"{prefix}Low"),
        price.last().alias(f"{prefix}Close"),
    ]


@documents("Trade{Side}Volume")
def volume(mask: pl.Expr | None) -> pl.Expr:
    """Traded volume: sum of Size."""
    return ordered_sum(SIZE, mask)


@documents("Trade{Side}Count")
def count(mask: pl.Expr | None) -> pl.Expr:
    """Number of trades."""
    return _price(mask).count().cast(pl.Int64)


@documents("Trade{Side}Notional")
def notional(mask: pl.Expr | None) -> pl.Expr:
    """Traded value: sum of Price x Size."""
    return ordered_sum(pl.col(PRICE) * SIZE, mask)


@documents("Trade{Side}VWAP")
def vwap(mask: pl.Expr | None) -> pl.Expr:
    """Volume-weighted average price: Notional / Volume."""
    return safe_ratio(notional(mask), volume(mask))


@documents("Trade{Side}AvgPrice")
def avg_price(mask: pl.Expr | None) -> pl.Expr:
    """Mean trade price (each trade counts once)."""
    return safe_ratio(ordered_sum(pl.col(PRICE), mask), _price(mask).count())


@documents("Trade{Side}MedianPrice")
def median_price(mask: pl.Expr | None) -> pl.Expr:
    """Median trade price."""
    return _price(mask).median()


@documents("Trade{Side}Volatility")
def volatility(mask: pl.Expr | None) -> pl.Expr:
    """Standard deviation of log returns between consecutive trades in the bucket."""
    return _price(mask).log().diff().std()


_MEASURES = {
    "Volume": volume,
    "Count": count,
    "Notional": notional,
    "VWAP": vwap,
    "AvgPrice": avg_price,
    "MedianPrice": median_price,
    "Volatility": volatility,
}


def trade_aggregations(config: TradeAnalyticsConfig) -> list[pl.Expr]:
    """One aggregation per output column, in the order the config lists them."""
    exprs: dict[str, pl.Expr] = {}
    for spec in config.generic_metrics:
        for side in as_list(spec.sides):
            mask = side_mask(side)
            for measure in as_list(spec.measures):
                if measure == "OHLC":
                    for expr in ohlc(mask, f"Trade{side}"):
                        exprs.setdefault(expr.meta.output_name(), expr)
                else:
                    name = f"Trade{side}{measure}"
                    exprs.setdefault(name, _MEASURES[measure](mask).alias(name))
    return list(exprs.values())


@register_analytic
class TradeAnalytic(Analytic[TradeAnalyticsConfig]):
    module_name = "trade"

    def compute(self, config: TradeAnalyticsConfig, inputs: PassInputs) -> pl.LazyFrame:
        trades = inputs.tables["trades"].filter(
            pl.col("Classification").is_in(config.classifications)
        )
        # the store's order keeps each bucket's trades together, in time order: aggregate
        # them as slices of the frame
        return aggregate_runs(trades, KEYS, trade_aggregations(config), order_by=TIME)
