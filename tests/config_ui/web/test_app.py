"""Starting the server: plain messages and exit status 2 for user mistakes, no traceback."""

from __future__ import annotations

import subprocess
import sys

import pytest

import config_ui.web
from config_ui.web import serve


def test_serve_refuses_a_missing_demo(tmp_path, capsys) -> None:
    with pytest.raises(SystemExit) as raised:
        serve(tmp_path / "demo" / "01_missing.py", open_browser=False)
    assert raised.value.code == 2
    assert "no such demo" in capsys.readouterr().err


def test_serve_refuses_an_unknown_theme_and_a_bad_port(web_project, capsys) -> None:
    with pytest.raises(SystemExit):
        serve(web_project.demo, theme="neon", open_browser=False)
    assert "no theme 'neon'; themes: basalt-dark" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        serve(web_project.demo, port=0, open_browser=False)
    assert "port 0 is not between 1 and 65535" in capsys.readouterr().err


def test_package_import_does_not_load_nicegui() -> None:
    code = "import sys, config_ui.web; print('nicegui' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
    assert callable(config_ui.web.rendered_fields)


def test_command_line_help() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "config_ui.web", "--help"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert (
        "--token" in result.stdout and "--goto" in result.stdout and "--no-browser" in result.stdout
    )
