"""Helpers of the pipeline tests: ``basalt run`` in a real process."""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DEMO_01 = REPO / "demo" / "01_ohlcv_bars.py"


def run_env(**extra: str) -> dict[str, str]:
    """The environment of a ``basalt run`` subprocess: this one (with the test's
    ``BASALT_HOME``), without a run id, trigger or folders unless given."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("BASALT_RUN_ID", "BASALT_TRIGGER", "BASALT_DATA_DIR", "BASALT_OUTPUT_DIR")
    }
    return env | extra


def basalt_run(*args: str, **popen) -> subprocess.Popen:
    """``python -m basalt run ARGS`` started (stdout and stderr piped, text)."""
    popen.setdefault("env", run_env())
    return subprocess.Popen(
        [sys.executable, "-m", "basalt", "run", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=popen.pop("cwd", REPO),
        **popen,
    )


def finish(proc: subprocess.Popen, timeout: float = 240) -> tuple[int, str, str]:
    """Wait for a started run: ``(exit code, stdout, stderr)``."""
    out, err = proc.communicate(timeout=timeout)
    return proc.returncode, out, err


class Watched:
    """A started process whose stderr lines are collected as they come (a thread reads them),
    so a test can wait for one while the process runs."""

    def __init__(self, proc: subprocess.Popen):
        self.proc = proc
        self.err_lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self.err_lines.append(line.rstrip("\n"))

    def wait_for_line(self, text: str, timeout: float = 120) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = [line for line in self.err_lines if text in line]
            if found:
                return found[0]
            if self.proc.poll() is not None and not self._reader.is_alive():
                break
            time.sleep(0.05)
        raise AssertionError(f"no stderr line with {text!r}; stderr: {self.err_lines}")

    def finish(self, timeout: float = 240) -> tuple[int, str, str]:
        """``(exit code, stdout, stderr)`` once the process has ended."""
        assert self.proc.stdout is not None
        out = self.proc.stdout.read()
        self.proc.wait(timeout)
        self._reader.join(10)
        return self.proc.returncode, out, "\n".join(self.err_lines)


def held_locks(home: Path) -> list[Path]:
    """Output lock files under ``home`` that some process holds now."""
    held = []
    for lock in sorted((home / "locks").glob("*.lock")):
        fd = os.open(lock, os.O_RDWR)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            held.append(lock)
        else:
            fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)
    return held


def wait_until(condition, timeout: float = 120, what: str = "the condition") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)
