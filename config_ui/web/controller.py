"""One browser tab's editor: its own :class:`EditorSession`, what the tab shows (section,
selected pass, filter), and the actions, each a core operation followed by a page update.

After every operation the core rebuilds its form; the tab then updates its views in place
when the page is made of the same fields (values, origins, errors), and rebuilds the content
only when the shape changed (an item added, a module switched on, another variant).
"""

from __future__ import annotations

import asyncio
import functools
import json
import logging
import weakref
from collections.abc import Callable
from typing import Any

from nicegui import ui

from basalt.config.document import DocumentError
from basalt.config.ui import SECTIONS
from config_ui.core.field_input import InputError
from config_ui.core.nodes import FieldNode
from config_ui.core.save_plan import plan_save
from config_ui.core.session import (
    DiskProblem,
    EditorSession,
    InvalidConfig,
    ReadOnlyError,
    SaveConflict,
)
from config_ui.web import dialogs, layout, section_address
from config_ui.web.fields import renderer_for
from config_ui.web.formatting import plural
from config_ui.web.groups import form_grid
from config_ui.web.notices import notify
from config_ui.web.pass_cards import ModulePickerView, PassesView
from config_ui.web.security import DemoPair, Project, Refused
from config_ui.web.views import FieldView, set_attr

log = logging.getLogger(__name__)

_WATCHERS: weakref.WeakSet = weakref.WeakSet()
"""Every file watcher a page started, so the server's shutdown stops them all."""


def watch(
    path: Any, on_change: Callable[[str | None], None], *, acknowledge: str | None = None
) -> Any:
    """A started :class:`FileWatcher` on ``path`` (``on_change`` runs on its thread)."""
    from config_ui.core.file_watch import FileWatcher

    watcher = FileWatcher(path, on_change, debounce=0.15)
    if acknowledge is not None:
        watcher.acknowledge(acknowledge)
    watcher.start()
    _WATCHERS.add(watcher)
    return watcher


def stop_all_watchers() -> None:
    for watcher in list(_WATCHERS):
        watcher.stop()


def in_page(method: Callable[..., Any]) -> Callable[..., Any]:
    """Run an action inside the tab's page: the element whose event started it may be
    deleted by a rebuild, and notifications and scripts still need to reach the tab."""

    @functools.wraps(method)
    def wrapper(self: EditorController, *args: Any, **kwargs: Any) -> Any:
        if self.anchor is None or self.anchor.is_deleted:
            return method(self, *args, **kwargs)
        with self.anchor:
            return method(self, *args, **kwargs)

    return wrapper


FOCUS_JS = """
(path) => {
  let tries = 0;
  const go = () => {
    const el = document.querySelector('[data-path="' + CSS.escape(path) + '"]');
    if (!el) { if (tries++ < 40) setTimeout(go, 25); return; }
    el.scrollIntoView({block: 'center'});
    el.classList.add('basalt-flash');
    setTimeout(() => el.classList.remove('basalt-flash'), 1500);
    const input = el.querySelector('input, textarea') || el.querySelector('[tabindex="0"]');
    if (input) input.focus({preventScroll: true});
  };
  go();
}
"""


