"""Register the shared theme files as Textual themes."""

from __future__ import annotations

from textual.app import App
from textual.theme import Theme


def register_themes(app: App) -> tuple[list[str], str | None, str | None]:
    """(names registered, the theme to start with, a warning to show or None)."""
    try:
        from config_ui.core import themes as core_themes
    except ImportError as exc:  # the themes module is optional for the editor
        return [], None, f"themes unavailable: {exc}"
    try:
        specs = core_themes.load_themes()
    except Exception as exc:  # ThemeError names the file and line
        return [], None, f"themes not loaded: {exc}"
    for spec in specs.values():
        app.register_theme(Theme(**core_themes.to_textual_kwargs(spec)))
    return list(specs), core_themes.initial_theme_name(specs), None


def remember(name: str) -> str | None:
    """Store the user's choice; a message if it could not be stored."""
    try:
        from config_ui.core.themes import remember_theme

        remember_theme(name)
    except (ImportError, OSError, ValueError) as exc:
        return f"theme choice not remembered: {exc}"
    return None
