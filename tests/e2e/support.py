"""Helpers shared by the end-to-end tests and the benchmarks: chromium, free ports, copies of
the demos, waiting."""

from __future__ import annotations

import shutil
import socket
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

REPO = Path(__file__).resolve().parents[2]
# Debian's chromium and the flags it needs here (no sandbox as root, nothing fetched).
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

T = TypeVar("T")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def copy_demos(target: Path) -> Path:
    """The repository's demo pairs copied to ``target/demo``; returns that folder."""
    demo_dir = target / "demo"
    demo_dir.mkdir(parents=True)
    for path in sorted((REPO / "demo").glob("[0-9][0-9]_*")):
        if path.suffix in (".py", ".yaml"):
            shutil.copy2(path, demo_dir / path.name)
    return demo_dir


def wait_until(
    probe: Callable[[], T | None], timeout: float, what: str, interval: float = 0.25
) -> T:
    """Call ``probe`` until it returns something truthy (returned) or ``timeout`` seconds
    pass (``AssertionError`` naming ``what`` and the last value seen)."""
    deadline = time.monotonic() + timeout
    last: T | None = None
    while True:
        last = probe()
        if last:
            return last
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {timeout:g} s (last: {last!r})")
        time.sleep(interval)
