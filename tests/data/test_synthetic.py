"""The synthetic generator: universe, book invariants, trades, states, determinism."""

from __future__ import annotations

import time
from datetime import date, datetime

import polars as pl
import pytest

from basalt.data import calendars, synthetic
from basalt.data.tables import AggressorSide, Classification, LobAction, MarketState, Side

DAY = date(2026, 1, 2)
LEVELS = range(1, 11)


def test_universe_has_six_listings_per_venue_and_two_nested_indices() -> None:
    assert len(synthetic.UNIVERSE) == 24
    for mic in synthetic.generated_mics():
        assert len(synthetic.listings_on(mic)) == 6
    syn20 = {item.listing_id for item in synthetic.UNIVERSE if "SYN20" in item.indices}
    syn10 = {item.listing_id for item in synthetic.UNIVERSE if "SYN10" in item.indices}
    assert len(syn20) == 20 and len(syn10) == 10 and syn10 <= syn20
    assert len({item.listing_id for item in synthetic.UNIVERSE}) == 24
    assert len({item.instrument_id for item in synthetic.UNIVERSE}) == 24


def test_reference_currencies_and_membership(partition: dict[str, pl.DataFrame]) -> None:
    xlon = partition["reference"]
    xpar = synthetic.reference_frame(DAY, "XPAR")
    assert xlon["CurrencyCode"].unique().to_list() == ["GBp"]
    assert xpar["CurrencyCode"].unique().to_list() == ["EUR"]
    assert (xlon["OPOL"] == "XLON").all() and (xlon["MIC"] == "XLON").all()
    assert xlon.filter(pl.col("Ticker") == "VOD")["IndexMembership"].to_list() == [
        ["SYN20", "SYN10"]
    ]


def test_non_trading_days_generate_nothing() -> None:
    assert synthetic.generate_partition(date(2026, 1, 3), "XLON") == {}  # Saturday
    assert synthetic.generate_partition(date(2025, 12, 25), "XPAR") == {}
    assert synthetic.generate_partition(date(2025, 5, 1), "XETR") == {}


@pytest.mark.parametrize(
    ("day", "mic"),
    [
        (date(2025, 5, 26), "XLON"),  # Spring Bank Holiday
        (date(2025, 5, 5), "XLON"),  # Early May Bank Holiday
        (date(2025, 5, 1), "XPAR"),  # Labour Day
        (date(2025, 12, 24), "XETR"),  # Christmas Eve
        (date(2025, 12, 26), "XAMS"),  # Boxing Day
        (date(2025, 12, 31), "XETR"),  # New Year's Eve
    ],
)
def test_venue_holidays_generate_nothing(day: date, mic: str) -> None:
    assert calendars.closed_reason(mic, day).startswith("holiday (")
    assert synthetic.generate_partition(day, mic, trades_per_listing=50) == {}


def test_the_days_around_a_holiday_and_other_venues_generate_data() -> None:
    # XLON trades on 24 and 31 December (early closes); XPAR trades on the UK bank holiday
    for day, mic in [
        (date(2025, 5, 27), "XLON"),
        (date(2025, 5, 26), "XPAR"),
        (date(2025, 12, 24), "XLON"),
        (date(2025, 12, 31), "XLON"),
    ]:
        tables = synthetic.generate_partition(day, mic, trades_per_listing=50)
        assert tables["trades"].height > 0 and tables["reference"].height == 6


def test_lit_trades_sit_on_the_tick_grid_at_the_touch_of_the_prior_snapshot(
    partition: dict[str, pl.DataFrame], xpar_partition: dict[str, pl.DataFrame]
) -> None:
    for tables in (partition, xpar_partition):
        ticks = tables["reference"].select("ListingId", "TickSize")
        lit = (
            tables["trades"]
            .filter(pl.col("Classification") == Classification.LIT_CONTINUOUS.value)
            .join(ticks, on="ListingId")
            .sort("TradeTimestamp")
        )
        book = tables["l2"].select("ListingId", "EventTimestamp", "BidPrice1", "AskPrice1")
        matched = lit.join_asof(
            book.sort("EventTimestamp"),
            left_on="TradeTimestamp",
            right_on="EventTimestamp",
            by="ListingId",
            check_sortedness=False,
        )
        steps = pl.col("Price") / pl.col("TickSize")
        assert matched.select((steps - steps.round()).abs().max()).item() < 1e-6
        buy = pl.col("AggressorSide") == AggressorSide.BUY
        expected = pl.when(buy).then(pl.col("AskPrice1")).otherwise(pl.col("BidPrice1"))
        assert matched["EventTimestamp"].null_count() == 0
        assert (matched["Price"] == matched.select(expected).to_series()).all()
        assert set(matched["AggressorSide"].unique()) == {AggressorSide.BUY, AggressorSide.SELL}
        prevailing = (pl.col("BestBidPriceAtVenue") == pl.col("BidPrice1")) & (
            pl.col("BestAskPriceAtVenue") == pl.col("AskPrice1")
        )
        assert matched.select(prevailing.all()).item()


