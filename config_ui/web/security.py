"""What the web editor lets through: which files, and which requests.

- Files: only demo pairs in the project's demo folder (``demo/NN_name.py`` + ``.yaml``, or the
  demo the server was started on). ``..``, absolute paths and symlinks that lead out of the
  project are refused with a :class:`Refused` whose message the refusal page shows.
- Requests: on a host other than loopback every request (page, assets, websocket) needs the
  token, given once as ``?token=...`` (then kept in a cookie) or as ``X-Basalt-Token``.

No NiceGUI import: this is plain ASGI and paths.
"""

from __future__ import annotations

import hmac
import html
import ipaddress
import os
import re
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any
from urllib.parse import parse_qs

DEMO_NAME = re.compile(r"^[0-9]{2}_[A-Za-z0-9_-]+\.(py|yaml)$")
TOKEN_PARAM = "token"
TOKEN_HEADER = b"x-basalt-token"


class Refused(ValueError):
    """A file the editor will not open or write; the message says why, for the user."""


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and ``localhost``."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def make_token() -> str:
    return secrets.token_urlsafe(24)


def _inside(root: Path, path: Path) -> bool:
    real_root = os.path.realpath(root)
    real = os.path.realpath(path)
    return real == real_root or real.startswith(real_root.rstrip(os.sep) + os.sep)


@dataclass(frozen=True)
class DemoPair:
    """A demo script and its YAML; ``name`` is the path relative to the project root."""

    name: str
    script: Path
    yaml: Path

    @property
    def title(self) -> str:
        return self.script.stem


@dataclass(frozen=True)
class Project:
    """The folder the editor serves: ``root``, its ``demo_dir`` and the demo it started on."""

    root: Path
    demo_dir: Path
    default: str

    @classmethod
    def for_demo(cls, path: str | Path) -> Project:
        """The project of a demo file: the folder above ``demo/``, else the file's folder.

        Raises :class:`Refused` when the file does not exist.
        """
        given = Path(path)
        absolute = Path(os.path.abspath(given))
        if absolute.suffix not in (".py", ".yaml"):
            raise Refused(f"{given}: not a demo (expected a .py script or its .yaml)")
        script = absolute.with_suffix(".py")
        if not script.is_file():
            raise Refused(f"{given}: no such demo (the script {script.name} does not exist)")
        demo_dir = absolute.parent
        root = demo_dir.parent if demo_dir.name == "demo" else demo_dir
        return cls(root=root, demo_dir=demo_dir, default=script.relative_to(root).as_posix())

    def demos(self) -> list[DemoPair]:
        """Every demo pair (``NN_name.py``) in the demo folder, plus the one served."""
        pairs: dict[str, DemoPair] = {}
        for script in sorted(self.demo_dir.glob("[0-9][0-9]_*.py")):
            try:
                pair = self.resolve(script.relative_to(self.root).as_posix())
            except Refused:
                continue
            pairs[pair.name] = pair
        if self.default not in pairs:
            try:
                pairs[self.default] = self.resolve(self.default)
            except Refused:
                pass
        return sorted(pairs.values(), key=lambda p: p.name)

    def resolve(self, requested: str | None) -> DemoPair:
        """The demo pair named by ``requested`` (relative to the root); :class:`Refused` if it
        is not one this editor may open."""
        text = (requested or "").strip()
        if not text:
            text = self.default
        if "\x00" in text or "\\" in text:
            raise Refused(f"'{text}' is not a file name the editor accepts")
        posix = PurePosixPath(text)
        if posix.is_absolute() or PureWindowsPath(text).drive:
            raise Refused(
                f"'{text}': absolute paths are not allowed; name a demo inside the project"
            )
        if ".." in posix.parts:
            raise Refused(f"'{text}': '..' is not allowed; name a demo inside the project")
        candidate = self.root.joinpath(*posix.parts)
        name = posix.as_posix()
        if name != self.default:
            if candidate.parent != self.demo_dir or not DEMO_NAME.match(candidate.name):
                raise Refused(
                    f"'{text}' is not a demo of this project; demos are "
                    f"{self.demo_dir.relative_to(self.root).as_posix() or '.'}/NN_name.py"
                )
        script = candidate.with_suffix(".py")
        yaml = candidate.with_suffix(".yaml")
        for path in (script, yaml, yaml.parent):
            if (path.exists() or path.is_symlink()) and not _inside(self.root, path):
                raise Refused(f"'{text}' leads outside the project (a symbolic link); refused")
        if not script.is_file():
            raise Refused(f"'{text}': no such demo")
        return DemoPair(name=script.relative_to(self.root).as_posix(), script=script, yaml=yaml)

    def check_writable_target(self, path: Path) -> None:
        """Before a save: the file must still be inside the project."""
        if not _inside(self.root, path if path.exists() or path.is_symlink() else path.parent):
            raise Refused(f"{path.name} leads outside the project (a symbolic link); not written")


