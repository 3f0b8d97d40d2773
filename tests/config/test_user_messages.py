"""Validation messages in the user's words: Pydantic's own texts never reach the user."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Literal

import pytest
from pydantic import BaseModel, Field, ValidationError

from basalt.config import read_demo, resolve
from basalt.config.errors import pattern_words, user_message
from basalt.config.validation import validate_data

REPO = Path(__file__).resolve().parents[2]
DEMO_01 = REPO / "demo" / "01_ohlcv_bars.py"
DEMO_03 = REPO / "demo" / "03_custom_metric.py"
RAW = ("Input should", "String should", "List should", "Field required", "Value error")


class Sample(BaseModel, extra="forbid"):
    count: int = 0
    ratio: float = 0.0
    flag: bool = False
    day: dt.date = dt.date(2025, 1, 2)
    side: Literal["Bid", "Ask"] = "Bid"
    items: list[int] = Field(default_factory=lambda: [1], min_length=1)
    code: str = Field("ab", min_length=2, max_length=3)
    name: str = Field("a", min_length=1)
    label: str = Field("a", pattern=r"^[A-Za-z0-9_.-]+$")
    settings: dict[str, int] = Field(default_factory=dict)
    positive: int = Field(1, gt=0)
    small: int = Field(1, le=5)
    required: str


def message_for(**values) -> str:
    with pytest.raises(ValidationError) as caught:
        Sample.model_validate({"required": "x"} | values)
    (error,) = caught.value.errors(include_url=False)
    return user_message(error)


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"count": "ten"}, "'ten' is not a whole number"),
        ({"count": 1.5}, "'1.5' is not a whole number (it has a fraction)"),
        ({"ratio": "half"}, "'half' is not a number"),
        ({"flag": "maybe"}, "'maybe' is not true or false"),
        ({"day": "someday"}, "'someday' is not a date (YYYY-MM-DD)"),
        ({"day": "2025-13-01"}, "'2025-13-01' is not a date (YYYY-MM-DD)"),
        ({"side": "Mid"}, "'Mid' is not one of Bid or Ask"),
        ({"items": []}, "needs at least one item"),
        ({"items": "1"}, "'1' is not a list"),
        ({"code": "a"}, "at least 2 characters"),
        ({"code": "abcd"}, "at most 3 characters"),
        ({"name": ""}, "must not be empty"),
        ({"label": "a b"}, "letters, digits, `_ . -` only"),
        ({"settings": 3}, "'3' is not a group of settings (key: value)"),
        ({"positive": 0}, "must be greater than 0"),
        ({"small": 9}, "must be less than or equal to 5"),
        ({"extra": 1}, "unknown key (not in the schema)"),
        ({"name": 3}, "'3' is not text"),
        ({"settings": [1, 2]}, "must be a group of settings (key: value)"),
        ({"flag": None}, "must be true or false"),
        ({"ratio": "x" * 41}, "must be a number"),
    ],
)
def test_common_pydantic_errors_in_the_users_words(values, expected):
    assert message_for(**values) == expected


def test_a_missing_field_says_it_is_required():
    with pytest.raises(ValidationError) as caught:
        Sample.model_validate({})
    (error,) = caught.value.errors(include_url=False)
    assert user_message(error) == "required, but not set"


def test_a_validators_own_message_loses_pydantics_prefix():
    error = {"type": "value_error", "msg": "Value error, END_DATE is before START_DATE"}
    assert user_message(error) == "END_DATE is before START_DATE"


def test_an_error_re_raised_with_its_message_only_is_read_from_the_message():
    """A pass re-raises its own modules' errors with the type and the message, not the ctx."""
    pattern = {"type": "string_pattern_mismatch", "msg": "String should match pattern '^[a-z]+$'"}
    above = {"type": "greater_than", "msg": "Input should be greater than 0"}
    choice = {"type": "literal_error", "msg": "Input should be 'a', 'b' or 'c'", "input": "d"}
    assert user_message(pattern | {"ctx": {"message": pattern["msg"]}}) == "lowercase letters only"
    assert user_message(above | {"ctx": {"message": above["msg"]}}) == "must be greater than 0"
    assert user_message(choice) == "'d' is not one of a, b or c"


@pytest.mark.parametrize(
    ("pattern", "words"),
    [
        (r"^[A-Za-z0-9_.-]+$", "letters, digits, `_ . -` only"),
        (
            r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$",
            "letters, digits, `_ . -` only, starting with a letter, a digit or `_`",
        ),
        (r"^[A-Za-z_][A-Za-z0-9_]*$", "letters, digits, `_` only, starting with a letter or `_`"),
        (r"^(a|b)+$", None),
    ],
)
def test_patterns_of_the_schema_in_words(pattern, words):
    assert pattern_words(pattern) == words


def test_an_unreadable_pattern_is_still_named():
    error = {"type": "string_pattern_mismatch", "msg": "", "ctx": {"pattern": "^(a|b)+$"}}
    assert user_message(error) == "does not have the expected form (^(a|b)+$)"


def test_validation_of_a_demo_says_no_pydantic_text():
    data = resolve(DEMO_01).data
    bad = data | {
        "DATASETNAME": "my bars",
        "START_DATE": "someday",
        "NUM_WORKERS": "four",
        "PASSES": [data["PASSES"][0] | {"name": "bars 1m", "time_bucket_seconds": 0}],
    }
    config, issues = validate_data(bad)
    assert config is None
    messages = {issue.path: issue.message for issue in issues}
    assert messages["DATASETNAME"] == "letters, digits, `_ . -` only"
    assert messages["START_DATE"] == "'someday' is not a date (YYYY-MM-DD)"
    assert messages["NUM_WORKERS"] == "'four' is not a whole number"
    assert messages["PASSES.0.time_bucket_seconds"] == "must be greater than 0"
    assert messages["PASSES.0.name"].startswith("letters, digits, `_ . -` only, starting with")
    assert not [m for m in messages.values() if m.startswith(RAW)]


def test_a_demo_modules_settings_speak_the_same_words():
    """Errors in a demo's own module settings pass through the pass's re-raise."""
    resolved = resolve(DEMO_03)
    modules = read_demo(DEMO_03).modules
    data = resolved.data
    first = data["PASSES"][0]
    bad = first | {"large_trades_analytics": {"large_trade_threshold": "lots"}}
    config, issues = validate_data(data | {"PASSES": [bad]}, modules)
    assert config is None
    messages = {issue.path: issue.message for issue in issues}
    assert messages == {
        "PASSES.0.large_trades_analytics.large_trade_threshold": "'lots' is not a number"
    }
