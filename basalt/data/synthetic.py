"""Deterministic synthetic market data in the real-format layout of `basalt.data.tables`.

`generate_partition(day, mic)` returns every table of one (date, venue): same seed, date
and MIC give identical frames (and so byte-identical parquet files). All work is
vectorised with numpy; the only Python loop is over the six listings of a venue.

The model, per listing and day (see `basalt/data/README.md` for the invariants):

- market states CLOSED -> OPENING_AUCTION -> CONTINUOUS_TRADING -> CLOSING_AUCTION ->
  POST_TRADE -> CLOSED at the venue's session times (random uncross within 30 s);
- an event stream over continuous trading (U-shaped intensity) of quote changes, queue
  joins, size amendments and lit trades (`basalt.data.orderbook`). Quote changes move
  the best bid by one tick (a random walk on the tick grid) and set a one- or two-tick
  spread; lit trades execute at the best ask (buy aggressor) or best bid (sell
  aggressor) against the first order of the level-1 queue and never empty the level, so
  the touch only moves on quote changes;
- `l2` has one snapshot per event (the book after the event) and `l3` the order events
  behind level 1: the live orders of each side are exactly its level-1 queue;
- one opening and one closing auction trade, and some off-book (OTC) prints which, on
  XLON, are reported in GBP like real off-book prints (``InstrumentCurrencyPrice`` is
  always in the listing's currency).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

import numpy as np
import polars as pl

from basalt.data import calendars
from basalt.data.orderbook import DAILY_VOLATILITY, Book, BookInputs, simulate, sizes
from basalt.data.synthetic_defaults import DEFAULT_SEED, DEFAULT_TRADES_PER_LISTING
from basalt.data.tables import (
    L2,
    L3,
    MARKETSTATE,
    REFERENCE,
    TRADES,
    AggressorSide,
    Classification,
    LobAction,
    MarketState,
    Side,
    TradeType,
)

SYN20 = "SYN20"
SYN10 = "SYN10"


_MEDIAN_TRADE_NOTIONAL = 8000.0
_OFF_BOOK_RATIO = 0.04
_EPOCH = datetime(1970, 1, 1)
_PRICE_EPOCH = date(2020, 1, 1)
_ONE_US = timedelta(microseconds=1)


@dataclass(frozen=True)
class Listing:
    """One synthetic listing of the default universe."""

    listing_id: int
    instrument_id: int
    ticker: str
    mic: str
    description: str
    base_price: float
    """Price level in the listing's currency (GBp on XLON)."""
    activity: float
    """Trade intensity relative to the universe mean (1.0)."""
    indices: tuple[str, ...]

    @property
    def isin(self) -> str:
        """A synthetic ISIN-shaped identifier (not a real ISIN)."""
        country = calendars.venue(self.mic).country
        return f"{country}SYN{self.instrument_id:07d}"


_ACTIVITY = (1.4, 1.2, 1.0, 0.9, 0.8, 0.7)
_SYN10_PER_VENUE = {"XLON": 3, "XPAR": 3, "XETR": 2, "XAMS": 2}
_NAMES: dict[str, tuple[tuple[str, str, float], ...]] = {
    "XLON": (
        ("VOD", "VODAFONE GRP.", 99.7),
        ("BARC", "BARCLAYS", 290.0),
        ("HSBA", "HSBC HLDGS.", 880.0),
        ("BP.", "BP", 430.0),
        ("AZN", "ASTRAZENECA", 11200.0),
        ("ULVR", "UNILEVER", 4550.0),
    ),
    "XPAR": (
        ("TTE", "TOTALENERGIES", 56.0),
        ("BNP", "BNP PARIBAS", 68.0),
        ("SAN", "SANOFI", 88.0),
        ("AIR", "AIRBUS", 165.0),
        ("MC", "LVMH", 610.0),
        ("OR", "L'OREAL", 375.0),
    ),
    "XETR": (
        ("SAP", "SAP", 235.0),
        ("SIE", "SIEMENS", 190.0),
        ("ALV", "ALLIANZ", 330.0),
        ("DTE", "DEUTSCHE TELEKOM", 31.0),
        ("BAS", "BASF", 46.0),
        ("BMW", "BMW", 82.0),
    ),
    "XAMS": (
        ("ASML", "ASML HOLDING", 690.0),
        ("INGA", "ING GROEP", 18.5),
        ("PHIA", "KONINKLIJKE PHILIPS", 23.4),
        ("AD", "AHOLD DELHAIZE", 33.0),
        ("HEIA", "HEINEKEN", 72.0),
        ("PRX", "PROSUS", 41.0),
    ),
}


