"""Building the tree of :class:`FieldNode` from a Pydantic model class and the current values.

Each annotation maps to one node kind; values come from the resolved config data (what the
script and the YAML set) and fall back to the schema defaults; the origin of every value is
asked of the resolver.
"""

from __future__ import annotations

import datetime as dt
import enum
import types
from collections.abc import Callable, Mapping
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from basalt.config.modules.base import BUILTINS, ModuleScope, config_key
from basalt.config.ui import field_hints
from config_ui.core.nodes import FieldNode, Kind, Origin

_MISSING = object()
_CONSTRAINTS = ("gt", "ge", "lt", "le", "min_length", "max_length", "pattern")


def _strip(annotation: Any) -> tuple[Any, bool]:
    """(annotation without Annotated and None, whether None is allowed)."""
    if get_origin(annotation) is Annotated:
        return _strip(get_args(annotation)[0])
    if get_origin(annotation) in (Union, types.UnionType):
        args = get_args(annotation)
        rest = [a for a in args if a is not type(None)]
        if len(rest) == len(args):
            return annotation, False
        inner = rest[0] if len(rest) == 1 else Union[tuple(rest)]  # noqa: UP007
        return _strip(inner)[0], True
    return annotation, False


def _arms(annotation: Any) -> list[Any]:
    if get_origin(annotation) is Annotated:
        return _arms(get_args(annotation)[0])
    if get_origin(annotation) in (Union, types.UnionType):
        return [_strip(a)[0] for a in get_args(annotation)]
    return [annotation]


def _is_model(t: Any) -> bool:
    return isinstance(t, type) and issubclass(t, BaseModel)


def _choices(t: Any) -> list[Any] | None:
    if get_origin(t) is Literal:
        return list(get_args(t))
    if isinstance(t, type) and issubclass(t, enum.Enum):
        return [m.value for m in t]
    return None


def variant_tag(model: type[BaseModel]) -> str:
    """The discriminator value of a union variant (its ``type`` field's default)."""
    return str(model.model_fields["type"].default)


def classify(annotation: Any) -> tuple[Kind, dict[str, Any]]:
    """The node kind of an annotation and what the renderer needs to know about it."""
    t, nullable = _strip(annotation)
    info: dict[str, Any] = {"nullable": nullable}
    arms = _arms(t)
    if len(arms) > 1:
        if all(_is_model(a) for a in arms):
            return "union", info | {"variants": {variant_tag(a): a for a in arms}}
        lists = [a for a in arms if get_origin(a) is list]
        singles = [a for a in arms if get_origin(a) is not list]
        if lists and singles and _choices(singles[0]):  # X | list[X]
            return "multi", info | {"choices": _choices(singles[0]), "scalar_ok": True}
        suggestions = [c for a in arms for c in (_choices(a) or [])]
        return "str", info | {"choices": suggestions, "accepts_date": dt.date in arms}
    if t is bool:
        return "bool", info
    if t is int:
        return "int", info
    if t is float:
        return "float", info
    if t is dt.date:
        return "date", info
    if t is str or t is Any:
        return "str", info
    if _choices(t) is not None:
        return "enum", info | {"choices": _choices(t)}
    if get_origin(t) is list:
        (item,) = get_args(t) or (Any,)
        item, _ = _strip(item)
        if _is_model(item):
            return "model_list", info | {"model": item}
        if _choices(item) is not None:
            return "multi", info | {"choices": _choices(item)}
        return "list", info | {"item_kind": classify(item)[0]}
    if get_origin(t) is dict:
        _, value = get_args(t) or (str, Any)
        kind, value_info = classify(value)
        return "dict", info | {"item_kind": kind, "choices": value_info.get("choices", [])}
    if _is_model(t):
        return "model", info | {"model": t}
    return "str", info


# Words of field names as a person writes them: glued words apart, short forms spelled out,
# initialisms in capitals.
_WORDS = {
    "datasetname": "dataset name",
    "dir": "directory",
    "freq": "frequency",
    "num": "number of",
    "ohlc": "OHLC",
    "vwap": "VWAP",
    "twa": "TWA",
    "bps": "bps",
    "mic": "MIC",
    "id": "ID",
    "l2": "L2",
    "l3": "L3",
}


