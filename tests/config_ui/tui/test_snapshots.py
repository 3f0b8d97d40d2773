"""SVG snapshots of the home view, a pass editor, the run screen and the health screen at
80x24, 120x36 and 160x48.

What changes from run to run is kept out: the demo is a copy in a temporary folder whose
name (``demo``) is all the screens show, the run ledger and UI state live in a fresh
``BASALT_HOME`` (no runs, no remembered theme), the theme is fixed, and no run is started.
Text cursors do not blink in snapshots.

Update them with ``pytest tests/config_ui/tui/test_snapshots.py --snapshot-update`` after a
deliberate change of the layout, and look at the SVGs before committing them.
"""

from __future__ import annotations

import time

import pytest

from config_ui.tui import build_app

SIZES = [(80, 24), (120, 36), (160, 48)]
size_ids = [f"{w}x{h}" for w, h in SIZES]


def editor_app(path):
    return build_app(path, theme="basalt-dark", watch=False, dagster_port=3999)


async def _until(pilot, condition, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the screen did not settle in time"
        await pilot.pause(0.05)


async def _editor_ready(pilot) -> None:
    await _until(
        pilot, lambda: pilot.app.editor is not None and pilot.app.editor.query("#page-host")
    )
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES, ids=size_ids)
def test_home_view(snap_compare, multi_pass, size):
    assert snap_compare(editor_app(multi_pass), terminal_size=size, run_before=_editor_ready)


@pytest.mark.parametrize("size", SIZES, ids=size_ids)
def test_pass_editor(snap_compare, multi_pass, size):
    async def open_first_pass(pilot) -> None:
        await _editor_ready(pilot)
        await pilot.app.editor.open_page(("pass", 0))
        await pilot.pause()

    assert snap_compare(editor_app(multi_pass), terminal_size=size, run_before=open_first_pass)


@pytest.mark.parametrize("size", SIZES, ids=size_ids)
def test_run_screen(snap_compare, multi_pass, size):
    async def open_run(pilot) -> None:
        from config_ui.tui.run_screen import RunScreen

        await _editor_ready(pilot)
        await pilot.press("f5")
        await _until(pilot, lambda: isinstance(pilot.app.screen, RunScreen))
        await pilot.pause()

    assert snap_compare(editor_app(multi_pass), terminal_size=size, run_before=open_run)


@pytest.mark.parametrize("size", SIZES, ids=size_ids)
def test_health_screen(snap_compare, multi_pass, size):
    async def open_health(pilot) -> None:
        from config_ui.tui.health_screen import HealthScreen

        await _editor_ready(pilot)
        await pilot.press("f6")
        await _until(
            pilot,
            lambda: isinstance(pilot.app.screen, HealthScreen) and pilot.app.screen.health,
        )
        await pilot.pause()

    assert snap_compare(editor_app(multi_pass), terminal_size=size, run_before=open_health)
