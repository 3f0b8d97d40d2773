"""Calendars: UTC session times across DST, holidays, tick sizes."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from basalt.data import DataError, calendars


def test_london_session_moves_one_hour_in_utc_across_the_march_dst_change() -> None:
    winter = calendars.session("XLON", date(2025, 3, 28))
    summer = calendars.session("XLON", date(2025, 3, 31))
    assert winter == calendars.Session(
        datetime(2025, 3, 28, 7, 50),
        datetime(2025, 3, 28, 8, 0),
        datetime(2025, 3, 28, 16, 30),
        datetime(2025, 3, 28, 16, 35),
    )
    assert summer == calendars.Session(
        datetime(2025, 3, 31, 6, 50),
        datetime(2025, 3, 31, 7, 0),
        datetime(2025, 3, 31, 15, 30),
        datetime(2025, 3, 31, 15, 35),
    )


@pytest.mark.parametrize("mic", ["XPAR", "XETR", "XAMS"])
def test_continental_sessions_in_utc(mic: str) -> None:
    winter = calendars.session(mic, date(2025, 1, 15))
    summer = calendars.session(mic, date(2025, 7, 15))
    assert (winter.continuous_start, winter.continuous_end) == (
        datetime(2025, 1, 15, 8, 0),
        datetime(2025, 1, 15, 16, 30),
    )
    assert summer.continuous_start == datetime(2025, 7, 15, 7, 0)
    assert summer.closing_auction_end == datetime(2025, 7, 15, 15, 35)


def test_session_phases_are_ordered() -> None:
    for mic in calendars.VENUES:
        session = calendars.session(mic, date(2025, 10, 27))
        assert (
            session.open_auction_start
            < session.continuous_start
            < session.continuous_end
            < session.closing_auction_end
        )


def test_easter_dates() -> None:
    assert calendars.easter_sunday(2025) == date(2025, 4, 20)
    assert calendars.easter_sunday(2026) == date(2026, 4, 5)
    assert calendars.easter_sunday(2024) == date(2024, 3, 31)


@pytest.mark.parametrize("mic", list(calendars.VENUES))
def test_common_holidays_are_closed(mic: str) -> None:
    closed = [date(2025, 1, 1), date(2025, 4, 18), date(2025, 4, 21), date(2025, 12, 25)]
    assert not any(calendars.is_trading_day(mic, day) for day in closed)
    assert calendars.is_trading_day(mic, date(2025, 4, 22))


def test_venue_specific_holidays() -> None:
    assert not calendars.is_trading_day("XLON", date(2025, 5, 5))  # early May bank holiday
    assert calendars.is_trading_day("XPAR", date(2025, 5, 5))
    assert not calendars.is_trading_day("XPAR", date(2025, 5, 1))
    assert not calendars.is_trading_day("XETR", date(2025, 12, 24))
    assert calendars.is_trading_day("XLON", date(2025, 12, 24))


def test_london_substitutes_weekend_christmas() -> None:
    # 2027-12-25 is a Saturday: Christmas and Boxing Day move to Monday 27 and Tuesday 28.
    assert not calendars.is_trading_day("XLON", date(2027, 12, 27))
    assert not calendars.is_trading_day("XLON", date(2027, 12, 28))
    assert calendars.is_trading_day("XPAR", date(2027, 12, 28))


def test_trading_days_skip_weekends_and_holidays() -> None:
    days = calendars.trading_days("XLON", date(2025, 4, 17), date(2025, 4, 23))
    assert days == [date(2025, 4, 17), date(2025, 4, 22), date(2025, 4, 23)]
    assert calendars.trading_days("XLON", date(2025, 4, 23), date(2025, 4, 17)) == []


def test_tick_sizes_follow_price_bands() -> None:
    assert calendars.tick_size("XLON", 99.7) == 0.02
    assert calendars.tick_size("XLON", 11200.0) == 1.0
    assert calendars.tick_size("XPAR", 56.0) == 0.02
    assert calendars.tick_size("XETR", 0.5) == 0.0002


@pytest.mark.parametrize("mic", list(calendars.VENUES))
def test_every_tick_is_one_over_an_integer_and_grows_with_price(mic: str) -> None:
    table = calendars.venue(mic).tick_table
    ticks = [tick for _, tick in table]
    assert ticks == sorted(ticks)
    assert [bound for bound, _ in table] == sorted(bound for bound, _ in table)
    for tick in ticks:
        assert abs(1 / tick - round(1 / tick)) < 1e-9


def test_unknown_mic_is_a_data_error() -> None:
    with pytest.raises(DataError, match="unknown MIC 'XNYS'.*XLON"):
        calendars.session("XNYS", date(2025, 1, 2))
