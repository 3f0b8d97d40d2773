"""Saving (with the diff first) and answering changes made on disk by someone else."""

from __future__ import annotations

from typing import TYPE_CHECKING

from config_ui.core.save_plan import SavePlan, plan_save
from config_ui.core.session import DocumentError, InvalidConfig, ReadOnlyError, SaveConflict
from config_ui.tui.dialogs.external_change import ExternalChangeScreen
from config_ui.tui.dialogs.save_diff import (
    GOTO_ERROR,
    SAVE,
    SAVE_WITH_ERRORS,
    SaveDiffScreen,
)

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

    async def save(self, *, overwrite: bool = False, confirmed: bool = False) -> None:
        """Ctrl+S: the diff and the errors first (core's :func:`plan_save`), then the save.
        A config with errors is saved only by the dialog's "Save with N errors"; without
        errors, ``confirmed`` (keep mine) skips the diff."""
        if self.screen.flush_pending():
            await self.screen.refresh_view()
        plan = plan_save(self.session, self.screen.rejected)
        self.screen.update_frame()  # the header now counts every error, as the dialog does
        if plan.refused:
            self.notify(plan.refused, severity="error" if self.session.read_only else "information")
            return
        if plan.errors or (self.screen.editor_app.diff_before_save and not confirmed):
            self.screen.app.push_screen(
                SaveDiffScreen(plan), lambda answer: self._diff_answered(answer, plan, overwrite)
            )
        else:
            await self.save_now(overwrite=overwrite)

    async def _diff_answered(self, answer: str | None, plan: SavePlan, overwrite: bool) -> None:
        if answer == SAVE:
            await self.save_now(overwrite=overwrite)
        elif answer == SAVE_WITH_ERRORS:
            await self.save_now(overwrite=overwrite, allow_errors=True)
        elif answer == GOTO_ERROR:
            if plan.first_error is not None:
                await self.screen.goto(plan.first_error)

    async def save_now(self, *, overwrite: bool = False, allow_errors: bool = False) -> bool:
        """Write the file; True when it was written."""
        try:
            with self.screen.editor_app.saving(self.session.document.text):
                issues = self.session.save(overwrite=overwrite, allow_errors=allow_errors)
        except InvalidConfig as exc:
            await self.screen.refresh_view()
            self.notify(f"{exc}; Ctrl+S lists them (F8 goes to the next)", severity="warning")
            return False
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
            count = f"{len(issues)} error{'s' if len(issues) != 1 else ''}"
            self.notify(f"Saved {self.name} with {count} (F8 goes to the next)", severity="warning")
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
        """The file watcher saw someone else change the file (``None``: deleted). Core decides
        (:meth:`EditorSession.on_disk_change`); this draws it."""
        if self.screen.flush_pending():
            await self.screen.refresh_view()
        if text is None:
            self.notify(
                f"{self.name} was deleted on disk; saving writes it again", severity="warning"
            )
            return
        change = self.screen.run_op(lambda: self.session.on_disk_change(text))
        if change is None:
            return
        await self.screen.refresh_view()  # the banner follows session.disk_problem
        if change.reloaded:
            fixed = " (fixed)" if change.fixed else ""
            self.notify(f"{self.name} changed on disk{fixed}; reloaded")
        elif change.conflict:
            self.ask(text, change.diff)
        elif change.error and self.session.disk_problem is None:  # not a parse error
            self.notify(f"{self.name} changed on disk: {change.error}", severity="error")

    async def banner_choice(self, choice: str) -> None:
        """The broken-file banner's answer (keep my edits, reload when fixed)."""
        self.session.choose_on_broken_disk(choice)
        self.screen.update_frame()

    def ask(self, text: str | None, diff: str | None = None) -> None:
        """Unsaved edits and a different file on disk: keep mine, take theirs, or read the diff."""
        app = self.screen.app
        if isinstance(app.screen, ExternalChangeScreen):
            return
        if diff is None:
            change = self.screen.run_op(lambda: self.session.on_disk_change(text))
            if change is not None and change.reloaded:
                self.screen.call_later(self.screen.refresh_view)
                return
            diff = change.diff if change is not None else ""
            if change is not None and change.error:
                diff = f"(the file on disk does not parse: {change.error})"
                self.screen.update_frame()
        app.push_screen(
            ExternalChangeScreen(self.name, diff or ""), lambda c: self._choice(c, text)
        )

    async def _choice(self, choice: str | None, theirs: str | None) -> None:
        if choice == "mine":
            await self.save(overwrite=True, confirmed=True)
        elif choice == "theirs":
            if theirs is None:
                self.screen.run_op(self.session.reload)
            else:
                self.screen.run_op(lambda: self.session.take_theirs(theirs))
            await self.screen.refresh_view()
            self.notify(f"Took the file on disk; your edits to {self.name} were dropped")
        else:
            self.notify("Your edits are kept; saving will ask again")
