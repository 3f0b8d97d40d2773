"""A modal question with a few answers: one button (and one key) per answer.

Subclasses set ``CHOICES`` (answer id, button label, variant), ``BINDINGS`` (keys to
``choose('<id>')``), ``SAFE`` (the answer Escape gives and the focused button) and
:meth:`question`; the screen is dismissed with the answer's id.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static


class ChoiceDialog(ModalScreen[str]):
    DEFAULT_CSS = """
    ChoiceDialog {
        align: center middle;
    }
    ChoiceDialog > Vertical {
        width: 68;
        height: auto;
        border: thick $warning;
        background: $surface;
        padding: 1 2;
    }
    ChoiceDialog .dialog-buttons {
        height: auto;
        margin-top: 1;
    }
    ChoiceDialog .dialog-buttons Button {
        margin-right: 1;
    }
    """

    CHOICES: ClassVar[list[tuple[str, str, str]]] = []
    SAFE: ClassVar[str] = "stay"

    def question(self) -> str:
        raise NotImplementedError

    def choices(self) -> list[tuple[str, str, str]]:
        """The answers offered (all of ``CHOICES`` unless a subclass says otherwise)."""
        return self.CHOICES

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.question(), markup=False)
            with Horizontal(classes="dialog-buttons"):
                for answer, label, variant in self.choices():
                    yield Button(label, id=answer, variant=variant)  # type: ignore[arg-type]

    def on_mount(self) -> None:
        self.query_one(f"#{self.SAFE}").focus()

    def action_choose(self, choice: str) -> None:
        if choice in {answer for answer, _, _ in self.choices()}:
            self.dismiss(choice)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id or self.SAFE)
