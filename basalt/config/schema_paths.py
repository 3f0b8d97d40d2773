"""Walking the schema by dotted path: which paths exist, and the key order of each mapping.

``PASSES.0.trade_analytics.generic_metrics.1.sides`` is a path; a segment of digits is a list
index. The YAML layer uses :func:`key_order` to place a new key where the schema puts it, and
the command line uses :func:`check_path` to refuse paths the schema does not have.
"""

from __future__ import annotations

import types
from collections.abc import Sequence
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel

from basalt.config.modules.base import config_key, module_registry, suggest


class UnknownPathError(KeyError):
    """A path the schema does not have; ``str()`` names it and suggests the closest key."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(path)
        self.path = path
        self.message = message

    def __str__(self) -> str:
        return self.message


def _arms(annotation: Any) -> list[Any]:
    """The alternatives of an annotation, Annotated and Optional stripped."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return _arms(get_args(annotation)[0])
    if origin is Union or origin is types.UnionType:
        return [arm for a in get_args(annotation) if a is not type(None) for arm in _arms(a)]
    return [annotation]


def _model_keys(model: type[BaseModel]) -> list[str]:
    keys = list(model.model_fields)
    if model.model_config.get("extra") == "allow":
        keys += [k for k in map(config_key, module_registry()) if k not in keys]
    return keys


def _model_field(model: type[BaseModel], key: str) -> Any:
    if key in model.model_fields:
        return model.model_fields[key].annotation
    if model.model_config.get("extra") == "allow" and key.endswith("_analytics"):
        cls = module_registry().get(key[: -len("_analytics")])
        if cls is not None:
            return cls
    return None


def _step(annotation: Any, segment: str | int) -> Any:
    """The annotation one segment down, or ``None`` when the segment does not exist."""
    for arm in _arms(annotation):
        origin = get_origin(arm)
        if isinstance(arm, type) and issubclass(arm, BaseModel) and isinstance(segment, str):
            found = _model_field(arm, segment)
            if found is not None:
                return found
        elif origin in (list, tuple, set, Sequence) and isinstance(segment, int):
            return get_args(arm)[0] if get_args(arm) else Any
        elif origin is dict and isinstance(segment, str):
            return get_args(arm)[1] if get_args(arm) else Any
        elif arm is Any:
            return Any
    return None


def _keys_of(annotation: Any) -> list[str]:
    keys: list[str] = []
    for arm in _arms(annotation):
        if isinstance(arm, type) and issubclass(arm, BaseModel):
            keys += [k for k in _model_keys(arm) if k not in keys]
    return keys


def normalise(path: str | Sequence[str | int]) -> tuple[str | int, ...]:
    """``"A.0.b"`` or ``("A", "0", "b")`` -> ``("A", 0, "b")``."""
    parts = path.split(".") if isinstance(path, str) else list(path)
    return tuple(int(p) if isinstance(p, str) and p.isdigit() else p for p in parts if p != "")


def annotation_at(model: type[BaseModel], path: str | Sequence[str | int]) -> Any:
    """The annotation at ``path``; raise :class:`UnknownPathError` when the schema lacks it."""
    annotation: Any = model
    walked: list[str] = []
    for segment in normalise(path):
        below = _step(annotation, segment)
        if below is None:
            here = ".".join(walked) or "the top level"
            keys = _keys_of(annotation)
            if isinstance(segment, int):
                msg = f"{here} is not a list; index {segment} does not apply"
            elif any(get_origin(a) in (list, tuple, set) for a in _arms(annotation)):
                msg = f"{here} is a list; use an item index such as {here}.0, not '{segment}'"
            elif keys:
                msg = f"unknown key '{segment}' under {here}{suggest(segment, keys)}"
            else:
                msg = f"{here} holds a single value, not '{segment}'"
            raise UnknownPathError(".".join(map(str, normalise(path))), msg)
        annotation = below
        walked.append(str(segment))
    return annotation


def check_path(model: type[BaseModel], path: str | Sequence[str | int]) -> None:
    """Raise :class:`UnknownPathError` unless ``path`` exists in the schema of ``model``."""
    annotation_at(model, path)


def key_order(model: type[BaseModel], parent: Sequence[str | int]) -> list[str]:
    """Schema order of the keys of the mapping at ``parent`` (empty when it is not a model)."""
    try:
        return _keys_of(annotation_at(model, parent))
    except UnknownPathError:
        return []


def clean_loc(model: type[BaseModel], loc: Sequence[str | int]) -> tuple[str | int, ...]:
    """A Pydantic error location without union tags (``OUTPUT_TARGET.parquet.x`` -> ``OUTPUT_TARGET.x``)."""
    annotation: Any = model
    out: list[str | int] = []
    for segment in loc:
        if annotation is None:
            out.append(segment)
            continue
        below = _step(annotation, segment)
        if below is None and len(_arms(annotation)) > 1:
            continue
        out.append(segment)
        annotation = below
    return tuple(out)