# -- pages the editor sends instead of itself ---------------------------------------------

_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title} - Basalt Studio</title>
<style>
body {{ font-family: system-ui, sans-serif; background: #161a1f; color: #e4e9ee;
       display: flex; justify-content: center; padding-top: 12vh; margin: 0; }}
main {{ max-width: 40rem; padding: 2rem; background: #1e242b; border-radius: 8px;
        border-left: 4px solid #f2777a; }}
h1 {{ font-size: 1.3rem; margin-top: 0; }} code {{ color: #f0a830; }}
a {{ color: #2bb3a3; }}
</style></head>
<body><main data-refusal="{kind}"><h1>{title}</h1><p>{message}</p>{extra}</main></body></html>
"""


def refusal_html(title: str, message: str, *, kind: str = "refused", extra: str = "") -> str:
    """A small self-contained page (no scripts) for a refused request."""
    return _PAGE.format(
        title=html.escape(title), message=html.escape(message), kind=html.escape(kind), extra=extra
    )


def demo_links_html(project: Project) -> str:
    items = "".join(
        f'<li><a href="/?demo={html.escape(p.name)}">{html.escape(p.name)}</a></li>'
        for p in project.demos()
    )
    return f"<p>Demos in this project:</p><ul>{items}</ul>" if items else ""


# -- the token gate -------------------------------------------------------------------------

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


def _same(given: str | None, token: str) -> bool:
    return given is not None and hmac.compare_digest(given.encode("utf-8"), token.encode("utf-8"))


def _cookies(scope: Scope) -> dict[str, str]:
    found: dict[str, str] = {}
    for key, value in scope.get("headers", []):
        if key != b"cookie":
            continue
        for part in value.decode("latin-1").split(";"):
            name, _, rest = part.strip().partition("=")
            if name:
                found[name] = rest
    return found


class TokenGate:
    """ASGI middleware: refuse every HTTP and websocket request that lacks the token.

    The token comes as ``?token=...`` (the printed URL; a cookie then carries it for the
    page's own requests), as a cookie, or as the ``X-Basalt-Token`` header.
    """

    def __init__(self, app: ASGIApp, token: str, cookie_name: str = "basalt_token") -> None:
        self.app = app
        self.token = token
        self.cookie_name = cookie_name

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        in_query = _same(query.get(TOKEN_PARAM, [None])[0], self.token)
        in_cookie = _same(_cookies(scope).get(self.cookie_name), self.token)
        header = dict(scope.get("headers", [])).get(TOKEN_HEADER)
        in_header = header is not None and _same(header.decode("latin-1"), self.token)
        if in_query or in_cookie or in_header:
            if in_query and not in_cookie and scope["type"] == "http":
                send = self._setting_cookie(send)
            await self.app(scope, receive, send)
            return
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008})
            return
        await self._refuse(send)

    def _setting_cookie(self, send: Send) -> Send:
        cookie = f"{self.cookie_name}={self.token}; Path=/; HttpOnly; SameSite=Strict".encode()

        async def wrapped(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), (b"set-cookie", cookie)]
            await send(message)

        return wrapped

    async def _refuse(self, send: Send) -> None:
        body = refusal_html(
            "Access token required",
            "This editor is reachable from other machines, so every request needs its token. "
            "Open the full address the server printed when it started (it ends with ?token=...).",
            kind="token",
        ).encode("utf-8")
        await send(
            {
                "type": "http.response.start",
                "status": 403,
                "headers": [
                    (b"content-type", b"text/html; charset=utf-8"),
                    (b"content-length", str(len(body)).encode()),
                    (b"cache-control", b"no-store"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
