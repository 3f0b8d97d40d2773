"""What a save would write, as a diff: Enter saves, Escape goes back."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from config_ui.tui.dialogs.diff_text import diff_text


class SaveDiffScreen(ModalScreen[bool]):
    """Dismissed with True to save, False to go back."""

    DEFAULT_CSS = """
    SaveDiffScreen {
        align: center middle;
    }
    SaveDiffScreen > Vertical {
        width: 90%;
        max-width: 120;
        height: 80%;
        border: thick $primary;
        background: $surface;
        padding: 0 1;
    }
    SaveDiffScreen .dialog-title {
        text-style: bold;
        height: auto;
    }
    SaveDiffScreen #diff-view {
        height: 1fr;
        border: round $panel-lighten-2;
    }
    SaveDiffScreen .dialog-buttons {
        height: auto;
        align-horizontal: right;
    }
    SaveDiffScreen .dialog-buttons Button {
        margin-left: 2;
    }
    """

    BINDINGS = [
        Binding("enter", "confirm", "Save"),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self, diff: str, name: str) -> None:
        super().__init__()
        self.diff = diff
        self.file_name = name

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(
                f"Save {self.file_name}? These lines change:", classes="dialog-title", markup=False
            )
            with VerticalScroll(id="diff-view"):
                yield Static(diff_text(self.diff), id="diff-text")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Back (Esc)", id="back")
                yield Button("Save (Enter)", id="save", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#diff-view").focus()

    def action_confirm(self) -> None:
        self.dismiss(True)

    def action_back(self) -> None:
        self.dismiss(False)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "save")
