"""Live reload without a real Dagster: debounce, merge, validate, refuse; the watcher's filter;
a real watchdog observer on a temporary folder for rename-style saves and ignored files."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from basalt.atomic import write_text_atomic
from basalt.dagster.demo_watch import ChangeRouter, FolderWatcher, is_demo_file, is_theme_file
from basalt.dagster.dev import validate_demo
from basalt.dagster.live_reload import LiveReloader, ReloadEvent
from tests.dagster.support import copy_demo

WAIT = 20.0  # generous: the machine is shared


class Recorder:
    """``reload_fn``, ``validate_fn`` and ``status_fn`` that remember their calls."""

    def __init__(self, errors: dict[str, str] | None = None) -> None:
        self.errors = errors or {}
        self.reloads = 0
        self.validated: list[str] = []
        self.events: list[ReloadEvent] = []
        self.done = threading.Event()  # set on every final state
        self.reload_started = threading.Event()
        self.release: threading.Event | None = None  # when set, reloads wait for it

    def reload(self) -> None:
        self.reloads += 1
        self.reload_started.set()
        if self.release is not None:
            assert self.release.wait(WAIT), "the test never released the reload"

    def validate(self, script: Path) -> str | None:
        self.validated.append(script.name)
        return self.errors.get(script.stem)

    def status(self, event: ReloadEvent) -> None:
        self.events.append(event)
        if event.state in ("reloaded", "refused", "failed"):
            self.done.set()

    def reloader(self, debounce: float = 0.2) -> LiveReloader:
        return LiveReloader(self.reload, self.validate, self.status, debounce)

    def states(self) -> list[str]:
        return [e.state for e in self.events]


def demo_pair(folder: Path, stem: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{stem}.py").write_text('USER_CONFIG = {"DATASETNAME": "x"}\n')
    (folder / f"{stem}.yaml").write_text("USER_CONFIG: {}\n")
    return folder / f"{stem}.yaml"


def test_a_burst_of_saves_is_one_reload(tmp_path):
    yaml = demo_pair(tmp_path, "01_bars")
    rec = Recorder()
    with rec.reloader(debounce=0.3) as reloader:
        for _ in range(5):
            reloader.notify(yaml)
        reloader.notify(yaml.with_suffix(".py"))
        assert rec.done.wait(WAIT)
        assert reloader.wait_idle(WAIT)
    assert rec.reloads == 1
    assert rec.validated == ["01_bars.py"]
    assert rec.states() == ["reloading", "reloaded"]
    assert rec.events[-1].demos == ("01_bars",)
    assert rec.events[-1].seconds is not None and rec.events[-1].seconds >= 0


def test_saves_during_a_reload_make_exactly_one_more(tmp_path):
    first = demo_pair(tmp_path, "01_bars")
    second = demo_pair(tmp_path, "02_spreads")
    rec = Recorder()
    rec.release = threading.Event()
    with rec.reloader(debounce=0.05) as reloader:
        reloader.notify(first)
        assert rec.reload_started.wait(WAIT)
        for _ in range(3):  # while the first reload runs
            reloader.notify(first)
            reloader.notify(second)
        rec.release.set()
        assert reloader.wait_idle(WAIT)
    assert rec.reloads == 2
    assert rec.states() == ["reloading", "reloaded", "reloading", "reloaded"]
    assert rec.events[-1].demos == ("01_bars", "02_spreads")


def test_an_invalid_demo_is_refused_and_not_pushed(tmp_path):
    script = copy_demo("01_ohlcv_bars", tmp_path)
    yaml = script.with_suffix(".yaml")
    yaml.write_text(yaml.read_text().replace('cron: "0 2 * * *"', 'cron: "0 2 * *"'))
    rec = Recorder()
    with LiveReloader(rec.reload, validate_demo, rec.status, 0.05) as reloader:
        reloader.notify(yaml)
        assert rec.done.wait(WAIT)
        assert reloader.wait_idle(WAIT)
    assert rec.reloads == 0
    [event] = rec.events
    assert event.state == "refused"
    assert event.demos == ("01_ohlcv_bars",)
    assert f"{yaml}:15:7: SCHEDULES.0.cron: " in event.reason and "4 fields" in event.reason


def test_a_valid_demo_reloads_while_an_invalid_one_is_refused(tmp_path):
    good = demo_pair(tmp_path, "01_bars")
    bad = demo_pair(tmp_path, "02_spreads")
    rec = Recorder(errors={"02_spreads": f"{bad}:3:1: PASSES: bad"})
    with rec.reloader(debounce=0.05) as reloader:
        reloader.notify(good)
        reloader.notify(bad)
        assert reloader.wait_idle(WAIT)
    assert rec.reloads == 1
    assert rec.states() == ["reloading", "refused"]
    assert rec.events[0].demos == ("01_bars",)
    assert rec.events[1].demos == ("02_spreads",)
    assert rec.events[1].reason == f"{bad}:3:1: PASSES: bad"


def test_a_removed_demo_reloads_so_dagster_drops_it(tmp_path):
    yaml = demo_pair(tmp_path, "01_bars")
    yaml.unlink()
    yaml.with_suffix(".py").unlink()
    rec = Recorder()
    with rec.reloader(debounce=0.05) as reloader:
        reloader.notify(yaml)
        assert reloader.wait_idle(WAIT)
    assert rec.reloads == 1 and rec.validated == []
    assert rec.states() == ["reloading", "reloaded"]


def test_a_reload_that_raises_is_failed_with_its_message(tmp_path):
    yaml = demo_pair(tmp_path, "01_bars")
    events: list[ReloadEvent] = []

    def reload() -> None:
        raise RuntimeError("code location 'basalt_demos' does not load: boom")

    with LiveReloader(reload, lambda p: None, events.append, 0.05) as reloader:
        reloader.notify(yaml)
        assert reloader.wait_idle(WAIT)
        reloader.notify(yaml)  # still alive after a failure
        assert reloader.wait_idle(WAIT)
    assert [e.state for e in events] == ["reloading", "failed"] * 2
    assert events[1].reason == "code location 'basalt_demos' does not load: boom"


def test_a_stopped_reloader_ignores_notices(tmp_path):
    rec = Recorder()
    reloader = rec.reloader(debounce=0.01).start()
    reloader.stop()
    reloader.notify(demo_pair(tmp_path, "01_bars"))
    assert reloader.wait_idle(1.0)
    assert rec.reloads == 0 and rec.events == []


def test_negative_debounce_is_refused():
    with pytest.raises(ValueError, match="debounce must be >= 0"):
        LiveReloader(lambda: None, lambda p: None, lambda e: None, -1)


# --- which files count --------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        ".01_bars.yaml.k2j3h4.tmp",  # basalt.atomic and the editors' temporary files
        "01_bars.yaml~",
        ".01_bars.yaml.swp",
        "01_bars.yaml.swp",
        "01_bars.yaml.bak",
        ".01_bars.yaml",
        "README.md",
        "bars.yaml",
        "analytics-config.schema.json",
    ],
)
def test_temporary_and_other_files_are_not_demo_files(tmp_path, name):
    assert not is_demo_file(tmp_path / name, tmp_path)


@pytest.mark.parametrize(
    "relative",
    [".basalt/home/01_bars.yaml", "__pycache__/01_bars.py", "output/01_bars.yaml", "x/01_b.py"],
)
def test_files_in_sub_folders_are_not_demo_files(tmp_path, relative):
    assert not is_demo_file(tmp_path / relative, tmp_path)


def test_demo_and_theme_files_are_recognised(tmp_path):
    assert is_demo_file(tmp_path / "01_bars.yaml", tmp_path)
    assert is_demo_file(tmp_path / "07_index_universe.py", tmp_path)
    assert is_theme_file(tmp_path / "themes" / "basalt-dark.toml", tmp_path / "themes")
    assert not is_theme_file(tmp_path / "themes" / ".basalt-dark.toml.1.tmp", tmp_path / "themes")
    assert not is_theme_file(tmp_path / "01_bars.yaml", tmp_path / "themes")


def test_the_router_sends_demos_to_the_reloader_and_themes_to_the_log(tmp_path):
    demos, themes = [], []
    router = ChangeRouter(tmp_path / "demo", tmp_path / "themes", demos.append, themes.append)
    for path in [
        "demo/01_bars.yaml",
        "demo/.01_bars.yaml.abc.tmp",
        "demo/.basalt/dagster_reload.json",
        "themes/basalt-light.toml",
        "themes/basalt-light.toml~",
        "elsewhere/02_x.yaml",
    ]:
        router.route(tmp_path / path)
    assert demos == [tmp_path / "demo/01_bars.yaml"]
    assert themes == [tmp_path / "themes/basalt-light.toml"]


# --- a real observer ----------------------------------------------------------------------


class Themes:
    """``on_theme``: remembers the themes that changed."""

    def __init__(self) -> None:
        self.paths: list[Path] = []
        self.seen = threading.Event()

    def __call__(self, path: Path) -> None:
        self.paths.append(path)
        self.seen.set()


def watched(tmp_path: Path, rec: Recorder, themes: Themes | None = None):
    demo_dir = tmp_path / "demo"
    theme_dir = tmp_path / "themes"
    theme_dir.mkdir()
    reloader = rec.reloader(debounce=0.2)
    return reloader, FolderWatcher(ChangeRouter(demo_dir, theme_dir, reloader.notify, themes))


def test_a_rename_style_save_triggers_a_reload(tmp_path):
    yaml = demo_pair(tmp_path / "demo", "01_bars")
    rec = Recorder()
    reloader, watcher = watched(tmp_path, rec)
    with reloader:
        watcher.start()
        try:
            write_text_atomic(yaml, "USER_CONFIG:\n  DATASETNAME: renamed\n")  # tmp + os.replace
            assert rec.done.wait(WAIT), "no reload after a rename-style save"
            assert reloader.wait_idle(WAIT)
        finally:
            watcher.stop()
    assert rec.reloads == 1
    assert rec.events[-1] == ReloadEvent("reloaded", ("01_bars",), None, rec.events[-1].seconds)
    assert not list((tmp_path / "demo").glob(".*.tmp"))


def test_ignored_files_cause_nothing(tmp_path):
    demo_dir = tmp_path / "demo"
    sentinel = demo_pair(demo_dir, "01_bars")
    demo_pair(demo_dir, "02_spreads")
    rec = Recorder()
    themes = Themes()
    reloader, watcher = watched(tmp_path, rec, themes)
    with reloader:
        watcher.start()
        try:
            # Every kind of file the watcher must ignore, for demo 02 ...
            (demo_dir / ".02_spreads.yaml.x1y2.tmp").write_text("partial")
            os.replace(demo_dir / ".02_spreads.yaml.x1y2.tmp", demo_dir / ".02_spreads.yaml.old")
            (demo_dir / "02_spreads.yaml~").write_text("backup")
            (demo_dir / ".02_spreads.yaml.swp").write_bytes(b"\0swap")
            (demo_dir / ".basalt" / "home").mkdir(parents=True)
            (demo_dir / ".basalt" / "home" / "02_spreads.yaml").write_text("state")
            (demo_dir / "output").mkdir()
            (demo_dir / "output" / "02_spreads.py").write_text("out")
            (demo_dir / "02_spreads.yaml").read_text()  # a read, as validation does
            (tmp_path / "themes" / "basalt-dark.toml").write_text("[theme]\n")  # no reload
            # ... then one real save of demo 01: the only reload, of demo 01 only.
            sentinel.write_text("USER_CONFIG:\n  DATASETNAME: sentinel\n")
            assert rec.done.wait(WAIT), "the sentinel save was not seen"
            assert reloader.wait_idle(WAIT)
            assert themes.seen.wait(WAIT), "the theme change was not seen"
        finally:
            watcher.stop()
    assert rec.reloads == 1
    assert rec.validated == ["01_bars.py"]
    assert [e.demos for e in rec.events] == [("01_bars",), ("01_bars",)]
    assert {p.name for p in themes.paths} == {"basalt-dark.toml"}


def test_a_missing_demo_folder_is_named(tmp_path):
    router = ChangeRouter(tmp_path / "nowhere", None, lambda p: None)
    with pytest.raises(FileNotFoundError, match="nowhere does not exist"):
        FolderWatcher(router).start()
