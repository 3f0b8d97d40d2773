"""The editor: navigation on the left, the current page in the middle, help on the right.

Every user action arrives here as a message (see :mod:`config_ui.tui.messages`) or a key
binding and becomes one session operation; the page is then updated in place, or rebuilt
when the shape of its form changed (an item added, a variant switched, a module enabled).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, Horizontal, Vertical
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Collapsible, Input, OptionList, Static

from config_ui.core.locate import locate
from config_ui.core.nodes import FieldNode
from config_ui.core.session import EditorSession, ReadOnlyError
from config_ui.tui import messages as msg
from config_ui.tui.dialogs.remove_confirm import RemoveConfirmScreen
from config_ui.tui.fields.factory import FormContext
from config_ui.tui.fields.module_picker import ModulePicker
from config_ui.tui.fields.node_widget import NodeWidget
from config_ui.tui.fields.text_field import TextField
from config_ui.tui.ids import field_id
from config_ui.tui.pages.form_page import FormPage, PageRef
from config_ui.tui.pages.home_page import HOME_FIELDS, HomePage
from config_ui.tui.pages.pass_page import PassPage
from config_ui.tui.pages.search_page import SearchPage
from config_ui.tui.pages.section_page import SectionPage
from config_ui.tui.save_flow import SaveFlow
from config_ui.tui.widgets.disk_banner import DiskBanner
from config_ui.tui.widgets.help_panel import HelpPanel
from config_ui.tui.widgets.key_footer import KeyFooter
from config_ui.tui.widgets.nav_list import NavList
from config_ui.tui.widgets.reload_status_line import ReloadStatusLine
from config_ui.tui.widgets.search_bar import SearchBar
from config_ui.tui.widgets.status_line import StatusLine

if TYPE_CHECKING:
    from config_ui.tui.app import EditorApp


def _carry_cursor(old: Widget | None, new: Widget) -> None:
    """Keep the cursor where it was when a rebuilt page replaces the focused widget."""
    if isinstance(old, OptionList) and isinstance(new, OptionList) and old.highlighted is not None:
        new.highlighted = min(old.highlighted, max(new.option_count - 1, 0))
    elif isinstance(old, Input) and isinstance(new, Input):
        if old.value != new.value and isinstance(new.parent, TextField):
            new.value = old.value  # keys typed while the page was rebuilt stay
        new.cursor_position = min(old.cursor_position, len(new.value))


class EditorScreen(Screen):
    DEFAULT_CSS = """
    EditorScreen #status-bar {
        height: 1;
        background: $panel;
    }
    EditorScreen #status-bar StatusLine {
        width: auto;
    }
    EditorScreen #body {
        height: 1fr;
    }
    EditorScreen #main {
        width: 1fr;
        height: 1fr;
    }
    EditorScreen #page-host {
        height: 1fr;
    }
    EditorScreen #read-only-notice {
        background: $warning-muted;
        color: $text-warning;
        padding: 0 1;
        height: auto;
    }
    EditorScreen.-narrow HelpPanel {
        dock: bottom;
        width: 1fr;
        height: 6;
        border-left: none;
        border-top: hkey $panel-lighten-1;
    }
    EditorScreen.-narrow NavList {
        width: 20;
    }
    EditorScreen Button.-textual-compact {
        width: auto;
        min-width: 0;
        padding: 0 1;
    }
    """

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (120, "-wide")]

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("ctrl+z", "undo", "Undo", priority=True),
        Binding("ctrl+y", "redo", "Redo", priority=True, show=False),
        Binding("f8", "next_error", "Errors", tooltip="Go to the next field with an error"),
        Binding("ctrl+f", "search", "Search", priority=True),
        Binding("slash", "search", "Search (outside a text field)", show=False),
        Binding("ctrl+r", "reset_focused", "Reset field", show=False),
        Binding("f2", "home", "Home"),
        Binding("f1", "toggle_help", "Show or hide the help panel", show=False),
        Binding("escape", "escape", "Leave the field / close search", show=False),
    ]

    def __init__(self, session: EditorSession, *, goto: str | None = None) -> None:
        super().__init__()
        self.session = session
        self.ctx = FormContext(session, read_only=session.read_only)
        self.nodes: dict[str, FieldNode] = {n.path: n for n in self.root.walk()}
        self.page_ref: PageRef = ("home",)
        self.before_search: PageRef = ("home",)
        self.initial_goto = goto
        self.saves = SaveFlow(self)

    @property
    def editor_app(self) -> EditorApp:
        return self.app  # type: ignore[return-value]

    @property
    def root(self) -> FieldNode:
        """The session's form (always built once the session is open)."""
        root = self.session.root
        assert root is not None
        return root

    @property
    def rejected(self) -> dict[str, str]:
        """Text typed in fields that does not parse (the session's drafts): path -> message."""
        return self.session.draft_messages

    # -- layout -----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="status-bar"):
            yield StatusLine(id="status")
            yield ReloadStatusLine(getattr(self.app, "dagster_port", 3000))
        yield DiskBanner(id="disk-banner")
        if self.session.read_only:
            yield Static(
                f"Read-only: {self.session.path} cannot be written. You can look around; "
                "nothing can be changed or saved.",
                id="read-only-notice",
                markup=False,
            )
        with Horizontal(id="body"):
            yield NavList(self.session, id="nav")
            with Vertical(id="main"):
                yield SearchBar(id="search")
                yield Container(HomePage(self.ctx), id="page-host")
            yield HelpPanel(id="help")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one(HelpPanel).display = not self.editor_app.help_hidden
        self.query_one(StatusLine).show(self.session)
        if self.session.read_only:
            self.notify(f"{self.session.path.name} is read-only", severity="warning")
        if self.initial_goto:
            self.call_after_refresh(self.goto, self.initial_goto)

    @property
    def page(self) -> FormPage:
        return self.query_one("#page-host").query_children(FormPage).first()

    def make_page(self, ref: PageRef) -> FormPage:
        kind = ref[0]
        if kind == "section":
            return SectionPage(self.ctx, ref[1])
        if kind == "pass":
            return PassPage(self.ctx, ref[1])
        if kind == "search":
            return SearchPage(self.ctx, ref[1])
        return HomePage(self.ctx)

    # -- keeping the view in step with the session ----------------------------------------------

    def flush_pending(self) -> bool:
        """Commit edits still waiting for their debounce; True if there were any."""
        edits = [
            edit
            for widget in self.page.walk_children()
            if isinstance(widget, TextField) and (edit := widget.take_pending()) is not None
        ]
        for path, value in edits:
            self.run_op(partial(self.session.set, path, value))
        return bool(edits)

    def run_op(self, op: Callable[[], Any]) -> Any:
        try:
            return op()
        except ReadOnlyError:
            self.notify(
                f"{self.session.path.name} is read-only: nothing can be changed", severity="error"
            )
        except Exception as exc:  # a renderer must not die on a failed operation
            self.log.error(f"operation failed: {exc!r}")
            self.notify(f"Could not apply the change: {exc}", severity="error", timeout=8)
        return None

    async def apply(self, op: Callable[[], Any]) -> Any:
        """Run one session operation (pending edits first), then bring the view up to date."""
        self.flush_pending()
        result = self.run_op(op)
        await self.refresh_view()
        return result

    async def refresh_view(self) -> None:
        self.nodes = {n.path: n for n in self.root.walk()}
        ref = self.page_ref
        if ref[0] == "pass" and ref[1] >= len(self.session.raw_passes()):
            ref = ("home",)
        page = self.page
        if page.ref == ref and page.signature() == page.built:
            page.show(self.nodes)
        else:
            await self.mount_page(ref, keep_focus=page.ref == ref)
        self.update_frame()

    def update_frame(self) -> None:
        self.query_one(StatusLine).show(self.session, self.rejected)
        self.query_one(DiskBanner).show(self.session.disk_problem)
        self.query_one(NavList).update_from(self.session, self.page_ref)
        self.update_help()
        self.app.sub_title = ("● " if self.session.dirty else "") + self.session.path.name

    async def mount_page(self, ref: PageRef, *, keep_focus: bool = False) -> FormPage:
        host = self.query_one("#page-host")
        old = self.page
        focused = self.focused
        focus_id = (
            focused.id if keep_focus and focused is not None and old in focused.ancestors else None
        )
        scroll_y = old.scroll_y if keep_focus else 0
        new = self.make_page(ref)
        await old.remove()
        await host.mount(new)
        self.page_ref = ref
        if scroll_y:
            new.scroll_to(y=scroll_y, animate=False, immediate=True)
        if focus_id:
            found = new.query(f"#{focus_id}")
            if found:
                _carry_cursor(focused, found.first())
                found.first().focus(scroll_visible=False)
        return new

    async def open_page(self, ref: PageRef, focus_path: str | None = None) -> None:
        self.flush_pending()
        self.nodes = {n.path: n for n in self.root.walk()}
        await self.mount_page(ref)
        self.update_frame()
        if focus_path:
            self.focus_path(focus_path)

    # -- where things are -------------------------------------------------------------------

    def page_for(self, path: str) -> PageRef:
        """The page that shows ``path``: its pass, else its section (the home page when it
        is open and shows the field)."""
        location = locate(self.root, path)
        if location is None:
            return ("section", "Core")
        if location.pass_index is not None:
            return ("pass", location.pass_index)
        if self.page_ref == ("home",) and path.split(".")[0] in (*HOME_FIELDS, "PASSES"):
            return ("home",)
        return ("section", location.section)

    def focused_path(self) -> str | None:
        widget = self.focused
        while widget is not None:
            if isinstance(widget, NodeWidget):
                return widget.path
            widget = widget.parent if isinstance(widget.parent, Widget) else None
        return None

    def focus_path(self, path: str) -> bool:
        """Focus the widget that edits ``path`` (or its nearest shown parent), unfolding groups."""
        target = None
        probe = path
        while probe:
            found = self.page.query(f"#{field_id(probe)}")
            if found:
                target = found.first()
                break
            probe = probe.rpartition(".")[0]
        if target is None:
            return False
        for ancestor in [target, *target.ancestors]:
            if isinstance(ancestor, Collapsible):
                ancestor.collapsed = False

        def focus() -> None:
            candidates = [target, *target.walk_children(Widget)]
            widget = next((w for w in candidates if w.can_focus and not w.disabled), None)
            if widget is not None:
                widget.focus()
            else:
                target.scroll_visible(animate=False)

        self.call_after_refresh(focus)
        return True

    async def goto(self, path: str) -> bool:
        """Show and focus the field at ``path``; False (with a notice) if there is none."""
        if self.flush_pending():
            await self.refresh_view()
        node = self.session.node_for(path)
        if node is self.session.root:
            self.notify(f"There is no field {path}", severity="warning")
            return False
        if not self.page.has_field(node.path):
            await self.open_page(self.page_for(node.path))
        if not node.visible:
            self.notify(f"{node.path} is hidden by another setting", severity="information")
        return self.focus_path(node.path)

    # -- help -------------------------------------------------------------------------------

    def action_toggle_help(self) -> None:
        """Show or hide the help panel; the choice holds for the rest of the session."""
        app = self.editor_app
        app.help_hidden = not app.help_hidden
        self.query_one(HelpPanel).display = not app.help_hidden

    def update_help(self) -> None:
        focused = self.focused
        picker = focused.parent if focused is not None else None
        module = picker.highlighted_module() if isinstance(picker, ModulePicker) else None
        if module is not None:
            self.query_one(HelpPanel).show_module(module)
            return
        panel = self.query_one(HelpPanel)
        path = self.focused_path()
        if path is None or path not in self.nodes:
            path = panel.shown_path  # the field last shown, while it still exists
        if path is not None and path in self.nodes:
            panel.show_node(self.nodes[path])
        elif panel.shown_path is not None:
            panel.clear()

    def on_descendant_focus(self, event: Any) -> None:
        self.update_help()

    @on(ModulePicker.ModuleHighlighted)
    def _module_highlighted(self, event: ModulePicker.ModuleHighlighted) -> None:
        self.query_one(HelpPanel).show_module(event.info)

    # -- messages from the fields -------------------------------------------------------------

    async def on_value_entered(self, message: msg.ValueEntered) -> None:
        self.ctx.typing = message.path  # the field being typed in keeps its own text
        try:
            await self.apply(lambda: self.session.set(message.path, message.value))
        finally:
            self.ctx.typing = None

    async def on_reset_requested(self, message: msg.ResetRequested) -> None:
        await self.apply(lambda: self.session.reset(message.path))

    async def on_variant_chosen(self, message: msg.VariantChosen) -> None:
        await self.apply(lambda: self.session.switch_variant(message.path, message.variant))

    async def on_item_added(self, message: msg.ItemAdded) -> None:
        self.flush_pending()
        self.ctx.collapsed[
            f"{message.list_path}.{len(self.session.value(message.list_path) or [])}"
        ] = False
        index = await self.apply(lambda: self.session.add_item(message.list_path))
        if index is not None:
            self.notify(f"Added item {index + 1} to {message.list_path}")

    async def on_item_duplicated(self, message: msg.ItemDuplicated) -> None:
        self._forget_folds(message.list_path)
        self.ctx.collapsed[f"{message.list_path}.{message.index + 1}"] = False
        index = await self.apply(
            lambda: self.session.duplicate_item(message.list_path, message.index)
        )
        if index is not None and message.list_path == "PASSES" and self.page_ref[0] == "pass":
            await self.open_page(("pass", index))

    async def on_item_removed(self, message: msg.ItemRemoved) -> None:
        question = self.session.removal_needs_confirmation(message.list_path, message.index)
        if question is not None:
            self.app.push_screen(
                RemoveConfirmScreen(question), partial(self._remove_answered, message)
            )
            return
        await self._remove(message)

    async def _remove_answered(self, message: msg.ItemRemoved, answer: str | None) -> None:
        if answer == "remove":
            await self._remove(message)

    async def _remove(self, message: msg.ItemRemoved) -> None:
        self._forget_folds(message.list_path)
        panel = self.query_one(HelpPanel)
        item = f"{message.list_path}.{message.index}"
        if panel.shown_path is not None and f"{panel.shown_path}.".startswith(f"{item}."):
            panel.clear()
        if message.list_path == "PASSES" and self.page_ref == ("pass", message.index):
            self.page_ref = ("home",)
        await self.apply(lambda: self.session.remove_item(message.list_path, message.index))

    async def on_item_moved(self, message: msg.ItemMoved) -> None:
        self._forget_folds(message.list_path)
        if message.list_path == "PASSES" and self.page_ref == ("pass", message.index):
            self.flush_pending()
            self.run_op(lambda: self.session.move_item("PASSES", message.index, message.to))
            await self.open_page(("pass", message.to))
            return
        await self.apply(
            lambda: self.session.move_item(message.list_path, message.index, message.to)
        )

    async def on_entry_added(self, message: msg.EntryAdded) -> None:
        await self.apply(
            lambda: self.session.set_entry(message.dict_path, message.key, message.value)
        )

    async def on_entry_removed(self, message: msg.EntryRemoved) -> None:
        await self.apply(lambda: self.session.remove_entry(message.dict_path, message.key))

    async def on_pass_opened(self, message: msg.PassOpened) -> None:
        await self.open_page(("pass", message.index))

    def on_input_rejected(self, message: msg.InputRejected) -> None:
        self.query_one(StatusLine).show(self.session, self.rejected)

    async def on_nav_list_page_chosen(self, message: NavList.PageChosen) -> None:
        self.query_one(SearchBar).close()
        await self.open_page(message.ref)

    def _forget_folds(self, list_path: str) -> None:
        prefix = f"{list_path}."
        for key in [k for k in self.ctx.collapsed if k.startswith(prefix)]:
            del self.ctx.collapsed[key]

    # -- actions ------------------------------------------------------------------------------

    async def action_reset_field(self, path: str) -> None:
        await self.apply(lambda: self.session.reset(path))

    async def action_unset_field(self, path: str) -> None:
        await self.apply(lambda: self.session.reset(path))  # unset: the key leaves the YAML

    async def action_create_field(self, path: str) -> None:
        await self.apply(lambda: self.session.set(path, {}))

    async def action_reset_focused(self) -> None:
        path = self.focused_path()
        node = self.nodes.get(path) if path else None
        if node is None:
            self.notify("Move to a field first")
        elif node.origin != "yaml":
            self.notify(
                f"{node.label} is not set in the YAML; it already shows its "
                f"{'script value' if node.origin == 'python' else 'default'}"
            )
        else:
            await self.action_reset_field(node.path)

    async def action_undo(self) -> None:
        self.flush_pending()
        if not self.run_op(self.session.undo):
            self.notify("Nothing to undo")
        await self.refresh_view()

    async def action_redo(self) -> None:
        self.flush_pending()
        if not self.run_op(self.session.redo):
            self.notify("Nothing to redo")
        await self.refresh_view()

    async def action_home(self) -> None:
        self.query_one(SearchBar).close()
        await self.open_page(("home",))

    async def action_next_error(self) -> None:
        if self.flush_pending():
            await self.refresh_view()
        target = self.session.next_error(self.focused_path(), self.rejected)
        if target is None:
            self.notify("No errors")
            return
        await self.goto(target)

    # -- search -------------------------------------------------------------------------------

    def action_search(self) -> None:
        self.query_one(SearchBar).open()

    async def on_search_bar_query_changed(self, message: SearchBar.QueryChanged) -> None:
        await self.run_search(message.query)

    async def on_search_bar_query_submitted(self, message: SearchBar.QuerySubmitted) -> None:
        await self.run_search(message.query)
        for widget in self.page.walk_children(Widget):
            if widget.can_focus and not widget.disabled:
                widget.focus()
                break

    async def run_search(self, query: str) -> None:
        if query.strip():
            if self.page_ref[0] != "search":
                self.before_search = self.page_ref
            await self.open_page(("search", query.strip()))
        elif self.page_ref[0] == "search":
            await self.open_page(self.before_search)

    async def action_escape(self) -> None:
        """Escape: close the search when it is open, else leave the field for the navigation
        (what was typed stays: leaving a field commits it)."""
        bar = self.query_one(SearchBar)
        if bar.is_open:
            await self.action_close_search()
            return
        focused = self.focused
        if focused is not None and self.query_one("#page-host") in focused.ancestors:
            self.query_one(NavList).focus()

    async def action_close_search(self) -> None:
        self.query_one(SearchBar).close()
        if self.page_ref[0] == "search":
            await self.open_page(self.before_search)

    # -- saving and changes on disk (see SaveFlow) -------------------------------------------------

    async def action_save(self) -> None:
        await self.saves.save()

    async def save_now(self, *, overwrite: bool = False) -> bool:
        return await self.saves.save_now(overwrite=overwrite)

    async def disk_changed(self, text: str | None) -> None:
        await self.saves.disk_changed(text)

    async def on_disk_banner_chosen(self, message: DiskBanner.Chosen) -> None:
        await self.saves.banner_choice(message.choice)
