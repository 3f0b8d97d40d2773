"""One writer per output: a run holds the lock of each file it writes; a second run waits for
it (and says for whom), or skips those files with ``--skip-running``; a killed holder leaves
no stale lock."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import polars as pl
import pytest

from basalt.ledger.store import Ledger
from basalt.pipeline import locks
from tests.pipeline.support import DEMO_01, Watched, basalt_run, held_locks, run_env, wait_until

RANGE = ("--start-date", "2025-01-06", "--end-date", "2025-01-17", "--batch-freq", "M")
DAYS = 10  # trading days of RANGE, all computed in one batch (so all locks are held together)


@pytest.fixture
def home() -> Path:
    return Path(os.environ["BASALT_HOME"])


def run_args(data_dir: Path, out: Path, *extra: str) -> list[str]:
    folders = ("--data-dir", str(data_dir), "--output-dir", str(out))
    return [str(DEMO_01), *RANGE, "--universe", "all", *folders, *extra]


def start(run_id: str, args: list[str]) -> Watched:
    return Watched(basalt_run(*args, env=run_env(BASALT_RUN_ID=run_id), start_new_session=True))


def stopped_while_holding(first: Watched, home: Path) -> None:
    """Stop ``first`` once it holds its output locks (it keeps them while stopped)."""
    wait_until(lambda: len(held_locks(home)) >= DAYS, 180, "the first run's locks")
    os.kill(first.proc.pid, signal.SIGSTOP)
    assert len(held_locks(home)) >= DAYS


def whole_outputs(out: Path) -> list[Path]:
    files = sorted((out / "ohlcv_bars" / "bars_1m" / "all").glob("*.parquet"))
    assert len(files) == DAYS
    heights = {pl.read_parquet(f).height for f in files}
    assert len(heights) == 1 and heights.pop() > 0  # same listings and buckets every day
    assert not [p for p in out.rglob("*") if p.is_file() and p.suffix != ".parquet"]
    return files


# --- the lock itself ------------------------------------------------------------------------


def test_a_held_output_is_skipped_or_waited_for(tmp_path):
    out = tmp_path / "a.parquet"
    me = f"run r1 (pid {os.getpid()})"
    with locks.holding([out], "r1") as busy:
        assert busy == {}
        lock = locks.lock_file(out)
        holder = json.loads(lock.read_text())
        assert (holder["run_id"], holder["pid"], holder["host"]) == (
            "r1",
            os.getpid(),
            socket.gethostname(),
        )
        said: list[str] = []
        with locks.holding(
            [out, tmp_path / "b.parquet"], "r2", wait=False, notify=said.append
        ) as busy:
            assert list(busy) == [out.absolute()] and str(busy[out.absolute()]) == me
        assert said == [f"skipping {out.absolute()}: {me} is writing it"]

    said = []
    first = locks.OutputLocks("r1")
    first.acquire([out])
    threading.Timer(0.6, first.release).start()
    began = time.monotonic()
    with locks.holding([out], "r2", notify=said.append, poll=0.05):
        waited = time.monotonic() - began
        assert json.loads(locks.lock_file(out).read_text())["run_id"] == "r2"
    assert waited >= 0.5
    assert said == [f"waiting for {me} writing {out.absolute()}"]


def test_a_killed_holder_leaves_no_lock(tmp_path):
    out = tmp_path / "a.parquet"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from basalt.pipeline import locks; "
            f"locks.OutputLocks('victim').acquire([{str(out)!r}]); print('held', flush=True); "
            "time.sleep(600)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    with locks.holding([out], "r2", wait=False, notify=lambda line: None) as busy:
        assert str(busy[out.absolute()]) == f"run victim (pid {holder.pid})"
    holder.kill()
    holder.wait()
    with locks.holding([out], "r2", wait=False) as busy:
        assert busy == {}


# --- two real runs ----------------------------------------------------------------------------


def test_a_second_run_waits_for_the_first_and_both_finish(data_dir, tmp_path, home):
    out = tmp_path / "out"
    first = start("first-run", run_args(data_dir, out))
    stopped_while_holding(first, home)
    second = start("second-run", run_args(data_dir, out))
    try:
        line = second.wait_for_line("waiting for ", 120)
        assert line.startswith(f"waiting for run first-run (pid {first.proc.pid}) writing ")
        assert str(out / "ohlcv_bars" / "bars_1m" / "all") in line
    finally:
        os.kill(first.proc.pid, signal.SIGCONT)
    code1, out1, err1 = first.finish()
    code2, out2, err2 = second.finish()
    assert code1 == 0, err1
    assert code2 == 0, err2
    files = whole_outputs(out)
    for stdout in (out1, out2):
        assert "done in " in stdout and f"{DAYS} outputs" in stdout
        assert "skipped" not in stdout
    ledger = Ledger()
    assert ledger.run("first-run")["status"] == ledger.run("second-run")["status"] == "success"
    assert len(ledger.assets("second-run")) == len(files)


def test_skip_running_leaves_the_outputs_to_the_first_run(data_dir, tmp_path, home):
    out = tmp_path / "out"
    first = start("first-run", run_args(data_dir, out))
    stopped_while_holding(first, home)
    try:
        second = start("second-run", run_args(data_dir, out, "--skip-running"))
        code2, out2, err2 = second.finish(120)
    finally:
        os.kill(first.proc.pid, signal.SIGCONT)
    assert code2 == 0, err2
    being = f"being written by run first-run (pid {first.proc.pid})"
    assert out2.count(f"(skipped: {being})") == DAYS
    assert err2.count("is writing it") == DAYS and "waiting for" not in err2
    code1, _, err1 = first.finish()
    assert code1 == 0, err1
    whole_outputs(out)
    ledger = Ledger()
    second_row = ledger.run("second-run")
    assert second_row["status"] == "success"
    skipped = json.loads(second_row["skipped"])
    assert len(skipped) == DAYS and {s["reason"] for s in skipped} == {being}
    assert {s["partition_key"].split("|")[0] for s in skipped} == {
        Path(s["output_path"]).name.split("_")[0] for s in skipped
    }
    assert ledger.assets("second-run") == []  # the files are the first run's
    assert len(ledger.assets("first-run")) == DAYS


def test_a_waiting_run_proceeds_when_the_holder_is_killed(data_dir, tmp_path, home):
    out = tmp_path / "out"
    first = start("first-run", run_args(data_dir, out))
    stopped_while_holding(first, home)
    second = start("second-run", run_args(data_dir, out))
    try:
        second.wait_for_line(f"waiting for run first-run (pid {first.proc.pid})", 120)
    finally:
        os.killpg(first.proc.pid, signal.SIGKILL)
    first.proc.wait()
    code2, out2, err2 = second.finish()
    assert code2 == 0, err2
    assert f"{DAYS} outputs" in out2
    whole_outputs(out)
    ledger = Ledger()
    assert ledger.run("first-run")["status"] == "lost"
    assert ledger.run("second-run")["status"] == "success"


def test_an_unusable_home_moves_the_locks_to_the_temporary_folder(tmp_path, monkeypatch):
    home = tmp_path / "home_is_a_file"
    home.write_text("not a folder")
    monkeypatch.setenv("BASALT_HOME", str(home))
    out = tmp_path / "a.parquet"
    with locks.holding([out], "r1") as busy:
        assert busy == {}
        spare = locks.fallback_dir() / locks.lock_file(out).name
        assert json.loads(spare.read_text())["run_id"] == "r1"
        with locks.holding([out], "r2", wait=False, notify=lambda line: None) as busy:
            assert list(busy) == [out.absolute()]
