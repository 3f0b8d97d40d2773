"""The editor page: built top to bottom, one :class:`EditorController` per browser tab."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from fastapi.responses import HTMLResponse
from nicegui import app, context, run, ui

from basalt.config.demo_source import DemoError
from basalt.config.document import DocumentError
from basalt.config.ui import SECTIONS
from config_ui.core.session import EditorSession
from config_ui.web import dialogs, error_view, section_address, shortcuts
from config_ui.web.charts import ChartColors
from config_ui.web.controller import EditorController
from config_ui.web.health_view import open_health
from config_ui.web.palette import Command, Palette
from config_ui.web.reload_label import reload_state_label
from config_ui.web.run_panel import RunPanel
from config_ui.web.security import Refused, demo_links_html, refusal_html
from config_ui.web.theme import ThemeControl
from config_ui.web.views import set_attr

if TYPE_CHECKING:
    from config_ui.web.app import WebSettings

log = logging.getLogger(__name__)

BEFOREUNLOAD = """
<script>
window.basaltDirty = false;
window.addEventListener('beforeunload', (event) => {
  if (window.basaltDirty) { event.preventDefault(); event.returnValue = ''; }
});
</script>
"""


# The token has set its cookie by the time the page runs: take it out of the address bar and
# the history, so it is not shared with a screenshot or a copied link.
FORGET_TOKEN = """
<script>
(() => {
  const url = new URL(window.location.href);
  if (url.searchParams.has('token')) {
    url.searchParams.delete('token');
    window.history.replaceState(window.history.state, '', url.pathname + url.search + url.hash);
  }
})();
</script>
"""


def demo_url(name: str, goto: str | None = None) -> str:
    url = f"/?demo={quote(name)}"
    return url + (f"&goto={quote(goto)}" if goto else "")


async def editor_page(
    settings: WebSettings, demo: str | None, goto: str | None
) -> HTMLResponse | None:
    """Build the page for ``demo`` (default: the one the server started on).

    Reading, parsing and validating the files run on a worker thread: a large or hostile
    file never stops the server answering other tabs meanwhile.
    """
    project = settings.project
    try:
        pair = await run.io_bound(project.resolve, demo)
    except Refused as exc:
        page = refusal_html("Refused", str(exc), extra=demo_links_html(project))
        return HTMLResponse(page, status_code=403)
    if pair is None:  # the server is stopping
        return None
    if goto is None and demo is None:
        goto = settings.goto
    theme = ThemeControl(settings.theme)
    theme.install()
    ui.add_head_html(BEFOREUNLOAD + FORGET_TOKEN)
    try:
        session = await run.io_bound(EditorSession.open, pair.script)
    except DocumentError as exc:
        error_view.yaml_error(project, pair, exc)
        return None
    except (DemoError, OSError) as exc:
        error_view.cannot_open(project, pair, str(exc))
        return None
    except Exception as exc:  # a bug, not the user's: say so plainly, log the details
        log.exception("cannot open %s", pair.name)
        error_view.cannot_open(
            project, pair, f"the editor could not build the form ({type(exc).__name__}: {exc})"
        )
        return None
    if session is None:  # the server is stopping
        return None

    ctrl = EditorController(session, pair, project)
    app.storage.client["editor"] = ctrl  # the tab's state, for whoever holds the client (tests)
    section_address.install(ctrl, goto_given=bool(goto))
    ui.page_title(f"{pair.yaml.name} - Basalt Studio")
    colors = ChartColors.of(theme.spec)
    panel = RunPanel(ctrl, settings.dagster_target, colors)
    app.storage.client["run_panel"] = panel
    drawer, themes = navigation(ctrl, theme)
    panel.build()
    header(ctrl, theme, drawer, tools=lambda: run_tools(settings, panel, colors), themes=themes)
    palette = Palette(ctrl, lambda: page_commands(ctrl, settings, panel, colors, theme, themes))
    shortcuts.install(ctrl, palette.open)
    with ui.column().classes("w-full max-w-5xl mx-auto gap-2 basalt-form-host") as main:
        ctrl.anchor = main
        ui.label(pair.yaml.relative_to(project.root).as_posix()).classes("basalt-muted").mark(
            "file"
        )
        if ctrl.read_only:
            banner = ui.label(
                f"Read-only: {pair.yaml.name} cannot be written. You can look, not change."
            )
            banner.classes("basalt-banner").mark("read-only")
            set_attr(banner, "data-state", "read-only")
        ctrl.banner_host = ui.column().classes("w-full gap-1")
        ctrl.content = ui.column().classes("w-full gap-2")
        ctrl.rebuild()
        ctrl.recount()
    ctrl.start_watching(main)
    context.client.on_delete(ctrl.stop_watching)
    if goto:
        ctrl.goto(goto)
    return None


def open_demo(
    ctrl: EditorController, name: str, on_cancel: Callable[[], None] | None = None
) -> None:
    """Go to another demo; ask first when this one has unsaved changes."""
    if name == ctrl.pair.name:
        return

    def go() -> None:
        ui.run_javascript("window.basaltDirty = false")
        ui.navigate.to(demo_url(name))

    if not ctrl.session.dirty:
        go()
        return
    message = f"{ctrl.pair.yaml.name} has unsaved changes; opening {name} discards them."
    dialogs.confirm_dialog(
        "Discard unsaved changes?", message, "Discard and open", go, on_cancel=on_cancel
    )


def _button(
    icon: str, action: str, tip: str, handler: Callable[[], Any], text: str = ""
) -> ui.button:
    button = ui.button(text, icon=icon, on_click=handler).props(
        "flat dense no-caps" + (" round" if not text else "")
    )
    button.mark(action).tooltip(tip)
    set_attr(button, "data-action", action)
    return button


def run_tools(settings: WebSettings, panel: RunPanel, colors: ChartColors) -> None:
    """The header's Dagster reload state, the Run panel and the health view."""
    reload_state_label(settings.dagster_target)
    _button("play_circle", "open-run", "Run locally or in Dagster", panel.toggle, "Run")

    async def health() -> None:
        await open_health(settings.project.demo_dir, colors)

    health_button = _button(
        "monitor_heart", "open-health", "Recent runs, coverage and checks", health, "Health"
    )
    health_button.classes("basalt-narrow-icon")