def test_trade_mix(partition: dict[str, pl.DataFrame]) -> None:
    trades = partition["trades"]
    counts = dict(trades["Classification"].value_counts().iter_rows())
    listings = trades["ListingId"].n_unique()
    assert counts[Classification.LIT_OPENING_AUCTION.value] == listings
    assert counts[Classification.LIT_CLOSING_AUCTION.value] == listings
    assert 0 < counts[Classification.OFF_BOOK_ON_EXCHANGE.value] < 0.1 * trades.height
    assert counts[Classification.LIT_CONTINUOUS.value] > 0.9 * trades.height
    per_listing = trades.filter(pl.col("Classification") == "LIT_CONTINUOUS")["ListingId"]
    assert per_listing.value_counts()["count"].is_between(2000, 5500).all()
    others = trades.filter(pl.col("Classification") != "LIT_CONTINUOUS")
    assert (others["AggressorSide"] == AggressorSide.UNKNOWN).all()
    off_book = trades.filter(pl.col("Classification") == "OFF_BOOK_ON_EXCHANGE")
    assert (off_book["BMLLTradeType"] == "OTC").all()
    assert (off_book["MarketState"] == MarketState.NOT_APPLICABLE.value).all()
    # XLON off-book prints are reported in GBP, like the real sample.
    assert (off_book["CurrencyCode"] == "GBP").all()
    ratio = off_book["InstrumentCurrencyPrice"] / off_book["Price"]
    assert (ratio - 100).abs().max() < 1e-3


def test_l2_levels_are_monotone_and_never_crossed(partition: dict[str, pl.DataFrame]) -> None:
    l2 = partition["l2"]
    bids = [pl.col(f"BidPrice{level}") for level in LEVELS]
    asks = [pl.col(f"AskPrice{level}") for level in LEVELS]
    checks = l2.select(
        pl.all_horizontal(a > b for a, b in zip(bids, bids[1:], strict=False)).all().alias("bids"),
        pl.all_horizontal(a < b for a, b in zip(asks, asks[1:], strict=False)).all().alias("asks"),
        (pl.col("BidPrice1") < pl.col("AskPrice1")).all().alias("uncrossed"),
        pl.all_horizontal(
            pl.col(f"{side}{kind}{level}") > 0
            for side in ("Bid", "Ask")
            for kind in ("Quantity", "NumOrders")
            for level in LEVELS
        )
        .all()
        .alias("positive"),
    )
    assert checks.row(0) == (True, True, True, True)
    assert l2.select(pl.col("EventTimestamp").is_unique().all()).item() is not None
    assert (
        l2.group_by("ListingId")
        .agg(pl.col("EventTimestamp").is_sorted().alias("sorted"))["sorted"]
        .all()
    )


def _l3_level1(l3: pl.DataFrame) -> pl.DataFrame:
    """Replay L3: live shares and orders per side after each event microsecond."""
    action = pl.col("LobAction")
    shares = (
        pl.when(action == LobAction.INSERT)
        .then(pl.col("Size"))
        .when(action == LobAction.REMOVE)
        .then(-pl.col("OldSize"))
        .otherwise(pl.col("Size") - pl.col("OldSize"))
    )
    orders = pl.when(action == LobAction.INSERT).then(1).when(action == LobAction.REMOVE).then(-1)
    return (
        l3.sort("ListingId", "TimestampNanoseconds")
        .with_columns(
            shares.cum_sum().over("ListingId", "Side").alias("live_shares"),
            orders.fill_null(0).cum_sum().over("ListingId", "Side").alias("live_orders"),
            pl.col("TimestampNanoseconds").dt.cast_time_unit("us").alias("EventTimestamp"),
        )
        .group_by("ListingId", "Side", "EventTimestamp")
        .agg(pl.col("live_shares", "live_orders").last())
    )


def test_l3_replay_reproduces_level_one(
    partition: dict[str, pl.DataFrame], xpar_partition: dict[str, pl.DataFrame]
) -> None:
    """Invariant: the live orders of a side are exactly its level-1 queue, so replaying
    L3 up to each L2 snapshot gives BidQuantity1/BidNumOrders1 (and the ask side)."""
    for tables in (partition, xpar_partition):
        level1 = _l3_level1(tables["l3"])
        l2 = tables["l2"].sort("EventTimestamp")
        for side, name in ((Side.BID, "Bid"), (Side.ASK, "Ask")):
            replay = level1.filter(pl.col("Side") == side).drop("Side").sort("EventTimestamp")
            joined = l2.join_asof(
                replay, on="EventTimestamp", by="ListingId", check_sortedness=False
            )
            assert (joined["live_shares"] == joined[f"{name}Quantity1"]).all()
            assert (joined["live_orders"] == joined[f"{name}NumOrders1"]).all()


