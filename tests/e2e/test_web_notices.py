"""In headless Chromium: "Add pass" brings the new pass's editor into view with the cursor in
its name; notifications stack in the bottom-right corner and a repeated one is shown once."""

from __future__ import annotations

from tests.e2e.test_web_editor import wait_interactive

HEIGHT = 800
WIDTH = 1400


def test_add_pass_scrolls_to_the_new_pass_and_focuses_its_name(web_servers, web_pages) -> None:
    server = web_servers()
    page = web_pages.new()
    page.set_viewport_size({"width": WIDTH, "height": HEIGHT})
    page.goto(server.url())
    wait_interactive(page)
    page.locator('[data-action="add-pass"]').click()
    name = page.locator('[data-path="PASSES.1.name"]')
    name.wait_for()
    page.wait_for_function(
        """() => {
          const field = document.querySelector('[data-path="PASSES.1.name"]');
          const box = field.getBoundingClientRect();
          return box.top >= 48 && box.bottom <= window.innerHeight
            && field.contains(document.activeElement);
        }""",
        timeout=5000,
    )


def test_notifications_stack_in_the_corner_once_each(web_servers, web_pages, tmp_path) -> None:
    server = web_servers()
    page = web_pages.new()
    page.set_viewport_size({"width": WIDTH, "height": HEIGHT})
    page.goto(server.url())
    wait_interactive(page)
    page.locator('[data-section-title="Core"]').click()
    page.keyboard.press("Control+z")  # "Nothing to undo", twice: one notification
    page.keyboard.press("Control+z")
    page.keyboard.press("Control+y")  # "Nothing to redo": stacks above it
    notes = page.locator(".q-notification")
    page.wait_for_function("() => document.querySelectorAll('.q-notification').length === 2")
    page.wait_for_timeout(400)  # the entry animation
    boxes = [notes.nth(i).bounding_box() for i in range(2)]
    form = page.locator('[data-path="DATASETNAME"]').bounding_box()
    for box in boxes:
        assert box is not None and form is not None
        assert box["x"] + box["width"] >= WIDTH - 40, f"not in the right corner: {box}"
        assert box["y"] + box["height"] >= HEIGHT - 160, f"not at the bottom: {box}"
        assert box["y"] > form["y"] + form["height"], "a notification covers the first field"
    assert abs(boxes[0]["y"] - boxes[1]["y"]) >= boxes[0]["height"] - 1, "notifications overlap"
    assert page.locator(".q-notification", has_text="Nothing to undo").count() == 1
    page.screenshot(path=str(tmp_path / "notices.png"))
