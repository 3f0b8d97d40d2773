"""A URL per section in headless Chromium: ``#/Outputs`` opens that section, choosing a
section puts it in the address, Back returns to the previous one, a wrong name says so."""

from __future__ import annotations

from tests.e2e.test_web_editor import wait_interactive


def title(page, section: str) -> None:
    page.locator(f'[data-section-title="{section}"]').wait_for(timeout=10000)


def hash_is(page, value: str) -> None:
    page.wait_for_function("(h) => window.location.hash === h", arg=value, timeout=5000)


def test_an_address_with_a_section_opens_it(web_servers, web_pages) -> None:
    server = web_servers()
    page = web_pages.new()
    page.goto(server.url() + "#/Outputs")
    wait_interactive(page)
    title(page, "Outputs")
    page.locator('[data-path="OUTPUT_TARGET"]').wait_for()
    assert page.locator('[data-section-title="Core"]').count() == 0


def test_choosing_a_section_updates_the_address_and_back_returns(web_servers, web_pages) -> None:
    server = web_servers()
    page = web_pages.new()
    page.goto(server.url())
    wait_interactive(page)
    title(page, "Core")
    page.locator('[data-section="Performance"]').click()
    title(page, "Performance")
    hash_is(page, "#/Performance")
    assert "token=" not in page.url  # the token left the address; the section stays
    page.locator('[data-section="Outputs"]').click()
    hash_is(page, "#/Outputs")
    page.go_back()
    title(page, "Performance")
    page.go_back()
    title(page, "Core")
    page.evaluate("window.location.hash = '#/advanced'")  # typed by hand, any case
    title(page, "Advanced")


def test_an_unknown_section_is_named_and_the_page_stays(web_servers, web_pages) -> None:
    server = web_servers()
    page = web_pages.new()
    page.goto(server.url() + "#/Nowhere")
    wait_interactive(page)
    page.get_by_text("No section “Nowhere”").wait_for()
    title(page, "Core")
    hash_is(page, "#/Core")


def test_goto_wins_over_the_address_and_names_its_section(web_servers, web_pages) -> None:
    server = web_servers()
    page = web_pages.new()
    page.goto(server.url("/?goto=BATCH_FREQ") + "#/Outputs")
    title(page, "Performance")
    page.wait_for_function("() => window.did_handshake === true")
    hash_is(page, "#/Performance")
    page.wait_for_timeout(300)  # the address's own section, sent at load, changed nothing
    title(page, "Performance")
