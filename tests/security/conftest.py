"""Attacks against real processes: the web editor served by ``python -m config_ui.web`` (the
same fixtures as ``tests/e2e``), the command line, the terminal editor."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine
from typing import Any, TypeVar

from tests.e2e.conftest import web_pages, web_root, web_servers  # noqa: F401

T = TypeVar("T")


def run_in_own_loop(coroutine: Coroutine[Any, Any, T], timeout: float = 120.0) -> T:
    """Run ``coroutine`` to its end on a new event loop in its own thread (the browser tests'
    Playwright keeps a loop running in this one); its exception is raised here."""
    result: dict[str, Any] = {}

    def target() -> None:
        try:
            result["value"] = asyncio.run(asyncio.wait_for(coroutine, timeout))
        except BaseException as exc:  # handed to the caller
            result["error"] = exc

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if "error" in result:
        raise result["error"]
    return result["value"]
