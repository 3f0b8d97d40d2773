"""What the page shows instead of the editor when a demo cannot be opened: the YAML does not
parse or is refused (line, column and message; never the file's contents), or the script
cannot be read."""

from __future__ import annotations

import asyncio
from urllib.parse import quote

from nicegui import context, ui

from basalt.config.document import DocumentError
from config_ui.web.security import DemoPair, Project
from config_ui.web.views import set_attr


def _frame(project: Project, pair: DemoPair) -> ui.column:
    with ui.header().classes("items-center gap-3 px-4 py-2"):
        ui.label("Basalt Studio").classes("text-lg basalt-label")
        ui.label(pair.yaml.relative_to(project.root).as_posix()).classes("basalt-muted")
    return ui.column().classes("w-full max-w-4xl mx-auto gap-3")


def _demo_links(project: Project, pair: DemoPair) -> None:
    ui.label("Other demos:").classes("basalt-muted")
    with ui.row().classes("gap-2"):
        for other in project.demos():
            if other.name != pair.name:
                ui.link(other.name, f"/?demo={quote(other.name)}").mark(f"demo:{other.name}")


def _reload_on_change(pair: DemoPair, container: ui.element) -> None:
    """When the file is fixed on disk, show the editor."""
    from config_ui.web.controller import watch

    loop = asyncio.get_running_loop()

    def changed(_text: str | None) -> None:  # the watcher's thread
        def on_loop() -> None:
            if not container.is_deleted:
                with container:
                    ui.navigate.reload()

        if not loop.is_closed():
            loop.call_soon_threadsafe(on_loop)

    try:
        watcher = watch(pair.yaml, changed)
    except OSError:
        return
    context.client.on_delete(watcher.stop)


def yaml_error(project: Project, pair: DemoPair, error: DocumentError) -> None:
    with _frame(project, pair) as box:
        card = ui.card().classes("w-full gap-2")
        set_attr(card, "data-error-view", "yaml")
        with card:
            ui.label(f"{pair.yaml.name} is not valid YAML").classes("text-xl basalt-label")
            where = f"Line {error.line}" if error.line else "The file"
            if error.line and error.column:
                where += f", column {error.column}"
            message = (
                ui.label(f"{where}: {error.message}").classes("basalt-error").mark("yaml-error")
            )
            set_attr(message, "data-error-line", str(error.line or ""))
            ui.label(
                "Fix the file in your text editor: this page opens the editor as soon as it parses."
            )
            ui.button("Try again", icon="refresh", on_click=ui.navigate.reload).props("outline")
        _demo_links(project, pair)
    _reload_on_change(pair, box)


def cannot_open(project: Project, pair: DemoPair, message: str) -> None:
    with _frame(project, pair):
        card = ui.card().classes("w-full gap-2")
        set_attr(card, "data-error-view", "demo")
        with card:
            ui.label(f"{pair.name} cannot be opened").classes("text-xl basalt-label")
            ui.label(message).classes("basalt-error").mark("open-error")
            ui.button("Try again", icon="refresh", on_click=ui.navigate.reload).props("outline")
        _demo_links(project, pair)
