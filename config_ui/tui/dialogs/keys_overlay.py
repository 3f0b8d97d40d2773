"""The ``?`` overlay: every key binding of the screen beneath, also those the footer leaves
out on a narrow terminal. Escape, ``?`` or ``q`` closes it."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.markup import escape
from textual.screen import ModalScreen, Screen
from textual.widgets import Static


def screen_keys(screen: Screen) -> list[tuple[str, str]]:
    """(key, what it does) for each binding active on ``screen`` that has a description: the
    screen's and the app's first, then the focused control's under a heading (key ``""``);
    one line per action."""
    own: dict[tuple[str, str], list[str]] = {}
    control: dict[tuple[str, str], list[str]] = {}
    for node, binding, _enabled, tooltip in screen.active_bindings.values():
        if not binding.description or binding.system or binding.action == "screen.copy_text":
            continue
        group = own if node is screen or node is screen.app else control
        key = screen.app.get_key_display(binding)
        group.setdefault((binding.action, tooltip or binding.description), []).append(key)

    def rows(found: dict[tuple[str, str], list[str]]) -> list[tuple[str, str]]:
        return [(" / ".join(dict.fromkeys(keys)), text) for (_, text), keys in found.items()]

    listed = rows(own)
    if control and screen.focused is not None:
        name = type(screen.focused).__name__
        listed += [("", f"In the focused {name}"), *rows(control)]
    return listed


class KeysOverlay(ModalScreen[None]):
    DEFAULT_CSS = """
    KeysOverlay {
        align: center middle;
    }
    KeysOverlay > VerticalScroll {
        width: 64;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: round $primary;
        border-title-color: $primary;
        background: $surface;
        padding: 0 1;
    }
    KeysOverlay Static {
        height: auto;
    }
    """

    BINDINGS = [
        Binding("escape,question_mark,q", "close", "Close", show=False),
    ]

    def __init__(self, keys: list[tuple[str, str]]) -> None:
        super().__init__()
        self.keys = keys

    def compose(self) -> ComposeResult:
        width = max((len(key) for key, _ in self.keys), default=0)
        lines = [
            f"[b $accent]{escape(key.ljust(width))}[/]  {escape(description)}"
            if key
            else f"\n[b]{escape(description)}[/]"
            for key, description in self.keys
        ]
        with VerticalScroll() as scroll:
            scroll.border_title = "Keys"
            scroll.border_subtitle = "Esc closes"
            yield Static("\n".join(lines), id="keys-table")

    def action_close(self) -> None:
        self.dismiss(None)