def _build_universe() -> tuple[Listing, ...]:
    listings = []
    for venue_number, (mic, names) in enumerate(_NAMES.items(), start=1):
        for rank, ((ticker, description, price), activity) in enumerate(
            zip(names, _ACTIVITY, strict=True)
        ):
            indices: tuple[str, ...] = (SYN20,) if rank < len(names) - 1 else ()
            if rank < _SYN10_PER_VENUE[mic]:
                indices += (SYN10,)
            listings.append(
                Listing(
                    listing_id=100_000 * venue_number + 1_000 + 17 * rank,
                    instrument_id=500_000 + 100 * venue_number + rank,
                    ticker=ticker,
                    mic=mic,
                    description=description,
                    base_price=price,
                    activity=activity,
                    indices=indices,
                )
            )
    return tuple(listings)


UNIVERSE: tuple[Listing, ...] = _build_universe()
"""24 listings, six on each of XLON, XPAR, XETR and XAMS."""


def listings_on(mic: str) -> tuple[Listing, ...]:
    """The default universe's listings on a venue."""
    return tuple(listing for listing in UNIVERSE if listing.mic == mic)


def generated_mics() -> list[str]:
    """Venues the generator covers."""
    return list(_NAMES)


def _rng(seed: int, day: date, listing: Listing, stream: int) -> np.random.Generator:
    return np.random.default_rng([seed, day.toordinal(), listing.listing_id, stream])


def open_price(listing: Listing, day: date, seed: int = DEFAULT_SEED) -> float:
    """The listing's opening price on a day: a mean-reverting daily log walk around its
    base price (AR(1), so any date is computed directly and nearby dates are close)."""
    days = abs((day - _PRICE_EPOCH).days)
    shocks = np.random.default_rng([seed, listing.listing_id]).standard_normal(days + 1)
    persistence = 0.995
    log_level = float(shocks @ persistence ** np.arange(days, -1, -1)) * DAILY_VOLATILITY
    return listing.base_price * float(np.exp(log_level))


def _major_unit(mic: str) -> float:
    """Factor from the listing currency to its major unit (GBp -> GBP)."""
    return 0.01 if calendars.venue(mic).currency == "GBp" else 1.0


def _midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day)


def _us(moment: datetime) -> int:
    return (moment - _EPOCH) // _ONE_US


def reference_frame(day: date, mic: str, seed: int = DEFAULT_SEED) -> pl.DataFrame:
    """The `reference` table of the default universe on one venue and day."""
    listings = listings_on(mic)
    currency = calendars.venue(mic).currency
    frame = pl.DataFrame(
        {
            "ListingId": [listing.listing_id for listing in listings],
            "MIC": mic,
            "Ticker": [listing.ticker for listing in listings],
            "InstrumentId": [listing.instrument_id for listing in listings],
            "OPOL": mic,
            "CurrencyCode": currency,
            "Description": [listing.description for listing in listings],
            "ISIN": [listing.isin for listing in listings],
            "InstrumentType": "Equity",
            "IsPrimary": True,
            "IsAlive": True,
            "IndexMembership": [list(listing.indices) for listing in listings],
            "TickSize": [
                calendars.tick_size(mic, open_price(listing, day, seed)) for listing in listings
            ],
        },
        schema_overrides={"IndexMembership": pl.List(pl.String)},
    )
    return frame.with_columns(pl.lit(_midnight(day)).cast(pl.Datetime("ms")).alias("Date")).select(
        list(REFERENCE.columns)
    )


