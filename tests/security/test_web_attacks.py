"""Attacks on the web editor, against a real ``python -m config_ui.web`` process.

DNS rebinding in Chromium (``evil.example`` resolved to 127.0.0.1), a foreign site driving the
editor from the user's own browser, foreign ``Host`` and ``Origin`` over HTTP and over the
websocket, framing, and the token options. Each must fail closed, change nothing on disk and
leave the server answering.
"""

from __future__ import annotations

import http.client
import http.server
import os
import re
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.support import CHROMIUM, CHROMIUM_ARGS, free_port

YAML = "demo/01_ohlcv_bars.yaml"
NICEGUI_STATIC = "/_nicegui/{version}/static/nicegui.css"
POLLING = "/_nicegui_ws/socket.io/?EIO=4&transport=polling"
WEBSOCKET = "/_nicegui_ws/socket.io/?EIO=4&transport=websocket"


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file of the project copy, for "nothing was written"."""
    return {
        str(path.relative_to(root)): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    }


def request(
    port: int, method: str, path: str, headers: dict[str, str] | None = None
) -> http.client.HTTPResponse:
    """One raw HTTP request (``Host`` as given, nothing added)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
    for key, value in (headers or {}).items():
        connection.putheader(key, value)
    connection.endheaders()
    response = connection.getresponse()
    response.body = response.read()  # type: ignore[attr-defined]
    connection.close()
    return response


def upgrade(port: int, headers: dict[str, str]) -> str:
    """The status line the server answers to a websocket upgrade of socket.io."""
    lines = [
        f"GET {WEBSOCKET} HTTP/1.1",
        "Upgrade: websocket",
        "Connection: Upgrade",
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
        "Sec-WebSocket-Version: 13",
        *(f"{key}: {value}" for key, value in headers.items()),
        "",
        "",
    ]
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall("\r\n".join(lines).encode("latin-1"))
        return sock.recv(4096).decode("latin-1").split("\r\n", 1)[0]


def nicegui_version() -> str:
    import nicegui

    return nicegui.__version__


@pytest.fixture
def outputs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Where a run started by an attack would write (the server inherits it)."""
    output = tmp_path / "output"
    monkeypatch.setenv("BASALT_OUTPUT_DIR", str(output))
    return output


@pytest.fixture
def rebinding_browser(playwright_session) -> Iterator:
    """Chromium that resolves ``evil.example`` to 127.0.0.1, as a rebinding attacker's DNS does."""
    assert Path(CHROMIUM).exists(), f"{CHROMIUM} missing: `make test` installs chromium"
    browser = playwright_session.chromium.launch(
        executable_path=CHROMIUM,
        args=[*CHROMIUM_ARGS, "--host-resolver-rules=MAP evil.example 127.0.0.1"],
    )
    yield browser
    browser.close()


def test_dns_rebinding_gets_no_editor_and_changes_nothing(
    web_servers, web_root: Path, rebinding_browser, outputs: Path
) -> None:
    server = web_servers()
    before = snapshot(web_root)
    page = rebinding_browser.new_page()
    for path in ("/", f"/?token={server.token}", "/?demo=demo/02_spreads_depth.py"):
        answer = page.goto(f"http://evil.example:{server.port}{path}")
        assert answer is not None and answer.status == 403, path
        text = page.inner_text("body")
        assert f"host 'evil.example:{server.port}' is not served here" in text
        assert page.locator("[data-path]").count() == 0
    # From that page, everything the editor's own page would do is refused.
    tried = page.evaluate(
        """async () => {
          const out = {};
          out.polling = (await fetch('/_nicegui_ws/socket.io/?EIO=4&transport=polling')).status;
          out.post = (await fetch('/', {method: 'POST', body: 'x'})).status;
          out.ws = await new Promise(resolve => {
            const ws = new WebSocket(`ws://${location.host}/_nicegui_ws/socket.io/?EIO=4&transport=websocket`);
            ws.onopen = () => resolve('open');
            ws.onerror = () => resolve('refused');
            setTimeout(() => resolve('timeout'), 5000);
          });
          return out;
        }"""
    )
    assert tried == {"polling": 403, "post": 403, "ws": "refused"}
    assert snapshot(web_root) == before
    assert not outputs.exists()
    # The server still serves its own page.
    assert request(server.port, "GET", "/", {"Host": f"127.0.0.1:{server.port}"}).status == 403
    assert urlopen_status(server.url()) == 200


def urlopen_status(url: str) -> int:
    import urllib.request

    with urllib.request.urlopen(url, timeout=10) as answer:
        return answer.status


class _Attacker(http.server.BaseHTTPRequestHandler):
    page = b""

    def do_GET(self) -> None:  # noqa: N802 (the standard library's name)
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        self.wfile.write(self.page)

    def log_message(self, *args) -> None:
        pass


