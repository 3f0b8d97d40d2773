"""Renderers of the container kinds: model (a group), model_list (items with add, duplicate,
remove, move), dict (key/value rows) and union (a variant picker and the variant's fields)."""

from __future__ import annotations

from typing import Any

from nicegui import ui

from config_ui.core.nodes import FieldNode
from config_ui.web.fields import UNSET_KEY, TextView
from config_ui.web.formatting import UNSET, item_summary, plural
from config_ui.web.layout import ADVANCED, split_children
from config_ui.web.views import Context, FieldView, set_attr


def form_grid(gap: str = "gap-1") -> ui.column:
    """A column of fields that becomes two columns when the form is wide (800 px and more,
    as from a 1200 px window): short fields (dates, numbers, choices, switches) pair up, the
    others span the width (the theme's CSS)."""
    return ui.column().classes(f"w-full {gap} basalt-form")


def render_children(node: FieldNode, ctx: Context) -> None:
    """Visible children in order; those marked Advanced in a collapsed part at the end."""
    main, advanced = split_children(node)
    with form_grid():
        for child in main:
            ctx.render(child)
    if advanced:
        expansion = ui.expansion(ADVANCED, icon="tune", value=ctx.advanced_open(node.path))
        expansion.classes("w-full").mark(f"advanced:{node.path}")
        set_attr(expansion, "data-advanced-for", node.path)
        ctx.register_expansion(node.path, expansion)
        with expansion, form_grid():
            for child in advanced:
                ctx.render(child)


class GroupView(FieldView):
    """A nested model: its fields below its title."""

    help_first = True

    show_origin = False

    def body(self) -> None:
        self.wrapper.classes("basalt-group")
        self.children_box = ui.column().classes("w-full gap-1")
        with self.children_box:
            render_children(self.node, self.ctx)


class ItemView(FieldView):
    """One item of a list of models: a summary line with its buttons, then its fields."""

    help_first = True
    show_origin = False

    def __init__(self, node: FieldNode, ctx: Context, owner: FieldNode, index: int) -> None:
        self.owner = owner
        self.index = index
        super().__init__(node, ctx)

    def header(self) -> None:
        self.wrapper.classes("basalt-item")
        last = len(self.owner.children) - 1
        owner, index, ctx = self.owner, self.index, self.ctx
        with ui.row().classes("items-center gap-1 w-full no-wrap"):
            summary = item_summary(self.node.value, self.node.label)
            self.label = ui.label(summary).classes("basalt-label grow")
            if ctx.read_only:
                return
            for icon, tip, action, enabled, handler in (
                ("arrow_upward", "Move up", "move-up", index > 0,
                 lambda: ctx.move_item(owner, index, index - 1)),
                ("arrow_downward", "Move down", "move-down", index < last,
                 lambda: ctx.move_item(owner, index, index + 1)),
                ("content_copy", "Duplicate", "duplicate", True, lambda: ctx.duplicate_item(owner, index)),
                ("delete", "Remove", "remove", True, lambda: ctx.remove_item(owner, index)),
            ):  # fmt: skip
                self._button(icon, tip, action, enabled, handler)

    def _button(self, icon: str, tip: str, action: str, enabled: bool, handler: Any) -> None:
        button = ui.button(icon=icon, on_click=handler).props("flat dense round size=sm")
        button.mark(f"{action}:{self.path}")
        set_attr(button, "data-action", action)
        set_attr(button, "title", tip)
        if not enabled:
            button.disable()

    def _refresh_origin(self) -> None:
        """An item has its own buttons; its origin is its list's."""

    def body(self) -> None:
        render_children(self.node, self.ctx)

    def refresh_value(self) -> None:
        self.label.set_text(item_summary(self.node.value, self.node.label))


class ListView(FieldView):
    """A list of models (schedules, metric groups, partitions)."""

    help_first = True

    def body(self) -> None:
        node = self.node
        with ui.row().classes("items-center gap-2"):
            self.count = ui.label(plural(len(node.children), "item")).classes("basalt-muted")
            if not self.ctx.read_only:
                add = ui.button("Add", icon="add", on_click=lambda: self.ctx.add_item(self.node))
                add.props("flat dense size=sm").mark(f"add:{node.path}")
                set_attr(add, "data-action", "add-item")
        with ui.column().classes("w-full gap-2"):
            for index, child in enumerate(node.children):
                if child.visible:
                    ItemView(child, self.ctx, node, index)

    def refresh_value(self) -> None:
        self.count.set_text(plural(len(self.node.children), "item"))


