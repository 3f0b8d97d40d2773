"""``python -m config_ui``: the terminal editor by default, ``--web`` hands over to the web
editor, clear messages and exit code 2 for what cannot be opened."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import types
from pathlib import Path

import pytest

import config_ui.__main__ as cli

REPO = Path(__file__).resolve().parents[3]


def test_web_flags_reach_serve(multi_pass, monkeypatch):
    calls = []
    fake = types.ModuleType("config_ui.web")
    fake.serve = lambda path, **kwargs: calls.append((path, kwargs))  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "config_ui.web", fake)
    code = cli.main(
        [
            str(multi_pass),
            "--web",
            "--host",
            "0.0.0.0",
            "--port",
            "9001",
            "--no-browser",
            "--token",
            "s3cret",
            "--theme",
            "basalt-light",
            "--goto",
            "PASSES.0.name",
            "--allow-host",
            "studio.example",
        ]
    )
    assert code == 0
    assert calls == [
        (
            multi_pass,
            {
                "host": "0.0.0.0",
                "port": 9001,
                "open_browser": False,
                "token": "s3cret",
                "theme": "basalt-light",
                "goto": "PASSES.0.name",
                "dagster_host": "127.0.0.1",
                "dagster_port": 3000,
                "start_dagster": False,
                "no_token": False,
                "allow_hosts": ["studio.example"],
            },
        )
    ]


def test_web_defaults(multi_pass, monkeypatch):
    calls = []
    fake = types.ModuleType("config_ui.web")
    fake.serve = lambda path, **kwargs: calls.append(kwargs)  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "config_ui.web", fake)
    assert cli.main([str(multi_pass), "--web"]) == 0
    assert calls == [
        {
            "host": "127.0.0.1",
            "port": 8080,
            "open_browser": True,
            "token": None,
            "theme": None,
            "goto": None,
            "dagster_host": "127.0.0.1",
            "dagster_port": 3000,
            "start_dagster": False,
            "no_token": False,
            "allow_hosts": [],
        }
    ]


def test_web_editor_missing_is_a_clear_error(multi_pass, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "config_ui.web", None)  # import fails
    assert cli.main([str(multi_pass), "--web"]) == 2
    err = capsys.readouterr().err
    assert "web editor is not available" in err and "Traceback" not in err


def test_terminal_editor_gets_the_options(multi_pass, monkeypatch):
    seen = {}

    class FakeApp:
        return_code = 0

        def run(self, **kwargs):
            seen["run"] = kwargs

    def fake_build_app(path, goto=None, **options):
        seen.update(path=path, goto=goto, **options)
        return FakeApp()

    monkeypatch.setattr("config_ui.tui.build_app", fake_build_app)
    assert (
        cli.main([str(multi_pass), "--theme", "basalt-light", "--goto", "END_DATE", "--no-diff"])
        == 0
    )
    assert seen == {
        "path": multi_pass,
        "goto": "END_DATE",
        "theme": "basalt-light",
        "diff_before_save": False,
        "watch": True,
        "dagster_host": "127.0.0.1",
        "dagster_port": 3000,
        "run": {},
    }


@pytest.mark.parametrize("name", ["missing.yaml", "missing.py", "notes.txt"])
def test_paths_that_cannot_be_opened(tmp_path, capsys, name):
    if name.endswith(".txt"):
        (tmp_path / name).write_text("x")
    assert cli.main([str(tmp_path / name)]) == 2
    assert "error:" in capsys.readouterr().err


def test_a_missing_yaml_beside_its_script_is_accepted(multi_pass):
    multi_pass.with_suffix(".yaml").unlink()
    assert cli.check_path(multi_pass.with_suffix(".yaml")) is None


def test_module_entry_runs_to_the_first_frame(multi_pass, tmp_path):
    env = dict(
        os.environ, BASALT_HOME=str(tmp_path / "home"), BASALT_TUI_BENCH_T0=str(time.perf_counter())
    )
    result = subprocess.run(
        [sys.executable, "-m", "config_ui", str(multi_pass), "--no-watch"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("first-frame-seconds ")
    assert float(result.stdout.split()[1]) > 0
