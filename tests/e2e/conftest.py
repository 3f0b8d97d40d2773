"""Browser tests: the web editor served by ``python -m config_ui.web`` in a subprocess, driven
by headless Debian Chromium through Playwright's Python package (never ``playwright install``).

Each test gets its own copy of the demos and its own server on a free port; the browser is
shared by the session. Every page a test opens records its console: a test fails on any
JavaScript error unless it expects one (``web_pages.expect_console_errors``).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

import pytest

from tests.e2e.support import copy_demos, free_port


@dataclass
class Server:
    """One ``python -m config_ui.web`` process."""

    process: subprocess.Popen
    port: int
    root: Path
    output: Path

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def address(self) -> str:
        """What the server printed on its first line: ``http://HOST:PORT/?token=...``."""
        first = self.log().splitlines()[0] if self.log() else ""
        assert first.startswith("Basalt Studio: http"), f"unexpected first line: {first!r}"
        return first.removeprefix("Basalt Studio: ")

    @property
    def token(self) -> str | None:
        query = parse_qs(urlsplit(self.address).query)
        return query.get("token", [None])[0]

    def url(self, path: str = "/", token: bool = True) -> str:
        """``path`` on this server, with the printed token unless ``token`` is False."""
        if not token or self.token is None:
            return self.base + path
        joiner = "&" if "?" in path else "?"
        return f"{self.base}{path}{joiner}token={quote(self.token)}"

    def log(self) -> str:
        return self.output.read_text(errors="replace") if self.output.exists() else ""

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)


def start_server(
    root: Path,
    demo: str,
    *,
    host: str = "127.0.0.1",
    token: str | None = None,
    home: Path | None = None,
    timeout: float = 30.0,
    args: Sequence[str] = (),
    env: Mapping[str, str] | None = None,
) -> Server:
    """Start the editor on ``root/demo`` (with extra command-line ``args`` and environment
    ``env``) and wait until it answers HTTP."""
    port = free_port()
    output = root.parent / f"server-{port}.log"
    command = [
        sys.executable,
        "-m",
        "config_ui.web",
        demo,
        "--host",
        host,
        "--port",
        str(port),
        "--no-browser",
    ]
    if token:
        command += ["--token", token]
    command += list(args)
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "NICEGUI_"))}
    environment.update(BASALT_HOME=str(home or root.parent / "home"), PYTHONUNBUFFERED="1")
    environment.update(env or {})
    with output.open("w") as sink:
        process = subprocess.Popen(
            command, cwd=root, env=environment, stdout=sink, stderr=subprocess.STDOUT
        )
    server = Server(process, port, root, output)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the web editor exited early:\n{server.log()}")
        try:
            urllib.request.urlopen(server.url("/?probe=1", token=False), timeout=1).close()
            return server
        except urllib.error.HTTPError:
            return server  # it answers (403 without a token)
        except OSError:
            time.sleep(0.05)
    server.stop()
    raise RuntimeError(f"the web editor did not start in {timeout} s:\n{server.log()}")


@pytest.fixture
def run_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """(output dir, BASALT_HOME) in the test's tmp dir; the server and its runs inherit them."""
    output, home = tmp_path / "output", tmp_path / "home"
    monkeypatch.setenv("BASALT_OUTPUT_DIR", str(output))
    monkeypatch.setenv("BASALT_HOME", str(home))
    return output, home


@pytest.fixture
def web_root(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    copy_demos(root)
    return root


@pytest.fixture
def web_servers(web_root: Path) -> Iterator:
    started: list[Server] = []

    def start(demo: str = "demo/01_ohlcv_bars.py", **kwargs) -> Server:
        server = start_server(web_root, demo, **kwargs)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@dataclass
class WebPages:
    """Browser web_pages of one test, each with its console messages."""

    context: object
    console: list[tuple[str, str]] = field(default_factory=list)
    expected_errors: list[str] = field(default_factory=list)

    def new(self):
        page = self.context.new_page()
        page.on("console", lambda m: self.console.append((m.type, m.text)))
        page.on("pageerror", lambda e: self.console.append(("pageerror", str(e))))
        return page

    def expect_console_errors(self, fragment: str) -> None:
        self.expected_errors.append(fragment)

    def errors(self) -> list[str]:
        return [
            text
            for kind, text in self.console
            if kind in ("error", "pageerror") and not any(f in text for f in self.expected_errors)
        ]


@pytest.fixture
def web_pages(browser) -> Iterator[WebPages]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    web_pages = WebPages(context)
    yield web_pages
    context.close()
    assert web_pages.errors() == [], f"JavaScript console errors: {web_pages.errors()}"
