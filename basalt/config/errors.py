"""Building Pydantic errors at precise locations from model-level rules, and saying Pydantic's
errors in the user's words."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from pydantic_core import InitErrorDetails, PydanticCustomError

_PREFIXES = ("Value error, ", "Assertion failed, ")


def error_details(kind: str, message: str, loc: tuple, value: Any) -> InitErrorDetails:
    """One line error for ``ValidationError.from_exception_data``; ``message`` is taken literally."""
    return InitErrorDetails(
        type=PydanticCustomError(kind, "{message}", {"message": message}), loc=loc, input=value
    )


# --- a regular expression's character classes in words ----------------------------------------

_RANGES = {"A-Za-z": "letters", "a-zA-Z": "letters", "A-Z": "capitals", "a-z": "lowercase letters"}


def _class_words(body: str) -> list[str]:
    """``A-Za-z0-9_.-`` -> ``["letters", "digits", "`_ . -`"]``."""
    words: list[str] = []
    for span, word in _RANGES.items():
        if span in body:
            body = body.replace(span, "", 1)
            words.append(word)
    if "0-9" in body or "\\d" in body:
        body = body.replace("0-9", "").replace("\\d", "")
        words.append("digits")
    others = [c for c in body.replace("\\", "") if c.strip()]
    if others:
        words.append("`" + " ".join(others) + "`")
    return words


def _either(words: list[str]) -> str:
    """``["a letter", "a digit", "`_`"]`` -> ``a letter, a digit or `_```."""
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


_SINGULAR = {
    "letters": "a letter",
    "capitals": "a capital",
    "lowercase letters": "a lowercase letter",
    "digits": "a digit",
}


def pattern_words(pattern: str) -> str | None:
    """A pattern of the forms ``^[X]+$``, ``^[X]*$`` and ``^[Y][X]*$`` in words, else None.

    ``^[A-Za-z0-9_.-]+$`` -> ``letters, digits, `_ . -` only``.
    """
    found = re.fullmatch(r"\^(?:\[([^\]^]+)\])?\[([^\]^]+)\][+*]\$", pattern)
    if not found:
        return None
    first, rest = found.groups()
    text = ", ".join(_class_words(rest)) + " only"
    if first is not None and first != rest:
        starts = [_SINGULAR.get(w, w) for w in _class_words(first)]
        text += f", starting with {_either(starts)}"
    return text


# --- Pydantic's messages in the user's words ----------------------------------------------------


def _number(text: str) -> str:
    found = re.search(r"(-?\d[\d.eE+-]*)\s*$", text)
    return found.group(1) if found else "?"


def _quoted_choices(expected: str) -> str:
    """``'x', 'y' or 'z'`` -> ``x, y or z``."""
    return re.sub(r"'([^']*)'", r"\1", expected)


_NO_INPUT = object()


def _is_not(value: Any, what: str) -> str:
    """``'four' is not a whole number`` for a short scalar, else ``must be a whole number``."""
    shown = value if isinstance(value, str) else repr(value)
    if isinstance(value, (str, int, float)) and not isinstance(value, bool) and len(shown) <= 40:
        return f"'{shown}' is not {what}"
    return f"must be {what}"


def _count(n: Any, one: str, many: str) -> str:
    return f"{n} {one if str(n) == '1' else many}"


def user_message(error: Mapping[str, Any]) -> str:
    """One Pydantic error (an item of ``ValidationError.errors()``) as a short sentence.

    Messages the schema writes itself (``ValueError`` in a validator) are kept, without
    Pydantic's ``Value error, `` prefix; Pydantic's own texts (``String should match pattern
    '^[A-Za-z0-9_.-]+$'``, ``Input should be a valid integer``, ``Field required``) become the
    user's words (``letters, digits, `_ . -` only``, ``'four' is not a whole number``,
    ``required, but not set``). An error re-raised under its original type with only its
    message (as a pass does for its own modules' settings) is read from that message.
    """
    kind = str(error.get("type", ""))
    msg = str(error.get("msg", ""))
    for prefix in _PREFIXES:
        if msg.startswith(prefix):
            msg = msg[len(prefix) :]
    ctx: Mapping[str, Any] = error.get("ctx") or {}

    def arg(key: str, pattern: str) -> str:
        if key in ctx:
            return str(ctx[key])
        found = re.search(pattern, msg)
        return found.group(1) if found else "?"

    if kind == "missing":
        return "required, but not set"
    if kind == "extra_forbidden":
        return "unknown key (not in the schema)"
    if kind == "union_tag_invalid":
        return f"unknown type {ctx.get('tag')!r}; expected one of {ctx.get('expected_tags')}"
    if kind == "union_tag_not_found":
        return f"needs a '{ctx.get('discriminator', 'type')}' key".replace("''", "'")
    if kind == "string_pattern_mismatch":
        pattern = arg("pattern", r"pattern '(.*)'$")
        return pattern_words(pattern) or f"does not have the expected form ({pattern})"
    kinds = {
        ("int_parsing", "int_type"): "a whole number",
        ("int_from_float",): "a whole number (it has a fraction)",
        ("float_parsing", "float_type"): "a number",
        ("bool_parsing", "bool_type"): "true or false",
        ("date_from_datetime_inexact",): "a date without a time",
        ("string_type",): "text",
        ("list_type", "tuple_type", "set_type"): "a list",
        ("dict_type", "model_type", "model_attributes_type", "mapping_type"): (
            "a group of settings (key: value)"
        ),
    }
    what = next((words for names, words in kinds.items() if kind in names), None)
    if what is None and kind.startswith(("date_", "datetime_")):
        what = "a date (YYYY-MM-DD)" if kind.endswith(("_parsing", "_type")) else None
    if kind in ("literal_error", "enum"):
        what = "one of " + _quoted_choices(arg("expected", r"should be (.*)$"))
    if what is not None:
        return _is_not(error.get("input", _NO_INPUT), what)
    comparisons = {
        "greater_than": ("gt", "greater than"),
        "greater_than_equal": ("ge", "greater than or equal to"),
        "less_than": ("lt", "less than"),
        "less_than_equal": ("le", "less than or equal to"),
    }
    if kind in comparisons:
        key, words = comparisons[kind]
        return f"must be {words} {ctx[key] if key in ctx else _number(msg)}"
    if kind == "string_too_short":
        n = arg("min_length", r"at least (\d+)")
        return (
            "must not be empty" if n == "1" else f"at least {_count(n, 'character', 'characters')}"
        )
    if kind == "string_too_long":
        n = arg("max_length", r"at most (\d+)")
        return f"at most {_count(n, 'character', 'characters')}"
    if kind == "too_short":
        n = arg("min_length", r"at least (\d+)")
        return "needs at least one item" if n == "1" else f"needs at least {n} items"
    if kind == "too_long":
        n = arg("max_length", r"at most (\d+)")
        return f"at most {_count(n, 'item', 'items')}"
    return msg
