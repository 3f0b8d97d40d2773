"""The command palette (Ctrl+K): type to find a field, a section, a pass or a command (run,
save, health, a theme), move with the arrow keys, Enter to go. Fields are found by core's
search (name, label, path, description); the rest by their title."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

from nicegui import ui

from basalt.config.ui import SECTIONS
from config_ui.web import layout
from config_ui.web.views import set_attr

if TYPE_CHECKING:
    from config_ui.web.controller import EditorController

LIMIT = 12


@dataclass(frozen=True)
class Command:
    """One entry: what it is (``kind``: field, section, pass, command), its title, a detail
    shown beside it, and what choosing it does."""

    kind: str
    title: str
    detail: str
    action: Callable[[], Any]

    def matches(self, query: str) -> bool:
        return query in f"{self.title} {self.detail}".casefold()


def navigation_commands(ctrl: EditorController) -> list[Command]:
    """The sections and the passes of the tab's config."""
    commands = [
        Command("section", section, "", partial(ctrl.select_section, section))
        for section in SECTIONS
    ]
    passes = ctrl.session.raw_passes()
    for index, value in enumerate(passes):
        name = value.get("name") if isinstance(value, dict) else None
        commands.append(
            Command(
                "pass",
                f"Pass {name or index + 1}",
                "",
                partial(ctrl.select_pass, index),
            )
        )
    return commands


def field_commands(ctrl: EditorController, query: str) -> list[Command]:
    """The fields core's search finds for ``query`` (the ones the form shows)."""
    if not query:
        return []
    root = ctrl.root
    shown = layout.rendered_fields(root)
    commands = []
    for node in ctrl.session.search(query):
        if node.path not in shown:
            continue
        where = layout.readable_path(root, node.path)
        detail = where if where != node.label else layout.section_of(node)
        commands.append(Command("field", node.label, detail, partial(ctrl.goto, node.path)))
    return commands


def rank(command: Command, query: str) -> int:
    """Titles that start with the query first, then titles that hold it, then the rest
    (matched by their detail or, for fields, by core's search)."""
    title = command.title.casefold()
    return 0 if title.startswith(query) else 1 if query in title else 2


class Palette:
    """The palette dialog of one tab; ``commands`` gives the page's own commands (run,
    save, health, themes) each time it opens."""

    def __init__(self, ctrl: EditorController, commands: Callable[[], list[Command]]) -> None:
        self.ctrl = ctrl
        self.commands = commands
        self.found: list[Command] = []
        self.selected = 0
        self.dialog: ui.dialog | None = None

    def open(self) -> None:
        if self.dialog is not None and not self.dialog.is_deleted:
            return
        with (
            ui.dialog().props("position=top") as self.dialog,
            ui.card().classes("w-[40rem] max-w-[92vw] gap-1 mt-16") as card,
        ):
            set_attr(card, "data-dialog", "palette")
            card.mark("dialog:palette")
            self.input = ui.input(placeholder="Go to a field, section or pass; run; theme…")
            self.input.props("dense outlined autofocus clearable").classes("w-full")
            self.input.mark("palette-input")
            set_attr(self.input, "data-action", "palette-input")
            self.input.on_value_change(lambda e: self.search(e.value or ""))
            self.input.on("keydown.down.prevent", lambda: self.move(1))
            self.input.on("keydown.up.prevent", lambda: self.move(-1))
            self.input.on("keydown.enter.prevent", self.choose)
            self.listing = ui.column().classes("w-full gap-0")
            ui.label("↑ ↓ to move · Enter to go · Esc to close").classes("basalt-muted")
        self.dialog.on("hide", self._closed)
        self.search("")
        self.dialog.open()

    def _closed(self) -> None:
        if self.dialog is not None:
            self.dialog.delete()
        self.dialog = None

    def search(self, text: str) -> None:
        query = text.strip().casefold()
        others = [c for c in navigation_commands(self.ctrl) + self.commands() if c.matches(query)]
        fields = field_commands(self.ctrl, query)
        found = sorted(others + fields, key=lambda c: rank(c, query)) if query else others
        self.found = found[:LIMIT]
        self.selected = 0
        self._draw()

    def move(self, step: int) -> None:
        if self.found:
            self.selected = (self.selected + step) % len(self.found)
            self._draw()

    async def choose(self, index: int | None = None) -> None:
        """Carry out the selected entry (or entry ``index``) and close the palette."""
        if isinstance(index, int):
            self.selected = index
        if not self.found:
            return
        command = self.found[self.selected]
        if self.dialog is not None:
            self.dialog.close()
        with self.ctrl.anchor or ui.context.client.layout:
            result = command.action()
            if inspect.isawaitable(result):
                await result

    def _draw(self) -> None:
        self.listing.clear()
        with self.listing:
            if not self.found:
                ui.label("Nothing matches.").classes("basalt-muted").mark("palette-empty")
            for index, command in enumerate(self.found):
                row = ui.row().classes("w-full items-center gap-3 no-wrap px-2 py-1 rounded")
                row.classes("cursor-pointer basalt-palette-row")
                if index == self.selected:
                    row.classes("basalt-palette-selected")
                set_attr(row, "data-palette-kind", command.kind)
                set_attr(row, "data-palette-title", command.title)
                row.mark(f"palette:{command.title}")
                row.on("click", lambda _, i=index: self.choose(i))
                with row:
                    ui.label(command.kind).classes("basalt-type w-16 shrink-0")
                    ui.label(command.title).classes("basalt-label")
                    ui.label(command.detail).classes("basalt-muted truncate")
