"""Suite-wide fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

from basalt.config.modules import base as module_base

# Folders of slow tests: browsers, ``dagster dev``, killed and swept processes.
SLOW_FOLDERS = ("e2e", "security", "faults")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test under ``tests/e2e``, ``tests/security`` and ``tests/faults`` ``e2e``;
    ``make test-fast`` (``-m "not e2e"``) leaves them out."""
    here = Path(__file__).resolve().parent
    for item in items:
        try:
            folder = item.path.resolve().relative_to(here).parts[0]
        except ValueError:
            continue
        if folder in SLOW_FOLDERS:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(autouse=True)
def _builtin_modules_only():
    """The process-wide module registry holds the built-ins only: loading a demo (demo 03
    declares ``large_trades``) must leave it as it was. A test that adds to it fails, and the
    registry is put back so later tests are not affected."""
    saved = dict(module_base._REGISTRY)
    yield
    added = sorted(set(module_base._REGISTRY) - set(saved))
    module_base._REGISTRY.clear()
    module_base._REGISTRY.update(saved)
    assert not added, f"modules registered process-wide: {', '.join(added)}"


@pytest.fixture(autouse=True)
def _own_basalt_home(tmp_path_factory, monkeypatch):
    """Every test writes its ledger and local state under its own ``BASALT_HOME``, never in
    the checkout's ``.basalt/``. Subprocesses inherit it."""
    monkeypatch.setenv("BASALT_HOME", str(tmp_path_factory.mktemp("basalt_home")))


# One Playwright for the whole session: its sync API keeps an event loop running in this
# thread, and a second one cannot start beside it. Browser tests in any folder share it.
@pytest.fixture(scope="session")
def playwright_session():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_session):
    """Debian's headless chromium (never a downloaded build)."""
    from tests.e2e.support import CHROMIUM, CHROMIUM_ARGS

    assert Path(CHROMIUM).exists(), f"{CHROMIUM} missing: `make test` installs chromium"
    browser = playwright_session.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()
