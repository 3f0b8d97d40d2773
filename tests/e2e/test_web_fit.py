"""The web editor fits the window: with unsaved edits and errors the header stays one row
at 1024 and 1400 px, and nothing is wider than the viewport."""

from __future__ import annotations

import pytest

from tests.e2e.test_web_editor import field, wait_interactive

HEADER_ROWS_JS = """
() => {
  const header = document.querySelector('.q-header');
  const shown = [...header.children].filter((el) => {
    const box = el.getBoundingClientRect();
    return box.width > 0 && box.height > 0;
  });
  const boxes = shown.map((el) => el.getBoundingClientRect());
  return {
    height: header.getBoundingClientRect().height,
    lowestTop: Math.max(...boxes.map((b) => b.top)),
    highestBottom: Math.min(...boxes.map((b) => b.bottom)),
    count: boxes.length,
  };
}
"""

OVERFLOW_JS = """
() => {
  const width = document.documentElement.clientWidth;
  const wide = [...document.querySelectorAll('body *')]
    .filter((el) => el.getBoundingClientRect().right > width + 1 && el.getClientRects().length)
    .filter((el) => !el.closest('.q-layout--prevent-focus'))  // a closed drawer, off-screen
    .map((el) => el.tagName + '.' + el.className);
  return {scroll: document.documentElement.scrollWidth, client: width, wide: wide.slice(0, 5)};
}
"""


def open_with_unsaved_error(web_servers, web_pages, width: int):
    """The editor at ``width`` px with an applied edit (unsaved) and a field in error."""
    server = web_servers()
    page = web_pages.new()
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(server.url())
    wait_interactive(page)
    name = field(page, "DATASETNAME")
    name.fill("a_longer_dataset_name")
    name.press("Tab")
    page.locator('[data-state="dirty"]', has_text="unsaved").wait_for()
    field(page, "END_DATE").fill("2025-13-01")
    page.locator('[data-action="next-error"]', has_text="1 error").wait_for()
    return page


@pytest.mark.parametrize("width", [1024, 1400])
def test_the_header_is_one_row_with_unsaved_edits_and_errors(
    web_servers, web_pages, width: int
) -> None:
    page = open_with_unsaved_error(web_servers, web_pages, width)
    rows = page.evaluate(HEADER_ROWS_JS)
    assert rows["count"] >= 10
    assert rows["lowestTop"] < rows["highestBottom"], f"the header wraps at {width} px: {rows}"
    assert rows["height"] <= 56, f"header {rows['height']} px high at {width} px"
    for action in (
        "save",
        "undo",
        "redo",
        "diff",
        "open-run",
        "open-health",
        "next-error",
        "toggle-dark",
    ):
        box = page.locator(f'.q-header [data-action="{action}"]').bounding_box()
        assert box is not None and box["x"] + box["width"] <= width - 4, f"{action} is cut off"


def test_nothing_is_wider_than_the_viewport_at_1024_px(web_servers, web_pages) -> None:
    page = open_with_unsaved_error(web_servers, web_pages, 1024)
    fit = page.evaluate(OVERFLOW_JS)
    assert fit["scroll"] <= fit["client"], f"the page scrolls sideways: {fit}"
    assert fit["wide"] == [], f"elements past the right edge: {fit}"


def box_of(page, selector: str) -> dict:
    box = page.locator(selector).first.bounding_box()
    assert box is not None, f"{selector} is not shown"
    return box


@pytest.mark.parametrize("width", [1024, 1400])
def test_dates_and_numbers_are_compact_and_pair_up_on_wide_screens(
    web_servers, web_pages, width: int
) -> None:
    server = web_servers()
    page = web_pages.new()
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(server.url())
    wait_interactive(page)
    start = box_of(page, '[data-path="START_DATE"]')
    end = box_of(page, '[data-path="END_DATE"]')
    start_input = box_of(page, '[data-path="START_DATE"] .q-field')
    name_input = box_of(page, '[data-path="DATASETNAME"] .q-field')
    assert start_input["width"] <= 240, "a date's box is as wide as a text's"
    assert name_input["width"] >= 2.5 * start_input["width"]
    if width >= 1200:  # two columns: the dates side by side
        assert abs(start["y"] - end["y"]) < 2 and end["x"] >= start["x"] + start["width"]
    else:
        assert end["y"] >= start["y"] + start["height"] and abs(end["x"] - start["x"]) < 2
    page.locator('[data-section="Performance"]').click()
    workers = box_of(page, '[data-path="NUM_WORKERS"] .q-field')
    assert workers["width"] <= 240