class EditorController:
    """The state and actions of one tab. Views call the ``Context`` methods (set_value, ...)."""

    def __init__(self, session: EditorSession, pair: DemoPair, project: Project) -> None:
        self.session = session
        self.pair = pair
        self.project = project
        self.read_only = session.read_only
        self.section = SECTIONS[0]
        self.address_section: str | None = None  # the section the address bar names
        self.selected_pass = 0
        self.query = ""
        self.input_errors: dict[str, str] = {}
        self.open_advanced: set[str] = set()
        self.last_error: str | None = None
        self.focused: str | None = None
        self.conflict_open = False
        self.views: dict[str, FieldView] = {}
        self.expansions: dict[str, ui.expansion] = {}
        self.signature: tuple | None = None
        self.content: ui.column | None = None
        self.banner_host: ui.column | None = None  # the banner of a file broken on disk
        self._banner_drawn: tuple | None = None
        self.anchor: ui.element | None = None  # an element that lives as long as the page
        self.filter_input: ui.input | None = None
        self.nav_buttons: dict[str, ui.button] = {}
        self.on_recount: list[Callable[[], None]] = []  # page parts that follow the counts at once
        self.watcher: Any = None
        self.loop: asyncio.AbstractEventLoop | None = None
        # what the header and the navigation show (the page follows them through on_recount)
        self.error_text = ""
        self.has_errors = False
        self.dirty_text = ""
        self.can_undo = False
        self.can_redo = False
        self.nav_text: dict[str, str] = {s: s for s in SECTIONS}
        self._dirty_sent: bool | None = None
        self.recount()

    @property
    def root(self) -> FieldNode:
        assert self.session.root is not None
        return self.session.root

    # -- Context for the views ----------------------------------------------------------------

    def register(self, view: FieldView) -> None:
        self.views[view.path] = view

    def soon(self, action: Callable[..., Any], *args: Any) -> None:
        asyncio.get_running_loop().call_soon(lambda: action(*args))

    def render(self, node: FieldNode) -> FieldView | None:
        if not node.visible:
            return None
        if layout.is_module_picker(node):
            return ModulePickerView(node, self)
        return renderer_for(node)(node, self)

    def register_expansion(self, path: str, expansion: ui.expansion) -> None:
        self.expansions[path] = expansion
        expansion.on_value_change(lambda e: self._advanced_toggled(path, e.value))

    def _advanced_toggled(self, path: str, opened: bool) -> None:
        (self.open_advanced.add if opened else self.open_advanced.discard)(path)

    def advanced_open(self, path: str) -> bool:
        return path in self.open_advanced

    @in_page
    def input_error(self, path: str, message: str | None) -> None:
        if message is None:
            self.input_errors.pop(path, None)
        else:
            self.input_errors[path] = message
        self.recount()

    @in_page
    def keep_draft(self, path: str, text: str) -> str | None:
        """Text typed at ``path`` that does not parse stays in the session as a draft (an
        error until fixed); its message, or None when it parses."""
        message = self.session.set_draft(path, text)
        self.input_error(path, message)
        return message

    def draft(self, path: str) -> str | None:
        return self.session.drafts.get(path)

    def check(self, path: str, value: Any) -> list[str]:
        return self.session.check(path, value)

    def entry_choices(self, node: FieldNode) -> tuple[list[str], list[str]]:
        """(key suggestions, value suggestions) for a key/value field."""
        parts = node.path.split(".")
        if len(parts) == 3 and parts[0] == layout.PASSES and parts[2] == "module_inputs":
            index = int(parts[1])
            modules = self.session.value(f"{layout.PASSES}.{index}.modules") or []
            return [str(m) for m in modules], self.session.module_input_choices(index)
        return [], [str(c) for c in node.choices]

    @in_page
    def set_value(self, node: FieldNode, value: Any) -> None:
        self.apply(self.session.set, node.path, value)  # None: unset, the key leaves the YAML

    @in_page
    def reset(self, node: FieldNode) -> None:
        self.apply(self.session.reset, node.path)

    @in_page
    def add_item(self, node: FieldNode) -> None:
        index = self.apply(self.session.add_item, node.path)
        if node.path == layout.PASSES and index is not None:
            self.show_new_pass(index)

    @in_page
    def duplicate_item(self, node: FieldNode, index: int) -> None:
        new = self.apply(self.session.duplicate_item, node.path, index)
        if node.path == layout.PASSES and new is not None:
            self.show_new_pass(new)

    def show_new_pass(self, index: int) -> None:
        """Select pass ``index`` and bring its editor into view, the cursor in its name."""
        self.select_pass(index)
        name = f"{layout.PASSES}.{index}.name"
        if layout.locate(self.root, name) is not None:
            self.goto(name)

    @in_page
    def remove_item(self, node: FieldNode, index: int, confirmed: bool = False) -> None:
        """Remove item ``index``; one whose removal leaves the list too short (the only pass)
        is removed only once the user confirms core's question."""
        question = None if confirmed else self.session.removal_needs_confirmation(node.path, index)
        if question:
            dialogs.confirm_dialog(
                f"Remove from {node.label}?",
                question,
                "Remove",
                lambda: self.remove_item(node, index, confirmed=True),
            )
            return
        if node.path == layout.PASSES and index < self.selected_pass:
            self.selected_pass -= 1
        self.apply(self.session.remove_item, node.path, index)

    @in_page
    def move_item(self, node: FieldNode, index: int, to: int) -> None:
        if node.path == layout.PASSES and self.selected_pass == index:
            self.selected_pass = to
        elif node.path == layout.PASSES and self.selected_pass == to:
            self.selected_pass = index
        self.apply(self.session.move_item, node.path, index, to)

    @in_page
    def set_entry(self, node: FieldNode, key: str, value: Any) -> None:
        self.apply(self.session.set_entry, node.path, key, value)

    @in_page
    def switch_variant(self, node: FieldNode, variant: str | None) -> None:
        if variant is None:
            self.apply(self.session.reset, node.path)
        else:
            self.apply(self.session.switch_variant, node.path, variant)

    # -- applying operations --------------------------------------------------------------------

    @in_page
    def apply(self, operation: Callable[..., Any], *args: Any) -> Any:
        """Run a core operation, tell the user if it was refused, then update the page."""
        try:
            result = operation(*args)
        except ReadOnlyError:
            notify(f"{self.pair.yaml.name} is read-only: it cannot be changed here", type="warning")
            return None
        except (InputError, DocumentError) as exc:
            notify(f"Not applied: {exc}", type="negative")
            self.after_change()
            return None
        except Exception as exc:
            log.exception("operation %s failed", getattr(operation, "__name__", operation))
            notify(f"Not applied: {exc}", type="negative")
            return None
        self.after_change()
        return result

    @in_page
    def undo(self) -> None:
        self._discard_local()
        if not self.apply(self.session.undo):
            notify("Nothing to undo")

    @in_page
    def redo(self) -> None:
        self._discard_local()
        if not self.apply(self.session.redo):
            notify("Nothing to redo")

    @in_page
    def apply_typed(self, path: str, text: str) -> None:
        """Apply the text the browser's field at ``path`` holds (before a shortcut acts)."""
        view = self.views.get(path)
        if view is not None and not self.read_only:
            view.take_text(text)

    def _discard_local(self) -> None:
        for path in list(self.input_errors):
            view = self.views.get(path)
            if view is not None:
                view.discard_local()
        self.input_errors.clear()

    # -- the page ---------------------------------------------------------------------------------

    def current_signature(self) -> tuple:
        if self.query:
            return (
                "query",
                self.query,
                tuple((n.path, n.kind, n.variant) for n in self.search_results()),
            )
        return layout.view_signature(self.root, self.section, self.selected_pass)

    def search_results(self) -> list[FieldNode]:
        shown = layout.rendered_fields(self.root)
        return [n for n in self.session.search(self.query) if n.path in shown][:60]

    @in_page
    def after_change(self) -> None:
        passes = layout.passes_node(self.root)
        count = len(passes.children) if passes is not None else 0
        self.selected_pass = max(0, min(self.selected_pass, count - 1))
        if self.current_signature() != self.signature:
            self.rebuild()
        else:
            nodes = {n.path: n for n in self.root.walk()}
            for path, view in list(self.views.items()):
                node = nodes.get(path)
                if node is not None:
                    view.update(node)
        self.recount()

    @in_page
    def rebuild(self) -> None:
        """Build the content for the current section (or filter) from scratch."""
        if self.content is None:
            return
        self.views.clear()
        self.expansions.clear()
        self.input_errors.clear()
        self.content.clear()
        with self.content:
            self.build_content()
        self.signature = self.current_signature()
        if not self.query and self.section != self.address_section:
            if self.address_section is not None:  # the page's first view keeps its address
                section_address.show(self.section)
            self.address_section = self.section
        for section, button in self.nav_buttons.items():
            active = section == self.section and not self.query
            button.classes(
                add="basalt-nav-active" if active else "",
                remove="" if active else "basalt-nav-active",
            )

    def build_content(self) -> None:
        root = self.root
        if self.query:
            results = self.search_results()
            ui.label(f"{plural(len(results), 'field')} matching “{self.query}”").classes("text-lg")
            for node in results:
                link = ui.link(layout.readable_path(root, node.path)).classes(
                    "basalt-muted cursor-pointer"
                )
                link.on("click.prevent", lambda _, p=node.path: self.goto(p))
                self.render(node)
            return
        title = ui.label(self.section).classes("text-xl basalt-label")
        set_attr(title, "data-section-title", self.section)
        shown = layout.top_nodes(root, self.section)
        if not shown:
            ui.label("Nothing in this section.").classes("basalt-muted")
        with form_grid("gap-2"):
            for node in shown:
                if node.path == layout.PASSES:
                    PassesView(node, self)
                else:
                    self.render(node)

    def recount(self) -> None:
        """Error counts, dirty state, undo/redo: the bound header and navigation follow."""
        session = self.session
        count = len(session.errors(self.input_errors))  # what the save dialog counts too
        self.has_errors = count > 0
        self.error_text = plural(count, "error") if count else "No errors"
        self.can_undo = bool(session.undo_stack) and not self.read_only
        self.can_redo = bool(session.redo_stack) and not self.read_only
        self.dirty_text = (
            "● unsaved changes" if session.dirty else ("read-only" if self.read_only else "saved")
        )
        for section in SECTIONS:
            errors = sum(n.error_count() for n in layout.top_nodes(self.root, section))
            errors += sum(1 for p in self.input_errors if self._section_of(p) == section)
            self.nav_text[section] = f"{section} ({errors})" if errors else section
        for refresh in self.on_recount:
            refresh()
        self.draw_disk_banner()
        if self._dirty_sent is not session.dirty and self.content is not None:
            self._dirty_sent = session.dirty
            ui.run_javascript(f"window.basaltDirty = {json.dumps(session.dirty)}")
            mark = "● " if session.dirty else ""
            ui.page_title(f"{mark}{self.pair.yaml.name} - Basalt Studio")

    def _section_of(self, path: str) -> str | None:
        location = layout.locate(self.root, path)
        return location.section if location else None

    # -- moving around ------------------------------------------------------------------------------

    @in_page
    def select_section(self, section: str) -> None:
        self.section = section
        self.query = ""
        self.after_change()

    @in_page
    def select_pass(self, index: int) -> None:
        self.selected_pass = index
        self.section = SECTIONS[0]
        self.after_change()

    @in_page
    def filter(self, query: str) -> None:
        self.query = (query or "").strip()
        self.after_change()

    @in_page
    def next_error(self) -> None:
        target = self.session.next_error(self.last_error, self.input_errors)
        if target is None:
            notify("No errors")
            return
        self.last_error = target
        self.goto(target)

    @in_page
    def goto(self, path: str) -> bool:
        """Show the field at ``path``: its section, its pass, its Advanced part; focus it."""
        location = layout.locate(self.root, path)
        if location is None:
            notify(f"No field {path} in this config", type="warning")
            return False
        self.query = ""
        if self.filter_input is not None and self.filter_input.value:
            self.filter_input.set_value("")
        self.section = location.section
        if location.pass_index is not None:
            self.selected_pass = location.pass_index
        self.open_advanced |= location.open_advanced
        self.after_change()
        for parent in location.open_advanced:
            expansion = self.expansions.get(parent)
            if expansion is not None and not expansion.value:
                expansion.set_value(True)
        self.focused = location.target
        if not location.exact:
            notify(
                f"{path} is not shown with the current settings; showing "
                f"{layout.readable_path(self.root, location.target)}"
            )
        ui.run_javascript(f"({FOCUS_JS})({json.dumps(location.target)})")
        return True

    # -- files --------------------------------------------------------------------------------------

    @in_page
    def save(self, overwrite: bool = False, allow_errors: bool = False) -> None:
        """Write the file. A config with errors is refused unless ``allow_errors`` (the save
        dialog's "Save with N errors")."""
        session = self.session
        try:
            self.project.check_writable_target(session.path)
            text = session.document.text
            if self.watcher is not None:
                with self.watcher.saving(text):
                    issues = session.save(overwrite=overwrite, allow_errors=allow_errors)
            else:
                issues = session.save(overwrite=overwrite, allow_errors=allow_errors)
        except InvalidConfig as exc:
            self.after_change()
            notify(f"{self.pair.yaml.name} {exc}", type="warning")
            return
        except SaveConflict:
            self.after_change()
            self._conflict(reason="save")
            return
        except ReadOnlyError:
            self.after_change()
            notify(f"{self.pair.yaml.name} is read-only: nothing was saved", type="warning")
            return
        except (OSError, Refused) as exc:
            self.after_change()
            notify(
                f"Could not write {self.pair.yaml.name}: {getattr(exc, 'strerror', None) or exc}",
                type="negative",
            )
            return
        self._dirty_sent = None
        self.after_change()
        if issues:
            notify(
                f"Saved {self.pair.yaml.name} with {plural(len(issues), 'error')} to fix",
                type="warning",
            )
        else:
            notify(f"Saved {self.pair.yaml.name}", type="positive")

    @in_page
    def keep_mine(self) -> None:
        """The conflict's "keep mine": write over the file; with errors, the save dialog asks."""
        if plan_save(self.session, self.input_errors).errors:
            self.recount()
            dialogs.save_dialog(self, overwrite=True)
        else:
            self.save(overwrite=True)

    def _conflict(self, reason: str) -> None:
        """The file on disk differs from what this tab loaded: let the user choose."""
        try:
            theirs = self.session.disk_text()
        except DocumentError as exc:
            dialogs.conflict_dialog(self, f"(the file on disk is refused: {exc})", None, reason)
            return
        change = self.session.on_disk_change(theirs) if theirs is not None else None
        if change is not None and change.reloaded:  # nothing of ours was pending after all
            self._took_disk_text()
            return
        diff = change.diff if change is not None and change.conflict else ""
        if change is not None and change.error:
            diff = f"(the file on disk does not parse: {change.error})"
            theirs = None
        dialogs.conflict_dialog(self, diff, theirs, reason)

    def _took_disk_text(self) -> None:
        if self.watcher is not None:
            self.watcher.acknowledge(self.session.document.original_text)
        self._dirty_sent = None
        self.rebuild()
        self.recount()

    @in_page
    def take_theirs(self, text: str | None) -> None:
        """Take exactly ``text`` (the file on disk when the user chose), discarding edits."""
        try:
            if text is None:
                self.session.reload()
            else:
                self.session.take_theirs(text)
        except DocumentError as exc:
            notify(f"Not reloaded: {exc}", type="negative")
            return
        self._took_disk_text()
        notify(f"Took {self.pair.yaml.name} as it is on disk; your edits were dropped")

    @in_page
    def reload(self) -> None:
        """Take the file as it is on disk, discarding edits."""
        try:
            self.session.reload()
        except DocumentError:
            ui.navigate.reload()  # the page shows the file's error
            return
        self._took_disk_text()
        notify(f"Reloaded {self.pair.yaml.name} from disk")

    @in_page
    def disk_changed(self, text: str | None) -> None:
        """On the event loop: the file changed outside this tab. Core decides
        (:meth:`EditorSession.on_disk_change`); this draws it."""
        if self.conflict_open:
            return
        if text is None:
            notify(
                f"{self.pair.yaml.name} was deleted on disk; saving writes it again", type="warning"
            )
            return
        change = self.session.on_disk_change(text)
        if change.reloaded:
            self._took_disk_text()
            fixed = " (fixed)" if change.fixed else ""
            notify(f"{self.pair.yaml.name} changed on disk{fixed}: reloaded")
        elif change.conflict:
            self.recount()
            dialogs.conflict_dialog(self, change.diff, text, reason="disk")
        else:
            self.recount()  # the banner follows session.disk_problem
            if change.error and self.session.disk_problem is None:
                notify(f"{self.pair.yaml.name} changed on disk: {change.error}", type="negative")

    @in_page
    def banner_choice(self, choice: str) -> None:
        self.session.choose_on_broken_disk(choice)
        self.recount()

    def draw_disk_banner(self) -> None:
        """The banner of a file broken on disk, drawn from ``session.disk_problem``."""
        problem: DiskProblem | None = self.session.disk_problem
        drawn = (problem.message, tuple(problem.choices)) if problem is not None else None
        if self.banner_host is None or self.banner_host.is_deleted or drawn == self._banner_drawn:
            return
        self._banner_drawn = drawn
        self.banner_host.clear()
        if problem is None:
            return
        with self.banner_host, ui.row().classes("w-full items-center gap-2 basalt-banner") as row:
            row.mark("disk-banner")
            set_attr(row, "data-state", "disk-broken")
            ui.label(f"The file on disk does not parse: {problem.message}").classes(
                "basalt-error"
            ).mark("disk-banner-text")
            ui.space()
            for choice, label in problem.choices:
                button = ui.button(label, on_click=lambda _, c=choice: self.banner_choice(c))
                button.props("outline dense no-caps").mark(f"banner-{choice}")
                set_attr(button, "data-action", f"banner-{choice}")

    def start_watching(self, container: ui.element) -> None:
        """Watch the YAML for writes by others; hand each change to this tab's event loop."""
        self.loop = asyncio.get_running_loop()

        def changed(text: str | None) -> None:  # on the watcher's thread
            def on_loop() -> None:
                if container.is_deleted:
                    return
                with container:
                    self.disk_changed(text)

            if self.loop is not None and not self.loop.is_closed():
                self.loop.call_soon_threadsafe(on_loop)

        try:
            self.watcher = watch(
                self.session.path, changed, acknowledge=self.session.document.original_text
            )
        except OSError as exc:
            log.warning("not watching %s: %s", self.session.path, exc)
            self.watcher = None

    def stop_watching(self) -> None:
        if self.watcher is not None:
            self.watcher.stop()
            self.watcher = None
