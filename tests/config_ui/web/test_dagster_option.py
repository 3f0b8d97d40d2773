"""``--web --dagster``: the options reach the server, and the Dagster it starts in the
background is stopped on shutdown (also when the shutdown comes while it is starting)."""

from __future__ import annotations

import threading

import pytest

import config_ui.web
from config_ui import __main__ as cli
from config_ui.core.dagster_launch import DagsterTarget
from config_ui.web import dagster_process
from config_ui.web.app import settings_for


def test_web_dagster_options_reach_serve(monkeypatch: pytest.MonkeyPatch, web_project) -> None:
    seen: dict = {}
    monkeypatch.setattr(config_ui.web, "serve", lambda path, **kwargs: seen.update(kwargs))
    args = [str(web_project.demo), "--web", "--no-browser", "--dagster", "--dagster-port", "3999"]
    assert cli.main(args) == 0
    assert seen["start_dagster"] is True and seen["dagster_port"] == 3999
    assert seen["dagster_host"] == "127.0.0.1"
    cli.main([str(web_project.demo), "--web", "--no-browser"])
    assert seen["start_dagster"] is False and seen["dagster_port"] == 3000


def test_settings_name_the_dagster_target(web_project) -> None:
    settings = settings_for(web_project.demo, dagster_port=3999, start_dagster=True)
    assert settings.dagster_target == DagsterTarget("127.0.0.1", 3999)
    assert settings.dagster_target.url == "http://127.0.0.1:3999"
    with pytest.raises(ValueError, match="Dagster port"):
        settings_for(web_project.demo, dagster_port=70000)


class FakeHandle:
    def __init__(self, attached: bool = False) -> None:
        self.attached = attached
        self.stopped = 0

    def stop(self) -> None:
        self.stopped += 1


def test_a_dagster_started_in_the_background_stops_on_shutdown(
    monkeypatch: pytest.MonkeyPatch, tmp_path
) -> None:
    release = threading.Event()
    handle = FakeHandle()
    calls: list[tuple] = []

    def slow_start(target, log_path=None, demo_dir=None):  # noqa: ANN001, ANN202
        calls.append((target, log_path, demo_dir))
        release.wait(10)
        return handle

    monkeypatch.setattr(dagster_process, "start_dagster", slow_start)
    target = DagsterTarget("127.0.0.1", 3999)
    process = dagster_process.dagster_process(target, tmp_path / "demo")
    thread = process.start_in_background()
    while not calls:
        thread.join(0.01)
    assert process.starting and calls[0][1].name == "dagster_dev_3999.log"
    assert calls[0][2] == tmp_path / "demo"

    stopper = threading.Thread(target=dagster_process.stop_all)
    stopper.start()  # the shutdown waits for the start in progress
    stopper.join(0.2)
    assert stopper.is_alive() and handle.stopped == 0
    release.set()
    stopper.join(10)
    thread.join(10)
    assert handle.stopped == 1 and process.handle is None
    assert dagster_process.dagster_process(target) is not process  # forgotten after shutdown
    dagster_process.stop_all()
