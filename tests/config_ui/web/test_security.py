"""Which files the web editor opens, and its settings (no browser)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from config_ui.web.app import settings_for
from config_ui.web.security import Project, Refused


@pytest.fixture
def project(web_project) -> Project:
    return Project.for_demo(web_project.demo)


def test_project_root_and_demo_list(project: Project, web_project) -> None:
    assert project.root == web_project.root
    assert project.default == "demo/01_ohlcv_bars.py"
    names = [p.name for p in project.demos()]
    assert names[0] == "demo/01_ohlcv_bars.py" and "demo/05_multi_pass.py" in names
    assert all(n.startswith("demo/") and n.endswith(".py") for n in names)


def test_resolve_accepts_demo_pairs(project: Project, web_project) -> None:
    pair = project.resolve("demo/05_multi_pass.py")
    assert pair.script == web_project.root / "demo" / "05_multi_pass.py"
    assert pair.yaml == web_project.root / "demo" / "05_multi_pass.yaml"
    assert project.resolve("demo/05_multi_pass.yaml").name == "demo/05_multi_pass.py"
    assert project.resolve(None).name == "demo/01_ohlcv_bars.py"


@pytest.mark.parametrize(
    ("requested", "reason"),
    [
        ("../etc/passwd", "'..' is not allowed"),
        ("demo/../../x.py", "'..' is not allowed"),
        ("/etc/passwd", "absolute paths are not allowed"),
        ("C:/Windows/win.ini", "absolute paths are not allowed"),
        ("demo\\01_ohlcv_bars.py", "not a file name"),
        ("README.md", "not a demo"),
        ("demo/helper.py", "not a demo"),
        ("demo/99_missing.py", "no such demo"),
        ("demo/01_ohlcv_bars.py\x00", "not a file name"),
    ],
)
def test_resolve_refuses(project: Project, requested: str, reason: str) -> None:
    with pytest.raises(Refused, match=reason):
        project.resolve(requested)


def test_symlinks_are_refused_wherever_they_lead(
    project: Project, web_project, tmp_path: Path
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "evil.py").write_text("USER_CONFIG = {}\n")
    (outside / "evil.yaml").write_text("DATASETNAME: x\n")
    demo_dir = web_project.root / "demo"
    os.symlink(outside / "evil.py", demo_dir / "08_evil.py")
    with pytest.raises(Refused, match="08_evil.py is a symbolic link"):
        project.resolve("demo/08_evil.py")
    (demo_dir / "09_half.py").write_text("USER_CONFIG = {}\n")
    os.symlink(outside / "evil.yaml", demo_dir / "09_half.yaml")  # writing it would escape
    with pytest.raises(Refused, match="09_half.yaml is a symbolic link"):
        project.resolve("demo/09_half.py")
    (demo_dir / "54_x.py").write_text("USER_CONFIG = {}\n")
    os.symlink("../pyproject.toml", demo_dir / "54_x.yaml")  # inside the project: refused too
    with pytest.raises(Refused, match="54_x.yaml is a symbolic link"):
        project.resolve("demo/54_x.py")
    os.symlink(demo_dir / "01_ohlcv_bars.py", demo_dir / "10_alias.py")
    with pytest.raises(Refused, match="symbolic link"):
        project.resolve("demo/10_alias.py")
    names = [p.name for p in project.demos()]
    assert not {"demo/08_evil.py", "demo/09_half.py", "demo/54_x.py", "demo/10_alias.py"} & set(
        names
    )


def test_settings_always_have_a_token(web_project) -> None:
    local = settings_for(web_project.demo)
    assert local.token and len(local.token) >= 32
    assert local.url() == f"http://127.0.0.1:{local.port}/?token={local.token}"
    assert settings_for(web_project.demo).token != local.token  # a new one at every start
    shared = settings_for(web_project.demo, host="0.0.0.0", port=9000)
    assert shared.token and shared.url() == f"http://127.0.0.1:9000/?token={shared.token}"
    given = settings_for(
        web_project.demo, host="0.0.0.0", token="abcdefghijklmnop", goto="PASSES.0.name"
    )
    assert (
        given.url("host.example")
        == "http://host.example:8080/?token=abcdefghijklmnop&goto=PASSES.0.name"
    )
    bare = settings_for(web_project.demo, no_token=True)
    assert bare.token is None and bare.url() == "http://127.0.0.1:8080/"


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"token": ""}, "must not be empty"),
        ({"token": "short-token"}, "at least 16 characters"),
        ({"token": "sixteen chars ok"}, "spaces"),
        ({"host": "0.0.0.0", "no_token": True}, "only on a loopback address"),
        ({"host": "192.168.1.5", "no_token": True}, "only on a loopback address"),
        ({"token": "abcdefghijklmnopq", "no_token": True}, "exclude each other"),
        ({"theme": "neon"}, "no theme 'neon'"),
        ({"port": 70000}, "port"),
    ],
)
def test_settings_refuse(web_project, options: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        settings_for(web_project.demo, **options)


def test_settings_refuse_a_missing_demo(web_project) -> None:
    with pytest.raises(Refused):
        settings_for(web_project.root / "demo" / "99_nothing.py")
