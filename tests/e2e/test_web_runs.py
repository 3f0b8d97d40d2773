"""Runs from the web editor in real headless Chromium, on a copy of demo 01: Run locally ends
in success with the output on disk, in the run ledger (trigger web) and previewed as a table
and a chart; Cancel during a month-long run leaves only complete outputs, all in the ledger."""

from __future__ import annotations

import time
from pathlib import Path

import polars as pl

from basalt.ledger import Ledger

DEMO = "demo/01_ohlcv_bars.py"
RUN_TIMEOUT_MS = 45_000


def open_run_panel(page, server) -> None:
    page.goto(server.url())
    page.locator('[data-path="DATASETNAME"] input').first.wait_for(state="visible", timeout=15000)
    page.wait_for_function("() => window.did_handshake === true", timeout=15000)
    page.locator('[data-action="open-run"]').click()
    page.locator('[data-action="run-local"]').wait_for(state="visible")


def run_locally(page, server) -> None:
    """Open the Run panel, run locally, and wait until the run shows success."""
    open_run_panel(page, server)
    page.locator('[data-action="run-local"]').click()
    page.locator('[data-run-status="success"]').wait_for(timeout=RUN_TIMEOUT_MS)


def date_input(page, name: str):
    """The text box of a Run panel input (Quasar puts the attribute on the input itself)."""
    return page.locator(f'input[data-field="{name}"], [data-field="{name}"] input').first


def ledger_run(home: Path, status: str, timeout: float = 10.0) -> dict:
    """The one run in the ledger, once it has ``status`` (the run records itself as it ends)."""
    ledger = Ledger(home / "ledger.duckdb")
    deadline = time.monotonic() + timeout
    while True:
        runs = ledger.runs()
        if runs and runs[0]["status"] == status or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert len(runs) == 1, runs
    return runs[0]


def test_run_locally_shows_the_result_a_table_and_a_chart(
    web_servers, web_pages, run_dirs: tuple[Path, Path]
) -> None:
    output, home = run_dirs
    server = web_servers(DEMO, home=home)
    page = web_pages.new()
    run_locally(page, server)

    run = ledger_run(home, "success")
    assert run["trigger"] == "web" and run["demo"] == "01_ohlcv_bars"
    assets = Ledger(home / "ledger.duckdb").assets(run_id=run["run_id"])
    assert assets, "the run recorded no outputs"
    paths = [Path(a["output_path"]) for a in assets]
    assert all(p.is_file() and p.is_relative_to(output) for p in paths), paths

    # The preview shows the first output's first rows, read from the file itself.
    first = pl.read_parquet(paths[0])
    table = page.locator('[data-testid="run-preview-table"]')
    table.wait_for(timeout=15000)
    text = table.inner_text()
    assert str(first["ListingId"][0]) in text
    assert first["TimeBucket"][0].strftime("%Y-%m-%d %H:%M:%S") in text
    assert f"{first['TradeTotalHigh'][0]:,.6g}" in text

    chart = page.locator('[data-testid="run-chart"]')
    assert chart.get_attribute("data-chart-kind") == "candlestick"
    chart.locator("canvas, svg").first.wait_for(timeout=15000)
    assert page.locator('[data-testid="run-log"]').inner_text().count("batch") >= 1


def test_cancel_a_month_long_run_leaves_complete_outputs_only(
    web_servers, web_pages, run_dirs: tuple[Path, Path]
) -> None:
    output, home = run_dirs
    server = web_servers(DEMO, home=home)
    page = web_pages.new()
    open_run_panel(page, server)

    date_input(page, "run-start").fill("2025-01-02")
    date_input(page, "run-end").fill("2025-01-31")
    page.locator('[data-action="run-local"]').click()
    page.wait_for_function(
        """() => {
          const el = document.querySelector('[data-testid="run-progress"]');
          const done = el && el.getAttribute('data-progress');
          return done && parseInt(done.split('/')[0], 10) >= 1;
        }""",
        timeout=RUN_TIMEOUT_MS,
    )
    page.locator('[data-action="run-cancel"]').click()
    page.locator('[data-run-status="cancelled"]').wait_for(timeout=RUN_TIMEOUT_MS)

    run = ledger_run(home, "cancelled")
    assert (run["start_date"].isoformat(), run["end_date"].isoformat()) == (
        "2025-01-02",
        "2025-01-31",
    )
    assert not list(output.rglob("*.tmp")), "a cancelled run left a partial file"
    on_disk = {p.resolve() for p in output.rglob("*.parquet")}
    assert on_disk, "no batch finished before the cancel"
    recorded = {
        Path(a["output_path"]).resolve()
        for a in Ledger(home / "ledger.duckdb").assets(run_id=run["run_id"])
    }
    assert on_disk == recorded
    for path in on_disk:
        assert pl.read_parquet(path).height > 0
    assert len(on_disk) < 22, "the run finished every day: nothing was cancelled"
