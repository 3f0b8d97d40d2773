"""The banner shown while the file on disk does not parse: where, why, and the choice."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Button, Static

from config_ui.core.session import DiskProblem


class DiskBanner(Horizontal):
    """Hidden until :meth:`show` gets a :class:`DiskProblem`; its buttons post :class:`Chosen`."""

    DEFAULT_CSS = """
    DiskBanner {
        display: none;
        height: auto;
        background: $error 30%;
        padding: 0 1;
    }
    DiskBanner.-shown {
        display: block;
    }
    DiskBanner #disk-banner-text {
        width: 1fr;
        height: auto;
    }
    DiskBanner Button {
        margin-left: 1;
        min-width: 10;
    }
    """

    class Chosen(Message):
        """A banner button was pressed: ``choice`` is a core choice (keep, reload-when-fixed)."""

        def __init__(self, choice: str) -> None:
            super().__init__()
            self.choice = choice

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.problem: DiskProblem | None = None
        self.text = ""
        self.shown_choices: list[tuple[str, str]] = []

    def compose(self) -> ComposeResult:
        yield Static("", id="disk-banner-text", markup=False)

    def show(self, problem: DiskProblem | None) -> None:
        self.problem = problem
        self.set_class(problem is not None, "-shown")
        self.text = f"The file on disk does not parse: {problem.message}" if problem else ""
        self.query_one("#disk-banner-text", Static).update(self.text)
        choices = problem.choices if problem is not None else []
        if choices != self.shown_choices:
            self.shown_choices = choices
            self.query(Button).remove()
            self.mount_all(Button(label, id=f"banner-{choice}") for choice, label in choices)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        choice = (event.button.id or "").removeprefix("banner-")
        self.post_message(self.Chosen(choice))
