"""Resolving a run's config: the demo's ``USER_CONFIG``, its YAML, then command-line overrides.

Mappings merge deeply; lists are replaced whole. With ``yaml_overrides`` (the default) the YAML
wins over the Python, with ``python_overrides`` the reverse; command-line overrides win over
both. For every path the resolver records where its value came from (``default``, ``python``,
``yaml``, ``cli``) so the editors and ``basalt config show`` can say it.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from basalt.config.analytics import AnalyticsConfig
from basalt.config.demo_source import DemoSource, Precedence, python_beside, read_demo, yaml_beside
from basalt.config.document import ConfigDocument, parse_path
from basalt.config.modules.base import BUILTINS, ModuleScope
from basalt.config.schema_paths import key_order

Origin = Literal["default", "python", "yaml", "cli"]


def deep_merge(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """``override`` on top of ``base``: mappings merge key by key, anything else replaces."""
    out = copy.deepcopy(dict(base))
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = deep_merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def key_paths(data: Mapping[str, Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    """Every mapping key path in ``data`` with its value; lists are leaves (replaced whole)."""
    for key, value in data.items():
        path = f"{prefix}{key}"
        yield path, value
        if isinstance(value, Mapping):
            yield from key_paths(value, path + ".")


def set_path(data: dict[str, Any], path: str, value: Any) -> None:
    """Set ``A.b.c`` in nested dicts (and lists by index), creating mappings on the way."""
    parts = parse_path(path)
    node: Any = data
    for part in parts[:-1]:
        if isinstance(node, list):
            if not isinstance(part, int):  # what indexing the list with a str would raise
                raise TypeError(f"list indices must be integers or slices, not {part!r}")
            node = node[part]
        else:
            node = node.setdefault(part, {})
    node[parts[-1]] = value


@dataclass
class ResolvedConfig:
    """The merged config data of a demo, with the origin of each path and its sources."""

    data: dict[str, Any]
    origins: dict[str, Origin]
    precedence: Precedence = "yaml_overrides"
    python: DemoSource | None = None
    document: ConfigDocument | None = None
    overrides: dict[str, Any] = field(default_factory=dict)

    @property
    def yaml_path(self) -> Path | None:
        return self.document.path if self.document is not None else None

    @property
    def python_path(self) -> Path | None:
        return self.python.path if self.python is not None else None

    @property
    def modules(self) -> ModuleScope:
        """The modules this config may use: the built-ins and its demo script's own."""
        return self.python.modules if self.python is not None else BUILTINS

    def is_set(self, path: str) -> bool:
        """Whether some layer (python, yaml, cli) sets ``path``."""
        node: Any = self.data
        for part in parse_path(path):
            try:
                node = node[part]
            except (KeyError, IndexError, TypeError):
                return False
        return True

    def origin(self, path: str) -> Origin:
        """Where the value at ``path`` came from: default when no layer sets it, else the layer
        that set it or the nearest ancestor (items of a list come from the list's layer)."""
        if not self.is_set(path):
            return "default"
        parts = [str(p) for p in parse_path(path)]
        while parts:
            found = self.origins.get(".".join(parts))
            if found is not None:
                return found
            parts.pop()
        return "default"


def _forget_below(origins: dict[str, Origin], path: str) -> None:
    for stale in [p for p in origins if p.startswith(path + ".")]:
        del origins[stale]


def _record(origins: dict[str, Origin], layer: Mapping[str, Any], origin: Origin) -> None:
    """The layer's paths take ``origin``; below a value that is not a mapping (it replaces
    whole) the earlier layers' paths are forgotten. A mapping merges: what it does not set
    stays. One pass over each, so a large layer costs linear time."""
    entries = list(key_paths(layer))
    replaced = {path for path, value in entries if not isinstance(value, Mapping)}
    if replaced:
        for stale in [p for p in origins if _below_any(p, replaced)]:
            del origins[stale]
    for path, _ in entries:
        origins[path] = origin


