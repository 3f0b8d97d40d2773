"""The passes as cards: name, bucket, modules, output column count, errors; open, duplicate,
remove, move, and add a pass."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Label, Static

from config_ui.core.nodes import FieldNode
from config_ui.core.pass_helpers import PassCard
from config_ui.tui.fields.model_list_field import item_action, item_buttons
from config_ui.tui.fields.node_widget import NodeWidget, error_text, meta_markup
from config_ui.tui.ids import error_id, field_id
from config_ui.tui.messages import ItemAdded, PassOpened

if TYPE_CHECKING:
    from config_ui.tui.fields.factory import FormContext


def card_text(card: PassCard) -> str:
    modules = ", ".join(card.modules) or "no modules"
    columns = f"{card.column_count} column{'s' if card.column_count != 1 else ''}"
    text = f"[b]{card.index + 1}. {card.name}[/b]  {card.bucket_seconds} s · {modules} · {columns}"
    if card.error_count:
        text += f"  [$text-error]✖ {card.error_count}[/]"
    return text


class PassCardView(Vertical):
    """One pass."""

    DEFAULT_CSS = """
    PassCardView {
        height: auto;
        border: round $foreground 30%;
        padding: 0 1;
        margin-bottom: 0;
    }
    PassCardView:focus-within {
        border: round $primary;
    }
    PassCardView > .card-text {
        height: auto;
    }
    PassCardView > .card-actions {
        height: 1;
    }
    PassCardView .card-actions Button {
        margin-right: 1;
    }
    """

    def __init__(self, card: PassCard, size: int, *, read_only: bool) -> None:
        super().__init__(id=f"pass-card-{card.index}", classes="pass-card")
        self.card = card
        self.total = size
        self.read_only = read_only

    def compose(self) -> ComposeResult:
        yield Static(card_text(self.card), classes="card-text")
        with Horizontal(classes="card-actions"):
            yield Button("Open", name=f"open:{self.card.index}", compact=True, variant="primary")
            yield from item_buttons(self.card.index, self.total, disabled=self.read_only)

    def show(self, card: PassCard) -> None:
        self.card = card
        self.query_one(".card-text", Static).update(card_text(card))


class PassList(NodeWidget, Vertical):
    DEFAULT_CSS = """
    PassList {
        height: auto;
        margin: 0 0 1 0;
    }
    PassList > .list-head {
        height: 1;
    }
    PassList .list-label {
        width: 1fr;
        text-style: bold;
    }
    PassList .field-meta {
        width: 18;
        color: $text-muted;
    }
    PassList .list-error {
        display: none;
        color: $text-error;
    }
    PassList .list-error.-shown {
        display: block;
    }
    """

    def __init__(self, node: FieldNode, ctx: FormContext) -> None:
        super().__init__(id=field_id(node.path), classes="pass-list")
        self.bind_node(node, ctx)

    def compose(self) -> ComposeResult:
        node = self.node
        cards = self.ctx.session.pass_cards()
        with Horizontal(classes="list-head"):
            yield Label(f"Passes ({len(cards)})", classes="list-label")
            yield Static(meta_markup(node, read_only=self.ctx.read_only), classes="field-meta")
        yield Static(
            error_text(node.errors),
            id=error_id(node.path),
            classes="list-error" + (" -shown" if node.errors else ""),
        )
        for card in cards:
            yield PassCardView(card, len(cards), read_only=self.ctx.read_only)
        yield Button(
            "+ Add pass",
            id="add-PASSES",
            compact=True,
            classes="add-item",
            disabled=self.ctx.read_only,
        )

    def show(self, node: FieldNode) -> None:
        super().show(node)
        cards = self.ctx.session.pass_cards()
        for view, card in zip(self.query(PassCardView), cards, strict=False):
            view.show(card)
        self.show_meta(node)
        self.show_errors(node)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "add-PASSES":
            self.emit(ItemAdded("PASSES"))
            return
        action, _, index = (event.button.name or "").partition(":")
        if action == "open" and index.isdigit():
            self.emit(PassOpened(int(index)))
            return
        message = item_action(event.button, "PASSES")
        if message is not None:
            self.emit(message)
