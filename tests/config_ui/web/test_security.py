"""Which files the web editor opens, and the token gate (plain ASGI, no browser)."""

from __future__ import annotations

import os
from pathlib import Path

import httpx
import pytest

from config_ui.web.app import settings_for
from config_ui.web.security import Project, Refused, TokenGate, is_loopback


@pytest.fixture
def project(web_project) -> Project:
    return Project.for_demo(web_project.demo)


def test_project_root_and_demo_list(project: Project, web_project) -> None:
    assert project.root == web_project.root
    assert project.default == "demo/01_ohlcv_bars.py"
    names = [p.name for p in project.demos()]
    assert names[0] == "demo/01_ohlcv_bars.py" and "demo/05_multi_pass.py" in names
    assert all(n.startswith("demo/") and n.endswith(".py") for n in names)


def test_resolve_accepts_demo_pairs(project: Project, web_project) -> None:
    pair = project.resolve("demo/05_multi_pass.py")
    assert pair.script == web_project.root / "demo" / "05_multi_pass.py"
    assert pair.yaml == web_project.root / "demo" / "05_multi_pass.yaml"
    assert project.resolve("demo/05_multi_pass.yaml").name == "demo/05_multi_pass.py"
    assert project.resolve(None).name == "demo/01_ohlcv_bars.py"


@pytest.mark.parametrize(
    ("requested", "reason"),
    [
        ("../etc/passwd", "'..' is not allowed"),
        ("demo/../../x.py", "'..' is not allowed"),
        ("/etc/passwd", "absolute paths are not allowed"),
        ("C:/Windows/win.ini", "absolute paths are not allowed"),
        ("demo\\01_ohlcv_bars.py", "not a file name"),
        ("README.md", "not a demo"),
        ("demo/helper.py", "not a demo"),
        ("demo/99_missing.py", "no such demo"),
        ("demo/01_ohlcv_bars.py\x00", "not a file name"),
    ],
)
def test_resolve_refuses(project: Project, requested: str, reason: str) -> None:
    with pytest.raises(Refused, match=reason):
        project.resolve(requested)


def test_symlinks_out_of_the_project_are_refused(
    project: Project, web_project, tmp_path: Path
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "evil.py").write_text("USER_CONFIG = {}\n")
    (outside / "evil.yaml").write_text("DATASETNAME: x\n")
    demo_dir = web_project.root / "demo"
    os.symlink(outside / "evil.py", demo_dir / "08_evil.py")
    with pytest.raises(Refused, match="outside the project"):
        project.resolve("demo/08_evil.py")
    (demo_dir / "09_half.py").write_text("USER_CONFIG = {}\n")
    os.symlink(outside / "evil.yaml", demo_dir / "09_half.yaml")  # writing it would escape
    with pytest.raises(Refused, match="outside the project"):
        project.resolve("demo/09_half.py")
    assert "demo/08_evil.py" not in [p.name for p in project.demos()]
    os.symlink(demo_dir / "01_ohlcv_bars.py", demo_dir / "10_alias.py")  # inside: fine
    assert project.resolve("demo/10_alias.py").name == "demo/10_alias.py"


def test_loopback_and_tokens(web_project) -> None:
    assert is_loopback("127.0.0.1") and is_loopback("localhost") and is_loopback("::1")
    assert (
        not is_loopback("0.0.0.0")
        and not is_loopback("192.168.1.5")
        and not is_loopback("example.org")
    )
    local = settings_for(web_project.demo)
    assert local.token is None and local.url() == f"http://127.0.0.1:{local.port}/"
    shared = settings_for(web_project.demo, host="0.0.0.0", port=9000)
    assert shared.token and len(shared.token) >= 24
    assert shared.url() == f"http://127.0.0.1:9000/?token={shared.token}"
    given = settings_for(web_project.demo, host="0.0.0.0", token="abc", goto="PASSES.0.name")
    assert given.url("host.example") == "http://host.example:8080/?token=abc&goto=PASSES.0.name"
    with pytest.raises(Refused):
        settings_for(web_project.root / "demo" / "99_nothing.py")
    with pytest.raises(ValueError, match="no theme 'neon'"):
        settings_for(web_project.demo, theme="neon")
    with pytest.raises(ValueError, match="port"):
        settings_for(web_project.demo, port=70000)


async def _ok_app(scope, receive, send) -> None:
    if scope["type"] == "websocket":
        await send({"type": "websocket.accept"})
        await send({"type": "websocket.close", "code": 1000})
        return
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [(b"content-type", b"text/plain")],
        }
    )
    await send({"type": "http.response.body", "body": b"inside"})


@pytest.mark.anyio
async def test_token_gate_http() -> None:
    gate = TokenGate(_ok_app, token="s3cret", cookie_name="basalt_token_1")
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(gate), base_url="http://test"
    ) as client:
        refused = await client.get("/")
        assert refused.status_code == 403 and "Access token required" in refused.text
        assert "s3cret" not in refused.text
        assert (await client.get("/?token=wrong")).status_code == 403
        assert (await client.get("/_nicegui/x/static/quasar.js")).status_code == 403
        first = await client.get("/?token=s3cret")
        assert first.status_code == 200 and first.text == "inside"
        assert "basalt_token_1=s3cret" in first.headers["set-cookie"]
        assert "HttpOnly" in first.headers["set-cookie"]
        later = await client.get("/_nicegui/x/static/quasar.js")  # the cookie carries it
        assert later.status_code == 200
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(gate), base_url="http://test"
    ) as client:
        assert (await client.get("/", headers={"X-Basalt-Token": "s3cret"})).status_code == 200
        assert (await client.get("/", headers={"Cookie": "basalt_token_1=nope"})).status_code == 403


@pytest.mark.anyio
async def test_token_gate_closes_websockets_without_token() -> None:
    gate = TokenGate(_ok_app, token="s3cret")
    sent: list[dict] = []

    async def receive() -> dict:
        return {"type": "websocket.connect"}

    async def send(message: dict) -> None:
        sent.append(message)

    await gate({"type": "websocket", "query_string": b"", "headers": []}, receive, send)
    assert sent == [{"type": "websocket.close", "code": 1008}]
    sent.clear()
    await gate(
        {
            "type": "websocket",
            "query_string": b"",
            "headers": [(b"cookie", b"basalt_token=s3cret")],
        },
        receive,
        send,
    )
    assert sent[0]["type"] == "websocket.accept"
