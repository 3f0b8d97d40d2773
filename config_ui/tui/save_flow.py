"""Saving (with the diff first) and answering changes made on disk by someone else."""

from __future__ import annotations

from typing import TYPE_CHECKING

from config_ui.core.session import DocumentError, ReadOnlyError, SaveConflict
from config_ui.tui.dialogs.external_change import ExternalChangeScreen
from config_ui.tui.dialogs.save_diff import SaveDiffScreen

if TYPE_CHECKING:
    from config_ui.tui.editor_screen import EditorScreen


class SaveFlow:
    """The editor screen's saves and its answers to the file watcher."""

    def __init__(self, screen: EditorScreen) -> None:
        self.screen = screen

    @property
    def session(self):
        return self.screen.session

    @property
    def name(self) -> str:
        return self.session.path.name

    def notify(self, message: str, **kwargs) -> None:
        self.screen.notify(message, **kwargs)

    # -- saving -------------------------------------------------------------------------------

    async def save(self) -> None:
        """Ctrl+S: the diff first (unless the setting skips it), then the save."""
        if self.screen.flush_pending():
            await self.screen.refresh_view()
        if self.session.read_only:
            self.notify(f"{self.name} is read-only; it cannot be saved", severity="error")
            return
        if not self.session.dirty:
            self.notify("No unsaved changes")
            return
        if self.screen.editor_app.diff_before_save:
            dialog = SaveDiffScreen(self.session.diff(), self.name)
            self.screen.app.push_screen(dialog, self._diff_answered)
        else:
            await self.save_now()

    async def _diff_answered(self, save: bool | None) -> None:
        if save:
            await self.save_now()

    async def save_now(self, *, overwrite: bool = False) -> bool:
        """Write the file; True when it was written."""
        try:
            with self.screen.editor_app.saving(self.session.document.text):
                issues = self.session.save(overwrite=overwrite)
        except SaveConflict:
            await self.screen.refresh_view()
            self.ask(self._disk_text())
            return False
        except ReadOnlyError:
            self.notify(f"{self.name} is read-only; it cannot be saved", severity="error")
            await self.screen.refresh_view()
            return False
        except DocumentError as exc:  # a link or a special file in its place, say
            self.notify(f"Not saved: {exc}", severity="error", timeout=10)
            await self.screen.refresh_view()
            return False
        except OSError as exc:
            self.notify(
                f"Could not save {self.session.path}: {exc.strerror or exc}", severity="error"
            )
            return False
        await self.screen.refresh_view()
        if issues:
            count = f"{len(issues)} problem{'s' if len(issues) != 1 else ''}"
            self.notify(
                f"Saved {self.name}; {count} to fix (F8 goes to the next)", severity="warning"
            )
        else:
            self.notify(f"Saved {self.name}")
        return True

    def _disk_text(self) -> str | None:
        try:
            return self.session.disk_text()
        except DocumentError:
            return None

    # -- changes on disk ----------------------------------------------------------------------

    async def disk_changed(self, text: str | None) -> None:
        """The file watcher saw someone else change the file (``None``: deleted)."""
        if self.screen.flush_pending():
            await self.screen.refresh_view()
        if text is None:
            self.notify(
                f"{self.name} was deleted on disk; saving writes it again", severity="warning"
            )
            return
        try:
            change = self.session.on_disk_change(text)
        except Exception as exc:  # their text does not parse, say
            self.notify(
                f"{self.name} changed on disk but cannot be read: {exc}",
                severity="error",
                timeout=10,
            )
            return
        if change.reloaded:
            await self.screen.refresh_view()
            self.notify(f"{self.name} changed on disk; reloaded")
        elif change.conflict:
            self.ask(text, change.diff)
        elif change.error:
            self.notify(
                f"{self.name} changed on disk but cannot be read: {change.error}",
                severity="error",
                timeout=10,
            )

    def ask(self, text: str | None, diff: str | None = None) -> None:
        """Unsaved edits and a different file on disk: keep mine, take theirs, or read the diff."""
        app = self.screen.app
        if isinstance(app.screen, ExternalChangeScreen):
            return
        if diff is None:
            change = self.screen.run_op(lambda: self.session.on_disk_change(text))
            diff = change.diff if change is not None else ""
        app.push_screen(ExternalChangeScreen(self.name, diff or ""), self._choice)

    async def _choice(self, choice: str | None) -> None:
        if choice == "mine":
            await self.save_now(overwrite=True)
        elif choice == "theirs":
            self.screen.run_op(self.session.reload)
            await self.screen.refresh_view()
            self.notify(f"Reloaded {self.name}; your edits were dropped")
        else:
            self.notify("Your edits are kept; saving will ask again")
