"""SVG snapshots of the home view and a pass editor at two terminal sizes.

Update them with ``pytest tests/config_ui/tui/test_snapshots.py --snapshot-update`` after a
deliberate change of the layout, and look at the SVGs before committing them.
"""

from __future__ import annotations

import pytest

from config_ui.tui import build_app

SIZES = [(100, 30), (160, 45)]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_home_view(snap_compare, multi_pass, size):
    app = build_app(multi_pass, theme="basalt-dark", watch=False)
    assert snap_compare(app, terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_pass_editor(snap_compare, multi_pass, size):
    app = build_app(multi_pass, theme="basalt-dark", watch=False)

    async def open_first_pass(pilot) -> None:
        while not pilot.app.editor.query("#page-host"):
            await pilot.pause()
        await pilot.app.editor.open_page(("pass", 0))
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=open_first_pass)
