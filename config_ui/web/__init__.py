"""The NiceGUI web editor: the same form model and operations as the terminal editor.

Importing this package is cheap (NiceGUI is imported only by :func:`serve`), so the command
line and the terminal editor can name it without paying for the web stack.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from config_ui.core.session import EditorSession


def serve(
    path: str | Path,
    host: str = "127.0.0.1",
    port: int = 8080,
    open_browser: bool = True,
    token: str | None = None,
    theme: str | None = None,
    goto: str | None = None,
    dagster_host: str = "127.0.0.1",
    dagster_port: int = 3000,
    start_dagster: bool = False,
) -> None:
    """Run the web editor on the demo at ``path``; blocks until the server stops.

    Binds 127.0.0.1 unless ``host`` says otherwise; any other host requires ``token`` (one
    is made and printed in the URL when none is given). Runs in Dagster go to the webserver
    at ``dagster_host:dagster_port``; ``start_dagster`` starts ``basalt dagster dev`` there
    (or attaches to the one running) as the server starts, and stops it on shutdown.
    """
    if importlib.util.find_spec("nicegui") is None:
        print(
            "basalt web editor: NiceGUI is not installed; install the 'web' extra "
            "(pip install 'basalt-studio[web]')",
            file=sys.stderr,
        )
        raise SystemExit(2)
    from config_ui.web.app import serve as _serve

    _serve(
        path,
        host=host,
        port=port,
        open_browser=open_browser,
        token=token,
        theme=theme,
        goto=goto,
        dagster_host=dagster_host,
        dagster_port=dagster_port,
        start_dagster=start_dagster,
    )


def rendered_fields(session: EditorSession) -> dict[str, str]:
    """Path -> kind of every field the web page renders for ``session`` (all sections, all
    passes), for the parity test with the terminal editor."""
    from config_ui.web.layout import rendered_fields as _rendered

    return _rendered(session.root)


__all__ = ["rendered_fields", "serve"]