def test_l3_events_use_level_one_prices_and_the_fixture_conventions(
    partition: dict[str, pl.DataFrame],
) -> None:
    l3 = partition["l3"]
    assert set(l3["LobAction"].unique()) == {LobAction.INSERT, LobAction.REMOVE, LobAction.UPDATE}
    book = partition["l2"].select("ListingId", "EventTimestamp", "BidPrice1", "AskPrice1")
    live = l3.filter(pl.col("LobAction") != LobAction.REMOVE).with_columns(
        pl.col("TimestampNanoseconds").dt.cast_time_unit("us").alias("EventTimestamp")
    )
    at_touch = live.join(book, on=["ListingId", "EventTimestamp"])
    assert at_touch.height == live.height
    touch = pl.when(pl.col("Side") == Side.BID).then("BidPrice1").otherwise("AskPrice1")
    assert (at_touch["Price"] == at_touch.select(touch).to_series()).all()
    removes = l3.filter(pl.col("LobAction") == LobAction.REMOVE)
    assert removes["Price"].null_count() == removes.height and (removes["Size"] == 0).all()
    assert (removes["OrderId"] == "").all()
    inserts = l3.filter(pl.col("LobAction") == LobAction.INSERT)
    assert (
        inserts["OldPrice"].null_count() == inserts.height and (inserts["OldOrderId"] == "").all()
    )


def test_every_execution_is_a_lit_trade(partition: dict[str, pl.DataFrame]) -> None:
    executions = partition["l3"].filter("OrderExecuted")
    lit = partition["trades"].filter(pl.col("Classification") == "LIT_CONTINUOUS")
    assert executions.height == lit.height
    assert set(executions["LobAction"].unique()) == {LobAction.REMOVE, LobAction.UPDATE}
    matched = executions.join(lit, on=["ListingId", "TradeId"], suffix="_trade")
    assert matched.height == lit.height
    assert (matched["ExecutionPrice"] == matched["Price_trade"]).all()
    assert (matched["ExecutionSize"].cast(pl.Float64) == matched["Size_trade"]).all()
    assert (matched["OldSize"] - matched["Size"] == matched["ExecutionSize"]).all()
    same_time = matched["TimestampNanoseconds"].dt.cast_time_unit("us") == matched["TradeTimestamp"]
    assert same_time.all()
    # The aggressor takes liquidity from the opposite side.
    sell = matched["AggressorSide"] == AggressorSide.SELL
    assert ((matched["Side"] == Side.BID) == sell).all()


def _states(tables: dict[str, pl.DataFrame]) -> pl.DataFrame:
    return tables["marketstate"].sort("ListingId", "TimestampNanoseconds")


def test_market_states_follow_the_trading_day(partition: dict[str, pl.DataFrame]) -> None:
    states = _states(partition)
    expected = ["CLOSED", "OPENING_AUCTION", "CONTINUOUS_TRADING", "CLOSING_AUCTION"]
    expected += ["POST_TRADE", "CLOSED"]
    for _, rows in states.group_by("ListingId"):
        assert rows["MarketState"].to_list() == expected
        assert rows["TimestampNanoseconds"].is_sorted()
    trades = partition["trades"].join(
        states.filter(pl.col("MarketState") == "CONTINUOUS_TRADING").select(
            "ListingId", pl.col("TimestampNanoseconds").alias("open")
        ),
        on="ListingId",
    )
    lit = trades.filter(pl.col("Classification") == "LIT_CONTINUOUS")
    assert (lit["TradeTimestamp"] > lit["open"]).all()


@pytest.mark.parametrize(
    ("day", "hour"), [(date(2025, 3, 28), 7), (date(2025, 3, 31), 6)], ids=["GMT", "BST"]
)
def test_market_state_times_follow_dst(day: date, hour: int) -> None:
    tables = synthetic.generate_partition(day, "XLON", trades_per_listing=50)
    states = _states(tables)
    opening = states.filter(pl.col("MarketState") == "OPENING_AUCTION")["TimestampNanoseconds"]
    assert opening.dt.hour().unique().to_list() == [hour]
    assert opening.dt.minute().unique().to_list() == [50]
    session = calendars.session("XLON", day)
    lit = tables["trades"].filter(pl.col("Classification") == "LIT_CONTINUOUS")
    assert lit["TradeTimestamp"].min() > session.continuous_start
    assert lit["TradeTimestamp"].max() < session.continuous_end
    closing = tables["trades"].filter(pl.col("Classification") == "LIT_CLOSING_AUCTION")
    assert closing["TradeTimestamp"].min() >= session.closing_auction_end
    assert closing["TradeTimestamp"].max() < datetime(day.year, day.month, day.day, hour + 9, 36)


def test_same_inputs_give_identical_frames_and_other_seeds_differ() -> None:
    first = synthetic.generate_partition(DAY, "XAMS", trades_per_listing=200)
    second = synthetic.generate_partition(DAY, "XAMS", trades_per_listing=200)
    other = synthetic.generate_partition(DAY, "XAMS", trades_per_listing=200, seed=7)
    for table in first:
        assert first[table].equals(second[table])
    assert not first["trades"].equals(other["trades"])


def test_default_day_generates_quickly() -> None:
    started = time.perf_counter()
    for mic in synthetic.generated_mics():
        synthetic.generate_partition(date(2026, 1, 5), mic)
    assert time.perf_counter() - started < 10  # about 0.5 s on a laptop; generous for CI
