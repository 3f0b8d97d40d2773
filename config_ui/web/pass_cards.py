"""Passes: a card per pass (add, duplicate, remove, reorder), the selected pass's editor, its
module picker (descriptions, required tables) and the live list of its output columns."""

from __future__ import annotations

from typing import TYPE_CHECKING

from nicegui import ui

from config_ui.core.pass_helpers import PassCard
from config_ui.web.formatting import display, plural, seconds_text
from config_ui.web.groups import render_children
from config_ui.web.views import FieldView, set_attr

if TYPE_CHECKING:
    from config_ui.core.session import EditorSession
    from config_ui.web.controller import EditorController

TIER_TITLES = {
    "pre": "Before the core modules",
    "core": "Core modules",
    "post": "After the core modules",
}


def _docs(session: EditorSession, columns: list[str]) -> dict[str, str]:
    """The docs of ``columns`` in the session's demo (its own modules' included)."""
    try:
        return session.column_docs(columns)
    except Exception:  # documentation is a help, never a reason to fail the page
        return {c: "" for c in columns}


class PassesView(FieldView):
    """``PASSES``: the cards, then the editor of the selected pass."""

    help_first = True
    ctx: EditorController

    def body(self) -> None:
        self.cards = ui.row().classes("w-full gap-3 items-stretch")
        set_attr(self.cards, "data-pass-cards", "")
        with self.cards:
            self._cards()
        index = self.ctx.selected_pass
        if 0 <= index < len(self.node.children):
            PassEditor(self.node.children[index], self.ctx)
        else:
            ui.label("No passes: add one to compute something.").classes("basalt-muted")

    def _cards(self) -> None:
        ctrl = self.ctx
        cards = ctrl.session.pass_cards()
        for card in cards:
            self._card(card, last=len(cards) - 1)
        if not ctrl.read_only:
            add = ui.button("Add pass", icon="add", on_click=lambda: ctrl.add_item(self.node))
            add.props("outline").classes("self-center").mark("add:PASSES")
            set_attr(add, "data-action", "add-pass")

    def _card(self, card: PassCard, last: int) -> None:
        ctrl, node, i = self.ctx, self.node, card.index
        box = ui.card().classes("p-3 gap-1 min-w-[14rem]")
        if i == ctrl.selected_pass:
            box.classes("basalt-card-selected")
        set_attr(box, "data-pass-index", str(i))
        with box:
            face = ui.column().classes("gap-1 w-full cursor-pointer").mark(f"pass-card:{i}")
            face.on("click", lambda: ctrl.select_pass(i))
            set_attr(face, "data-action", "select-pass")
            with face:
                with ui.row().classes("items-center gap-2 w-full no-wrap"):
                    ui.label(card.name).classes("basalt-label grow")
                    if card.error_count:
                        ui.badge(plural(card.error_count, "error"), color="negative")
                every = seconds_text(card.bucket_seconds)
                ui.label(f"every {every} · {plural(card.column_count, 'column')}")
                ui.label(display(list(card.modules))).classes("basalt-muted")
            if ctrl.read_only:
                return
            with ui.row().classes("gap-0"):
                for icon, tip, action, enabled, handler in (
                    ("arrow_back", "Move earlier", "move-up", i > 0, lambda: ctrl.move_item(node, i, i - 1)),
                    ("arrow_forward", "Move later", "move-down", i < last, lambda: ctrl.move_item(node, i, i + 1)),
                    ("content_copy", "Duplicate", "duplicate", True, lambda: ctrl.duplicate_item(node, i)),
                    ("delete", "Remove", "remove", True, lambda: ctrl.remove_item(node, i)),
                ):  # fmt: skip
                    button = ui.button(icon=icon, on_click=handler).props(
                        "flat dense round size=sm"
                    )
                    button.mark(f"{action}:PASSES.{i}")
                    set_attr(button, "data-action", action)
                    set_attr(button, "title", tip)
                    if not enabled:
                        button.disable()

    def refresh_value(self) -> None:
        self.cards.clear()
        with self.cards:
            self._cards()


