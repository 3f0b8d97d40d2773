"""The web editor's request guard as plain ASGI: Host, Origin, token, headers (no server).

The same attacks against the real server, over HTTP, the websocket and in Chromium, are in
``tests/security``.
"""

from __future__ import annotations

import httpx
import pytest

from config_ui.web.request_guard import (
    CONTENT_SECURITY_POLICY,
    Access,
    RequestGuard,
    is_loopback,
    make_token,
    split_host,
    token_problem,
)

TOKEN = "guard-token-0123456789"


async def _inside(scope, receive, send) -> None:
    if scope["type"] == "websocket":
        await send({"type": "websocket.accept"})
        await send({"type": "websocket.close", "code": 1000})
        return
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [
                (b"content-type", b"text/plain"),
                # what socket.io would send: the guard must never let a foreign one out
                (b"access-control-allow-origin", b"http://evil.example"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": b"inside"})


def _client(access: Access, host: str = "127.0.0.1:8080") -> httpx.AsyncClient:
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(RequestGuard(_inside, access)), base_url=f"http://{host}"
    )


def _access(token: str | None = TOKEN, host: str = "127.0.0.1", allow=()) -> Access:
    return Access.for_server(host, 8080, token, allow)


def test_tokens_and_names() -> None:
    made = make_token()
    assert len(made) >= 32 and made != make_token() and token_problem(made) is None
    assert "empty" in (token_problem("") or "")
    assert "16" in (token_problem("x" * 15) or "")
    assert is_loopback("127.0.0.1") and is_loopback("localhost") and is_loopback("::1")
    assert not is_loopback("0.0.0.0") and not is_loopback("example.org")
    assert split_host("[::1]:8080") == "::1" and split_host("LocalHost:80") == "localhost"
    assert split_host("evil.example") == "evil.example"


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("host", "allowed"),
    [
        ("127.0.0.1:8080", True),
        ("localhost:8080", True),
        ("[::1]:8080", True),
        ("evil.example:8080", False),
        ("127.0.0.1.evil.example:8080", False),
        ("studio.internal:8080", True),  # --allow-host
        ("192.168.1.5:8080", False),  # an address the server is not bound to
    ],
)
async def test_host_header(host: str, allowed: bool) -> None:
    async with _client(_access(allow=["studio.internal"]), host) as client:
        answer = await client.get(f"/?token={TOKEN}")
    assert answer.status_code == (200 if allowed else 403)
    if not allowed:
        assert answer.text.count("\n") == 1 and "--allow-host" in answer.text
        assert answer.headers["content-type"].startswith("text/plain")


@pytest.mark.anyio
async def test_wildcard_binding_takes_addresses_not_foreign_names() -> None:
    access = _access(host="0.0.0.0")
    async with _client(access, "192.168.1.5:8080") as client:
        assert (await client.get(f"/?token={TOKEN}")).status_code == 200
    async with _client(access, "evil.example:8080") as client:
        assert (await client.get(f"/?token={TOKEN}")).status_code == 403


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("method", "path", "origin", "allowed"),
    [
        ("GET", "/", "http://evil.example", True),  # a GET cannot change anything
        ("POST", "/", "http://evil.example", False),
        ("POST", "/", "null", False),
        ("POST", "/", "http://127.0.0.1:8080", True),
        ("POST", "/", "http://127.0.0.1:9999", False),  # another port is another origin
        ("GET", "/_nicegui_ws/socket.io/?EIO=4&transport=polling", "http://evil.example", False),
        ("GET", "/_nicegui_ws/socket.io/?EIO=4&transport=polling", "null", False),
        ("GET", "/_nicegui_ws/socket.io/?EIO=4&transport=polling", "http://127.0.0.1:8080", True),
        ("GET", "/_nicegui_ws/socket.io/?EIO=4&transport=polling", None, True),
    ],
)
async def test_origin(method: str, path: str, origin: str | None, allowed: bool) -> None:
    headers = {"X-Basalt-Token": TOKEN} | ({"Origin": origin} if origin else {})
    async with _client(_access()) as client:
        answer = await client.request(method, path, headers=headers)
    assert answer.status_code == (200 if allowed else 403)
    assert answer.headers.get("access-control-allow-origin") in (None, origin)
    assert "evil.example" not in answer.headers.get("access-control-allow-origin", "")