def test_a_foreign_site_in_the_users_browser_cannot_drive_or_frame_the_editor(
    web_servers, web_root: Path, rebinding_browser, outputs: Path
) -> None:
    server = web_servers()
    context = rebinding_browser.new_context()
    editor = context.new_page()
    editor.goto(server.url())  # the user opened the editor: the browser holds its cookie
    editor.locator('[data-path="DATASETNAME"] input').first.wait_for(state="visible")
    before = snapshot(web_root)

    _Attacker.page = (
        f'<iframe id="f" src="http://127.0.0.1:{server.port}/?token={server.token}"></iframe>'
    ).encode()
    attacker = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), _Attacker)
    threading.Thread(target=attacker.serve_forever, daemon=True).start()
    try:
        page = context.new_page()
        refusals: list[str] = []
        page.on("console", lambda m: refusals.append(m.text))
        page.goto(f"http://evil.example:{attacker.server_port}/")
        tried = page.evaluate(
            """async (base) => {
              const out = {};
              try {
                await fetch(base + '/_nicegui_ws/socket.io/?EIO=4&transport=polling',
                            {credentials: 'include'});
                out.polling = 'read';
              } catch (e) { out.polling = 'blocked'; }
              out.ws = await new Promise(resolve => {
                const ws = new WebSocket(base.replace('http', 'ws') +
                  '/_nicegui_ws/socket.io/?EIO=4&transport=websocket');
                ws.onopen = () => resolve('open');
                ws.onerror = () => resolve('refused');
                setTimeout(() => resolve('timeout'), 5000);
              });
              return out;
            }""",
            f"http://127.0.0.1:{server.port}",
        )
        assert tried == {"polling": "blocked", "ws": "refused"}
        frame = page.frame_locator("#f")
        page.wait_for_timeout(1000)
        assert frame.locator("[data-path]").count() == 0
        assert any("frame-ancestors" in text for text in refusals), refusals
    finally:
        attacker.shutdown()
        context.close()
    assert snapshot(web_root) == before
    assert not outputs.exists()


def test_foreign_host_and_origin_over_http(web_servers) -> None:
    server = web_servers()
    own = f"127.0.0.1:{server.port}"
    cookie = f"basalt_token_{server.port}={server.token}"
    static = NICEGUI_STATIC.format(version=nicegui_version())
    for path in ("/", f"/?token={server.token}", static, POLLING):
        answer = request(server.port, "GET", path, {"Host": "evil.example", "Cookie": cookie})
        assert answer.status == 403, path
        body = answer.body.decode()  # type: ignore[attr-defined]
        assert body.count("\n") == 1 and "evil.example" in body, path
    assert request(server.port, "GET", "/", {"Cookie": cookie}).status == 403  # no Host at all
    for name in (own, f"localhost:{server.port}"):
        assert request(server.port, "GET", static, {"Host": name, "Cookie": cookie}).status == 200

    for origin in ("http://evil.example", "null", f"http://127.0.0.1:{server.port + 1}"):
        polling = request(
            server.port, "GET", POLLING, {"Host": own, "Cookie": cookie, "Origin": origin}
        )
        assert polling.status == 403, origin
        assert polling.getheader("access-control-allow-origin") is None
        post = request(server.port, "POST", "/", {"Host": own, "Cookie": cookie, "Origin": origin})
        assert post.status == 403, origin
    same = request(
        server.port, "GET", POLLING, {"Host": own, "Cookie": cookie, "Origin": f"http://{own}"}
    )
    assert same.status == 200 and same.body.startswith(b"0{")  # type: ignore[attr-defined]
    assert same.getheader("access-control-allow-origin") in (None, f"http://{own}")
    without_token = request(server.port, "GET", POLLING, {"Host": own})
    assert without_token.status == 403


def test_foreign_host_and_origin_over_the_websocket(web_servers) -> None:
    server = web_servers()
    own = f"127.0.0.1:{server.port}"
    cookie = f"basalt_token_{server.port}={server.token}"
    assert " 101 " in upgrade(
        server.port, {"Host": own, "Origin": f"http://{own}", "Cookie": cookie}
    )
    for headers in (
        {"Host": own, "Origin": "http://evil.example", "Cookie": cookie},
        {"Host": own, "Origin": "null", "Cookie": cookie},
        {
            "Host": f"evil.example:{server.port}",
            "Origin": f"http://evil.example:{server.port}",
            "Cookie": cookie,
        },
        {"Host": own, "Origin": f"http://{own}"},  # no token
    ):
        assert " 403 " in upgrade(server.port, headers), headers
    assert urlopen_status(server.url()) == 200


