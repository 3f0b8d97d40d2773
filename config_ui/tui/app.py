"""The terminal editor's App: opens the session, registers the themes, watches the file,
switches between the editor, the run screen (F5) and the health screen (F6), and asks
before quitting with unsaved edits or a run in flight."""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
from collections.abc import Iterable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import ModalScreen, Screen
from textual.theme import Theme

from config_ui.core.session import EditorSession
from config_ui.tui.dialogs.load_error import LoadErrorScreen
from config_ui.tui.dialogs.quit_confirm import QuitConfirmScreen
from config_ui.tui.dialogs.quit_running import QuitRunningScreen
from config_ui.tui.editor_screen import EditorScreen
from config_ui.tui.look import APP_CSS
from config_ui.tui.pages.section_page import SECTIONS
from config_ui.tui.theme_setup import register_themes, remember

BENCH_ENV = "BASALT_TUI_BENCH_T0"
"""When set (a ``time.perf_counter()`` reading), the app exits on its first ready frame and
returns the seconds elapsed since then (see ``bench/editor_bench.py``)."""


class EditorApp(App[Any]):
    TITLE = "Basalt Studio"
    CSS = APP_CSS
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", priority=True),
        Binding("f5", "open_run", "Run"),
        Binding("f6", "open_health", "Health"),
        Binding("question_mark", "show_keys", "Keys"),
    ]

    def __init__(
        self,
        path: str | Path,
        *,
        goto: str | None = None,
        theme: str | None = None,
        diff_before_save: bool = True,
        watch: bool = True,
        watch_debounce: float = 0.15,
        dagster_host: str = "127.0.0.1",
        dagster_port: int = 3000,
        output_dir: str | Path | None = None,
    ) -> None:
        super().__init__()
        self.path = Path(path)
        self.goto_path = goto
        self.diff_before_save = diff_before_save
        self.watch_file = watch
        self.watch_debounce = watch_debounce
        self.watcher: Any = None
        self.dagster_host = dagster_host
        self.dagster_port = dagster_port
        self.output_dir = Path(output_dir) if output_dir is not None else None
        self.run_screen: Any = None  # the RunScreen, installed on first use
        self.dagster_handles: list[Any] = []  # dagster dev processes this editor started
        self.session: EditorSession | None = None
        self.load_error: BaseException | None = None
        self.help_hidden = False
        """The help panel is hidden (F1 in the editor); kept for the session."""
        self._open()
        self.theme_names, initial, self.theme_warning = register_themes(self)
        wanted = theme or initial
        if theme and theme not in self.available_themes:
            self.theme_warning = f"no theme {theme!r}; themes: {', '.join(self.theme_names)}"
            wanted = initial
        if wanted and wanted in self.available_themes:
            self.theme = wanted
        self._remembered = self.theme

    def _open(self) -> None:
        try:
            self.session = EditorSession.open(self.path)
            self.load_error = None
        except Exception as exc:  # DocumentError, DemoError, OSError: shown, never a traceback
            self.session = None
            self.load_error = exc

    # -- screens ------------------------------------------------------------------------------

    def get_default_screen(self) -> Screen:
        if self.session is not None:
            return EditorScreen(self.session, goto=self.goto_path)
        assert self.load_error is not None
        return LoadErrorScreen(self.path, self.load_error)

    @property
    def editor(self) -> EditorScreen | None:
        for screen in reversed(self.screen_stack):
            if isinstance(screen, EditorScreen):
                return screen
        return None

    def on_mount(self) -> None:
        if self.theme_warning:
            self.notify(self.theme_warning, severity="warning")
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        self.start_watching()

    def on_ready(self) -> None:
        started = os.environ.get(BENCH_ENV)
        if started:
            self.exit(time.perf_counter() - float(started))

    def on_unmount(self) -> None:
        self.stop_watching()
        if self.run_in_flight is not None:
            self.run_in_flight.cancel()
        for handle in self.dagster_handles:
            with contextlib.suppress(Exception):  # stopping is best effort on the way out
                handle.stop()

    async def on_load_error_screen_reload_requested(self, message: Any) -> None:
        self._open()
        if self.session is None:
            self.notify(f"Still cannot open: {self.load_error}", severity="error", timeout=8)
            return
        await self.push_screen(EditorScreen(self.session, goto=self.goto_path))
        self.start_watching()

    # -- the run and health screens -----------------------------------------------------------

    def _switch_to(self, screen: Screen) -> None:
        if self.screen is screen:
            return
        if isinstance(self.screen, EditorScreen):
            self.push_screen(screen)
        else:
            self.switch_screen(screen)

    def _can_leave(self) -> bool:
        """Not from a dialog, nor from the error view of a file that did not load."""
        return self.session is not None and not isinstance(self.screen, ModalScreen)

    async def action_open_run(self) -> None:
        if not self._can_leave():
            return
        editor = self.editor
        if editor is not None and editor.flush_pending():
            await editor.refresh_view()
        if self.run_screen is None:
            from config_ui.core.dagster_launch import DagsterTarget
            from config_ui.tui.run_screen import RunScreen

            assert self.session is not None
            self.run_screen = RunScreen(
                self.session,
                target=DagsterTarget(self.dagster_host, self.dagster_port),
                output_dir=self.output_dir,
            )
            self.install_screen(self.run_screen, name="run")
        self._switch_to(self.run_screen)

    def action_open_health(self) -> None:
        if not self._can_leave():
            return
        from config_ui.tui.health_screen import HealthScreen

        assert self.session is not None
        folder = (self.session.script or self.session.path).parent
        self._switch_to(HealthScreen(folder))

    def action_show_keys(self) -> None:
        """The ``?`` overlay with every key of the current screen."""
        if isinstance(self.screen, ModalScreen):
            return
        from config_ui.tui.dialogs.keys_overlay import KeysOverlay, screen_keys

        self.push_screen(KeysOverlay(screen_keys(self.screen)))

    def show_editor(self) -> None:
        """Back to the editor from the run or health screen."""
        if len(self.screen_stack) > 1 and not isinstance(self.screen, EditorScreen):
            self.pop_screen()

    @property
    def run_in_flight(self) -> Any:
        """The local run still running, if any."""
        screen = self.run_screen
        return screen.run if screen is not None and screen.in_flight else None

    def on_dagster_panel_started(self, message: Any) -> None:
        if message.handle is not None:
            self.dagster_handles.append(message.handle)

    # -- the file watcher ---------------------------------------------------------------------

    def start_watching(self) -> None:
        if not self.watch_file or self.session is None or self.watcher is not None:
            return
        try:
            from config_ui.core.file_watch import FileWatcher

            self.watcher = FileWatcher(
                self.session.path, self._changed_on_disk, self.watch_debounce
            )
            self.watcher.acknowledge(self.session.document.original_text)
            self.watcher.start()
        except Exception as exc:  # no watcher: the editor still works, saves still check
            self.watcher = None
            self.notify(
                f"Not watching {self.session.path.name} for changes: {exc}", severity="warning"
            )

    def stop_watching(self) -> None:
        if self.watcher is not None:
            self.watcher.stop()
            self.watcher = None

    def _changed_on_disk(self, text: str | None) -> None:
        """Runs on the watcher's thread: hand over to the UI thread."""
        with contextlib.suppress(RuntimeError):  # the app is closing
            self.call_from_thread(self.call_later, self.disk_changed, text)

    async def disk_changed(self, text: str | None) -> None:
        editor = self.editor
        if editor is not None:
            await editor.disk_changed(text)

    @contextlib.contextmanager
    def saving(self, text: str) -> Iterator[None]:
        """Our own save is not an external change."""
        if self.watcher is None:
            yield
            return
        with self.watcher.saving(text):
            yield

    # -- themes -------------------------------------------------------------------------------

    def _theme_changed(self, theme: Theme) -> None:
        """Remember a change to one of our themes (another theme lasts for this session)."""
        if theme.name not in self.theme_names:
            return
        if theme.name != self._remembered:
            self._remembered = theme.name
            problem = remember(theme.name)
            if problem:
                self.notify(problem, severity="warning")

    # -- quitting -----------------------------------------------------------------------------

    async def action_quit(self) -> None:
        if isinstance(self.screen, (QuitRunningScreen, QuitConfirmScreen)):
            return
        run = self.run_in_flight
        if run is not None:
            what = f"A run of {run.request.script.stem}"
            self.push_screen(QuitRunningScreen(what), self._quit_running_answered)
            return
        await self.quit_unless_unsaved()

    async def _quit_running_answered(self, choice: str | None) -> None:
        run = self.run_in_flight
        if choice != "cancel":
            return
        if run is not None:
            from config_ui.core.local_run import CANCEL_GRACE

            self.notify("Cancelling the run …")
            run.cancel()
            await asyncio.to_thread(run.wait, CANCEL_GRACE + 2)
        await self.quit_unless_unsaved()

    async def quit_unless_unsaved(self) -> None:
        editor = self.editor
        session = self.session
        if editor is not None and editor.flush_pending():
            await editor.refresh_view()
        if session is not None and session.dirty and not session.read_only:
            self.push_screen(QuitConfirmScreen(session.path.name), self._quit_answered)
            return
        self.exit()

    async def _quit_answered(self, choice: str | None) -> None:
        if choice == "discard":
            self.exit()
        elif choice == "save" and self.editor is not None and await self.editor.save_now():
            self.exit()

    # -- the command palette ------------------------------------------------------------------

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        editor = self.editor
        if editor is not None and self.session is not None:
            run = self.call_later
            yield SystemCommand(
                "Save", "Save the YAML (shows the diff first)", partial(run, editor.action_save)
            )
            yield SystemCommand(
                "Next error",
                "Go to the next field with an error",
                partial(run, editor.action_next_error),
            )
            yield SystemCommand("Undo", "Undo the last change", partial(run, editor.action_undo))
            yield SystemCommand(
                "Redo", "Redo the last undone change", partial(run, editor.action_redo)
            )
            yield SystemCommand(
                "Search fields", "Filter fields by name or description", editor.action_search
            )
            yield SystemCommand(
                "Go to Home",
                "Dataset, universe, dates and passes",
                partial(run, editor.open_page, ("home",)),
            )
            for section in SECTIONS:
                yield SystemCommand(
                    f"Go to section {section}",
                    f"Settings in {section}",
                    partial(run, editor.open_page, ("section", section)),
                )
            for card in self.session.pass_cards():
                yield SystemCommand(
                    f"Go to pass {card.index + 1}: {card.name}",
                    "Modules and settings of the pass",
                    partial(run, editor.open_page, ("pass", card.index)),
                )
            state = "on" if self.diff_before_save else "off"
            yield SystemCommand(
                f"Diff before saving: {state} (toggle)",
                "Show the diff before each save, or save at once",
                self.toggle_diff_before_save,
            )
        if self.session is not None:
            yield SystemCommand(
                "Run…",
                "Run this demo locally or in Dagster, with its log and output preview (F5)",
                partial(self.call_later, self.action_open_run),
            )
            yield SystemCommand(
                "Health",
                "Recent runs, coverage of every demo and failed checks, from the run ledger (F6)",
                self.action_open_health,
            )
        for name in self.theme_names:
            yield SystemCommand(
                f"Theme {name}",
                "Switch to this theme (remembered)",
                partial(setattr, self, "theme", name),
            )
        for command in super().get_system_commands(screen):
            if command.title != "Theme":  # Textual's picker lists every built-in theme
                yield command

    def toggle_diff_before_save(self) -> None:
        self.diff_before_save = not self.diff_before_save
        self.notify(f"Diff before saving: {'on' if self.diff_before_save else 'off'}")
