"""Running with unsaved edits: save first, run the edits without saving, or go back."""

from __future__ import annotations

from textual.binding import Binding

from config_ui.tui.dialogs.choice_dialog import ChoiceDialog


class UnsavedRunScreen(ChoiceDialog):
    """Dismissed with ``"save"``, ``"unsaved"`` or ``"back"``.

    ``allow_unsaved`` False (a Dagster run reads the saved file): only save or go back.
    """

    DEFAULT_CSS = """
    UnsavedRunScreen > Vertical {
        width: 72;
    }
    """
    BINDINGS = [
        Binding("s", "choose('save')", "Save and run"),
        Binding("u", "choose('unsaved')", "Run unsaved edits"),
        Binding("escape", "choose('back')", "Back"),
    ]
    CHOICES = [
        ("save", "Save and run (s)", "primary"),
        ("unsaved", "Run unsaved edits (u)", "warning"),
        ("back", "Back (Esc)", "default"),
    ]
    SAFE = "back"

    def __init__(self, name: str, *, allow_unsaved: bool = True) -> None:
        super().__init__()
        self.file_name = name
        self.allow_unsaved = allow_unsaved

    def choices(self) -> list[tuple[str, str, str]]:
        return [c for c in self.CHOICES if self.allow_unsaved or c[0] != "unsaved"]

    def question(self) -> str:
        if self.allow_unsaved:
            return (
                f"{self.file_name} has unsaved edits. Save them and run, or run them without "
                "saving (the file on disk stays as it is)?"
            )
        return (
            f"{self.file_name} has unsaved edits, and Dagster runs the saved file. "
            "Save them and run?"
        )