@dataclass(frozen=True)
class _Context:
    """Everything fixed about one listing on one day."""

    listing: Listing
    day: date
    tick: float
    open_ticks: int
    trade_scale: int
    """Median trade size in shares."""
    n_trades: int
    session: calendars.Session
    open_uncross_us: int
    close_uncross_us: int

    def prices(self, ticks: np.ndarray) -> np.ndarray:
        """Tick counts to prices. Every tick is 1/k for an integer k, and dividing by k
        gives the double nearest the decimal price (99.64, not 99.64000000000001)."""
        return ticks / round(1 / self.tick)

    def book_inputs(self) -> BookInputs:
        """What the order-book engine needs."""
        return BookInputs(
            open_ticks=self.open_ticks,
            trade_scale=self.trade_scale,
            n_trades=self.n_trades,
            start_us=self.open_uncross_us,
            end_us=_us(self.session.continuous_end),
        )


# --- tables -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _RestingDepth:
    """Shares and order counts resting behind the touch, by minute and price tick (flat,
    row-major), so deeper levels are stable between book changes and move with prices."""

    low_tick: int
    first_minute: int
    width: int
    quantity: np.ndarray
    orders: np.ndarray

    def cells(self, time_us: np.ndarray, ticks: np.ndarray) -> np.ndarray:
        """Flat table positions of (time, tick) pairs."""
        minute = time_us // 60_000_000 - self.first_minute
        return minute * self.width + (ticks - self.low_tick)


def _resting_depth(ctx: _Context, book: Book, rng: np.random.Generator) -> _RestingDepth:
    """Random depth for every tick the day's book reaches (plus a margin), per minute."""
    low = int(book.bid_ticks.min()) - 10
    width = int(book.ask_ticks.max()) + 10 - low + 1
    minutes = book.time_us // 60_000_000
    size = (int(minutes[-1] - minutes[0]) + 1) * width
    return _RestingDepth(
        low_tick=low,
        first_minute=int(minutes[0]),
        width=width,
        quantity=ctx.trade_scale * rng.integers(2, 27, size),
        orders=rng.integers(1, 13, size).astype(np.int32),
    )


