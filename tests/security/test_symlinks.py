"""Demo files that are links or special files are refused, never read nor written through.

The attack: ``demo/54_x.yaml -> ../dagster.yaml``; opening the demo read the project's
``dagster.yaml`` and a save wrote a key into it. ``basalt config set``, ``ConfigDocument.save``,
the editor session and the terminal editor must all refuse such a demo and leave the target
as it was.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from basalt.cli import main
from basalt.config.demo_files import UnsafeDemoFile, check_demo_pair
from basalt.config.document import ConfigDocument, DocumentError
from config_ui.core.session import EditorSession
from tests.e2e.support import copy_demos
from tests.security.conftest import run_in_own_loop

MARKER = "SECRET-MARKER-7f3a"
TARGET_TEXT = f"# {MARKER}\ntelemetry:\n  enabled: false\n"
SCRIPT = "01_ohlcv_bars.py"
TIMEOUT = 60


def snapshot(folder: Path) -> dict[str, bytes | str]:
    """Every name in ``folder``: a regular file's bytes, else what it is."""
    out: dict[str, bytes | str] = {}
    for entry in sorted(folder.iterdir()):
        if entry.is_symlink():
            out[entry.name] = f"-> {os.readlink(entry)}"
        elif entry.is_file():
            out[entry.name] = entry.read_bytes()
        else:
            out[entry.name] = "special"
    return out


class Project:
    """A copy of the demos in ``root/demo``, a ``root/dagster.yaml`` and a file outside."""

    def __init__(self, tmp_path: Path) -> None:
        self.root = tmp_path / "project"
        self.demo = copy_demos(self.root)
        self.dagster_yaml = self.root / "dagster.yaml"
        self.dagster_yaml.write_text(TARGET_TEXT)
        outside = tmp_path / "outside"
        outside.mkdir()
        self.outside_yaml = outside / "secret.yaml"
        self.outside_yaml.write_text(TARGET_TEXT)
        self.outside_py = outside / "evil.py"
        self.outside_py.write_text(f"# {MARKER}\nUSER_CONFIG = {{'DATASETNAME': 'evil'}}\n")
        self.targets = [self.dagster_yaml, self.outside_yaml, self.outside_py]
        self.before = {t: t.read_bytes() for t in self.targets}

    def script(self, stem: str) -> Path:
        """``demo/<stem>.py``: a copy of demo 01's script, with no YAML yet."""
        path = self.demo / f"{stem}.py"
        shutil.copy(self.demo / SCRIPT, path)
        return path

    def untouched(self) -> bool:
        return all(t.read_bytes() == self.before[t] for t in self.targets)


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return Project(tmp_path)


def unsafe_demo(project: Project, kind: str) -> tuple[Path, str]:
    """A demo of the given kind; (its script, the words of the refusal)."""
    if kind == "yaml link into the project":
        script = project.script("54_x")
        os.symlink("../dagster.yaml", script.with_suffix(".yaml"))
        return script, "54_x.yaml: is a symbolic link"
    if kind == "yaml link out of the project":
        script = project.script("55_x")
        os.symlink(project.outside_yaml, script.with_suffix(".yaml"))
        return script, "55_x.yaml: is a symbolic link"
    if kind == "script link":
        script = project.demo / "56_x.py"
        os.symlink(project.outside_py, script)
        shutil.copy(project.demo / "01_ohlcv_bars.yaml", script.with_suffix(".yaml"))
        return script, "56_x.py: is a symbolic link"
    if kind == "yaml hard link":
        script = project.script("57_x")
        os.link(project.dagster_yaml, script.with_suffix(".yaml"))
        return script, "57_x.yaml: has other hard links"
    if kind == "yaml fifo":
        script = project.script("58_x")
        os.mkfifo(script.with_suffix(".yaml"))
        return script, "58_x.yaml: is not a regular file"
    raise AssertionError(kind)


KINDS = [
    "yaml link into the project",
    "yaml link out of the project",
    "script link",
    "yaml hard link",
    "yaml fifo",
]


# -- basalt config set, as a user runs it --------------------------------------------------------


@pytest.mark.parametrize("given", [".py", ".yaml"])
@pytest.mark.parametrize("kind", KINDS)
def test_config_set_refuses_in_one_line_and_writes_nothing(
    project: Project, kind: str, given: str
) -> None:
    script, refusal = unsafe_demo(project, kind)
    before = snapshot(project.demo)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "basalt",
            "config",
            "set",
            str(script.with_suffix(given)),
            "DATASETNAME",
            "pwned",
            "--force",
        ],
        cwd=project.root,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,  # a FIFO must not be opened: opening it would block
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 1, done.stderr
    assert done.stdout == ""
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and refusal in lines[0], done.stderr
    assert MARKER not in done.stderr
    assert project.untouched()
    assert snapshot(project.demo) == before


@pytest.mark.parametrize("command", [["validate"], ["show"], ["get", "DATASETNAME"]])
def test_read_only_commands_refuse_a_link_too(project: Project, capsys, command) -> None:
    script, refusal = unsafe_demo(project, "yaml link out of the project")
    code = main(["config", command[0], str(script), *command[1:]])
    out, err = capsys.readouterr()
    assert code == 1 and out == "" and refusal in err and MARKER not in err