def label_of(name: str, title: str | None = None) -> str:
    """The label of a field: its schema ``title`` when it has one, else its name in words.

    ``START_DATE`` -> ``Start date``; ``DATASETNAME`` -> ``Dataset name``; ``NUM_WORKERS`` ->
    ``Number of workers``; ``mid_ohlc`` -> ``Mid OHLC``.
    """
    if title:
        return title
    words = " ".join(_WORDS.get(w, w) for w in name.lower().split("_") if w)
    return words[:1].upper() + words[1:]


def plain(value: Any) -> Any:
    """Model instances, enums and tuples as plain values."""
    if isinstance(value, BaseModel):
        return value.model_dump(mode="python", exclude_unset=False)
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


def _default(field: FieldInfo) -> tuple[Any, bool]:
    if field.is_required():
        return None, False
    return plain(field.get_default(call_default_factory=True)), True


def _constraints(field: FieldInfo) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for meta in field.metadata:
        for name in _CONSTRAINTS:
            value = getattr(meta, name, None)
            if value is not None:
                found[name] = value
    return found


def type_text(kind: Kind, info: dict[str, Any], constraints: dict[str, Any]) -> str:
    """A short human description of the type: ``integer > 0``, ``one of D, W, M``."""
    bounds = " ".join(
        f"{sym} {constraints[key]}"
        for key, sym in (("gt", ">"), ("ge", ">="), ("lt", "<"), ("le", "<="))
        if key in constraints
    )
    base = {
        "bool": "true or false",
        "int": "integer",
        "float": "number",
        "str": "text",
        "date": "date (YYYY-MM-DD)",
        "model": "group",
        "model_list": "list",
        "dict": "key: value rows",
        "union": "one of " + ", ".join(info.get("variants", {})),
        "unknown": "not in the schema",
    }.get(kind, "")
    if kind == "enum":
        base = "one of " + ", ".join(map(str, info["choices"]))
    elif kind == "multi":
        base = "any of " + ", ".join(map(str, info["choices"]))
    elif kind == "list":
        base = f"list of {info.get('item_kind', 'text')}"
    elif kind == "str" and info.get("choices"):
        base = ", ".join(map(str, info["choices"])) + (
            " or a date" if info.get("accepts_date") else ""
        )
    text = f"{base} {bounds}".strip()
    if info.get("nullable"):
        text += " (or unset)"
    return text


def summarize(value: Any) -> str:
    """One line for a list item: its name first, then a few scalar settings."""
    if not isinstance(value, Mapping):
        return str(value)
    parts = [str(value["name"])] if "name" in value else []
    for key, item in value.items():
        nested = isinstance(item, Mapping) or (
            isinstance(item, list) and any(isinstance(i, (Mapping, list)) for i in item)
        )
        if key == "name" or nested or len(parts) >= 4:
            continue
        shown = ", ".join(map(str, item)) if isinstance(item, list) else str(item)
        parts.append(f"{key}: {shown}")
    return " · ".join(parts) or "(defaults)"