def test_every_answer_carries_the_security_headers(web_servers) -> None:
    server = web_servers()
    own = {"Host": f"127.0.0.1:{server.port}"}
    cookie = {"Cookie": f"basalt_token_{server.port}={server.token}"}
    static = NICEGUI_STATIC.format(version=nicegui_version())
    for path, headers, status in (
        (f"/?token={server.token}", own, 200),
        (static, own | cookie, 200),
        (POLLING, own | cookie, 200),
        ("/no-such-page", own | cookie, 404),
        ("/", own, 403),
        ("/", {"Host": "evil.example"}, 403),
        ("/?demo=../pyproject.toml", own | cookie, 403),
    ):
        answer = request(server.port, "GET", path, headers)
        assert answer.status == status, path
        csp = answer.getheader("content-security-policy") or ""
        assert "frame-ancestors 'none'" in csp and "default-src 'self'" in csp, path
        assert answer.getheader("x-frame-options") == "DENY", path
        assert answer.getheader("x-content-type-options") == "nosniff", path
        assert answer.getheader("referrer-policy") == "no-referrer", path


def test_the_first_line_is_the_address_with_a_fresh_token(web_servers) -> None:
    first, second = web_servers(), web_servers()
    for server in (first, second):
        assert re.fullmatch(
            rf"http://127\.0\.0\.1:{server.port}/\?token=[A-Za-z0-9_-]{{32,}}", server.address
        )
    assert first.token != second.token
    with pytest.raises(Exception, match="403"):
        urlopen_status(first.url(token=False))
    assert urlopen_status(first.url()) == 200


def _editor(root: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "NICEGUI_"))}
    return subprocess.run(
        [sys.executable, "-m", "config_ui.web", "demo/01_ohlcv_bars.py", "--no-browser", *args],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--token", ""], "--token must not be empty"),
        (["--token", "short"], "at least 16 characters"),
        (["--no-token", "--host", "0.0.0.0"], "only on a loopback address"),
        (["--no-token", "--host", "192.168.7.7"], "only on a loopback address"),
    ],
)
def test_unsafe_token_options_are_usage_errors(web_root: Path, args, message: str) -> None:
    result = _editor(web_root, "--port", str(free_port()), *args)
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr
    assert result.stdout == ""


def test_no_token_on_loopback_warns_and_still_checks_hosts(web_servers) -> None:
    server = web_servers(args=["--no-token"])
    assert server.address == f"http://127.0.0.1:{server.port}/"
    assert "WARNING: --no-token" in server.log()
    assert urlopen_status(server.url()) == 200
    assert request(server.port, "GET", "/", {"Host": "evil.example"}).status == 403


def test_a_token_from_the_environment_stays_out_of_the_command_line(web_servers) -> None:
    token = "from-the-environment-0123"
    server = web_servers(env={"BASALT_WEB_TOKEN": token})
    assert server.address == f"http://127.0.0.1:{server.port}/?token={token}"
    assert token not in " ".join(server.process.args)
    assert urlopen_status(server.url()) == 200


def test_allow_host_adds_a_name(web_servers) -> None:
    server = web_servers(args=["--allow-host", "studio.internal"])
    cookie = {"Cookie": f"basalt_token_{server.port}={server.token}"}
    ok = request(server.port, "GET", "/", {"Host": f"studio.internal:{server.port}"} | cookie)
    assert ok.status == 200
    other = request(server.port, "GET", "/", {"Host": f"other.internal:{server.port}"} | cookie)
    assert other.status == 403


def _peak_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmHWM")


def test_hostile_yaml_is_refused_on_its_page_while_other_tabs_are_served(
    web_servers, web_pages, web_root: Path
) -> None:
    from tests.security.test_yaml_limits import CASES

    shapes = ("bomb_block_map", "bomb_flow", "ten_mib", "nul_bytes", "flow_seq_20000")
    script = (web_root / "demo" / "01_ohlcv_bars.py").read_text()
    for i, name in enumerate(shapes):
        data = CASES[name].make()
        (web_root / "demo" / f"{60 + i}_{name}.py").write_text(script)
        yaml = web_root / "demo" / f"{60 + i}_{name}.yaml"
        yaml.write_bytes(data if isinstance(data, bytes) else data.encode())
    before = snapshot(web_root)
    server = web_servers()
    page, other = web_pages.new(), web_pages.new()
    other.goto(server.url())  # a tab already open on demo 01
    other.locator('[data-path="DATASETNAME"] input').first.wait_for(state="visible")
    for i, name in enumerate(shapes):
        page.goto(server.url(f"/?demo=demo/{60 + i}_{name}.py"))
        view = page.locator('[data-error-view="yaml"]')
        view.wait_for(state="visible")
        assert re.search(CASES[name].message, view.inner_text()), name
        assert f"{60 + i}_{name}.yaml" in view.inner_text()
        # the other tab still works: it is served and edits validate
        assert urlopen_status(server.url("/?demo=demo/02_spreads_depth.py")) == 200
        other.locator('[data-path="END_DATE"] input').first.fill(f"2025-13-0{i + 1}")
        other.locator('[data-error-for="END_DATE"]').wait_for(state="visible")
        other.locator('[data-path="END_DATE"] input').first.fill("2025-01-03")
        other.locator('[data-error-for="END_DATE"]').wait_for(state="hidden")
    assert _peak_mb(server.process.pid) < 400  # a NiceGUI server alone is ~130 MB
    assert snapshot(web_root) == before
