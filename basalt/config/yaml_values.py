"""Single values to and from YAML text, for the command line (``basalt config set/get``)."""

from __future__ import annotations

import datetime as dt
import enum
import io
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError


def _plain(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def parse_inline(text: str) -> Any:
    """Parse one YAML value (``300``, ``true``, ``[trade, l2]``, ``2025-01-02``); tags refused."""
    yaml = YAML(typ="safe", pure=True)
    try:
        value = yaml.load(text)
    except YAMLError as exc:
        raise ValueError(str(exc).splitlines()[0]) from None
    return value


def dump_inline(value: Any) -> str:
    """One line of YAML for ``value`` (flow style for lists and mappings)."""
    value = _plain(value)
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float, dt.date)) and not isinstance(value, dt.datetime):
        return str(value)
    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = True
    yaml.width = 1 << 16
    out = io.StringIO()
    yaml.dump(value, out)
    text = out.getvalue().strip()
    return (
        text[: -len("\n...")].strip()
        if text.endswith("\n...")
        else text.removesuffix("...").strip()
    )
