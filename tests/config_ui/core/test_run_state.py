"""The states of a local run, as both editors see them."""

from __future__ import annotations

from pathlib import Path

import pytest

from config_ui.core.local_run import RunRequest
from config_ui.core.run_state import LocalRunState


def script(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "run_me.py"
    path.write_text(body)
    return path


def follow(state: LocalRunState) -> list:
    updates = []
    while state.in_flight:
        update = state.poll()
        if update is not None:
            updates.append(update)
        state.run.wait(0.05)
    updates.append(state.poll())
    return [u for u in updates if u is not None]


def test_a_run_goes_from_idle_to_success_and_hands_over_each_line_once(tmp_path, monkeypatch):
    monkeypatch.setenv("BASALT_HOME", str(tmp_path / "home"))
    state = LocalRunState()
    assert state.state == "idle" and state.poll() is None
    body = "for i in range(1, 4):\n    print(f'batch {i}/3 done')\n"
    state.start(RunRequest(script(tmp_path, body)))
    assert state.state == "running" and state.in_flight
    with pytest.raises(RuntimeError):
        state.start(RunRequest(script(tmp_path, body)))
    updates = follow(state)
    assert state.state == "success" and not state.in_flight
    assert [line for u in updates for line in u.lines] == [f"batch {i}/3 done" for i in (1, 2, 3)]
    assert [u.result is not None for u in updates].count(True) == 1
    assert updates[-1].progress == (3, 3)
    assert state.poll() is None and not state.cancel()


def test_failed_and_cancelled(tmp_path, monkeypatch):
    monkeypatch.setenv("BASALT_HOME", str(tmp_path / "home"))
    state = LocalRunState()
    state.start(RunRequest(script(tmp_path, "import sys\nprint('error: no data')\nsys.exit(2)\n")))
    follow(state)
    assert state.state == "failed" and state.run.result.error == "no data"
    state.start(
        RunRequest(script(tmp_path, "import time\nprint('go', flush=True)\ntime.sleep(30)\n"))
    )
    while not state.run.lines:
        state.run.wait(0.05)
    assert state.cancel() and state.state == "cancelling"
    follow(state)
    assert state.state == "cancelled"