class PassEditor(FieldView):
    """The selected pass: its fields (module settings shown for the modules it uses) and the
    columns it will produce."""

    help_first = True
    ctx: EditorController
    show_origin = False

    def header(self) -> None:
        super().header()
        self.label.set_text(self._title())

    def _title(self) -> str:
        value = self.node.value
        name = value.get("name") if isinstance(value, dict) else None
        return f"Pass {display(name)}" if name is not None else self.node.label

    def body(self) -> None:
        self.wrapper.classes("basalt-group")
        render_children(self.node, self.ctx)
        with ui.expansion("Output columns", icon="view_column", value=True).classes(
            "w-full"
        ) as self.expansion:
            self.columns_box = ui.column().classes("w-full gap-0")
            set_attr(self.columns_box, "data-columns-for", self.path)
        self.shown: list[str] | None = None
        self._columns()

    def _columns(self) -> None:
        index = int(self.path.split(".")[1])
        columns = self.ctx.session.pass_columns(index)
        if columns == self.shown:
            return
        self.shown = columns
        self.expansion.set_text(f"Output columns ({len(columns)})")
        self.columns_box.clear()
        with self.columns_box:
            if not columns:
                ui.label("No columns: the pass has errors, or no module produces any.").classes(
                    "basalt-muted"
                )
            for column, doc in _docs(self.ctx.session, columns).items():
                with ui.row().classes("gap-3 no-wrap"):
                    ui.label(column).classes("font-mono min-w-[14rem]").mark(f"column:{column}")
                    ui.label(doc).classes("basalt-muted")

    def refresh_value(self) -> None:
        self.label.set_text(self._title())
        self._columns()


class ModulePickerView(FieldView):
    """``PASSES.i.modules``: modules by tier with what they compute and the tables they read;
    the chosen ones in order, each movable."""

    help_first = True
    ctx: EditorController

    def body(self) -> None:
        self.order = ui.row().classes("items-center gap-1")
        set_attr(self.order, "data-module-order", self.path)
        self.boxes: dict[str, ui.checkbox] = {}
        for tier, modules in self.ctx.session.modules_by_tier().items():
            if not modules:
                continue
            ui.label(TIER_TITLES.get(tier, tier)).classes("basalt-muted mt-1")
            for module in modules:
                with ui.row().classes("items-center gap-2 no-wrap"):
                    box = ui.checkbox(module.name, value=module.name in self._values())
                    box.mark(f"module:{self.path}:{module.name}")
                    box.on_value_change(lambda e, name=module.name: self._toggled(name, e.value))
                    if self.ctx.read_only:
                        box.disable()
                    self.boxes[module.name] = box
                    ui.label(module.description).classes("basalt-help")
                    needs = ", ".join(module.required_tables) or "earlier passes"
                    ui.label(f"reads {needs}").classes("basalt-type")
        self._order()

    def _values(self) -> list[str]:
        value = self.node.value
        if value is None:
            return []
        return [str(v) for v in value] if isinstance(value, list) else [str(value)]

    def _toggled(self, name: str, checked: bool) -> None:
        if self._updating:
            return
        values = self._values()
        if checked and name not in values:
            values.append(name)
        elif not checked and name in values:
            values.remove(name)
        else:
            return
        self.ctx.set_value(self.node, values)

    def _move(self, index: int) -> None:
        values = self._values()
        values[index - 1], values[index] = values[index], values[index - 1]
        self.ctx.set_value(self.node, values)

    def _order(self) -> None:
        self.order.clear()
        with self.order:
            ui.label("Order:").classes("basalt-muted")
            values = self._values()
            if not values:
                ui.label("(none)").classes("basalt-muted")
            for index, name in enumerate(values):
                with ui.row().classes("items-center gap-0 basalt-origin"):
                    ui.label(name)
                    if index > 0 and not self.ctx.read_only:
                        button = ui.button(
                            icon="chevron_left", on_click=lambda i=index: self._move(i)
                        )
                        button.props("flat dense round size=xs").mark(
                            f"module-earlier:{self.path}:{name}"
                        )
                        set_attr(button, "title", f"Run {name} earlier")

    def refresh_value(self) -> None:
        values = self._values()
        for name, box in self.boxes.items():
            if box.value != (name in values):
                box.set_value(name in values)
        self._order()
