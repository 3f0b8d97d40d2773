"""The modules of a pass: every module the demo may use, by tier, with its description and
the tables it needs; the output columns of the pass are shown by the pass editor beside it."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.message import Message
from textual.widgets import SelectionList
from textual.widgets.selection_list import Selection

from config_ui.core.pass_helpers import ModuleInfo
from config_ui.tui.fields.multi_field import MultiField


def module_prompt(info: ModuleInfo | None, name: str) -> Text:
    if info is None:
        return Text(name)
    needs = ", ".join(info.required_tables) or "earlier passes"
    return Text.assemble(
        (name, "bold"),
        "  ",
        (f"{info.tier} · needs {needs}", "dim"),
        "  ",
        (info.description, "italic"),
    )


class ModulePicker(MultiField):
    """The ``modules`` field of a pass, listed by tier."""

    show_label = False  # the pass editor's "Modules" heading names it

    DEFAULT_CSS = """
    ModulePicker SelectionList {
        height: auto;
        max-height: 20;
    }
    ModulePicker {
        grid-size: 2;
        grid-columns: 1fr 18;
    }
    ModulePicker .field-error {
        padding-left: 0;
        column-span: 2;
    }
    """

    class ModuleHighlighted(Message):
        """The cursor of the picker moved to ``info`` (for the help panel)."""

        def __init__(self, info: ModuleInfo) -> None:
            super().__init__()
            self.info = info

    def module_infos(self) -> dict[str, ModuleInfo]:
        """The modules the session's demo may use, in tier order (pre, core, post)."""
        groups = self.ctx.session.modules_by_tier()
        return {m.name: m for group in groups.values() for m in group}

    @property
    def ordered_choices(self) -> list[Any]:
        infos = self.module_infos()
        known = [name for name in infos if name in self.node.choices]
        return known + [c for c in self.node.choices if c not in infos]

    def selections(self) -> list[Selection[Any]]:
        infos = self.module_infos()
        values = list(self.node.value or [])
        return [
            Selection(module_prompt(infos.get(c), c), c, c in values) for c in self.ordered_choices
        ]

    def highlighted_module(self) -> ModuleInfo | None:
        widget = self.selection_list
        if widget.highlighted is None:
            return None
        return self.module_infos().get(widget.get_option_at_index(widget.highlighted).value)

    @on(SelectionList.SelectionHighlighted)
    def _highlighted(self, event: SelectionList.SelectionHighlighted) -> None:
        info = self.module_infos().get(event.selection.value)
        if info is not None and event.selection_list.has_focus:
            self.post_message(self.ModuleHighlighted(info))
