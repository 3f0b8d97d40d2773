"""The order-book engine behind the synthetic data: one listing's continuous-trading day
as numpy arrays (no Python loop over events).

The day is an event stream: trades, queue joins, size amendments and quote changes. A
quote change moves the best bid by at most one tick and sets a one- or two-tick spread;
it resets the level-1 queue of each side whose price changed (or of one side, when
neither did). Each side's level 1 is a queue of orders: 2-5 orders at a reset, joins
append one, amendments cut the second order, trades execute against the first order.
The orders are sized so a trade never empties the level (except that with probability
0.3 the last trade of a queue exactly fills the first order, leaving the others).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

import numpy as np

from basalt.data.tables import AggressorSide, LobAction

DAILY_VOLATILITY = 0.012
"""Target daily volatility of the mid price, as a fraction of the price."""


class _Event(IntEnum):
    """Kinds of continuous-trading events."""

    TRADE = 0
    JOIN = 1
    AMEND = 2
    QUOTE = 3


_EVENT_PROBABILITIES = (0.55, 0.25, 0.05, 0.15)
"""Probability of each `_Event` kind, in member order."""
_FULL_FILL_PROBABILITY = 0.3


@dataclass(frozen=True)
class BookInputs:
    """What the engine needs to know about one listing's day."""

    open_ticks: int
    """Best bid at the open, in ticks."""
    trade_scale: int
    """Median trade size in shares."""
    n_trades: int
    """Expected number of lit trades."""
    start_us: int
    """Continuous trading starts after this time (microseconds since the epoch)."""
    end_us: int
    """... and ends before this one."""


@dataclass(frozen=True)
class SideBook:
    """Level-1 state of one side after every event, and the L3 rows that produced it.

    ``rows`` holds equal-length arrays: ``event`` (index into the day's events), ``phase``
    and ``sub`` (order within an event), ``action`` (`LobAction`), ``key`` (order, unique
    within the side), ``size``/``old_size`` (after/before), ``exec_size`` (0 unless an
    execution) and ``price_ticks`` (the order's price).
    """

    quantity: np.ndarray
    orders: np.ndarray
    rows: dict[str, np.ndarray]


@dataclass(frozen=True)
class Book:
    """One listing's day: per-event times, touch prices (ticks), trades and both sides."""

    time_us: np.ndarray
    bid_ticks: np.ndarray
    ask_ticks: np.ndarray
    aggressor: np.ndarray
    trade_size: np.ndarray
    bid: SideBook
    ask: SideBook


