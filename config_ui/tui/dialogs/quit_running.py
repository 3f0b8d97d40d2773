"""Quitting while a run is in flight: cancel it and quit, or stay."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static


class QuitRunningScreen(ModalScreen[str]):
    """Dismissed with ``"cancel"`` (cancel the run, then quit) or ``"stay"``."""

    DEFAULT_CSS = """
    QuitRunningScreen {
        align: center middle;
    }
    QuitRunningScreen > Vertical {
        width: 68;
        height: auto;
        border: thick $error;
        background: $surface;
        padding: 1 2;
    }
    QuitRunningScreen .dialog-buttons {
        height: auto;
        margin-top: 1;
    }
    QuitRunningScreen .dialog-buttons Button {
        margin-right: 1;
    }
    """

    BINDINGS = [
        Binding("c", "choose('cancel')", "Cancel the run and quit"),
        Binding("escape", "choose('stay')", "Stay"),
    ]

    def __init__(self, what: str) -> None:
        super().__init__()
        self.what = what

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(
                f"{self.what} is still running. Quitting cancels it (outputs already written "
                "are kept). Quit anyway?",
                markup=False,
            )
            with Horizontal(classes="dialog-buttons"):
                yield Button("Cancel the run and quit (c)", id="cancel", variant="error")
                yield Button("Stay (Esc)", id="stay")

    def on_mount(self) -> None:
        self.query_one("#stay").focus()

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id or "stay")
