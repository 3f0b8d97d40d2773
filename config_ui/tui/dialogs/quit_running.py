"""Quitting while a run is in flight: cancel it and quit, or stay."""

from __future__ import annotations

from textual.binding import Binding

from config_ui.tui.dialogs.choice_dialog import ChoiceDialog


class QuitRunningScreen(ChoiceDialog):
    """Dismissed with ``"cancel"`` (cancel the run, then quit) or ``"stay"``."""

    DEFAULT_CSS = """
    QuitRunningScreen > Vertical {
        border: thick $error;
    }
    """
    BINDINGS = [
        Binding("c", "choose('cancel')", "Cancel the run and quit"),
        Binding("escape", "choose('stay')", "Stay"),
    ]
    CHOICES = [
        ("cancel", "Cancel the run and quit (c)", "error"),
        ("stay", "Stay (Esc)", "default"),
    ]
    SAFE = "stay"

    def __init__(self, what: str) -> None:
        super().__init__()
        self.what = what

    def question(self) -> str:
        return (
            f"{self.what} is still running. Quitting cancels it (outputs already written "
            "are kept). Quit anyway?"
        )