class FormBuilder:
    """Builds nodes; ``raw`` holds the resolved (not validated) data, ``origin`` its origins,
    ``modules`` the modules the demo may use (the module picker's choices, their settings)."""

    def __init__(
        self,
        raw: Mapping[str, Any],
        origin: Callable[[str], Origin],
        modules: ModuleScope = BUILTINS,
    ) -> None:
        self.raw = raw
        self.origin = origin
        self.modules = modules

    def value_at(self, path: str) -> Any:
        node: Any = self.raw
        for part in path.split(".") if path else []:
            if isinstance(node, list) and part.isdigit() and int(part) < len(node):
                node = node[int(part)]
            elif isinstance(node, Mapping) and part in node:
                node = node[part]
            else:
                return _MISSING
        return node

    def model_node(self, model: type[BaseModel], path: str, label: str, **extra: Any) -> FieldNode:
        help_text = extra.pop("help", (model.__doc__ or "").strip())
        node = FieldNode(path=path, kind="model", label=label, help=help_text, **extra)
        node.children = self.fields_of(model, path)
        _apply_visibility(node.children)
        return node

    def fields_of(self, model: type[BaseModel], path: str) -> list[FieldNode]:
        prefix = f"{path}." if path else ""
        children = [
            self.field_node(name, f, prefix + name) for name, f in model.model_fields.items()
        ]
        raw = self.value_at(path)
        if model.model_config.get("extra") == "allow":  # the demo's own modules in a pass
            for name, cls in self.modules.registry().items():
                key = config_key(name)
                if key not in model.model_fields:
                    children.append(
                        self.model_node(cls, prefix + key, label_of(key), help=cls.description)
                    )
        known = {c.key for c in children}
        if isinstance(raw, Mapping):
            children += [
                self.unknown_node(prefix + str(k), raw[k]) for k in raw if str(k) not in known
            ]
        return children

    def unknown_node(self, path: str, value: Any) -> FieldNode:
        return FieldNode(
            path=path,
            kind="unknown",
            label=path.rsplit(".", 1)[-1],
            value=value,
            origin=self.origin(path),
            help="This key is not in the schema; it is kept as written.",
            type_text="not in the schema",
            has_default=False,
        )

    def field_node(self, name: str, field: FieldInfo, path: str) -> FieldNode:
        kind, info = classify(field.annotation)
        hints = field_hints(field)
        if hints.get("widget") == "module-picker":  # an ordered choice of registered modules
            kind, info = "multi", info | {"choices": list(self.modules.registry())}
        default, has_default = _default(field)
        constraints = _constraints(field)
        raw = self.value_at(path)
        value = default if raw is _MISSING else raw
        node = FieldNode(
            path=path,
            kind=kind,
            label=label_of(name, field.title),
            help=field.description or "",
            long_help=hints.get("help", ""),
            type_text=type_text(kind, info, constraints),
            default=default,
            has_default=has_default,
            choices=list(info.get("choices", [])),
            constraints=constraints,
            section=hints.get("section"),
            depends_on=hints.get("depends-on"),
            nullable=info.get("nullable", False),
            value=plain(value),
            origin=self.origin(path) if raw is not _MISSING else "default",
            item_kind=info.get("item_kind"),
        )
        self._fill(node, kind, info)
        return node

    def _fill(self, node: FieldNode, kind: Kind, info: dict[str, Any]) -> None:
        if kind == "model" and node.value is not None:
            node.children = self.fields_of(info["model"], node.path)
            _apply_visibility(node.children)
        elif kind == "model_list":
            items = node.value if isinstance(node.value, list) else []
            for i, item in enumerate(items):
                child = self.model_node(
                    info["model"],
                    f"{node.path}.{i}",
                    f"{node.label} {i + 1}",
                    origin=node.origin,
                    value=item,
                )
                child.summary = summarize(item)
                node.children.append(child)
        elif kind == "union":
            variants: dict[str, type[BaseModel]] = info["variants"]
            node.variants = list(variants)
            if isinstance(node.value, Mapping):
                node.variant = str(node.value.get("type", node.variants[0]))
                if node.variant in variants:  # the variant picker stands for the ``type`` key
                    fields = self.fields_of(variants[node.variant], node.path)
                    node.children = [c for c in fields if c.key != "type"]
                    _apply_visibility(node.children)
        elif kind == "dict" and isinstance(node.value, Mapping):
            for key, item in node.value.items():
                node.children.append(
                    FieldNode(
                        path=f"{node.path}.{key}",
                        kind=info["item_kind"],
                        label=str(key),
                        value=item,
                        choices=list(info.get("choices", [])),
                        origin=self.origin(f"{node.path}.{key}"),
                        has_default=False,
                        type_text=node.type_text,
                    )
                )
        elif kind == "multi" and node.value is not None and not isinstance(node.value, list):
            node.value = [node.value]


def _apply_visibility(siblings: list[FieldNode]) -> None:
    """``depends_on``: a field shows while a sibling holds one of the given values."""
    values = {n.key: n.value for n in siblings}
    for node in siblings:
        if not node.depends_on:
            continue
        node.visible = all(
            bool(set(current if isinstance(current, list) else [current]) & set(wanted))
            for name, wanted in node.depends_on.items()
            for current in [values.get(name)]
        )


def build_form(
    model: type[BaseModel],
    raw: Mapping[str, Any],
    origin: Callable[[str], Origin],
    modules: ModuleScope = BUILTINS,
) -> FieldNode:
    """The root node of ``model`` with ``raw`` values (resolved data), their origins, and the
    demo's ``modules``."""
    builder = FormBuilder(raw, origin, modules)
    return builder.model_node(model, "", model.__name__)
