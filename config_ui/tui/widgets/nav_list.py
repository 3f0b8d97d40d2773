"""Navigation: home, the five sections, then one entry per pass (with error counts)."""

from __future__ import annotations

from textual import on
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from config_ui.core.session import EditorSession
from config_ui.tui.pages.section_page import SECTIONS


def ref_of(option_id: str) -> tuple:
    if option_id.startswith("section-"):
        return ("section", option_id.removeprefix("section-"))
    if option_id.startswith("pass-"):
        return ("pass", int(option_id.removeprefix("pass-")))
    return ("home",)


def id_of(ref: tuple) -> str | None:
    if ref[0] == "section":
        return f"section-{ref[1]}"
    if ref[0] == "pass":
        return f"pass-{ref[1]}"
    return "home" if ref[0] == "home" else None


def error_counts(session: EditorSession) -> dict[str, int]:
    """Errors shown per navigation entry id."""
    root = session.root
    children = root.children if root is not None else []
    sections = {c.key: c.section or "Advanced" for c in children}
    counts: dict[str, int] = {}
    for path, _ in session.visible_errors():
        parts = path.split(".")
        if parts[0] == "PASSES" and len(parts) > 1 and parts[1].isdigit():
            key = f"pass-{parts[1]}"
        else:
            key = f"section-{sections.get(parts[0], 'Core')}"
        counts[key] = counts.get(key, 0) + 1
    return counts


def entries(session: EditorSession) -> list[tuple[str, str]]:
    """(option id, label) of every entry."""
    counts = error_counts(session)

    def label(option_id: str, text: str) -> str:
        n = counts.get(option_id, 0)
        return f"{text}  ✖{n}" if n else text

    items = [("home", "Home")]
    items += [(f"section-{s}", label(f"section-{s}", s)) for s in SECTIONS]
    items += [
        (f"pass-{c.index}", label(f"pass-{c.index}", f"  {c.index + 1}. {c.name}"))
        for c in session.pass_cards()
    ]
    return items


class NavList(OptionList):
    DEFAULT_CSS = """
    NavList, NavList:focus {
        width: 22;
        height: 1fr;
        border: none;
        padding: 0;
        background: $panel;
    }
    NavList > .option-list--option-highlighted {
        color: $foreground;
        background: $foreground 12%;
        text-style: bold;
    }
    NavList:focus > .option-list--option-highlighted {
        color: $block-cursor-foreground;
        background: $block-cursor-background;
        text-style: bold;
    }
    """

    class PageChosen(Message):
        def __init__(self, ref: tuple) -> None:
            super().__init__()
            self.ref = ref

    def __init__(self, session: EditorSession, **kwargs) -> None:
        super().__init__(**kwargs)
        self.shown: list[tuple[str, str]] = []
        self.update_from(session, ("home",))

    def update_from(self, session: EditorSession, current: tuple) -> None:
        items = entries(session)
        if items != self.shown:
            self.shown = items
            self.clear_options()
            self.add_options([Option(text, id=option_id) for option_id, text in items])
        wanted = id_of(current)
        if wanted is not None:
            index = next((i for i, (oid, _) in enumerate(items) if oid == wanted), None)
            if index is not None and self.highlighted != index:
                self.highlighted = index

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(self.PageChosen(ref_of(event.option.id)))
