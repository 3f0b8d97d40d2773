"""The health view in headless Chromium after one local run of demo 01: the run's status is a
coloured badge, demo 01's coverage shows as a percent with its heat map folded until opened,
and every demo never run takes one line."""

from __future__ import annotations

from pathlib import Path

from tests.e2e.test_web_runs import DEMO, run_locally


def test_health_summary_first_heat_maps_folded(
    web_servers, web_pages, run_dirs: tuple[Path, Path]
) -> None:
    _, home = run_dirs
    server = web_servers(DEMO, home=home)
    page = web_pages.new()
    run_locally(page, server)

    page.locator('[data-action="open-health"]').click()
    badge = page.locator('[data-testid="health-runs"] [data-status="success"]')
    badge.wait_for(timeout=30000)
    assert "bg-positive" in (badge.get_attribute("class") or "")

    percent = page.locator("[data-percent]")
    assert percent.count() == 1
    value = int(percent.get_attribute("data-percent") or "-1")
    assert 0 < value <= 100 and percent.inner_text() == f"{value}%"

    chart = page.locator('[data-testid="coverage-chart-01_ohlcv_bars"]')
    assert not chart.is_visible()  # folded
    page.locator('[data-heatmap-for="01_ohlcv_bars"]').click()
    chart.locator("canvas, svg").first.wait_for(timeout=15000)

    never = page.locator('[data-never-run="true"]')
    assert never.count() == 6  # demos 02..07, one line each
    assert all(text.endswith("never run") for text in never.all_inner_texts())
    assert page.locator('[data-testid^="coverage-chart-"]').count() == 1
