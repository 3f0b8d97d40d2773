"""Calendars: UTC session times across DST, holidays (from exchange-calendars) with their
names, the years they are known for, tick sizes."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from basalt.data import DataError, calendars, venue_holidays


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


def test_easter_days_move_with_easter() -> None:
    # Easter Sunday: 2024-03-31, 2026-04-05
    for mic in calendars.VENUES:
        assert calendars.holiday_name(mic, date(2024, 3, 29)) == "Good Friday"
        assert calendars.holiday_name(mic, date(2026, 4, 6)) == "Easter Monday"
        assert calendars.is_trading_day(mic, date(2026, 4, 7))


@pytest.mark.parametrize("mic", list(calendars.VENUES))
def test_common_holidays_are_closed(mic: str) -> None:
    closed = [date(2025, 1, 1), date(2025, 4, 18), date(2025, 4, 21), date(2025, 12, 25)]
    assert not any(calendars.is_trading_day(mic, day) for day in closed)
    assert calendars.is_trading_day(mic, date(2025, 4, 22))


def test_venue_specific_holidays() -> None:
    assert not calendars.is_trading_day("XLON", date(2025, 5, 5))  # early May bank holiday
    assert not calendars.is_trading_day("XLON", date(2025, 5, 26))  # spring bank holiday
    assert calendars.is_trading_day("XPAR", date(2025, 5, 5))
    assert calendars.is_trading_day("XPAR", date(2025, 5, 26))
    assert not calendars.is_trading_day("XPAR", date(2025, 5, 1))
    assert not calendars.is_trading_day("XETR", date(2025, 12, 24))
    assert not calendars.is_trading_day("XETR", date(2025, 12, 31))
    assert calendars.is_trading_day("XLON", date(2025, 12, 24))  # an early close, not a holiday
    assert calendars.is_trading_day("XLON", date(2025, 12, 31))
    assert calendars.is_trading_day("XAMS", date(2025, 12, 24))


@pytest.mark.parametrize(
    ("mic", "day", "reason"),
    [
        ("XLON", date(2025, 5, 26), "holiday (Spring Bank Holiday)"),
        ("XLON", date(2025, 5, 5), "holiday (Early May Bank Holiday)"),
        ("XPAR", date(2025, 5, 1), "holiday (Labour Day)"),
        ("XETR", date(2025, 12, 24), "holiday (Christmas Eve)"),
        ("XETR", date(2025, 12, 31), "holiday (New Year's Eve)"),
        ("XAMS", date(2025, 12, 26), "holiday (Boxing Day)"),
        ("XLON", date(2022, 9, 19), "holiday"),  # the Queen's funeral: ad hoc, no name
        ("XLON", date(2025, 5, 24), "weekend"),
        ("XLON", date(2025, 5, 27), None),
        ("XPAR", date(2025, 5, 26), None),
    ],
)
def test_closed_reason_names_the_holiday(mic: str, day: date, reason: str | None) -> None:
    assert calendars.closed_reason(mic, day) == reason


def test_holidays_follow_the_library_where_the_old_rules_did_not() -> None:
    """Dates where the former hand-written rules disagreed with exchange-calendars."""
    # VE Day: the 2020 early May bank holiday moved from Monday 4 to Friday 8 May
    assert calendars.is_trading_day("XLON", date(2020, 5, 4))
    assert not calendars.is_trading_day("XLON", date(2020, 5, 8))
    # Platinum Jubilee: the spring bank holiday moved to 2 June, and 3 June was added
    assert calendars.is_trading_day("XLON", date(2022, 5, 30))
    assert calendars.holidays("XLON", 2022) >= {date(2022, 6, 2), date(2022, 6, 3)}
    assert not calendars.is_trading_day("XLON", date(2023, 5, 8))  # the coronation
    # Xetra closed on Whit Monday until 2021, not since
    assert calendars.closed_reason("XETR", date(2021, 5, 24)) == "holiday (Whit Monday)"
    assert calendars.is_trading_day("XETR", date(2025, 6, 9))


def test_years_outside_the_default_window_use_the_library_rules() -> None:
    # the library's default calendar ends about a year ahead; later years still get its rules
    assert calendars.closed_reason("XLON", date(2040, 5, 28)) == "holiday (Spring Bank Holiday)"
    assert calendars.closed_reason("XETR", date(1996, 12, 24)) == "holiday (Christmas Eve)"
    assert not calendars.is_trading_day("XLON", date(1995, 5, 8))  # VE Day 50th anniversary


@pytest.mark.parametrize("year", [1969, 2201])
def test_years_the_library_has_no_rules_for_have_no_holiday(year: int) -> None:
    christmas = date(year, 12, 25)
    assert christmas.weekday() < 5
    assert calendars.holidays("XLON", year) == frozenset()
    assert calendars.is_trading_day("XLON", christmas)
    assert calendars.closed_reason("XLON", christmas) is None
    assert calendars.holidays("XLON", 1970) and calendars.holidays("XLON", 2200)


def test_holidays_are_computed_once_per_venue_and_year() -> None:
    venue_holidays.closed_weekdays.cache_clear()
    year = [date(2025, 1, 1) + timedelta(days=n) for n in range(365)]
    assert len([d for d in year if calendars.is_trading_day("XLON", d)]) == 253
    assert len(calendars.trading_days("XLON", date(2025, 1, 1), date(2025, 12, 31))) == 253
    info = venue_holidays.closed_weekdays.cache_info()
    assert (info.misses, info.hits) == (1, 2 * 261 - 1)  # asked once per weekday, twice


def test_london_substitutes_weekend_christmas() -> None:
    # 2027-12-25 is a Saturday: Christmas and Boxing Day move to Monday 27 and Tuesday 28.
    assert calendars.closed_reason("XLON", date(2027, 12, 27)) == "holiday (Weekend Christmas)"
    assert not calendars.is_trading_day("XLON", date(2027, 12, 28))
    assert calendars.is_trading_day("XPAR", date(2027, 12, 27))
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
    with pytest.raises(DataError, match="unknown MIC 'XNYS'.*XLON"):
        calendars.is_trading_day("XNYS", date(2025, 1, 2))  # the library knows it; we do not
