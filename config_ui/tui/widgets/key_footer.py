"""The footer of every screen: compact, and the command palette key only where it fits
(``?`` lists every key, the palette's too)."""

from __future__ import annotations

from textual import events
from textual.widgets import Footer

PALETTE_MIN_WIDTH = 110
"""Columns from which the footer also shows the command palette key."""


class KeyFooter(Footer):
    def __init__(self, **kwargs) -> None:
        super().__init__(compact=True, show_command_palette=False, **kwargs)

    def on_resize(self, event: events.Resize) -> None:
        self.show_command_palette = event.size.width >= PALETTE_MIN_WIDTH
