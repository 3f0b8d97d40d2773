"""Plain config values: paths, normalisation, strict comparison and a reference model.

The model functions (:func:`model_set`, :func:`model_delete`, ...) apply an edit
to plain Python data. The document uses them to know what the file must load
as after an edit, and refuses any text edit that does not give exactly that.
"""

from __future__ import annotations

import datetime as dt
import enum
import math
from collections.abc import Mapping, Sequence
from typing import Any

ConfigPath = tuple[str | int, ...]
PathLike = str | Sequence[str | int]
SCALAR_TYPES = (str, bool, int, float, dt.date, dt.datetime, type(None))


def parse_path(path: str) -> ConfigPath:
    """Split a dotted path: ``"PASSES.0.name"`` -> ``("PASSES", 0, "name")``.

    Segments made only of digits are list indexes. The empty string is the root ``()``.
    """
    if path == "":
        return ()
    segments = path.split(".")
    if any(segment == "" for segment in segments):
        raise ValueError(f"invalid config path {path!r}: empty segment")
    return tuple(int(s) if s.isdigit() else s for s in segments)


def format_path(path: Sequence[str | int]) -> str:
    """Join path segments: ``("PASSES", 0, "name")`` -> ``"PASSES.0.name"``."""
    return ".".join(str(segment) for segment in path)


def as_path(path: PathLike) -> ConfigPath:
    """A path given as a dotted string or a sequence of segments, as a tuple."""
    if isinstance(path, str):
        return parse_path(path)
    return tuple(int(s) if isinstance(s, str) and s.isdigit() else s for s in path)


def normalize(value: Any) -> Any:
    """The plain YAML-writable form of ``value``.

    Enum members become their ``.value``, tuples become lists; mapping keys
    must be strings. Anything YAML cannot hold as a core type is a ``TypeError``.
    """
    if isinstance(value, enum.Enum):
        return normalize(value.value)
    if isinstance(value, SCALAR_TYPES):
        return value
    if isinstance(value, Mapping):
        result = {}
        for key, item in value.items():
            key = normalize(key)
            if not isinstance(key, str):
                raise TypeError(f"config mapping keys must be strings, not {key!r}")
            result[key] = normalize(item)
        return result
    if isinstance(value, (list, tuple)):
        return [normalize(item) for item in value]
    raise TypeError(f"cannot write a {type(value).__name__} value to a YAML config file")


def same_value(a: Any, b: Any) -> bool:
    """Deep equality that also requires equal types (``1`` is not ``1.0`` nor ``True``)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same_value(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same_value(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    return bool(a == b)


def nest(path: Sequence[str | int], value: Any) -> Any:
    """``value`` wrapped in one mapping per segment: ``nest(("a", "b"), 1) == {"a": {"b": 1}}``."""
    for segment in reversed(path):
        value = {str(segment): value}
    return value


def _find_key(mapping: dict, segment: str | int) -> Any:
    for key in mapping:
        if str(key) == str(segment):
            return key
    return None


def _step(container: Any, segment: str | int, path: ConfigPath, create: bool) -> tuple[Any, Any]:
    """Resolve one segment; return (container, key or index)."""
    if isinstance(container, dict):
        key = _find_key(container, segment)
        if key is None:
            if not create:
                raise KeyError(format_path(path))
            key = str(segment)
        return container, key
    if isinstance(container, list):
        if not isinstance(segment, int):
            raise KeyError(f"{format_path(path)}: {segment!r} is not a list index")
        if not 0 <= segment < len(container):
            raise IndexError(f"{format_path(path)}: list index {segment} out of range")
        return container, segment
    raise KeyError(f"{format_path(path)}: cannot look inside a {type(container).__name__} value")


def model_get(data: Any, path: ConfigPath) -> Any:
    """The value at ``path`` (``KeyError`` / ``IndexError`` when missing)."""
    for i, segment in enumerate(path):
        container, key = _step(data, segment, path[: i + 1], create=False)
        data = container[key]
    return data


def model_set(data: dict, path: ConfigPath, value: Any) -> None:
    """Set ``path`` to ``value``, creating missing mappings (a null parent becomes a mapping)."""
    container: Any = data
    for i, segment in enumerate(path[:-1]):
        container, key = _step(container, segment, path[: i + 1], create=True)
        if isinstance(container, dict) and key not in container:
            container[key] = {}
        elif container[key] is None:
            container[key] = {}
        container = container[key]
    container, key = _step(container, path[-1], path, create=True)
    container[key] = value


def model_delete(data: dict, path: ConfigPath, prune_empty: bool = False) -> bool:
    """Delete ``path``; with ``prune_empty`` also delete mapping keys it leaves empty."""
    try:
        parent = model_get(data, path[:-1])
        container, key = _step(parent, path[-1], path, create=False)
    except KeyError:
        return False
    del container[key]
    emptied_mapping = isinstance(container, dict) and not container
    if (
        prune_empty
        and emptied_mapping
        and len(path) > 1
        and isinstance(model_get(data, path[:-2]), dict)
    ):
        model_delete(data, path[:-1], prune_empty=True)
    return True


def model_list(data: dict, path: ConfigPath, create: bool) -> list:
    """The list at ``path``; with ``create`` a missing or null list is created empty."""
    try:
        value = model_get(data, path)
    except KeyError:
        if not create:
            raise
        value = None
    if value is None and create:
        model_set(data, path, [])
        value = model_get(data, path)
    if not isinstance(value, list):
        raise TypeError(f"{format_path(path)} is not a list")
    return value