def _below_any(path: str, parents: set[str]) -> bool:
    cut = path.find(".")
    while cut >= 0:
        if path[:cut] in parents:
            return True
        cut = path.find(".", cut + 1)
    return False


def merge_layers(
    python: Mapping[str, Any],
    yaml: Mapping[str, Any],
    precedence: Precedence = "yaml_overrides",
    overrides: Mapping[str, Any] | None = None,
) -> tuple[dict[str, Any], dict[str, Origin]]:
    """Merge the layers in precedence order; return the data and the origin of each path."""
    layers: list[tuple[Mapping[str, Any], Origin]] = [(python, "python"), (yaml, "yaml")]
    if precedence == "python_overrides":
        layers.reverse()
    data: dict[str, Any] = {}
    origins: dict[str, Origin] = {}
    for layer, origin in layers:
        data = deep_merge(data, layer)
        _record(origins, layer, origin)
    for path, value in (overrides or {}).items():
        set_path(data, path, copy.deepcopy(value))
        _forget_below(origins, path)
        origins[path] = "cli"
    return data, origins


def schema_key_order(parent: tuple) -> list[str]:
    """Key order of the mapping at ``parent`` in :class:`AnalyticsConfig`."""
    return key_order(AnalyticsConfig, parent)


def load_document(path: str | Path) -> ConfigDocument:
    """Load a config YAML whose new keys go where the schema orders them."""
    return ConfigDocument.load(path, key_order=schema_key_order)


def new_document(path: str | Path) -> ConfigDocument:
    """An empty config YAML (written with the ``USER_CONFIG:`` wrapper)."""
    return ConfigDocument.new(path, wrapped=True, key_order=schema_key_order)


def demo_paths(path: str | Path) -> tuple[Path | None, Path]:
    """The (script, YAML) pair for a demo given by either file."""
    path = Path(path)
    if path.suffix == ".py":
        return path, yaml_beside(path)
    return python_beside(path), path


def resolve(
    path: str | Path,
    overrides: Mapping[str, Any] | None = None,
    precedence: Precedence | None = None,
    document: ConfigDocument | None = None,
    user_config: Mapping[str, Any] | None = None,
) -> ResolvedConfig:
    """Resolve the config of the demo at ``path`` (its ``.py`` or its ``.yaml``).

    ``document`` lets an editor resolve its in-memory (unsaved) YAML instead of the file;
    ``user_config`` is the running demo's own dict (the script is then not read again).
    """
    py_path, yaml_path = demo_paths(path)
    source = read_demo(py_path) if py_path is not None else None
    if source is not None and user_config is not None:
        source.user_config = dict(user_config)
    if document is None and yaml_path.exists():
        document = load_document(yaml_path)
    yaml_data = document.data() if document is not None else {}
    python_data = source.user_config if source is not None else {}
    chosen: Precedence = precedence or (source.precedence if source else "yaml_overrides")
    data, origins = merge_layers(python_data, yaml_data, chosen, overrides)
    return ResolvedConfig(data, origins, chosen, source, document, dict(overrides or {}))


def set_in_yaml(document: ConfigDocument, resolved: ResolvedConfig, path: str, value: Any) -> bool:
    """Set ``path`` in the YAML; return whether the text changed.

    Lists replace whole when layers merge, so editing one item of a list the YAML does not
    hold yet (``PASSES.0.time_bucket_seconds`` with the passes in the script) first copies
    the resolved list into the YAML, then edits the item: the other items keep their values.
    """
    parts = parse_path(path)
    for i, part in enumerate(parts):
        if isinstance(part, int):
            list_path = parts[:i]
            if not document.has(list_path) and resolved.is_set(".".join(map(str, list_path))):
                node: Any = resolved.data
                for key in list_path:
                    node = node[key]
                document.set(list_path, copy.deepcopy(node))
            break
    return document.set(path, value)
