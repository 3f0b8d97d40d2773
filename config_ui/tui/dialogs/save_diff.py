"""What a save would write, as a diff, and the config's errors. Enter saves only a config
without errors; with errors, saving anyway is the explicit "Save with N errors" button."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from config_ui.core.save_plan import SavePlan
from config_ui.tui.dialogs.diff_text import diff_text

SAVE = "save"
SAVE_WITH_ERRORS = "save-with-errors"
GOTO_ERROR = "goto-error"
BACK = "back"


class SaveDiffScreen(ModalScreen[str]):
    """Dismissed with :data:`SAVE`, :data:`SAVE_WITH_ERRORS`, :data:`GOTO_ERROR` or :data:`BACK`."""

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
    SaveDiffScreen #save-errors {
        height: auto;
        max-height: 10;
        border: round $error;
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
        Binding("g", "goto_error", "Go to first error"),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self, plan: SavePlan) -> None:
        super().__init__()
        self.plan = plan

    def compose(self) -> ComposeResult:
        plan = self.plan
        with Vertical():
            yield Static(plan.title, classes="dialog-title", markup=False)
            if plan.errors:
                lines = "\n".join(f"✖ {e.path or '<root>'}: {e.message}" for e in plan.errors)
                with VerticalScroll(id="save-errors"):
                    yield Static(lines, id="save-error-list", markup=False)
            with VerticalScroll(id="diff-view"):
                yield Static(diff_text(plan.diff), id="diff-text")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Back (Esc)", id=BACK)
                if plan.errors:
                    yield Button("Go to first error (g)", id=GOTO_ERROR, variant="primary")
                    yield Button(plan.override_label, id=SAVE_WITH_ERRORS, variant="error")
                else:
                    yield Button("Save (Enter)", id=SAVE, variant="primary")

    def on_mount(self) -> None:
        self.query_one("#diff-view").focus()

    def action_confirm(self) -> None:
        """Enter: save when there is nothing to fix; otherwise nothing happens."""
        if self.plan.may_save:
            self.dismiss(SAVE)
        else:
            self.notify(
                f"Not saved: fix the errors, or press “{self.plan.override_label}”",
                severity="warning",
            )

    def action_goto_error(self) -> None:
        if self.plan.errors:
            self.dismiss(GOTO_ERROR)

    def action_back(self) -> None:
        self.dismiss(BACK)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id or BACK)
