"""The file changed on disk while there are unsaved edits: keep mine, take theirs, or read
the diff first."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from config_ui.tui.dialogs.diff_text import diff_text


class ExternalChangeScreen(ModalScreen[str]):
    """Dismissed with ``"mine"`` (save over the file), ``"theirs"`` (reload) or ``"later"``."""

    DEFAULT_CSS = """
    ExternalChangeScreen {
        align: center middle;
    }
    ExternalChangeScreen > Vertical {
        width: 90%;
        max-width: 110;
        height: auto;
        max-height: 90%;
        border: thick $warning;
        background: $surface;
        padding: 1 2;
    }
    ExternalChangeScreen #conflict-diff {
        display: none;
        height: auto;
        max-height: 20;
        border: round $panel-lighten-2;
    }
    ExternalChangeScreen #conflict-diff.-shown {
        display: block;
    }
    ExternalChangeScreen .dialog-buttons {
        height: auto;
        margin-top: 1;
    }
    ExternalChangeScreen .dialog-buttons Button {
        margin-right: 1;
    }
    """

    BINDINGS = [
        Binding("k", "choose('mine')", "Keep mine"),
        Binding("t", "choose('theirs')", "Take theirs"),
        Binding("d", "toggle_diff", "Show diff"),
        Binding("escape", "choose('later')", "Decide later"),
    ]

    def __init__(self, name: str, diff: str) -> None:
        super().__init__()
        self.file_name = name
        self.diff = diff

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(
                f"{self.file_name} changed on disk, and you have unsaved edits.\n"
                "Keep mine writes your version over it; take theirs drops your edits.",
                markup=False,
            )
            with VerticalScroll(id="conflict-diff"):
                yield Static(diff_text(self.diff or "(no difference in the text)"))
            with Horizontal(classes="dialog-buttons"):
                yield Button("Keep mine (k)", id="mine", variant="primary")
                yield Button("Take theirs (t)", id="theirs", variant="warning")
                yield Button("Show diff (d)", id="diff")

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice)

    def action_toggle_diff(self) -> None:
        self.query_one("#conflict-diff").toggle_class("-shown")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "diff":
            self.action_toggle_diff()
        else:
            self.dismiss(event.button.id or "later")