# -- the rule and the document's save ----------------------------------------------------------


def test_check_demo_pair_gives_the_pair_of_plain_files(project: Project) -> None:
    script = project.demo / SCRIPT
    yaml = script.with_suffix(".yaml")
    assert check_demo_pair(script) == (script, yaml)
    assert check_demo_pair(yaml) == (script, yaml)
    fresh = project.script("60_new")
    assert check_demo_pair(fresh) == (fresh, fresh.with_suffix(".yaml"))  # YAML to create
    alone = project.demo / "61_alone.yaml"
    alone.write_text("USER_CONFIG: {}\n")
    assert check_demo_pair(alone) == (None, alone)


def test_check_demo_pair_refuses_a_dangling_script_link(project: Project) -> None:
    yaml = project.demo / "62_dangling.yaml"
    yaml.write_text("USER_CONFIG: {}\n")
    os.symlink(project.root / "nothing.py", yaml.with_suffix(".py"))
    with pytest.raises(UnsafeDemoFile, match=r"62_dangling\.py: is a symbolic link"):
        check_demo_pair(yaml)


@pytest.mark.parametrize("kind", KINDS)
def test_check_demo_pair_refuses(project: Project, kind: str) -> None:
    script, refusal = unsafe_demo(project, kind)
    for given in (script, script.with_suffix(".yaml")):
        with pytest.raises(UnsafeDemoFile) as caught:
            check_demo_pair(given)
        assert refusal in str(caught.value) and MARKER not in str(caught.value)
        assert isinstance(caught.value, DocumentError)


@pytest.mark.parametrize(
    ("make", "refusal"),
    [
        (lambda path, target: os.symlink(target, path), "is a symbolic link; not read or written"),
        (lambda path, target: os.link(target, path), "has other hard links; not read or written"),
        (
            lambda path, target: os.mkfifo(path),
            r"is not a regular file \(a FIFO, socket or device\)",
        ),
    ],
    ids=["symlink", "hard link", "fifo"],
)
def test_document_save_refuses_links_and_special_files(
    project: Project, make, refusal: str
) -> None:
    path = project.demo / "70_doc.yaml"
    make(path, project.dagster_yaml)
    document = ConfigDocument.loads("USER_CONFIG:\n  DATASETNAME: x\n", path)
    document.set("DATASETNAME", "pwned")
    with pytest.raises(DocumentError, match=refusal):
        document.save()
    assert project.untouched()
    assert not [p for p in project.demo.iterdir() if p.name.startswith(".")]  # no temp file


# -- the editor session --------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_editor_session_refuses_to_open(project: Project, kind: str) -> None:
    script, refusal = unsafe_demo(project, kind)
    before = snapshot(project.demo)
    with pytest.raises(UnsafeDemoFile, match=re.escape(refusal)):
        EditorSession.open(script)
    assert project.untouched() and snapshot(project.demo) == before


def test_a_yaml_turned_into_a_link_after_opening_is_not_saved_nor_reloaded(
    project: Project,
) -> None:
    script = project.script("80_swap")
    session = EditorSession.open(script)  # creates the YAML
    yaml = session.path
    session.set("DATASETNAME", "mine")
    yaml.unlink()
    os.symlink("../dagster.yaml", yaml)
    with pytest.raises(UnsafeDemoFile, match="80_swap.yaml: is a symbolic link"):
        session.save(overwrite=True)
    with pytest.raises(UnsafeDemoFile):
        session.reload()
    change = session.on_disk_change(TARGET_TEXT)
    assert not change.reloaded and not change.conflict and "symbolic link" in change.error
    assert project.untouched() and yaml.is_symlink()
    assert session.value("DATASETNAME") == "mine"  # the edits are kept


# -- the terminal editor -------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["yaml link into the project", "yaml fifo", "script link"])
def test_terminal_editor_shows_the_refusal_and_writes_nothing(
    project: Project, kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("BASALT_TUI_BENCH_T0", raising=False)
    from textual.widgets import TextArea

    from config_ui.tui import build_app
    from config_ui.tui.dialogs.load_error import LoadErrorScreen

    script, refusal = unsafe_demo(project, kind)
    before = snapshot(project.demo)

    async def scenario() -> None:
        app = build_app(script, watch=False)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            assert app.session is None and isinstance(app.screen, LoadErrorScreen)
            where = str(app.screen.query_one("#load-error-where").render())
            message = str(app.screen.query_one("#load-error-message").render())
            assert refusal.split(": ")[0] in where and refusal.split(": ")[1] in message
            await pilot.press("r")
            raw = app.screen.query_one("#raw-text", TextArea)
            assert raw.display and MARKER not in raw.text
            await pilot.press("ctrl+s")
            app.screen.focus_next()
            await pilot.press("l")  # reload: still refused, said in a notice
            await pilot.pause()
            assert isinstance(app.screen, LoadErrorScreen)
            notices = [str(n.message) for n in app._notifications]
            assert any("Still cannot open" in n and refusal in n for n in notices), notices
            assert not any(MARKER in n for n in notices)

    run_in_own_loop(scenario(), TIMEOUT)
    assert project.untouched() and snapshot(project.demo) == before
