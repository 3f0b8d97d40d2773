"""Who may talk to the web editor: every HTTP and websocket request passes one ASGI guard.

In order, for pages, static files, socket.io polling and the websocket upgrade alike:

1. **Host.** The ``Host`` header must name this server: ``127.0.0.1``, ``localhost``, ``[::1]``,
   the bound address, or a name given with ``--allow-host``. A page on another name that
   resolves to us (DNS rebinding) gets 403 and one line of text.
2. **Origin.** A websocket or socket.io request, or any request that is not GET or HEAD, whose
   ``Origin`` is present must come from the page's own origin; ``null`` and foreign origins
   get 403. A foreign origin is never echoed in a CORS header.
3. **Token.** Unless the server was started with ``--no-token`` (loopback only), the request
   carries the token: ``?token=...`` (the printed address; the answer then sets an HttpOnly,
   SameSite=Strict cookie), that cookie, or the ``X-Basalt-Token`` header. Compared in
   constant time.

Every HTTP answer, refusals included, carries a Content-Security-Policy (no framing, sources
from this server only), ``X-Frame-Options: DENY``, ``X-Content-Type-Options: nosniff`` and
``Referrer-Policy: no-referrer``.

Plain ASGI: no NiceGUI import.
"""

from __future__ import annotations

import hmac
import ipaddress
import secrets
import socket
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

from config_ui.web.security import refusal_html

TOKEN_PARAM = "token"
TOKEN_HEADER = b"x-basalt-token"
MIN_TOKEN_LENGTH = 16
LOOPBACK_NAMES = frozenset({"127.0.0.1", "localhost", "::1"})
WILDCARD_HOSTS = frozenset({"0.0.0.0", "::", ""})
SOCKET_IO_PREFIX = "/_nicegui_ws/"
SAFE_METHODS = frozenset({"GET", "HEAD"})

# NiceGUI builds its page with inline scripts and compiles Vue templates at run time, so
# scripts need 'unsafe-inline' and 'unsafe-eval'; everything else comes from this server only.
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self' 'unsafe-inline' 'unsafe-eval'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "worker-src 'self' blob:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
)
_SECURITY_HEADER_NAMES = frozenset(name for name, _ in SECURITY_HEADERS)

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


def make_token() -> str:
    """A fresh random token: 43 URL-safe characters (256 bits)."""
    return secrets.token_urlsafe(32)


def token_problem(token: str) -> str | None:
    """Why ``token`` (given with ``--token``) cannot be used, or None."""
    if not token:
        return "--token must not be empty (use --no-token on a loopback address instead)"
    if len(token) < MIN_TOKEN_LENGTH:
        return f"--token must be at least {MIN_TOKEN_LENGTH} characters (it has {len(token)})"
    if any(c.isspace() or not c.isprintable() for c in token):
        return "--token must not contain spaces or control characters"
    return None


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and ``localhost``."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def split_host(value: str) -> str:
    """The host name of a ``Host`` header (``[::1]:8080`` -> ``::1``), lower case."""
    value = value.strip().lower()
    if value.startswith("["):
        return value[1 : value.find("]")] if "]" in value else value[1:]
    if value.count(":") == 1:
        return value.split(":", 1)[0]
    return value.rstrip(".")


@dataclass(frozen=True)
class Access:
    """What the guard lets in: the host names, and the token (None: ``--no-token``)."""

    token: str | None
    names: frozenset[str]
    any_ip: bool = False  # bound to every interface: any address of this machine is fine
    cookie_name: str = "basalt_token"

    @classmethod
    def for_server(
        cls, host: str, port: int, token: str | None, allow_hosts: Iterable[str] = ()
    ) -> Access:
        names = set(LOOPBACK_NAMES)
        names.update(split_host(name) for name in allow_hosts if name.strip())
        bound = split_host(host)
        wildcard = bound in WILDCARD_HOSTS
        if wildcard:
            names.add(socket.gethostname().lower())
        else:
            names.add(bound)
        return cls(token, frozenset(names), wildcard, f"basalt_token_{port}")

    def host_allowed(self, host: str) -> bool:
        name = split_host(host)
        if name in self.names:
            return True
        # A rebinding page reaches us by a name it controls; an address literal cannot be one.
        return self.any_ip and _is_ip(name)


def _headers(scope: Scope) -> dict[bytes, list[bytes]]:
    found: dict[bytes, list[bytes]] = {}
    for key, value in scope.get("headers", []):
        found.setdefault(key.lower(), []).append(value)
    return found


def _cookies(values: list[bytes]) -> dict[str, str]:
    found: dict[str, str] = {}
    for value in values:
        for part in value.decode("latin-1").split(";"):
            name, _, rest = part.strip().partition("=")
            if name:
                found.setdefault(name, rest)
    return found


def _same(given: str | None, token: str) -> bool:
    return given is not None and hmac.compare_digest(given.encode("utf-8"), token.encode("utf-8"))


def _authority(origin: str) -> str | None:
    """``host:port`` of an ``Origin`` value (default ports made explicit), None if malformed."""
    try:
        parts = urlsplit(origin)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    port = port or (443 if parts.scheme == "https" else 80)
    return f"{parts.hostname.lower()}:{port}"