def _depth(ctx: _Context, book: Book, resting: _RestingDepth, side: Side) -> dict[str, np.ndarray]:
    """Levels 2-10 of one side: contiguous ticks away from the touch."""
    name = "Bid" if side is Side.BID else "Ask"
    direction = -1 if side is Side.BID else 1
    touch = book.bid_ticks if side is Side.BID else book.ask_ticks
    touch_cell = resting.cells(book.time_us, touch)
    columns: dict[str, np.ndarray] = {}
    for level in range(2, 11):
        away = direction * (level - 1)
        columns[f"{name}Price{level}"] = ctx.prices(touch + away)
        columns[f"{name}Quantity{level}"] = resting.quantity[touch_cell + away] * (1 + level // 4)
        columns[f"{name}NumOrders{level}"] = resting.orders[touch_cell + away]
    return columns


def _datetimes(values: np.ndarray, unit: Literal["ns", "us", "ms"] = "us") -> pl.Series:
    """Integer times since the epoch, in ``unit``, as a naive datetime series."""
    return pl.Series(values, dtype=pl.Int64).cast(pl.Datetime(unit))


def _constants(ctx: _Context, spec_columns: Collection[str]) -> list[pl.Expr]:
    """Per-listing constant columns, restricted to those the table has."""
    listing = ctx.listing
    values = {
        "TradeDate": pl.lit(_midnight(ctx.day)).cast(pl.Datetime("ms")),
        "ListingId": pl.lit(listing.listing_id, dtype=pl.Int64),
        "InstrumentId": pl.lit(listing.instrument_id, dtype=pl.Int64),
        "MIC": pl.lit(listing.mic),
        "OPOL": pl.lit(listing.mic),
        "Ticker": pl.lit(listing.ticker),
        "CurrencyCode": pl.lit(calendars.venue(listing.mic).currency),
        "InstrumentCurrencyCode": pl.lit(calendars.venue(listing.mic).currency),
        "ExecutionVenue": pl.lit(listing.mic),
    }
    return [expr.alias(name) for name, expr in values.items() if name in spec_columns]


def _l2_frame(ctx: _Context, book: Book, rng: np.random.Generator) -> pl.DataFrame:
    """One snapshot per book event: level 1 from the engine, levels 2-10 resting depth."""
    resting = _resting_depth(ctx, book, rng)
    levels: dict[str, np.ndarray] = {
        "BidPrice1": ctx.prices(book.bid_ticks),
        "BidQuantity1": book.bid.quantity,
        "BidNumOrders1": book.bid.orders.astype(np.int32),
        "AskPrice1": ctx.prices(book.ask_ticks),
        "AskQuantity1": book.ask.quantity,
        "AskNumOrders1": book.ask.orders.astype(np.int32),
        **_depth(ctx, book, resting, Side.BID),
        **_depth(ctx, book, resting, Side.ASK),
    }
    frame = pl.DataFrame(levels).with_columns(
        _datetimes(book.time_us).alias("EventTimestamp"),
        pl.lit(MarketState.CONTINUOUS_TRADING.value).alias("MarketState"),
        *_constants(ctx, L2.columns),
    )
    return frame.select(list(L2.columns))


def _order_ids(ctx: _Context, count: int) -> np.ndarray:
    base = (ctx.day.toordinal() * 1_000_000 + ctx.listing.listing_id % 1_000_000) * 10_000_000
    return base + np.arange(count, dtype=np.int64)


def _l3_rows(ctx: _Context, book: Book) -> dict[str, np.ndarray]:
    """Both sides' L3 rows in event order (removals before inserts within an event),
    with their side, nanosecond time and order id."""
    sides = ((Side.BID, book.bid.rows), (Side.ASK, book.ask.rows))
    rows = {name: np.concatenate([r[name] for _, r in sides]) for name in book.bid.rows}
    rows["side"] = np.concatenate([np.full(r["event"].size, s, dtype=np.int64) for s, r in sides])
    bid_orders = book.bid.rows["key"].max(initial=-1) + 1
    rows["key"] = rows["key"] + np.where(rows["side"] == Side.ASK, bid_orders, 0)

    order = np.lexsort((rows["sub"], rows["side"], rows["phase"], rows["event"]))
    rows = {name: values[order] for name, values in rows.items()}
    event = rows["event"]
    first_of_event = np.r_[0, np.flatnonzero(np.diff(event)) + 1]
    rank = np.arange(event.size) - np.repeat(
        first_of_event, np.diff(np.r_[first_of_event, event.size])
    )
    rows["time_ns"] = book.time_us[event] * 1000 + np.minimum(rank, 999)

    is_insert = rows["action"] == LobAction.INSERT
    ids_by_key = np.empty(rows["key"].max(initial=-1) + 1, dtype=np.int64)
    ids_by_key[rows["key"][is_insert]] = _order_ids(ctx, int(is_insert.sum()))
    rows["order_id"] = ids_by_key[rows["key"]]
    return rows


def _l3_frame(ctx: _Context, book: Book, trade_ids: np.ndarray) -> pl.DataFrame:
    """The l3 table of one listing; ``trade_ids`` maps book events to trade ids."""
    rows = _l3_rows(ctx, book)
    executed = rows["exec_size"] > 0
    price = ctx.prices(rows["price_ticks"])
    frame = pl.DataFrame(
        {
            "TimestampNanoseconds": _datetimes(rows["time_ns"], "ns"),
            "EventNo": np.arange(1, executed.size + 1, dtype=np.int64),
            "Side": rows["side"],
            "LobAction": rows["action"],
            "OriginalOrderId": pl.Series(rows["order_id"]).cast(pl.String),
            "Price": price,
            "Size": rows["size"],
            "OldSize": rows["old_size"],
            "OrderExecuted": executed,
            "ExecutionSize": rows["exec_size"],
            "TradeId": pl.Series(trade_ids[rows["event"]]).cast(pl.String),
        }
    )
    action = pl.col("LobAction")
    order_id = pl.col("OriginalOrderId")
    frame = frame.with_columns(
        pl.when(action != LobAction.REMOVE).then("Price").alias("Price"),
        pl.when(action != LobAction.INSERT).then("Price").alias("OldPrice"),
        pl.when("OrderExecuted").then("Price").alias("ExecutionPrice"),
        pl.when(action == LobAction.REMOVE).then(pl.lit("")).otherwise(order_id).alias("OrderId"),
        pl.when(action == LobAction.INSERT)
        .then(pl.lit(""))
        .otherwise(order_id)
        .alias("OldOrderId"),
        pl.when("OrderExecuted").then("TradeId").otherwise(pl.lit("")).alias("TradeId"),
        pl.lit(MarketState.CONTINUOUS_TRADING.value).alias("MarketState"),
        *_constants(ctx, L3.columns),
    )
    return frame.select(list(L3.columns))


@dataclass(frozen=True)
class _Trades:
    """Trades of one listing in time order, before they become a frame."""

    time_us: np.ndarray
    price: np.ndarray
    """In the listing's currency."""
    size: np.ndarray
    aggressor: np.ndarray
    classification: np.ndarray
    """Index into `Classification` members."""
    best_bid: np.ndarray
    best_ask: np.ndarray
    event: np.ndarray
    """The book event of lit continuous trades, -1 otherwise."""


_CLASSES = list(Classification)


def _trade_block(
    time_us: np.ndarray,
    price: np.ndarray,
    size: np.ndarray,
    classification: Classification,
    *,
    aggressor: np.ndarray | None = None,
    best_bid: np.ndarray | None = None,
    best_ask: np.ndarray | None = None,
    event: np.ndarray | None = None,
) -> dict[str, np.ndarray]:
    """Trades of one kind as `_Trades` columns (aggressor unknown, no quote, no event
    unless given)."""
    count = time_us.size
    missing = np.full(count, np.nan)
    return {
        "time_us": time_us,
        "price": price,
        "size": size,
        "aggressor": np.zeros(count, dtype=np.int64) if aggressor is None else aggressor,
        "classification": np.full(count, _CLASSES.index(classification)),
        "best_bid": missing if best_bid is None else best_bid,
        "best_ask": missing if best_ask is None else best_ask,
        "event": np.full(count, -1) if event is None else event,
    }


def _lit_trades(ctx: _Context, book: Book) -> dict[str, np.ndarray]:
    """Continuous trades at the touch: buys lift the ask, sells hit the bid."""
    lit = np.flatnonzero(book.aggressor > 0)
    bid, ask = ctx.prices(book.bid_ticks[lit]), ctx.prices(book.ask_ticks[lit])
    buy = book.aggressor[lit] == AggressorSide.BUY
    return _trade_block(
        book.time_us[lit],
        np.where(buy, ask, bid),
        book.trade_size[lit],
        Classification.LIT_CONTINUOUS,
        aggressor=book.aggressor[lit],
        best_bid=bid,
        best_ask=ask,
        event=lit,
    )


def _off_book_trades(
    ctx: _Context, book: Book, lit_count: int, rng: np.random.Generator
) -> dict[str, np.ndarray]:
    """Larger prints near the prevailing mid, at random times of continuous trading."""
    count = int(round(_OFF_BOOK_RATIO * lit_count)) + 1
    end_us = _us(ctx.session.continuous_end)
    time_us = np.sort(rng.integers(ctx.open_uncross_us + 1, end_us, count))
    event = np.maximum(np.searchsorted(book.time_us, time_us, side="right") - 1, 0)
    bid, ask = ctx.prices(book.bid_ticks[event]), ctx.prices(book.ask_ticks[event])
    price = np.round((bid + ask) / 2 * (1 + rng.normal(0, 3e-4, count)), 4)
    return _trade_block(
        time_us,
        price,
        sizes(rng, count, 6 * ctx.trade_scale),
        Classification.OFF_BOOK_ON_EXCHANGE,
        best_bid=bid,
        best_ask=ask,
    )


def _auction_trade(
    time_us: int, ticks: np.ndarray, size: np.ndarray, ctx: _Context, kind: Classification
) -> dict[str, np.ndarray]:
    return _trade_block(np.array([time_us]), ctx.prices(ticks), size, kind)


def _collect_trades(ctx: _Context, book: Book, rng: np.random.Generator) -> _Trades:
    """Every trade of the listing's day in time order: an opening uncross at the first
    quote's bid, lit continuous trades, off-book prints, a closing uncross at the last bid."""
    lit = _lit_trades(ctx, book)
    auction_size = sizes(rng, 2, 40 * ctx.trade_scale)
    blocks = [
        _auction_trade(
            ctx.open_uncross_us,
            book.bid_ticks[:1],
            auction_size[:1],
            ctx,
            Classification.LIT_OPENING_AUCTION,
        ),
        lit,
        _off_book_trades(ctx, book, lit["time_us"].size, rng),
        _auction_trade(
            ctx.close_uncross_us,
            book.bid_ticks[-1:],
            auction_size[1:],
            ctx,
            Classification.LIT_CLOSING_AUCTION,
        ),
    ]
    columns = {name: np.concatenate([block[name] for block in blocks]) for name in lit}
    order = np.argsort(columns["time_us"], kind="stable")
    return _Trades(**{name: values[order] for name, values in columns.items()})


def _trade_ids(ctx: _Context, count: int) -> np.ndarray:
    base = (ctx.day.toordinal() * 1_000_000 + ctx.listing.listing_id % 1_000_000) * 1_000_000
    return base + np.arange(count, dtype=np.int64)


def _trades_frame(ctx: _Context, trades: _Trades, trade_ids: np.ndarray) -> pl.DataFrame:
    currency = calendars.venue(ctx.listing.mic).currency
    minor = _major_unit(ctx.listing.mic)
    classification = pl.col("Classification").replace_strict(
        {index: member.value for index, member in enumerate(_CLASSES)}, return_dtype=pl.String
    )
    off_book = pl.col("Classification") == Classification.OFF_BOOK_ON_EXCHANGE.value
    reported_in_major = off_book & pl.lit(minor != 1.0)
    frame = pl.DataFrame(
        {
            "TradeTimestamp": _datetimes(trades.time_us),
            "TradeId": pl.Series(trade_ids).cast(pl.String),
            "AggressorSide": trades.aggressor,
            "InstrumentCurrencyPrice": trades.price,
            "Size": trades.size.astype(np.float64),
            "Classification": trades.classification,
            "BestBidPriceAtVenue": pl.Series(trades.best_bid, nan_to_null=True),
            "BestAskPriceAtVenue": pl.Series(trades.best_ask, nan_to_null=True),
        }
    ).with_columns(classification)
    phase = (
        pl.when(pl.col("Classification") == Classification.LIT_OPENING_AUCTION.value)
        .then(pl.lit(MarketState.OPENING_AUCTION.value))
        .when(pl.col("Classification") == Classification.LIT_CLOSING_AUCTION.value)
        .then(pl.lit(MarketState.CLOSING_AUCTION.value))
        .when(off_book)
        .then(pl.lit(MarketState.NOT_APPLICABLE.value))
        .otherwise(pl.lit(MarketState.CONTINUOUS_TRADING.value))
    )
    frame = frame.with_columns(
        pl.when(reported_in_major)
        .then((pl.col("InstrumentCurrencyPrice") * minor).round(6))
        .otherwise(pl.col("InstrumentCurrencyPrice"))
        .alias("Price"),
        pl.when(reported_in_major)
        .then(pl.lit("GBP"))
        .otherwise(pl.lit(currency))
        .alias("CurrencyCode"),
        phase.alias("MarketState"),
        pl.when(off_book)
        .then(pl.lit(TradeType.OTC.value))
        .otherwise(pl.lit(TradeType.LIT.value))
        .alias("BMLLTradeType"),
        *_constants(ctx, [name for name in TRADES.columns if name != "CurrencyCode"]),
    ).with_columns((pl.col("Price") * pl.col("Size")).alias("TradeNotional"))
    return frame.select(list(TRADES.columns))


def _marketstate_frame(ctx: _Context, rng: np.random.Generator) -> pl.DataFrame:
    session = ctx.session
    jitter = rng.integers(0, 50_000, 4)
    moments = np.array(
        [
            _us(session.open_auction_start - timedelta(minutes=35)) + jitter[0],
            _us(session.open_auction_start) + jitter[1],
            ctx.open_uncross_us,
            _us(session.continuous_end) + jitter[2],
            ctx.close_uncross_us,
            _us(session.closing_auction_end + timedelta(minutes=5)) + jitter[3],
        ]
    )
    states = [
        MarketState.CLOSED,
        MarketState.OPENING_AUCTION,
        MarketState.CONTINUOUS_TRADING,
        MarketState.CLOSING_AUCTION,
        MarketState.POST_TRADE,
        MarketState.CLOSED,
    ]
    frame = pl.DataFrame(
        {
            "TimestampNanoseconds": _datetimes(moments * 1000, "ns"),
            "MarketState": [state.value for state in states],
        }
    ).with_columns(*_constants(ctx, MARKETSTATE.columns))
    return frame.select(list(MARKETSTATE.columns))


def _context(listing: Listing, day: date, seed: int, trades_per_listing: int) -> _Context:
    rng = _rng(seed, day, listing, 0)
    price = open_price(listing, day, seed)
    tick = calendars.tick_size(listing.mic, price)
    session = calendars.session(listing.mic, day)
    uncross = rng.integers(0, 30_000_000, 2)
    return _Context(
        listing=listing,
        day=day,
        tick=tick,
        open_ticks=int(round(price / tick)),
        trade_scale=max(1, int(round(_MEDIAN_TRADE_NOTIONAL / (price * _major_unit(listing.mic))))),
        n_trades=max(1, int(rng.poisson(trades_per_listing * listing.activity))),
        session=session,
        open_uncross_us=_us(session.continuous_start) + int(uncross[0]),
        close_uncross_us=_us(session.closing_auction_end) + int(uncross[1]),
    )


def _listing_tables(ctx: _Context, seed: int) -> dict[str, pl.DataFrame]:
    book = simulate(ctx.book_inputs(), _rng(seed, ctx.day, ctx.listing, 1))
    trades = _collect_trades(ctx, book, _rng(seed, ctx.day, ctx.listing, 2))
    trade_ids = _trade_ids(ctx, trades.time_us.size)
    ids_by_event = np.full(book.time_us.size, -1, dtype=np.int64)
    lit = trades.event >= 0
    ids_by_event[trades.event[lit]] = trade_ids[lit]
    return {
        "trades": _trades_frame(ctx, trades, trade_ids),
        "l2": _l2_frame(ctx, book, _rng(seed, ctx.day, ctx.listing, 4)),
        "l3": _l3_frame(ctx, book, ids_by_event),
        "marketstate": _marketstate_frame(ctx, _rng(seed, ctx.day, ctx.listing, 3)),
    }


def generate_partition(
    day: date,
    mic: str,
    *,
    seed: int = DEFAULT_SEED,
    trades_per_listing: int | None = None,
) -> dict[str, pl.DataFrame]:
    """Every table of one (date, venue); empty on a non-trading day."""
    if not calendars.is_trading_day(mic, day):
        return {}
    per_listing = trades_per_listing or DEFAULT_TRADES_PER_LISTING
    parts = [
        _listing_tables(_context(listing, day, seed, per_listing), seed)
        for listing in listings_on(mic)
    ]
    tables = {name: pl.concat([part[name] for part in parts]) for name in parts[0]}
    return {**tables, "reference": reference_frame(day, mic, seed)}
