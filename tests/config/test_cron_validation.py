"""Schedule crons: the schema accepts exactly the crons Dagster accepts, and says why not."""

from __future__ import annotations

import pytest

from basalt.config.cron import check_cron, is_valid_cron
from basalt.config.validation import validate_data

CRONS = [
    # plain, names, ranges, lists and steps
    "0 2 * * *",
    "* * * * *",
    "59 23 31 12 7",
    "0 0 1 1 0",
    "00 02 * * *",
    "0 2 * * MON-FRI",
    "0 2 * * mon-Fri",
    "0 2 * JAN *",
    "0 2 * jan-mar mon",
    "0 2 * * SUN",
    "0 2 * * sun,sat",
    "0 2 * * SAT-SUN",
    "0 2 * * FRI-MON",
    "0 2 * * 7-1",
    "0 2 * * 0-7",
    "0 2 * * 1,3,5",
    "0 2 1,15 * *",
    "*/15 * * * *",
    "*/90 * * * *",
    "1/5 * * * *",
    "0-59/5 * * * *",
    "5-1 * * * *",
    "0 2 1-31/2 * *",
    "0 2 * 1-12/3 *",
    "0 2 */2 * *",
    "0 0 29 2 *",
    "0 0 31 4 *",
    "0 2 L * *",
    "0 2 * * 1#2",
    "0 2 ? * *",
    "0 2 * * ?",
    " 0 2 * * * ",
    "0\t2\t*\t*\t*",
    # macros
    "@daily",
    "@hourly",
    "@weekly",
    "@monthly",
    "@yearly",
    "@annually",
    "@midnight",
    "@DAILY",
    "@reboot",
    "@every",
    "daily",
    # out of range
    "61 25 * * *",
    "61 2 * * *",
    "60 * * * *",
    "0 24 * * *",
    "0 0 0 * *",
    "0 0 32 * *",
    "0 0 * 13 *",
    "0 0 * 0 *",
    "0 2 * * 8",
    "0 0 30 2 *",
    "0 0 31 2 *",
    "0 2 * * 1#6",
    # wrong field counts, seconds and years
    "",
    "   ",
    "0 2 * *",
    "0 2 * * * *",
    "* * * * * *",
    "0 0 2 * * * *",
    "0 0 2 * * * 2025",
    # garbage and what Dagster's croniter does not know
    "foo bar baz qux quux",
    "0 2 * * FOO",
    "*/0 * * * *",
    "-1 * * * *",
    "1- * * * *",
    "1,,2 * * * *",
    "0 2 ,1 * *",
    "0 2 1, * *",
    "0x10 * * * *",
    "1.5 * * * *",
    "+1 * * * *",
    "H 2 * * *",
    "0 2 15W * *",
    "0 2 LW * *",
    "0 2 * * 5L",
    "０ 2 * * *",
]


def test_the_list_covers_both_verdicts():
    assert len(CRONS) >= 40
    verdicts = [is_valid_cron(c.strip()) for c in CRONS]
    assert verdicts.count(True) >= 20 and verdicts.count(False) >= 20


@pytest.mark.parametrize("cron", CRONS)
def test_verdict_is_dagsters(cron):
    schedules = pytest.importorskip("dagster._utils.schedules")
    _, issues = validate_data(
        {"START_DATE": "2025-01-02", "SCHEDULES": [{"name": "n", "cron": cron}]}
    )
    assert (not issues) == schedules.is_valid_cron_string(cron), [i.format() for i in issues]


@pytest.mark.parametrize(
    "cron, reason",
    [
        ("61 25 * * *", "minute must be 0-59"),
        ("0 25 * * *", "hour must be 0-23"),
        ("0 2 32 * *", "day of month must be 1-31"),
        ("0 2 * 13 *", "month must be 1-12 or JAN-DEC"),
        ("0 2 * * 8", "weekday must be 0-7 or SUN-SAT"),
        ("foo bar baz qux quux", "minute 'foo' is not a number"),
        ("0 2 * * FOO", "weekday 'FOO' is not a number or a name"),
        ("0 2 * *", "it has 4 fields; expected 5: minute hour day month weekday"),
        ("0 2 * * * *", "it has 6 fields; expected 5: minute hour day month weekday (Dagster"),
        ("", "it is empty"),
        ("@reboot", "unknown macro '@reboot'"),
        ("*/0 * * * *", "minute step '/0' must be a whole number of at least 1"),
        ("0 0 30 2 *", "February has no day 30"),
        ("0 2 15W * *", "day of month '15W' (nearest weekday) is not supported by Dagster"),
        ("1,,2 * * * *", "minute '1,,2' has an empty item"),
    ],
)
def test_the_reason_names_the_field(cron, reason):
    _, issues = validate_data(
        {"START_DATE": "2025-01-02", "SCHEDULES": [{"name": "n", "cron": cron}]}
    )
    [issue] = issues
    assert issue.path == "SCHEDULES.0.cron"
    assert issue.message.startswith(f"'{cron}' is not a valid cron: {reason}"), issue.message


def test_a_cron_is_kept_stripped():
    assert check_cron("  0 2 * * 1-5 ") == "0 2 * * 1-5"


def test_a_disabled_schedule_still_needs_a_valid_cron():
    _, issues = validate_data(
        {
            "START_DATE": "2025-01-02",
            "SCHEDULES": [{"name": "n", "enabled": False, "cron": "61 2 * * *"}],
        }
    )
    assert [i.path for i in issues] == ["SCHEDULES.0.cron"]
