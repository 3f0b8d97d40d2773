"""Turning what a user typed into a field's value, or a message saying why not."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from config_ui.core.nodes import FieldNode

UNSET_WORDS = {"", "null", "~", "unset"}


class InputError(ValueError):
    """Text that is not a value of the field's type; the message is shown at the field."""


def _bounds(node: FieldNode, number: float) -> None:
    c = node.constraints
    checks = (
        ("gt", lambda b: number > b, ">"),
        ("ge", lambda b: number >= b, ">="),
        ("lt", lambda b: number < b, "<"),
        ("le", lambda b: number <= b, "<="),
    )
    for key, ok, sym in checks:
        if key in c and not ok(c[key]):
            raise InputError(f"must be {sym} {c[key]}")


def parse_input(node: FieldNode, text: str) -> Any:
    """The value for ``node`` from ``text``; :class:`InputError` when it does not parse."""
    raw = text.strip()
    if node.nullable and raw.lower() in UNSET_WORDS:
        return None
    kind = node.kind
    if kind == "int":
        if not re.fullmatch(r"[-+]?\d[\d_]*", raw):
            raise InputError(f"'{text}' is not a whole number")
        value = int(raw.replace("_", ""))
        _bounds(node, value)
        return value
    if kind == "float":
        try:
            number = float(raw)
        except ValueError:
            raise InputError(f"'{text}' is not a number") from None
        _bounds(node, number)
        return number
    if kind == "bool":
        lowered = raw.lower()
        if lowered in ("true", "yes", "on", "1"):
            return True
        if lowered in ("false", "no", "off", "0"):
            return False
        raise InputError(f"'{text}' is not true or false")
    if kind == "date":
        try:
            return dt.date.fromisoformat(raw)
        except ValueError:
            raise InputError(f"'{text}' is not a date (YYYY-MM-DD)") from None
    if kind == "enum":
        if raw not in map(str, node.choices):
            raise InputError(f"'{text}' is not one of {', '.join(map(str, node.choices))}")
        return next(c for c in node.choices if str(c) == raw)
    if kind in ("multi", "list"):
        items = [part.strip() for part in raw.strip("[]").split(",") if part.strip()]
        if kind == "multi":
            bad = [i for i in items if i not in map(str, node.choices)]
            if bad:
                raise InputError(f"'{bad[0]}' is not one of {', '.join(map(str, node.choices))}")
        if node.item_kind == "int":
            try:
                return [int(i) for i in items]
            except ValueError:
                raise InputError("every item must be a whole number") from None
        return items
    if kind == "str" and node.choices and "date" in node.type_text:
        if raw in node.choices:
            return raw
        try:
            return dt.date.fromisoformat(raw)
        except ValueError:
            raise InputError(f"'{text}' is not {node.type_text}") from None
    if "min_length" in node.constraints and len(raw) < node.constraints["min_length"]:
        raise InputError("must not be empty")
    return text if kind == "str" else raw


def parse_text(node: FieldNode, text: str) -> Any:
    """``parse_input`` with a plainer message for an empty required number or date."""
    if not text.strip() and not node.nullable and node.kind in ("int", "float", "date"):
        raise InputError("enter a value (this field cannot be unset)")
    return parse_input(node, text)