class EntryView(TextView):
    """A row of a key/value field whose values are text."""

    removable_entry = True
    show_origin = False


class EntryChoiceView(FieldView):
    """A row of a key/value field whose values are one of a fixed set."""

    removable_entry = True
    show_origin = False

    def body(self) -> None:
        options = {str(c): str(c) for c in self.node.choices}
        current = str(self.node.value)
        if current not in options:
            options[current] = f"{current} (not allowed)"
        self.select = ui.select(options, value=current).props(
            "dense outlined options-dense hide-bottom-space"
        )
        self.select.mark(self.node.path)
        self.select.on_value_change(self._picked)
        if self.ctx.read_only:
            self.select.disable()

    def _picked(self, event: Any) -> None:
        if not self._updating and event.value != str(self.node.value):
            self.ctx.soon(self.ctx.set_value, self.node, event.value)

    def refresh_value(self) -> None:
        if self.select.value != str(self.node.value):
            self.select.set_value(str(self.node.value))


class DictView(FieldView):
    """Key/value rows, a row to add one."""

    help_first = True

    def body(self) -> None:
        node = self.node
        keys, values = self.ctx.entry_choices(node)
        with ui.column().classes("w-full gap-0 basalt-group"):
            if not node.children:
                ui.label("(no entries)").classes("basalt-muted")
            for entry in node.children:
                if entry.kind == "enum":
                    EntryChoiceView(entry, self.ctx)
                else:
                    entry.choices = entry.choices or values
                    EntryView(entry, self.ctx)
        if self.ctx.read_only:
            return
        with ui.row().classes("items-end gap-2"):
            if keys:
                self.new_key: ui.element = ui.select(keys, label="Key").props("dense outlined")
            else:
                self.new_key = ui.input("Key").props("dense outlined")
            self.new_key.classes("min-w-[8rem]").mark(f"new-key:{node.path}")
            value_choices = node.choices or values
            if node.item_kind == "enum" and value_choices:
                self.new_value: ui.element = ui.select(value_choices, label="Value")
            else:
                self.new_value = ui.input("Value", autocomplete=value_choices or None)
            self.new_value.props("dense outlined").classes("min-w-[8rem]").mark(
                f"new-value:{node.path}"
            )
            add = ui.button("Add", icon="add", on_click=self._add).props("flat dense size=sm")
            add.mark(f"add:{node.path}")
            set_attr(add, "data-action", "add-entry")

    def _add(self) -> None:
        key = str(self.new_key.value or "").strip()  # type: ignore[attr-defined]
        value = self.new_value.value  # type: ignore[attr-defined]
        if not key:
            self.set_local_error("enter a key first")
            return
        if value in (None, ""):
            self.set_local_error(f"enter a value for {key}")
            return
        self.set_local_error(None)
        self.ctx.set_entry(self.node, key, value)


class UnionView(FieldView):
    """One of several models, picked by its type (e.g. parquet or csv output)."""

    help_first = True

    def body(self) -> None:
        node = self.node
        options = {v: v for v in node.variants}
        if node.nullable or node.variant is None:
            options[UNSET_KEY] = UNSET
        self.select = ui.select(options, value=node.variant or UNSET_KEY, label="Type")
        self.select.props("dense outlined options-dense hide-bottom-space").classes(
            "min-w-[10rem]"
        ).mark(node.path)
        self.select.on_value_change(self._picked)
        if self.ctx.read_only:
            self.select.disable()
        with ui.column().classes("w-full gap-1 basalt-group"):
            render_children(node, self.ctx)

    def _picked(self, event: Any) -> None:
        if self._updating:
            return
        variant = None if event.value == UNSET_KEY else event.value
        if variant != self.node.variant:
            self.ctx.soon(self.ctx.switch_variant, self.node, variant)

    def refresh_value(self) -> None:
        want = self.node.variant or UNSET_KEY
        if self.select.value != want:
            self.select.set_value(want)


RENDERERS = {
    "model": GroupView,
    "model_list": ListView,
    "dict": DictView,
    "union": UnionView,
}
