"""Attacks against real processes: the web editor served by ``python -m config_ui.web`` (the
same fixtures as ``tests/e2e``), the command line, the terminal editor."""

from __future__ import annotations

from tests.e2e.conftest import browser, web_pages, web_root, web_servers  # noqa: F401
