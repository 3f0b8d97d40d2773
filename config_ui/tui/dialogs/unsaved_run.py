"""Running with unsaved edits: save first, run the edits without saving, or go back."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static


class UnsavedRunScreen(ModalScreen[str]):
    """Dismissed with ``"save"``, ``"unsaved"`` or ``"back"``.

    ``allow_unsaved`` False (a Dagster run reads the saved file): only save or go back.
    """

    DEFAULT_CSS = """
    UnsavedRunScreen {
        align: center middle;
    }
    UnsavedRunScreen > Vertical {
        width: 72;
        height: auto;
        border: thick $warning;
        background: $surface;
        padding: 1 2;
    }
    UnsavedRunScreen .dialog-buttons {
        height: auto;
        margin-top: 1;
    }
    UnsavedRunScreen .dialog-buttons Button {
        margin-right: 1;
    }
    """

    BINDINGS = [
        Binding("s", "choose('save')", "Save and run"),
        Binding("u", "choose('unsaved')", "Run unsaved edits"),
        Binding("escape", "choose('back')", "Back"),
    ]

    def __init__(self, name: str, *, allow_unsaved: bool = True) -> None:
        super().__init__()
        self.file_name = name
        self.allow_unsaved = allow_unsaved

    def compose(self) -> ComposeResult:
        if self.allow_unsaved:
            text = (
                f"{self.file_name} has unsaved edits. Save them and run, or run them without "
                "saving (the file on disk stays as it is)?"
            )
        else:
            text = (
                f"{self.file_name} has unsaved edits, and Dagster runs the saved file. "
                "Save them and run?"
            )
        with Vertical():
            yield Static(text, markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save and run (s)", id="save", variant="primary")
                if self.allow_unsaved:
                    yield Button("Run unsaved edits (u)", id="unsaved", variant="warning")
                yield Button("Back (Esc)", id="back")

    def on_mount(self) -> None:
        self.query_one("#back").focus()

    def action_choose(self, choice: str) -> None:
        if choice == "unsaved" and not self.allow_unsaved:
            return
        self.dismiss(choice)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id or "back")
