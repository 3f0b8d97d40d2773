"""Fault injection with real processes: runs started as users start them (``basalt run``, a
Dagster materialization), killed with SIGKILL at random points, and an audit of what they left.

The audit is what the fault tests assert and what ``bench/fault_bench.py`` prints:

- ``left_running``: ledger rows still ``running`` once no run process is alive (a read
  reconciles dead processes to ``lost``);
- ``rows_lost``: output files on disk that no ``run_assets`` row names, runs that exited 0
  without a ``success`` row, and run ids seen in the ledger that are gone from it;
- ``written_twice``: outputs written by two processes at once (seen by inotify: two temporary
  files of one output open at the same time), plus rows counted twice when a pass's folder is
  read whole;
- ``partial_files``: temporary files left behind, and output files that do not read.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DEMO = "demo/01_ohlcv_bars.py"
DEMO_NUMBER = "01"
UNIVERSE = "mic=XLON"
# 20 trading days of demo 01, a batch a day: a run long enough to be killed mid-way
FIRST = dt.date(2025, 1, 6)
LAST = dt.date(2025, 1, 31)
TEMP_SUFFIX = ".tmp"
ASIDE_SUFFIX = ".previous"


@dataclass
class FaultWorld:
    """A market-data folder, an output folder, a ``BASALT_HOME`` and a ``DAGSTER_HOME``, shared
    by every process started from it (through their environment)."""

    root: Path
    data_dir: Path | None = None

    def __post_init__(self) -> None:
        self.data_dir = self.data_dir or self.root / "data"
        for folder in (self.data_dir, self.output_dir, self.home, self.dagster_home):
            folder.mkdir(parents=True, exist_ok=True)
        (self.dagster_home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")

    @property
    def output_dir(self) -> Path:
        return self.root / "output"

    @property
    def home(self) -> Path:
        return self.root / "home"

    @property
    def dagster_home(self) -> Path:
        return self.root / "dagster"

    @property
    def ledger_path(self) -> Path:
        return self.home / "ledger.duckdb"

    def env(self, **extra: str) -> dict[str, str]:
        env = {
            k: v
            for k, v in os.environ.items()
            if k not in ("BASALT_TRIGGER", "BASALT_RUN_ID", "BASALT_DEMO_DIR")
        }
        env.update(
            BASALT_DATA_DIR=str(self.data_dir),
            BASALT_OUTPUT_DIR=str(self.output_dir),
            BASALT_HOME=str(self.home),
            DAGSTER_HOME=str(self.dagster_home),
            PYTHONUNBUFFERED="1",
        )
        env.update(extra)
        return env

    def cli_run(
        self, run_id: str, start: dt.date, end: dt.date, *extra: str, log: Path | None = None
    ) -> subprocess.Popen:
        """``basalt run`` of the demo over ``start..end``, one batch a day."""
        command = [sys.executable, "-m", "basalt", "run", DEMO]
        command += ["--start-date", start.isoformat(), "--end-date", end.isoformat()]
        command += ["--batch-freq", "D", *extra]
        return self._start(command, self.env(BASALT_RUN_ID=run_id), log)

    def dagster_run(self, day: dt.date, log: Path | None = None) -> subprocess.Popen:
        """A Dagster materialization of one partition, recorded in ``DAGSTER_HOME``."""
        command = [sys.executable, "-m", "basalt.dagster.materialize", "--demo", DEMO_NUMBER]
        command += ["--partition", f"{day.isoformat()}|{UNIVERSE}"]
        return self._start(command, self.env(), log)

    def _start(self, command: list[str], env: dict[str, str], log: Path | None) -> subprocess.Popen:
        out = open(log, "ab") if log else subprocess.DEVNULL  # noqa: SIM115 (closed by the child)
        try:
            return subprocess.Popen(
                command,
                cwd=REPO,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT if log else subprocess.DEVNULL,
                start_new_session=True,
            )
        finally:
            if log:
                out.close()

    def basalt(self, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "basalt", *args],
            cwd=REPO,
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    def ledger(self):
        from basalt.ledger.store import Ledger

        return Ledger(self.ledger_path)


def kill(proc: subprocess.Popen) -> bool:
    """SIGKILL the process group; ``True`` if the run was still going (it was killed)."""
    if proc.poll() is not None:
        return False
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        return False
    proc.wait(timeout=30)
    return True


def run_and_kill(
    world: FaultWorld, start, rng: random.Random, kills: int, seconds: float
) -> tuple[set[str], int]:
    """Start runs one after another (``start(i)`` gives the process) and SIGKILL each at a
    random instant of ``seconds``; the run ids seen in the ledger meanwhile, and how many runs
    were still going when killed."""
    seen: set[str] = set()
    killed = 0
    for i in range(kills):
        proc = start(i)
        time.sleep(rng.uniform(0.05, seconds))
        seen |= ledger_run_ids(world)
        killed += kill(proc)
    return seen, killed


class WriteWatcher:
    """Counts outputs written by two processes at once: an output's temporary file created
    while another temporary file of the same output is still open. Events come from inotify in
    the order the kernel saw them, so the count does not depend on timing."""

    def __init__(self, folder: Path) -> None:
        from watchdog.events import FileSystemEventHandler
        from watchdog.observers.inotify import InotifyObserver

        self.open: Counter[str] = Counter()
        self.twice: set[str] = set()
        self.writes = 0
        self._lock = threading.Lock()
        watcher = self

        class Handler(FileSystemEventHandler):
            def on_created(self, event):  # noqa: D401 (watchdog callback)
                target = _target_of(event.src_path)
                if target is not None and not event.is_directory:
                    with watcher._lock:
                        watcher.writes += 1
                        watcher.open[target] += 1
                        if watcher.open[target] > 1:
                            watcher.twice.add(target)

            def on_moved(self, event):
                self._closed(event.src_path)

            def on_deleted(self, event):
                self._closed(event.src_path)

            def _closed(self, path: str) -> None:
                target = _target_of(path)
                if target is not None:
                    with watcher._lock:
                        watcher.open[target] = max(watcher.open[target] - 1, 0)

        self._observer = InotifyObserver()
        self._observer.schedule(Handler(), str(folder), recursive=True)

    def __enter__(self) -> WriteWatcher:
        self._observer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        time.sleep(0.5)  # the last events
        self._observer.stop()
        self._observer.join(10)


def _target_of(path: str) -> str | None:
    """The output a temporary file stands for: ``.NAME.PID.XXXX.tmp`` -> ``NAME``."""
    p = Path(path)
    if not (p.name.startswith(".") and p.name.endswith(TEMP_SUFFIX)):
        return None
    stem = p.name[1 : -len(TEMP_SUFFIX)]
    name = stem.rsplit(".", 2)[0]
    return str(p.with_name(name))


@dataclass
class Audit:
    left_running: list[str] = field(default_factory=list)
    rows_lost: list[str] = field(default_factory=list)
    written_twice: list[str] = field(default_factory=list)
    partial_files: list[str] = field(default_factory=list)

    def figures(self) -> dict[str, int]:
        return {
            "runs_left_running": len(self.left_running),
            "ledger_rows_lost": len(self.rows_lost),
            "outputs_written_twice": len(self.written_twice),
            "partial_files_left": len(self.partial_files),
        }

    def __str__(self) -> str:
        lines = []
        for name, items in (
            ("left running", self.left_running),
            ("rows lost", self.rows_lost),
            ("written twice", self.written_twice),
            ("partial files", self.partial_files),
        ):
            lines += [f"{name}: {item}" for item in items[:10]]
        return "\n".join(lines) or "clean"


def audit(
    world: FaultWorld,
    seen_run_ids: set[str] = frozenset(),  # type: ignore[assignment]
    succeeded: set[str] = frozenset(),  # type: ignore[assignment]
    watcher: WriteWatcher | None = None,
) -> Audit:
    """What the runs left, once none of them is alive."""
    import polars as pl

    result = Audit()
    ledger = world.ledger()
    runs = {r["run_id"]: r for r in ledger.runs(limit=100_000)}
    result.left_running = [r for r, row in runs.items() if row["status"] == "running"]
    result.rows_lost += [f"run {r} seen in the ledger is gone" for r in seen_run_ids - set(runs)]
    result.rows_lost += [
        f"run {r} exited 0 but is {runs[r]['status'] if r in runs else 'missing'}"
        for r in succeeded
        if runs.get(r, {}).get("status") != "success"
    ]
    recorded = {str(Path(a["output_path"]).resolve()) for a in ledger.assets() if a["output_path"]}
    for path in sorted(world.output_dir.rglob("*")):
        if path.is_dir():
            continue
        if path.name.endswith((TEMP_SUFFIX, ASIDE_SUFFIX)) or path.name.startswith("."):
            result.partial_files.append(f"{path} (left behind)")
            continue
        try:
            pl.read_parquet(path)
        except Exception as exc:
            result.partial_files.append(f"{path} does not read: {type(exc).__name__}")
            continue
        if str(path.resolve()) not in recorded:
            result.rows_lost.append(f"{path} is in no run_assets row")
    if watcher is not None:
        result.written_twice += [f"{t} written by two processes at once" for t in watcher.twice]
    for folder in sorted({p.parent for p in world.output_dir.rglob("*.parquet")}):
        frame = pl.scan_parquet(folder / "*.parquet").collect()
        keys = [c for c in ("ListingId", "MIC", "Index", "TimeBucket") if c in frame.columns]
        if keys:
            twice = frame.height - frame.unique(subset=keys).height
            if twice:
                result.written_twice.append(f"{folder}: {twice} rows counted twice")
    return result


def ledger_run_ids(world: FaultWorld) -> set[str]:
    """The run ids in the ledger now (a read without reconciling is not needed here)."""
    try:
        return {r["run_id"] for r in world.ledger().runs(limit=100_000)}
    except Exception:
        return set()