def _host_authority(host: str, scheme: str) -> str | None:
    """``host:port`` of a ``Host`` header, on the same terms as :func:`_authority`."""
    secure = scheme in ("https", "wss")
    return _authority(("https://" if secure else "http://") + host.strip())


def _printable(text: str, limit: int = 80) -> str:
    cleaned = "".join(c if c.isprintable() else "?" for c in text)
    return cleaned[:limit] + ("..." if len(cleaned) > limit else "")


class RequestGuard:
    """ASGI middleware: Host, Origin and token checks on every request, and the security
    headers on every HTTP answer."""

    def __init__(self, app: ASGIApp, access: Access) -> None:
        self.app = app
        self.access = access

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        headers = _headers(scope)
        hosts = headers.get(b"host", [])
        host = hosts[0].decode("latin-1") if len(hosts) == 1 else ""
        if not host or not self.access.host_allowed(host):
            shown = _printable(host) if host else "(none)"
            await self._refuse_text(
                scope,
                send,
                f"403 Forbidden: host '{shown}' is not served here; open the address the "
                "server printed (other names: start it with --allow-host NAME)",
            )
            return
        if self._foreign_origin(scope, headers, host):
            await self._refuse_text(
                scope, send, "403 Forbidden: a request from another site (Origin) is refused"
            )
            return
        outgoing = self._with_headers(scope, send, host)
        token = self.access.token
        if token is None:
            await self.app(scope, receive, outgoing)
            return
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        in_query = _same(query.get(TOKEN_PARAM, [None])[0], token)
        in_cookie = _same(_cookies(headers.get(b"cookie", [])).get(self.access.cookie_name), token)
        given = headers.get(TOKEN_HEADER, [None])[0]
        in_header = given is not None and _same(given.decode("latin-1"), token)
        if not (in_query or in_cookie or in_header):
            await self._refuse_token(scope, send)
            return
        if in_query and not in_cookie and scope["type"] == "http":
            outgoing = self._setting_cookie(outgoing)
        await self.app(scope, receive, outgoing)

    def _foreign_origin(self, scope: Scope, headers: dict[bytes, list[bytes]], host: str) -> bool:
        origins = headers.get(b"origin")
        if not origins:
            return False
        checked = (
            scope["type"] == "websocket"
            or scope.get("path", "").startswith(SOCKET_IO_PREFIX)
            or scope.get("method", "GET").upper() not in SAFE_METHODS
        )
        if not checked:
            return False
        if len(origins) != 1:
            return True
        own = _host_authority(host, scope.get("scheme", "http"))
        return own is None or _authority(origins[0].decode("latin-1")) != own

    def _with_headers(self, scope: Scope, send: Send, host: str) -> Send:
        """Add the security headers; drop a CORS header naming any origin but the page's own."""
        own = _host_authority(host, scope.get("scheme", "http"))

        def kept(key: bytes, value: bytes) -> bool:
            key = key.lower()
            if key in _SECURITY_HEADER_NAMES:
                return False
            return key != b"access-control-allow-origin" or (
                own is not None and _authority(value.decode("latin-1")) == own
            )

        async def wrapped(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if kept(k, v)]
                message["headers"] = [*headers, *SECURITY_HEADERS]
            await send(message)

        return wrapped

    def _setting_cookie(self, send: Send) -> Send:
        cookie = (
            f"{self.access.cookie_name}={self.access.token}; Path=/; HttpOnly; SameSite=Strict"
        ).encode()

        async def wrapped(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), (b"set-cookie", cookie)]
            await send(message)

        return wrapped

    async def _refuse_text(self, scope: Scope, send: Send, line: str) -> None:
        await _deny(scope, send, (line + "\n").encode("utf-8"), b"text/plain; charset=utf-8")

    async def _refuse_token(self, scope: Scope, send: Send) -> None:
        body = refusal_html(
            "Access token required",
            "Every request to this editor needs its token. Open the full address the server "
            "printed when it started (Basalt Studio: http://...?token=...).",
            kind="token",
        ).encode("utf-8")
        await _deny(scope, send, body, b"text/html; charset=utf-8")


async def _deny(scope: Scope, send: Send, body: bytes, content_type: bytes) -> None:
    """403 with ``body``: an HTTP answer, or for a websocket the denial answer when the server
    supports it (a plain close otherwise, which servers turn into 403)."""
    headers = [
        (b"content-type", content_type),
        (b"content-length", str(len(body)).encode()),
        (b"cache-control", b"no-store"),
        *SECURITY_HEADERS,
    ]
    if scope["type"] == "websocket":
        if "websocket.http.response" in scope.get("extensions", {}):
            await send({"type": "websocket.http.response.start", "status": 403, "headers": headers})
            await send({"type": "websocket.http.response.body", "body": body})
        else:
            await send({"type": "websocket.close", "code": 1008})
        return
    await send({"type": "http.response.start", "status": 403, "headers": headers})
    await send({"type": "http.response.body", "body": body})
