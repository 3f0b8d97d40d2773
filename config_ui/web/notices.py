"""Notifications: stacked in the bottom-right corner, where they do not cover the form's
fields, and the same message shown twice becomes one with a count."""

from __future__ import annotations

from typing import Any

from nicegui import ui

POSITION = "bottom-right"


def notify(message: Any, type: str | None = None, **options: Any) -> None:  # noqa: A002 (NiceGUI's name)
    """``ui.notify`` in the corner; ``type`` is Quasar's (positive, negative, warning, info)."""
    options.setdefault("position", POSITION)
    options.setdefault("group", f"{type}:{message}")
    options.setdefault("timeout", 8000 if type in ("negative", "warning") else 4000)
    if type is not None:
        options["type"] = type
    ui.notify(message, **options)
