"""The Run drawer in headless Chromium: it fits beside the form at 1024 px with whole dates,
its left edge resizes it (a double click restores it), and its log wraps long lines."""

from __future__ import annotations

from tests.e2e.test_web_editor import wait_interactive

DRAWER = "aside.q-drawer--right"


def open_run(web_servers, web_pages, width: int):
    server = web_servers()
    page = web_pages.new()
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(server.url())
    wait_interactive(page)
    page.locator('[data-action="open-run"]').click()
    page.locator('input[data-field="run-start"]').wait_for(state="visible")
    page.wait_for_timeout(500)  # the drawer's slide and its fit to the window
    return page


def drawer_width(page) -> float:
    box = page.locator(DRAWER).bounding_box()
    assert box is not None
    return box["width"]


def test_the_drawer_leaves_the_form_room_at_1024_px_with_whole_dates(
    web_servers, web_pages
) -> None:
    page = open_run(web_servers, web_pages, 1024)
    form = page.locator('[data-path="DATASETNAME"]').bounding_box()
    assert form is not None and form["width"] >= 360, f"the form is squeezed: {form}"
    for name in ("run-start", "run-end"):
        cut = page.evaluate(
            '(n) => { const i = document.querySelector(`input[data-field="${n}"]`);'
            " return i.scrollWidth > i.clientWidth; }",
            name,
        )
        assert not cut, f"{name} cuts its date"
    fit = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert fit[0] <= fit[1]


def test_dragging_the_edge_resizes_and_a_double_click_restores(web_servers, web_pages) -> None:
    page = open_run(web_servers, web_pages, 1400)
    before = drawer_width(page)
    handle = page.locator('[data-action="run-resize"]').bounding_box()
    assert handle is not None
    x, y = handle["x"] + handle["width"] / 2, handle["y"] + 300
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x - 150, y, steps=6)
    page.mouse.up()
    page.wait_for_function(f"() => document.querySelector('{DRAWER}').offsetWidth > {before + 100}")
    assert abs(drawer_width(page) - (before + 150)) <= 4
    page.locator('[data-action="run-resize"]').dblclick()
    page.wait_for_function(f"() => document.querySelector('{DRAWER}').offsetWidth === {before}")


def test_the_log_wraps_long_lines(web_servers, web_pages) -> None:
    page = open_run(web_servers, web_pages, 1400)
    style = page.evaluate(
        "() => getComputedStyle(document.querySelector("
        "'[data-testid=\"run-log\"] .q-scrollarea__content')).whiteSpace"
    )
    assert style == "pre-wrap"


def test_a_cancelled_run_shows_what_it_kept_and_a_preview(web_servers, web_pages, run_dirs) -> None:
    _, home = run_dirs
    server = web_servers("demo/01_ohlcv_bars.py", home=home)
    page = web_pages.new()
    page.set_viewport_size({"width": 1400, "height": 900})
    page.goto(server.url())
    wait_interactive(page)
    page.locator('[data-action="open-run"]').click()
    page.locator('input[data-field="run-start"]').fill("2025-01-02")
    page.locator('input[data-field="run-end"]').fill("2025-01-31")
    page.locator('[data-action="run-local"]').click()
    page.wait_for_function(
        """() => {
          const done = document.querySelector('[data-testid="run-progress"]')
            ?.getAttribute('data-progress');
          return done && parseInt(done.split('/')[0], 10) >= 1;
        }""",
        timeout=45_000,
    )
    page.locator('[data-action="run-cancel"]').click()
    page.locator('[data-run-status="cancelled"]').wait_for(timeout=45_000)
    kept = page.locator('[data-testid="run-kept"]')
    kept.wait_for(timeout=10_000)
    assert kept.inner_text().startswith("Kept ") and "rows" in kept.inner_text()
    page.locator('[data-testid="run-preview-table"]').wait_for(timeout=15_000)
