"""The whole loop in real processes: ``python -m config_ui demo --web --dagster`` starts
``basalt dagster dev`` beside the web editor; a schedule cron edited in the browser and saved
reaches Dagster through live reload, the editor's header shows the reload, and stopping the
editor stops every Dagster process it started."""

from __future__ import annotations

import os
import signal

from basalt.dagster.graphql import DagsterWebserver
from tests.e2e.dagster_support import START_TIMEOUT, kill_all, wait_gone
from tests.e2e.support import free_port, wait_until
from tests.e2e.test_web_editor import field, save_through_dialog

SCHEDULE = "demo01_ohlcv_bars_nightly_xlon"
OLD_CRON, NEW_CRON = "0 2 * * *", "30 5 * * 1-5"
RELOAD_TIMEOUT = 90


def cron_of(client: DagsterWebserver) -> str | None:
    return next((s["cron"] for s in client.schedules() if s["name"] == SCHEDULE), None)


def test_a_cron_saved_in_the_web_editor_reaches_the_dagster_it_started(
    web_servers, web_pages, web_root, tmp_path
) -> None:
    dagster_port = free_port()
    dagster_home = tmp_path / "dagster_home"
    server = web_servers(
        "demo/01_ohlcv_bars.py",
        args=["--dagster", "--dagster-port", str(dagster_port)],
        env={"DAGSTER_HOME": str(dagster_home), "BASALT_OUTPUT_DIR": str(tmp_path / "out")},
    )
    client = DagsterWebserver("127.0.0.1", dagster_port, timeout=30)
    page = web_pages.new()
    try:
        page.goto(server.url("/?goto=SCHEDULES.0.cron"))
        state = page.locator('[data-action="reload-state"]')
        page.locator('[data-reload-state="idle"]').wait_for(timeout=START_TIMEOUT * 1000)
        assert "Dagster: idle" in state.inner_text()
        assert cron_of(client) == OLD_CRON

        cron = field(page, "SCHEDULES.0.cron")
        cron.fill(NEW_CRON)
        cron.press("Tab")
        assert f'+      cron: "{NEW_CRON}"' in save_through_dialog(page)

        wait_until(lambda: cron_of(client) == NEW_CRON, RELOAD_TIMEOUT, "the new cron in Dagster")
        page.locator('[data-reload-state="reloaded"]').wait_for(timeout=RELOAD_TIMEOUT * 1000)
        assert "Dagster: reloaded in" in state.inner_text()
        assert "01_ohlcv_bars" in state.inner_text()
    finally:
        page.close()  # before the server goes: a page left open would log its lost socket
        server.process.send_signal(signal.SIGTERM)  # the editor's shutdown stops its Dagster
        server.process.wait(60)
        left = wait_gone(dagster_home, timeout=30)
        kill_all(dagster_home)
    assert left == [], f"Dagster processes left running: {left}\n{server.log()}"
    assert not client.ping()
    assert os.path.isdir(dagster_home)
