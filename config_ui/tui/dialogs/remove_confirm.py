"""Removing an item the config cannot do without (the only pass): remove it anyway, or stay."""

from __future__ import annotations

from textual.binding import Binding

from config_ui.tui.dialogs.choice_dialog import ChoiceDialog


class RemoveConfirmScreen(ChoiceDialog):
    """Dismissed with ``"remove"`` or ``"stay"``; the question comes from the session."""

    BINDINGS = [
        Binding("r", "choose('remove')", "Remove"),
        Binding("escape", "choose('stay')", "Stay"),
    ]
    CHOICES = [
        ("remove", "Remove (r)", "error"),
        ("stay", "Stay (Esc)", "default"),
    ]
    SAFE = "stay"

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def question(self) -> str:
        return self.text
