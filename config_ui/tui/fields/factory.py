"""Which widget shows which node, and the context every field widget is built with."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from textual.widget import Widget

from config_ui.core.nodes import FieldNode
from config_ui.tui.fields.bool_field import BoolField
from config_ui.tui.fields.dict_field import DictField
from config_ui.tui.fields.enum_field import EnumField
from config_ui.tui.fields.model_group import ModelGroup
from config_ui.tui.fields.model_list_field import ModelListField
from config_ui.tui.fields.module_picker import ModulePicker
from config_ui.tui.fields.multi_field import MultiField
from config_ui.tui.fields.pass_list import PassList
from config_ui.tui.fields.text_field import TextField
from config_ui.tui.fields.union_field import UnionField
from config_ui.tui.fields.unknown_field import UnknownField

if TYPE_CHECKING:
    from config_ui.core.session import EditorSession

_MODULES = re.compile(r"PASSES\.\d+\.modules")


@dataclass
class FormContext:
    """What field widgets need from outside: the session (read only), whether the file is
    read-only, and which groups the user folded or unfolded (kept across rebuilds)."""

    session: EditorSession
    read_only: bool = False
    collapsed: dict[str, bool] = field(default_factory=dict)
    typing: str | None = None
    """The path whose typed value is being applied: that field keeps its text."""

    def make(self, node: FieldNode) -> Widget | None:
        """The widget for ``node``, or None while the node is hidden (``depends_on``)."""
        if not node.visible:
            return None
        cls: Any = widget_class(node)  # every field widget takes (node, context)
        return cls(node, self)


def widget_class(node: FieldNode) -> type[Widget]:
    kind = node.kind
    if kind == "bool" and isinstance(node.value, bool):
        return BoolField
    if kind == "enum" and (node.value in node.choices or node.value is None):
        return EnumField
    if kind == "multi" and all(v in node.choices for v in node.value or []):
        return ModulePicker if _MODULES.fullmatch(node.path) else MultiField
    if kind == "model":
        return ModelGroup
    if kind == "model_list":
        return PassList if node.path == "PASSES" else ModelListField
    if kind == "dict":
        return DictField
    if kind == "union":
        return UnionField
    if kind == "unknown":
        return UnknownField
    return TextField  # int, float, str, date, list; and values a choice widget cannot hold


def signature(nodes: list[FieldNode]) -> tuple:
    """The shape of the form under ``nodes``: equal shapes can be updated in place."""
    return tuple(
        (n.path, widget_class(n).__name__, n.visible, n.variant, len(n.children))
        for root in nodes
        for n in _shown(root)
    )


def _shown(node: FieldNode):
    """``node`` and the nodes below it that have widgets of their own: a list typed in one
    text field is one widget, whatever its length (a longer list updates in place)."""
    yield node
    if widget_class(node) is TextField:
        return
    for child in node.children:
        yield from _shown(child)
