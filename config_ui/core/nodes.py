"""The form model's node: one field of the config as both editors show it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Kind = Literal[
    "bool",
    "int",
    "float",
    "str",
    "date",
    "enum",  # one of a fixed set (Literal or Enum)
    "multi",  # several of a fixed set (list of Literal, or X | list[X])
    "list",  # list of free scalars (str, int)
    "model",  # nested model: a collapsible group
    "model_list",  # list of models: add, duplicate, remove, move
    "dict",  # key/value rows
    "union",  # one of several models, chosen by a discriminator
    "unknown",  # a key in the file that the schema does not have (kept, never dropped)
]
Origin = Literal["default", "python", "yaml", "cli"]


@dataclass
class FieldNode:
    """One field: what it is, what it holds, where the value came from, what is wrong with it.

    ``path`` is dotted with list indexes (``PASSES.0.time_bucket_seconds``); the root has
    path ``""``. ``value`` is a plain value (dates as ``datetime.date``, enums as strings).
    """

    path: str
    kind: Kind
    label: str
    help: str = ""
    long_help: str = ""
    type_text: str = ""
    default: Any = None
    has_default: bool = True
    choices: list[Any] = field(default_factory=list)
    constraints: dict[str, Any] = field(default_factory=dict)
    section: str | None = None
    depends_on: dict[str, list[Any]] | None = None
    nullable: bool = False
    value: Any = None
    origin: Origin = "default"
    errors: list[str] = field(default_factory=list)
    children: list[FieldNode] = field(default_factory=list)
    variants: list[str] = field(default_factory=list)
    variant: str | None = None
    summary: str = ""
    visible: bool = True
    item_kind: Kind | None = None

    @property
    def key(self) -> str:
        """The last segment of the path (a field name, a list index or a dict key)."""
        return self.path.rsplit(".", 1)[-1]

    @property
    def is_container(self) -> bool:
        return self.kind in ("model", "model_list", "dict", "union")

    @property
    def is_set(self) -> bool:
        """Whether a layer (script or YAML) sets the value, rather than the schema default."""
        return self.origin != "default"

    def walk(self):
        """This node and every node below it, depth first."""
        yield self
        for child in self.children:
            yield from child.walk()

    def find(self, path: str) -> FieldNode | None:
        for node in self.walk():
            if node.path == path:
                return node
        return None

    def error_count(self) -> int:
        """Errors on this node and everything below it (shown on collapsed groups)."""
        return sum(len(node.errors) for node in self.walk())
