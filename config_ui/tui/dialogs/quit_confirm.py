"""Quitting with unsaved edits: save first, quit without saving, or stay."""

from __future__ import annotations

from textual.binding import Binding

from config_ui.tui.dialogs.choice_dialog import ChoiceDialog


class QuitConfirmScreen(ChoiceDialog):
    """Dismissed with ``"save"``, ``"discard"`` or ``"stay"``."""

    BINDINGS = [
        Binding("s", "choose('save')", "Save and quit"),
        Binding("d", "choose('discard')", "Quit without saving"),
        Binding("escape", "choose('stay')", "Stay"),
    ]
    CHOICES = [
        ("save", "Save and quit (s)", "primary"),
        ("discard", "Quit without saving (d)", "error"),
        ("stay", "Stay (Esc)", "default"),
    ]
    SAFE = "stay"

    def __init__(self, name: str) -> None:
        super().__init__()
        self.file_name = name

    def question(self) -> str:
        return f"{self.file_name} has unsaved changes. Quit anyway?"
