"""FileWatcher with real watchdog observers and real files.

No fixed sleeps: every wait polls for a condition with a generous timeout, so the tests hold
on a slow, loaded machine. "Nothing else was reported" is shown with a barrier: a later,
distinct change whose report must come right after the expected ones.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from basalt.atomic import write_text_atomic
from config_ui.core.file_watch import FileWatcher

TIMEOUT = 10.0
"""Upper bound for any wait; reached only when a test is about to fail."""


class Recorder:
    """The ``on_change`` callback: records texts and the threads they arrived on."""

    def __init__(self) -> None:
        self.calls: list[str | None] = []
        self.threads: list[threading.Thread] = []
        self._cond = threading.Condition()

    def __call__(self, text: str | None) -> None:
        with self._cond:
            self.calls.append(text)
            self.threads.append(threading.current_thread())
            self._cond.notify_all()

    def wait_for(self, count: int) -> list[str | None]:
        with self._cond:
            self._cond.wait_for(lambda: len(self.calls) >= count, timeout=TIMEOUT)
            return list(self.calls)


def wait_until(condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + TIMEOUT
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.01)


@pytest.fixture
def target(tmp_path: Path) -> Path:
    path = tmp_path / "demo.yaml"
    path.write_text("a: 1\n", encoding="utf-8")
    return path


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def watcher(target: Path, recorder: Recorder) -> Iterator[FileWatcher]:
    watcher = FileWatcher(target, recorder)
    watcher.start()
    yield watcher
    watcher.stop()


def barrier(path: Path, recorder: Recorder, expected: list[str | None]) -> None:
    """Write a last distinct text and check the reports are exactly ``expected`` then it."""
    path.write_text("barrier: true\n", encoding="utf-8")
    assert recorder.wait_for(len(expected) + 1) == [*expected, "barrier: true\n"]


def test_external_write_is_reported_once_with_the_new_text(
    watcher: FileWatcher, target: Path, recorder: Recorder
) -> None:
    target.write_text("a: 2\n", encoding="utf-8")
    assert recorder.wait_for(1) == ["a: 2\n"]
    assert recorder.threads[0] is not threading.main_thread()  # the watcher's own thread
    barrier(target, recorder, ["a: 2\n"])


def test_a_burst_of_writes_gives_one_report_with_the_final_text(
    target: Path, recorder: Recorder
) -> None:
    debounce = 0.5  # wide, so a stalled test thread still writes within the window
    for _attempt in range(3):
        recorder.calls.clear()
        target.write_text("a: 1\n", encoding="utf-8")
        with FileWatcher(target, recorder, debounce=debounce):
            stamps = []
            for value in range(10, 15):
                target.write_text(f"a: {value}\n", encoding="utf-8")
                stamps.append(time.monotonic())
            if max(b - a for a, b in zip(stamps, stamps[1:], strict=False)) > debounce / 2:
                continue  # the machine stalled between writes: not a burst, try again
            assert recorder.wait_for(1) == ["a: 14\n"]
            barrier(target, recorder, ["a: 14\n"])
            return
    pytest.fail("could not write 5 times within the debounce window in 3 attempts")


def test_write_to_temp_file_then_rename_is_reported(
    watcher: FileWatcher, target: Path, recorder: Recorder
) -> None:
    temp = target.with_name(".demo.yaml.swp")
    temp.write_text("a: renamed\n", encoding="utf-8")
    os.replace(temp, target)
    assert recorder.wait_for(1) == ["a: renamed\n"]
    barrier(target, recorder, ["a: renamed\n"])


def test_own_save_acknowledged_is_not_reported(
    watcher: FileWatcher, target: Path, recorder: Recorder
) -> None:
    checks = watcher.checks
    watcher.acknowledge("a: own save\n")
    write_text_atomic(target, "a: own save\n")  # how ConfigDocument.save writes
    wait_until(lambda: watcher.checks > checks)  # the save was seen, read and compared
    assert recorder.calls == []

    checks = watcher.checks
    with watcher.saving("a: second save\n"):
        target.write_text("a: second save\n", encoding="utf-8")
    wait_until(lambda: watcher.checks > checks)
    assert recorder.calls == []
    barrier(target, recorder, [])


def test_a_failed_save_takes_back_its_acknowledgement(
    watcher: FileWatcher, target: Path, recorder: Recorder
) -> None:
    with pytest.raises(OSError), watcher.saving("a: never written\n"):
        raise OSError("disk full")
    target.write_text("a: never written\n", encoding="utf-8")  # someone else writes it
    assert recorder.wait_for(1) == ["a: never written\n"]


def test_changes_to_other_files_in_the_folder_are_not_reported(
    watcher: FileWatcher, target: Path, recorder: Recorder
) -> None:
    folder = target.parent
    for name in ("other.yaml", "demo.yaml.bak", "demo.yaml~", ".demo.yaml.swp", "demo.yml"):
        (folder / name).write_text("x: 1\n", encoding="utf-8")
    os.replace(folder / "other.yaml", folder / "moved.yaml")
    (folder / "demo.yml").unlink()
    (folder / "sub").mkdir()
    barrier(target, recorder, [])


def test_delete_is_reported_as_none_and_recreation_as_text(
    watcher: FileWatcher, target: Path, recorder: Recorder
) -> None:
    target.unlink()
    assert recorder.wait_for(1) == [None]
    target.write_text("a: back\n", encoding="utf-8")
    assert recorder.wait_for(2) == [None, "a: back\n"]


def test_a_file_created_after_start_is_reported(tmp_path: Path, recorder: Recorder) -> None:
    path = tmp_path / "new.yaml"
    with FileWatcher(path, recorder):
        path.write_text("fresh: true\n", encoding="utf-8")
        assert recorder.wait_for(1) == ["fresh: true\n"]


def test_stop_is_idempotent_and_nothing_is_reported_after_it(
    target: Path, recorder: Recorder
) -> None:
    before = set(threading.enumerate())
    watcher = FileWatcher(target, recorder).start()
    assert watcher.running
    target.write_text("a: 2\n", encoding="utf-8")
    assert recorder.wait_for(1) == ["a: 2\n"]
    watcher.stop()
    watcher.stop()
    assert not watcher.running
    # every thread the watcher started has been joined: nothing is left to call back
    assert set(threading.enumerate()) <= before
    target.write_text("a: 3\n", encoding="utf-8")
    target.unlink()
    assert set(threading.enumerate()) <= before
    assert recorder.calls == ["a: 2\n"]
    with pytest.raises(RuntimeError, match="cannot be started again"):
        watcher.start()


def test_stop_before_start_and_from_inside_the_callback(target: Path) -> None:
    FileWatcher(target, print).stop()

    stopped = threading.Event()
    holder: list[FileWatcher] = []

    def on_change(text: str | None) -> None:
        holder[0].stop()  # must not deadlock by joining its own thread
        stopped.set()

    watcher = FileWatcher(target, on_change)
    holder.append(watcher)
    with watcher:
        target.write_text("a: 2\n", encoding="utf-8")
        assert stopped.wait(TIMEOUT)
    assert not watcher.running


def test_a_failing_callback_does_not_stop_the_watcher(
    target: Path, recorder: Recorder, caplog: pytest.LogCaptureFixture
) -> None:
    failures: list[str | None] = []
    failed = threading.Event()

    def on_change(text: str | None) -> None:
        if not failures:
            failures.append(text)
            failed.set()
            raise RuntimeError("renderer bug")
        recorder(text)

    with FileWatcher(target, on_change):
        target.write_text("a: 2\n", encoding="utf-8")
        assert failed.wait(TIMEOUT)
        barrier(target, recorder, [])
    assert failures == ["a: 2\n"]
    assert "on_change failed" in caplog.text


def test_polling_mode_reports_changes_too(target: Path, recorder: Recorder) -> None:
    with FileWatcher(target, recorder, polling=True):
        target.write_text("a: polled\n", encoding="utf-8")
        assert recorder.wait_for(1) == ["a: polled\n"]


def test_a_missing_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="its folder does not exist"):
        FileWatcher(tmp_path / "nowhere" / "demo.yaml", print).start()
