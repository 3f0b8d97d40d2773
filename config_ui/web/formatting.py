"""Values as people read them: no Python reprs anywhere on the page.

Lists are comma-separated, dates ISO, ``None`` is "unset", booleans "true"/"false".
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from typing import Any

from config_ui.core.nodes import FieldNode

UNSET = "unset"

ORIGIN_TEXT = {
    "default": "default",
    "python": "set in script",
    "yaml": "set in YAML",
    "cli": "set on command line",
}


def _scalar(value: Any) -> str:
    if value is None:
        return UNSET
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value) if math.isfinite(value) else str(value)
    if isinstance(value, str):
        return value
    if hasattr(value, "value") and isinstance(getattr(value, "value", None), (str, int)):
        return str(value.value)  # an Enum member
    return str(value)


def _nested(value: Any) -> str:
    """Inside a list or mapping: nested containers in YAML flow style."""
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{k}: {_nested(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple, set, frozenset)):
        return "[" + ", ".join(_nested(v) for v in value) + "]"
    return _scalar(value)


def display(value: Any) -> str:
    """A value for reading: ``[1, 5]`` -> ``1, 5``; ``None`` -> ``unset``; dates ISO."""
    if isinstance(value, Mapping):
        return ", ".join(f"{k}: {_nested(v)}" for k, v in value.items()) or "(empty)"
    if isinstance(value, (list, tuple, set, frozenset)):
        return ", ".join(_nested(v) for v in value) or "(empty)"
    return _scalar(value)


def input_text(node: FieldNode) -> str:
    """What a text input shows for ``node``: empty for unset (the placeholder says so)."""
    value = node.value
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return ", ".join(_nested(v) for v in value)
    return _scalar(value)


def default_text(node: FieldNode) -> str:
    if not node.has_default:
        return "required" if node.kind != "unknown" else ""
    if node.is_container:
        return ""
    return display(node.default)


def origin_text(node: FieldNode) -> str:
    return ORIGIN_TEXT.get(node.origin, str(node.origin))


def seconds_text(seconds: int) -> str:
    """``300`` -> ``5 min``; ``3600`` -> ``1 h``; ``45`` -> ``45 s``."""
    if seconds and seconds % 3600 == 0:
        return f"{seconds // 3600} h"
    if seconds and seconds % 60 == 0:
        return f"{seconds // 60} min"
    return f"{seconds} s"


def plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def item_summary(value: Any, fallback: str) -> str:
    """One line for a list item: its name, then a few settings (``cron: 0 2 * * *``)."""
    if not isinstance(value, Mapping):
        return display(value) if value is not None else fallback
    parts = [display(value["name"])] if "name" in value else []
    for key, item in value.items():
        if key == "name" or isinstance(item, Mapping) or len(parts) >= 4:
            continue
        parts.append(f"{key}: {display(item)}")
    return " · ".join(parts) or fallback
