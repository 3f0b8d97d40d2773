"""The README's pictures, made by the editors themselves: ``make screenshots``.

- ``docs/img/terminal-editor.svg`` and ``docs/img/terminal-run.svg``: the terminal editor on
  demo 01 at 120x36 (Textual's own screenshot, an SVG), its home view and its Run screen after
  a run;
- ``docs/img/web-editor.png`` and ``docs/img/web-run.png``: the web editor at 1400x900 in
  headless Chromium, the form, then the Run drawer after a run with its preview.

Everything runs on a copy of the demos with its own ``BASALT_HOME``, data and output folders,
so the pictures do not depend on this checkout's state.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

OUT = ROOT / "docs" / "img"
DEMO = "01_ohlcv_bars.py"
TERMINAL_SIZE = (120, 36)
WINDOW = {"width": 1400, "height": 900}
RUN_TIMEOUT_MS = 120_000


def prepare(tmp: Path) -> Path:
    """A copy of the demos, and the folders every process started from here uses."""
    from tests.e2e.support import copy_demos

    root = tmp / "project"
    copy_demos(root)
    for name, folder in (
        ("BASALT_HOME", tmp / "home"),
        ("BASALT_DATA_DIR", tmp / "data"),
        ("BASALT_OUTPUT_DIR", tmp / "output"),
    ):
        folder.mkdir(parents=True, exist_ok=True)
        os.environ[name] = str(folder)
    os.environ.pop("DAGSTER_HOME", None)
    return root


async def terminal(root: Path) -> None:
    from config_ui.tui import build_app

    app = build_app(root / "demo" / DEMO, watch=False)
    async with app.run_test(size=TERMINAL_SIZE) as pilot:
        await pilot.pause(0.5)
        app.save_screenshot("terminal-editor.svg", str(OUT))
        await pilot.press("f5")
        await pilot.pause(0.5)
        await pilot.click("#run-local")
        for _ in range(600):
            await pilot.pause(0.2)
            result = str(app.screen.query_one("#run-result").render()).lower()
            if "success" in result or "failed" in result:
                break
        await pilot.pause(0.5)
        app.save_screenshot("terminal-run.svg", str(OUT))


def web(root: Path) -> None:
    from playwright.sync_api import sync_playwright

    from tests.e2e.conftest import start_server
    from tests.e2e.support import CHROMIUM, CHROMIUM_ARGS

    server = start_server(root, f"demo/{DEMO}", home=Path(os.environ["BASALT_HOME"]))
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport=WINDOW)
            page.goto(server.url())
            page.locator('[data-path="DATASETNAME"]').wait_for(state="visible", timeout=30_000)
            page.wait_for_function("() => window.did_handshake === true", timeout=30_000)
            page.wait_for_timeout(500)
            page.screenshot(path=str(OUT / "web-editor.png"))
            page.locator('[data-action="open-run"]').click()
            page.locator('[data-action="run-local"]').click()
            page.locator('[data-run-status="success"]').wait_for(timeout=RUN_TIMEOUT_MS)
            page.locator(
                '[data-testid="run-chart"] canvas, [data-testid="run-chart"] svg'
            ).first.wait_for(timeout=30_000)
            page.wait_for_timeout(800)
            page.screenshot(path=str(OUT / "web-run.png"))
            browser.close()
    finally:
        server.stop()


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="basalt_shots_") as tmp:
        root = prepare(Path(tmp))
        asyncio.run(terminal(root))
        web(root)
    for name in sorted(p.name for p in OUT.iterdir()):
        print(OUT / name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
