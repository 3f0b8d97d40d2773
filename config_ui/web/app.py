"""The web editor's server: settings, security, the route, ``serve``."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from nicegui import app, ui
from starlette.middleware.gzip import GZipMiddleware

from config_ui.core.dagster_launch import DEFAULT_PORT, DagsterTarget
from config_ui.core.themes import ThemeError, load_themes
from config_ui.web.request_guard import Access, RequestGuard, is_loopback, make_token, token_problem
from config_ui.web.security import Project, Refused

TITLE = "Basalt Studio"


@dataclass(frozen=True)
class WebSettings:
    """What one server serves and how it is reached."""

    project: Project
    host: str = "127.0.0.1"
    port: int = 8080
    token: str | None = None
    theme: str | None = None
    goto: str | None = None
    dagster_host: str = "127.0.0.1"
    dagster_port: int = DEFAULT_PORT
    start_dagster: bool = False  # start (or attach to) basalt dagster dev with the server
    allow_hosts: tuple[str, ...] = ()  # host names served besides loopback and the bound one

    @property
    def access(self) -> Access:
        return Access.for_server(self.host, self.port, self.token, self.allow_hosts)

    @property
    def dagster_target(self) -> DagsterTarget:
        return DagsterTarget(self.dagster_host, self.dagster_port)

    def url(self, host: str | None = None) -> str:
        """The address to open (with the token when one is needed)."""
        shown = host or ("127.0.0.1" if self.host in ("0.0.0.0", "::", "") else self.host)
        if ":" in shown and not shown.startswith("["):
            shown = f"[{shown}]"
        return f"http://{shown}:{self.port}{self.path()}"

    def path(self) -> str:
        params = []
        if self.token:
            params.append(f"token={quote(self.token)}")
        if self.goto:
            params.append(f"goto={quote(self.goto)}")
        return "/" + ("?" + "&".join(params) if params else "")


def settings_for(
    path: str | Path,
    host: str = "127.0.0.1",
    port: int = 8080,
    token: str | None = None,
    theme: str | None = None,
    goto: str | None = None,
    dagster_host: str = "127.0.0.1",
    dagster_port: int = DEFAULT_PORT,
    start_dagster: bool = False,
    no_token: bool = False,
    allow_hosts: tuple[str, ...] | list[str] = (),
) -> WebSettings:
    """Settings for serving the demo at ``path``. A random token is made unless ``token``
    gives one (at least 16 characters) or ``no_token`` (loopback hosts only) turns it off.

    Raises :class:`Refused` for a missing demo and ``ValueError`` for a bad port, theme or
    token, or ``no_token`` on an address other machines can reach.
    """
    project = Project.for_demo(path)
    if not 0 < int(port) < 65536:
        raise ValueError(f"port {port} is not between 1 and 65535")
    if not 0 < int(dagster_port) < 65536:
        raise ValueError(f"Dagster port {dagster_port} is not between 1 and 65535")
    if theme is not None:
        try:
            names = sorted(load_themes())
        except ThemeError as exc:
            raise ValueError(str(exc)) from None
        if theme not in names:
            raise ValueError(f"no theme '{theme}'; themes: {', '.join(names)}")
    if no_token:
        if token is not None:
            raise ValueError("--token and --no-token exclude each other")
        if not is_loopback(host):
            raise ValueError(
                f"--no-token is allowed only on a loopback address (127.0.0.1, localhost, ::1), "
                f"not {host}: other machines could drive the editor"
            )
    elif token is None:
        token = make_token()
    else:
        problem = token_problem(token)
        if problem:
            raise ValueError(problem)
    return WebSettings(
        project=project,
        host=host,
        port=int(port),
        token=None if no_token else token,
        theme=theme,
        goto=goto,
        dagster_host=dagster_host,
        dagster_port=int(dagster_port),
        start_dagster=start_dagster,
        allow_hosts=tuple(allow_hosts),
    )


def build(settings: WebSettings) -> None:
    """Register the page and the token gate on NiceGUI's app (before ``ui.run``); with
    ``start_dagster``, Dagster starts in the background as the server starts."""
    from config_ui.web import dagster_process, runs_in_flight
    from config_ui.web.controller import stop_all_watchers
    from config_ui.web.page import editor_page

    app.on_shutdown(stop_all_watchers)
    app.on_shutdown(lambda: runs_in_flight.cancel_all())
    app.on_shutdown(dagster_process.stop_all)
    if settings.start_dagster:
        target, demos = settings.dagster_target, settings.project.demo_dir
        app.on_startup(lambda: dagster_process.dagster_process(target, demos).start_in_background())
    # Every request passes the guard (Host, Origin, token, security headers). socket.io
    # must not answer other origins with CORS headers: the guard decides who may connect.
    app.add_middleware(RequestGuard, access=settings.access)
    from nicegui import core

    core.sio.eio.cors_allowed_origins = []

    @ui.page("/", title=TITLE)
    async def index(demo: str | None = None, goto: str | None = None):  # noqa: ANN202 (a page or a refusal)
        return await editor_page(settings, demo, goto)


def _prewarm(settings: WebSettings) -> None:
    """Open the served demo once before listening: the first page then finds the schema,
    the resolver and the analytics (for column documentation) imported."""
    from config_ui.core.pass_helpers import column_docs
    from config_ui.core.session import EditorSession

    try:
        session = EditorSession.open(settings.project.resolve(None).script)
        column_docs(session.pass_columns(0))
    except Exception:  # the page reports what is wrong with the demo
        pass


def serve(path: str | Path, open_browser: bool = True, **options: Any) -> None:
    """Run the web editor until the server stops (Ctrl+C); ``options`` are
    :func:`settings_for`'s. Exits with status 2 and a plain message for a missing demo, a
    bad port or an unknown theme."""
    try:
        settings = settings_for(path, **options)
    except (Refused, ValueError) as exc:
        print(f"basalt web editor: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
    # NiceGUI treats a process with this variable as its own test run (fixed port, no
    # server): a server started from a test's subprocess inherits it. This one is real.
    os.environ.pop("PYTEST_CURRENT_TEST", None)
    build(settings)
    print(f"Basalt Studio: {settings.url()}", flush=True)
    print(f"Editing {settings.project.default}. ", end="", flush=True)
    if settings.token:
        print("Every request needs the token in that address; keep it private.", flush=True)
    else:
        print(
            "WARNING: --no-token: anyone who can reach this address on this machine can edit "
            "the demos and start runs as you.",
            flush=True,
        )
    if settings.start_dagster:
        print(
            f"Dagster: starting (or attaching to) basalt dagster dev at "
            f"{settings.dagster_target.url} in the background",
            flush=True,
        )
    _prewarm(settings)
    ui.run(
        host=settings.host,
        port=settings.port,
        title=TITLE,
        reload=False,
        show=settings.path() if open_browser else False,
        show_welcome_message=False,
        uvicorn_logging_level="warning",
        favicon="🪨",
        unocss="wind3",  # lighter than the Tailwind runtime: the page is interactive sooner
        gzip_middleware_factory=None if is_loopback(settings.host) else GZipMiddleware,
    )