def page_commands(
    ctrl: EditorController,
    settings: WebSettings,
    panel: RunPanel,
    colors: ChartColors,
    theme: ThemeControl,
    themes: ui.select,
) -> list[Command]:
    """The palette's commands besides going to a field, section or pass."""

    async def health() -> None:
        await open_health(settings.project.demo_dir, colors)

    commands = [
        Command("command", "Run", "open the Run panel", panel.open),
        Command(
            "command", "Save", "show the changes, then save", lambda: dialogs.save_dialog(ctrl)
        ),
        Command("command", "Diff", "the unsaved changes", lambda: dialogs.diff_dialog(ctrl)),
        Command("command", "Health", "recent runs, coverage and checks", health),
        Command("command", "Next error", ctrl.error_text, ctrl.next_error),
        Command("command", "Undo", "", ctrl.undo),
        Command("command", "Redo", "", ctrl.redo),
        Command("command", "Keyboard shortcuts", "", shortcuts.shortcuts_dialog),
    ]
    for name, label in theme.options().items():
        commands.append(
            Command(
                "theme",
                name,
                label.removeprefix(name).strip(" ()"),
                partial(themes.set_value, name),
            )
        )
    return commands


def header(
    ctrl: EditorController,
    theme: ThemeControl,
    drawer: ui.left_drawer,
    tools: Callable[[], None] | None = None,
    themes: ui.select | None = None,
) -> None:
    """Demo picker, state, filter, errors, undo/redo, diff, save, ``tools``, light/dark.

    One row at any width from 1024 px: below 1280 px the title gives way, the demo picker
    narrows and Diff and Health show their icons only (the theme's CSS); the filter and the
    Dagster state shrink; nothing wraps."""
    with ui.header().classes("items-center no-wrap gap-2 px-3 py-1 basalt-header") as bar:
        bar.mark("header")
        ui.button(icon="menu", on_click=drawer.toggle).props("flat dense round").tooltip(
            "Sections and demos"
        )
        ui.label("Basalt Studio").classes("text-lg basalt-label basalt-title")
        names = {p.name: p.name for p in ctrl.project.demos()}
        picker = ui.select(names, value=ctrl.pair.name).props("dense outlined options-dense")

        def keep_current() -> None:  # the user stayed: the picker shows this demo again
            picker.set_value(ctrl.pair.name)

        picker.on_value_change(lambda e: open_demo(ctrl, e.value, keep_current))
        picker.classes("basalt-demo-picker").mark("open-demo")
        set_attr(picker, "data-action", "open-demo")
        dirty = ui.label(ctrl.dirty_text).classes("basalt-muted whitespace-nowrap").mark("dirty")
        set_attr(dirty, "data-state", "dirty")
        ctrl.filter_input = ui.input(
            placeholder="Filter fields", on_change=lambda e: ctrl.filter(e.value)
        )
        ctrl.filter_input.props("dense outlined clearable debounce=150").classes(
            "basalt-filter"
        ).mark("filter")
        set_attr(ctrl.filter_input, "data-action", "filter")
        ui.space()
        errors = _button(
            "error_outline", "next-error", "Go to the next error", ctrl.next_error, ctrl.error_text
        )
        errors.classes("whitespace-nowrap")
        undo = _button("undo", "undo", "Undo (Ctrl+Z)", ctrl.undo)
        redo = _button("redo", "redo", "Redo (Ctrl+Shift+Z)", ctrl.redo)
        _button(
            "difference", "diff", "The unsaved changes", lambda: dialogs.diff_dialog(ctrl), "Diff"
        ).classes("basalt-narrow-icon")
        save = _button(
            "save",
            "save",
            "Save, after showing the changes (Ctrl+S)",
            lambda: dialogs.save_dialog(ctrl),
            "Save",
        )
        save.props(remove="flat")
        if ctrl.read_only:
            save.disable()
        if tools is not None:
            tools()
        _button(
            "contrast",
            "toggle-dark",
            "Light / dark",
            lambda: themes.set_value(theme.opposite() or theme.name) if themes else None,
        )

    def follow() -> None:  # with every change, at once
        undo.set_enabled(ctrl.can_undo)
        redo.set_enabled(ctrl.can_redo)
        dirty.set_text(ctrl.dirty_text)
        errors.set_text(ctrl.error_text)
        errors.props.set_optional("color", "negative" if ctrl.has_errors else None)

    ctrl.on_recount.append(follow)
    follow()


