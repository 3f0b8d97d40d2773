"""Fixtures for the web editor's tests: NiceGUI's simulated ``user`` on a copy of the demos.

The ``user`` fixture comes from ``nicegui.testing.user_plugin``; it runs ``web_main.py``
(named by the ``nicegui_main_file`` marker of each test module), which serves the demo the
autouse ``web_project`` fixture copied into ``tmp_path``. Async tests run on anyio's pytest
plugin (``pytest.mark.anyio``) with the asyncio backend.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from nicegui import app
from nicegui.testing import general_fixtures, user_plugin
from nicegui.testing.user import User

import config_ui.web.app  # noqa: F401  (imported once: see keep_modules)
from tests.e2e.support import copy_demos

# NiceGUI's simulated-user fixtures (what ``pytest_plugins = ["nicegui.testing.user_plugin"]``
# gives; that line is only allowed in a root conftest, and the plugin imports NiceGUI for every run)
user = user_plugin.user
create_user = user_plugin.create_user

MAIN_FILE = "tests/config_ui/web/web_main.py"  # test modules mark themselves with it


def pytest_configure(config: pytest.Config) -> None:
    general_fixtures.pytest_configure(config)  # NiceGUI's storage path and marker
    config.addinivalue_line(
        "markers",
        "web_demo(name, host=None, token=None, goto=None, dagster_port=None): demo served",
    )


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@dataclass
class WebProject:
    root: Path
    demo: Path

    @property
    def yaml(self) -> Path:
        return self.demo.with_suffix(".yaml")

    def pair(self, stem: str) -> Path:
        return self.root / "demo" / f"{stem}.py"


@pytest.fixture(autouse=True)
def keep_modules() -> Iterator[None]:
    """NiceGUI's test reset drops the modules of page functions and their parents from
    ``sys.modules`` (here ``config_ui``, ``config_ui.web``, ``config_ui.web.app``). Put the same
    module objects back, so later tests (terminal editor, core) keep one ``config_ui``."""
    names = ("config_ui", "config_ui.web", "config_ui.web.app")
    saved = {name: sys.modules[name] for name in names if name in sys.modules}
    yield
    for name, module in saved.items():
        sys.modules.setdefault(name, module)


@pytest.fixture(autouse=True)
def web_project(
    keep_modules: None,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    request: pytest.FixtureRequest,
) -> WebProject:
    """A project copy in ``tmp_path`` and the environment ``web_main.py`` reads."""
    marker = request.node.get_closest_marker("web_demo")
    name = marker.args[0] if marker and marker.args else "01_ohlcv_bars"
    options = marker.kwargs if marker else {}
    root = tmp_path / "project"
    copy_demos(root)
    demo = root / "demo" / f"{name}.py"
    monkeypatch.setenv("BASALT_WEB_DEMO", str(demo))
    monkeypatch.setenv("BASALT_HOME", str(tmp_path / "home"))
    for key, env in (
        ("host", "BASALT_WEB_HOST"),
        ("token", "BASALT_WEB_TOKEN"),
        ("goto", "BASALT_WEB_GOTO"),
        ("dagster_port", "BASALT_WEB_DAGSTER_PORT"),
    ):
        if options.get(key):
            monkeypatch.setenv(env, str(options[key]))
        else:
            monkeypatch.delenv(env, raising=False)
    return WebProject(root=root, demo=demo)


class Tab:
    """Helpers over one simulated tab (``user``): its controller and common gestures."""

    def __init__(self, user: User) -> None:
        self.user = user

    @property
    def ctrl(self):  # noqa: ANN201 (EditorController, imported lazily with the app)
        with self.user:
            return app.storage.client["editor"]

    def type(self, path: str, text: str, *, commit: bool = True) -> None:
        """Replace the text of the field at ``path`` (and apply it, like leaving the field)."""
        field = self.user.find(marker=path).clear().type(text)
        if commit:
            field.trigger("blur")

    async def pick(self, path: str, value: object) -> None:
        """Set a choice widget's value as a click would (choices apply on the next loop turn)."""
        with self.user:
            (element,) = self.user.find(marker=path).elements
            element.value = value
        await asyncio.sleep(0.01)

    async def settle(self) -> None:
        """Let choices made by a click apply (they run on the next loop turn)."""
        await asyncio.sleep(0.01)

    def click(self, marker: str) -> None:
        self.user.find(marker=marker).click()

    def error(self, path: str) -> str:
        with self.user:
            (label,) = self.user.find(marker=f"error:{path}").elements
            return label.text if label.visible else ""


@pytest.fixture
def tab(user: User) -> Tab:
    return Tab(user)


@pytest.fixture
def tab_of() -> type[Tab]:
    """``tab_of(other_user)``: the helpers for a second simulated tab."""
    return Tab