def _segment_cumsum(values: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """Inclusive running sum of ``values`` restarting wherever ``starts`` is True."""
    total = np.cumsum(values)
    first = np.flatnonzero(starts)
    offsets = total[first] - values[first]
    return total - offsets[np.cumsum(starts) - 1]


def sizes(rng: np.random.Generator, count: int, scale: int) -> np.ndarray:
    """Lognormal share counts with median ``scale`` (at least one share)."""
    return np.maximum(1, np.rint(rng.lognormal(np.log(scale), 0.9, count))).astype(np.int64)


def _event_times(rng: np.random.Generator, count: int, start_us: int, end_us: int) -> np.ndarray:
    """``count`` strictly increasing microseconds in (start, end), denser at both ends."""
    span = end_us - start_us - 1
    spread = np.sort(rng.beta(0.8, 0.8, count))
    return start_us + 1 + np.floor(spread * (span - count)).astype(np.int64) + np.arange(count)


def _quotes(
    rng: np.random.Generator, open_ticks: int, count: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Bid/ask ticks at each quote change and which side's queue it resets."""
    target_variance = (DAILY_VOLATILITY * open_ticks) ** 2
    move = min(0.6, target_variance / count)
    steps = rng.choice(np.array([-1, 0, 1]), count, p=[move / 2, 1 - move, move / 2])
    steps[0] = 0
    bid = np.maximum(open_ticks + np.cumsum(steps), 1)
    ask = bid + 1 + (rng.random(count) < 0.25)
    bid_moved = np.r_[True, np.diff(bid) != 0]
    ask_moved = np.r_[True, np.diff(ask) != 0]
    refresh_bid = rng.random(count) < 0.5
    still = ~bid_moved & ~ask_moved
    return bid, ask, bid_moved | (still & refresh_bid), ask_moved | (still & ~refresh_bid)


def _rows(
    episode: np.ndarray,
    event: np.ndarray,
    action: np.ndarray | LobAction,
    key: np.ndarray,
    size: np.ndarray,
    old_size: np.ndarray,
    *,
    phase: int = 1,
    sub: np.ndarray | None = None,
    exec_size: np.ndarray | None = None,
) -> dict[str, np.ndarray]:
    """One block of L3 rows of a side; ``phase`` 0 sorts before 1 within an event."""
    zeros = np.zeros(event.size, dtype=np.int64)
    return {
        "episode": episode,
        "event": event,
        "phase": np.full(event.size, phase, dtype=np.int64),
        "sub": zeros if sub is None else sub,
        "action": np.broadcast_to(np.asarray(action, dtype=np.int64), event.shape),
        "key": key,
        "size": size,
        "old_size": old_size,
        "exec_size": zeros if exec_size is None else exec_size,
    }


@dataclass(frozen=True)
class _Queues:
    """One side's level-1 queues: an episode starts at every reset of the side.

    Order keys number the initial orders of all episodes first (``first_key[e]`` is the
    first order of episode ``e``, ``first_key[e] + 1`` the second), then joined orders.
    """

    reset: np.ndarray
    starts: np.ndarray
    episode: np.ndarray
    """Episode of every event."""
    n_initial: np.ndarray
    first_key: np.ndarray
    initial_size: np.ndarray
    full_fill: np.ndarray
    cum_executed: np.ndarray
    cum_amended: np.ndarray
    total_executed: np.ndarray
    total_amended: np.ndarray


def _queues(
    rng: np.random.Generator,
    reset: np.ndarray,
    executed: np.ndarray,
    amended: np.ndarray,
    scale: int,
) -> _Queues:
    """Draw each episode's initial orders. The first order is sized to absorb every
    execution of its episode (exactly, for a full fill), the second every amendment."""
    starts = np.flatnonzero(reset)
    total_executed = np.add.reduceat(executed, starts)
    total_amended = np.add.reduceat(amended, starts)
    n_initial = rng.integers(2, 6, starts.size)
    full_fill = (total_executed > 0) & (rng.random(starts.size) < _FULL_FILL_PROBABILITY)
    first_key = np.r_[0, np.cumsum(n_initial)[:-1]]
    initial_size = sizes(rng, int(n_initial.sum()), scale)
    spare = np.where(full_fill, 0, sizes(rng, starts.size, scale))
    initial_size[first_key] = total_executed + spare
    initial_size[first_key + 1] += total_amended
    return _Queues(
        reset=reset,
        starts=starts,
        episode=np.cumsum(reset) - 1,
        n_initial=n_initial,
        first_key=first_key,
        initial_size=initial_size,
        full_fill=full_fill,
        cum_executed=_segment_cumsum(executed, reset),
        cum_amended=_segment_cumsum(amended, reset),
        total_executed=total_executed,
        total_amended=total_amended,
    )


def _level_one(queues: _Queues, joined: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Shares and orders at level 1 after every event."""
    episode = queues.episode
    quantity = (
        np.add.reduceat(queues.initial_size, queues.first_key)[episode]
        + _segment_cumsum(joined, queues.reset)
        - queues.cum_executed
        - queues.cum_amended
    )
    filled = queues.full_fill[episode] & (queues.cum_executed == queues.total_executed[episode])
    joins = _segment_cumsum((joined > 0).astype(np.int64), queues.reset)
    return quantity, queues.n_initial[episode] + joins - filled


def _order_rows(
    queues: _Queues, executed: np.ndarray, joined: np.ndarray, amended: np.ndarray
) -> dict[str, np.ndarray]:
    """The side's L3 rows: inserts (resets, joins), executions of the first order,
    amendments of the second, and removal of a queue's live orders at the next reset."""
    q = queues
    join_events = np.flatnonzero(joined > 0)
    n_initial_orders = q.initial_size.size
    key = np.arange(n_initial_orders + join_events.size)
    initial_episode = np.repeat(np.arange(q.starts.size), q.n_initial)
    order_episode = np.r_[initial_episode, q.episode[join_events]]
    order_size = np.r_[q.initial_size, joined[join_events]]
    inserts = _rows(
        order_episode,
        np.r_[q.starts[initial_episode], join_events],
        LobAction.INSERT,
        key,
        order_size,
        np.zeros(key.size, dtype=np.int64),
        sub=np.r_[
            key[:n_initial_orders] - q.first_key[initial_episode], np.zeros_like(join_events)
        ],
    )

    trades = np.flatnonzero(executed > 0)
    first = q.first_key[q.episode[trades]]
    first_left = q.initial_size[first] - q.cum_executed[trades]
    executions = _rows(
        q.episode[trades],
        trades,
        np.where(first_left == 0, LobAction.REMOVE, LobAction.UPDATE),
        first,
        first_left,
        first_left + executed[trades],
        exec_size=executed[trades],
    )

    amends = np.flatnonzero(amended > 0)
    second = q.first_key[q.episode[amends]] + 1
    second_left = q.initial_size[second] - q.cum_amended[amends]
    amendments = _rows(
        q.episode[amends],
        amends,
        LobAction.UPDATE,
        second,
        second_left,
        second_left + amended[amends],
    )

    consumed = np.zeros(key.size, dtype=np.int64)
    consumed[q.first_key] = q.total_executed
    consumed[q.first_key + 1] = q.total_amended
    removed = (order_episode < q.starts.size - 1) & (order_size > consumed)
    removals = _rows(
        order_episode[removed],
        q.starts[order_episode[removed] + 1],
        LobAction.REMOVE,
        key[removed],
        np.zeros(int(removed.sum()), dtype=np.int64),
        (order_size - consumed)[removed],
        phase=0,
        sub=key[removed],
    )
    blocks = (inserts, executions, amendments, removals)
    return {name: np.concatenate([block[name] for block in blocks]) for name in inserts}


def _side_book(
    rng: np.random.Generator,
    reset: np.ndarray,
    executed: np.ndarray,
    joined: np.ndarray,
    amended: np.ndarray,
    price_ticks: np.ndarray,
    scale: int,
) -> SideBook:
    """Simulate one side's level-1 queues from its per-event flows."""
    queues = _queues(rng, reset, executed, amended, scale)
    quantity, orders = _level_one(queues, joined)
    rows = _order_rows(queues, executed, joined, amended)
    rows["price_ticks"] = price_ticks[queues.starts[rows.pop("episode")]]
    return SideBook(quantity=quantity, orders=orders, rows=rows)


def _side_flows(
    kind: np.ndarray, on_side: np.ndarray, amount: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Shares executed, joined and amended away on one side at each event."""

    def flow(event: _Event) -> np.ndarray:
        return np.where((kind == event) & on_side, amount, 0)

    return flow(_Event.TRADE), flow(_Event.JOIN), flow(_Event.AMEND)


def simulate(inputs: BookInputs, rng: np.random.Generator) -> Book:
    """The continuous-trading event stream of one listing.

    Each event hits the bid or the ask with equal odds; a trade hitting the bid has a
    sell aggressor, one lifting the ask a buy aggressor.
    """
    count = max(int(round(inputs.n_trades / _EVENT_PROBABILITIES[_Event.TRADE])), 2)
    time_us = _event_times(rng, count, inputs.start_us, inputs.end_us)
    kind = rng.choice(len(_Event), count, p=_EVENT_PROBABILITIES)
    kind[0] = _Event.QUOTE
    is_quote = kind == _Event.QUOTE
    on_bid = rng.random(count) < 0.5
    amount = sizes(rng, count, inputs.trade_scale)
    amount[kind == _Event.AMEND] = np.maximum(amount[kind == _Event.AMEND] // 3, 1)

    quote_events = np.flatnonzero(is_quote)
    bid_q, ask_q, reset_bid_q, reset_ask_q = _quotes(rng, inputs.open_ticks, quote_events.size)
    last_quote = np.cumsum(is_quote) - 1
    bid_ticks, ask_ticks = bid_q[last_quote], ask_q[last_quote]
    reset_bid = np.zeros(count, dtype=bool)
    reset_ask = np.zeros(count, dtype=bool)
    reset_bid[quote_events] = reset_bid_q
    reset_ask[quote_events] = reset_ask_q

    is_trade = kind == _Event.TRADE
    aggressor = np.where(is_trade, np.where(on_bid, AggressorSide.SELL, AggressorSide.BUY), 0)
    bid = _side_book(
        rng, reset_bid, *_side_flows(kind, on_bid, amount), bid_ticks, inputs.trade_scale
    )
    ask = _side_book(
        rng, reset_ask, *_side_flows(kind, ~on_bid, amount), ask_ticks, inputs.trade_scale
    )
    trade_size = np.where(is_trade, amount, 0)
    return Book(time_us, bid_ticks, ask_ticks, aggressor.astype(np.int64), trade_size, bid, ask)