def theme_picker(theme: ThemeControl) -> ui.select:
    """The theme select (in the side navigation; the header keeps the light/dark toggle)."""
    themes = ui.select(theme.options(), value=theme.name, label="Theme")
    themes.props("dense outlined options-dense").classes("w-full")
    themes.on_value_change(lambda e: theme.switch(e.value) if e.value != theme.name else None)
    themes.mark("theme")
    set_attr(themes, "data-action", "theme")
    return themes


def navigation(ctrl: EditorController, theme: ThemeControl) -> tuple[ui.left_drawer, ui.select]:
    """The sections (with their error counts), every demo of the project, the theme and the
    list of keyboard shortcuts."""
    with ui.left_drawer(value=True).props("width=220 bordered") as drawer:
        ui.label("Sections").classes("basalt-muted")
        for section in SECTIONS:
            button = ui.button(
                ctrl.nav_text[section], on_click=lambda _, s=section: ctrl.select_section(s)
            )
            button.props("flat no-caps align=left").classes("w-full").mark(f"section:{section}")
            set_attr(button, "data-section", section)
            ctrl.nav_buttons[section] = button
        ui.separator()
        ui.label("Demos").classes("basalt-muted")
        for other in ctrl.project.demos():
            link = ui.button(other.name, on_click=lambda _, n=other.name: open_demo(ctrl, n))
            link.props("flat dense no-caps align=left").classes("w-full text-xs").mark(
                f"demo:{other.name}"
            )
            set_attr(link, "data-demo", other.name)
            if other.name == ctrl.pair.name:
                link.classes("basalt-nav-active")
        ui.separator()
        themes = theme_picker(theme)
        keys = ui.button("Keyboard shortcuts", icon="keyboard", on_click=shortcuts.shortcuts_dialog)
        keys.props("flat dense no-caps align=left").classes("w-full text-xs").mark("shortcuts")
        set_attr(keys, "data-action", "shortcuts")

    def follow() -> None:
        for section, button in ctrl.nav_buttons.items():
            button.set_text(ctrl.nav_text[section])

    ctrl.on_recount.append(follow)
    return drawer, themes
