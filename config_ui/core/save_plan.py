"""What the save dialog shows and allows, decided once for both editors.

A config with errors is not saved by a plain save: the dialog lists the errors (the same
ones, and as many, as the header counts), offers to go to the first, and saving anyway is a
separate, explicit choice labelled "Save with N errors" (as ``basalt config set --force``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from config_ui.core.session import EditorSession, ShownError


@dataclass(frozen=True)
class SavePlan:
    """The diff a save would write, the errors, and which saves may go ahead."""

    file_name: str
    diff: str
    errors: list[ShownError] = field(default_factory=list)
    refused: str = ""  # why nothing can be saved (read-only, no changes); "" otherwise

    @property
    def error_count(self) -> int:
        return len(self.errors)

    @property
    def may_save(self) -> bool:
        """A plain save (the dialog's default) may go ahead."""
        return not self.refused and not self.errors

    @property
    def may_override(self) -> bool:
        """Saving anyway is offered: only as the explicit :attr:`override_label` button."""
        return not self.refused and bool(self.errors)

    @property
    def override_label(self) -> str:
        n = self.error_count
        return f"Save with {n} error{'s' if n != 1 else ''}" if n else ""

    @property
    def first_error(self) -> str | None:
        return self.errors[0].path if self.errors else None

    @property
    def title(self) -> str:
        if self.errors:
            n = self.error_count
            return (
                f"{self.file_name} has {n} error{'s' if n != 1 else ''}: fix "
                f"{'them' if n != 1 else 'it'} first, or save anyway"
            )
        return f"Save {self.file_name}? These lines change:"


def plan_save(session: EditorSession, pending: Mapping[str, str] | None = None) -> SavePlan:
    """What a save of ``session`` would do. Opening the save dialog is a save attempt: every
    error is revealed, so the header and the dialog count the same errors. ``pending``: text
    typed in fields that was not applied (path: message), counted as errors too."""
    name = session.path.name
    if session.read_only:
        return SavePlan(name, "", refused=f"{name} is read-only; it cannot be saved")
    if not session.dirty:
        return SavePlan(name, "", refused="No unsaved changes")
    if not session.show_all_errors:
        session.show_all_errors = True
        session.refresh()
    return SavePlan(name, session.diff(), session.errors(pending))
