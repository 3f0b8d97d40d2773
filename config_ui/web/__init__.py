"""The NiceGUI web editor: the same form model and operations as the terminal editor.

Importing this package is cheap (NiceGUI is imported only by :func:`serve`), so the command
line and the terminal editor can name it without paying for the web stack.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from config_ui.core.session import EditorSession


def serve(path: str | Path, open_browser: bool = True, **options: Any) -> None:
    """Run the web editor on the demo at ``path``; blocks until the server stops.

    ``options``: ``host`` (default 127.0.0.1; any other host requires a ``token``, one is made
    and printed in the URL when none is given), ``port`` (8080), ``token``, ``theme``,
    ``goto`` (a field path), ``dagster_host`` and ``dagster_port`` (where runs in Dagster go,
    127.0.0.1:3000) and ``start_dagster`` (start ``basalt dagster dev`` there, or attach to
    the one running, as the server starts; stopped on shutdown). See
    :func:`config_ui.web.app.settings_for`.
    """
    if importlib.util.find_spec("nicegui") is None:
        print(
            "basalt web editor: NiceGUI is not installed; install the 'web' extra "
            "(pip install 'basalt-studio[web]')",
            file=sys.stderr,
        )
        raise SystemExit(2)
    from config_ui.web.app import serve as _serve

    _serve(path, open_browser=open_browser, **options)


def rendered_fields(session: EditorSession) -> dict[str, str]:
    """Path -> kind of every field the web page renders for ``session`` (all sections, all
    passes), for the parity test with the terminal editor."""
    from config_ui.web.layout import rendered_fields as _rendered

    return _rendered(session.root)


__all__ = ["rendered_fields", "serve"]