@pytest.mark.anyio
async def test_token_query_sets_a_strict_cookie_then_the_cookie_suffices() -> None:
    async with _client(_access()) as client:
        refused = await client.get("/")
        assert refused.status_code == 403 and "Access token required" in refused.text
        assert TOKEN not in refused.text
        assert (await client.get("/?token=wrong-but-long-enough")).status_code == 403
        assert (await client.get("/_nicegui/x/static/quasar.js")).status_code == 403
        first = await client.get(f"/?token={TOKEN}")
        assert first.status_code == 200 and first.text == "inside"
        cookie = first.headers["set-cookie"]
        assert cookie.startswith(f"basalt_token_8080={TOKEN};")
        assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/" in cookie
        assert (await client.get("/_nicegui/x/static/quasar.js")).status_code == 200
    async with _client(_access()) as client:
        assert (await client.get("/", headers={"X-Basalt-Token": TOKEN})).status_code == 200
        bad = {"Cookie": "basalt_token_8080=nope"}
        assert (await client.get("/", headers=bad)).status_code == 403


@pytest.mark.anyio
async def test_no_token_still_checks_host_and_origin() -> None:
    async with _client(_access(token=None)) as client:
        assert (await client.get("/")).status_code == 200
        post = await client.post("/", headers={"Origin": "http://evil.example"})
        assert post.status_code == 403
    async with _client(_access(token=None), "evil.example:8080") as client:
        assert (await client.get("/")).status_code == 403


@pytest.mark.anyio
async def test_every_answer_carries_the_security_headers() -> None:
    async with _client(_access()) as client:
        for answer in (
            await client.get(f"/?token={TOKEN}"),
            await client.get("/"),  # token refused
            await client.get(f"/?token={TOKEN}", headers={"Host": "evil.example"}),
        ):
            assert answer.headers["x-frame-options"] == "DENY"
            assert answer.headers["x-content-type-options"] == "nosniff"
            assert answer.headers["referrer-policy"] == "no-referrer"
            csp = answer.headers["content-security-policy"]
            assert csp == CONTENT_SECURITY_POLICY and "frame-ancestors 'none'" in csp


async def _websocket(access: Access, headers: list[tuple[bytes, bytes]], denial: bool) -> list:
    sent: list[dict] = []

    async def receive() -> dict:
        return {"type": "websocket.connect"}

    async def send(message: dict) -> None:
        sent.append(message)

    scope = {
        "type": "websocket",
        "path": "/_nicegui_ws/socket.io/",
        "query_string": b"EIO=4&transport=websocket",
        "headers": headers,
        "extensions": {"websocket.http.response": {}} if denial else {},
    }
    await RequestGuard(_inside, access)(scope, receive, send)
    return sent


@pytest.mark.anyio
async def test_websocket_upgrade() -> None:
    own = [(b"host", b"127.0.0.1:8080"), (b"origin", b"http://127.0.0.1:8080")]
    cookie = (b"cookie", f"basalt_token_8080={TOKEN}".encode())
    accepted = await _websocket(_access(), [*own, cookie], denial=True)
    assert accepted[0]["type"] == "websocket.accept"
    for headers in (
        own,  # no token
        [(b"host", b"evil.example:8080"), (b"origin", b"http://evil.example:8080"), cookie],
        [(b"host", b"127.0.0.1:8080"), (b"origin", b"http://evil.example"), cookie],
        [(b"host", b"127.0.0.1:8080"), (b"origin", b"null"), cookie],
    ):
        denied = await _websocket(_access(), headers, denial=True)
        assert denied[0]["type"] == "websocket.http.response.start", headers
        assert denied[0]["status"] == 403
        closed = await _websocket(_access(), headers, denial=False)
        assert closed == [{"type": "websocket.close", "code": 1008}]
