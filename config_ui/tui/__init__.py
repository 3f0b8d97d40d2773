"""The terminal editor (Textual). Textual is imported only when an app is built."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from config_ui.tui.app import EditorApp


def build_app(path: str | Path, goto: str | None = None, **options: Any) -> EditorApp:
    """The editor App for a demo's ``.py`` or ``.yaml``.

    ``options``: ``theme`` (a theme name), ``diff_before_save`` (default True), ``watch``
    (watch the file for changes by others, default True), ``watch_debounce`` (seconds),
    ``dagster_host`` and ``dagster_port`` (the Dagster webserver runs go to, default
    127.0.0.1:3000), ``output_dir`` (where local runs write, the demo's ``--output-dir``).
    A file that does not load opens the error view instead of raising.
    """
    from config_ui.tui.app import EditorApp

    return EditorApp(path, goto=goto, **options)


__all__ = ["build_app"]
