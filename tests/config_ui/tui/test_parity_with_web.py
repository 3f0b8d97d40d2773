"""Parity: for the same config, the terminal and the web editor show the same field paths,
each with the same kind (both come from the shared form model; checked on both renderers)."""

from __future__ import annotations

from pathlib import Path

from config_ui.core.session import EditorSession
from config_ui.tui import build_app
from config_ui.web import rendered_fields

from .conftest import copy_demo


async def terminal_fields(app, paths: list[str]) -> dict[str, str]:
    """Path -> kind of every ``f-`` widget the terminal editor mounts on the pages of ``paths``."""
    screen = app.screen
    found: dict[str, str] = {}
    pages = list(dict.fromkeys(screen.page_for(p) for p in paths))
    for ref in pages:
        await screen.open_page(ref)
        await app.workers.wait_for_complete()
        if ref[0] == "pass":  # a pass item is its own page in the terminal editor
            found[f"PASSES.{ref[1]}"] = screen.session.node_for(f"PASSES.{ref[1]}").kind
        for widget in screen.query("*"):
            if not (widget.id or "").startswith("f-"):
                continue
            owner = next(
                a for a in widget.ancestors_with_self if getattr(a, "node", None) is not None
            )
            found[owner.node.path] = owner.node.kind
    return found


async def test_terminal_and_web_expose_the_same_fields_and_kinds(tmp_path: Path):
    script = copy_demo(tmp_path, "05_multi_pass")
    web = rendered_fields(EditorSession.open(script))
    app = build_app(script, watch=False)
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.pause()
        tui = await terminal_fields(app, sorted(web))
    assert len(web) > 40 and any(p.startswith("PASSES.1.") for p in web)
    missing = sorted(set(web) - set(tui))
    assert missing == [], f"web shows fields the terminal editor lacks: {missing[:10]}"
    assert {p: tui[p] for p in web} == web
