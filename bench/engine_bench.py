"""Engine benchmark: demo 01's one-minute bars over all 24 listings, four ways.

    .venv/bin/python bench/engine_bench.py [--quick] [--data-dir DIR] [--days N]

Generates (once; reused when present) a synthetic store of about 20 million lit trades over
5 trading days on the 4 venues (``--quick``: 2 days of 2,000 trades per listing), plus as many
days again for the memory figure. Then, on the same files, each in a fresh process whose wall
time and peak RSS (the sum over its process tree, polled every 50 ms) are measured:

- ``pipeline``: ``basalt.pipeline.runner.run`` of demo 01's resolved config with universe
  ``all``, the range, DATA_DIR / OUTPUT_DIR set and GENERATE_MISSING_DATA off (NUM_WORKERS:
  its default);
- ``polars_query``: one hand-written lazy Polars query (``bench/_engine_baselines.py``);
- ``duckdb``: one DuckDB SQL query over the same files, dense grid included, written by DuckDB;
- ``pandas``: a plain pandas implementation of the same.

A second scenario, demo 02's L2 pass over ten levels (spreads, time-weighted spreads, mid
OHLC, cumulated depth, imbalance; ``bench/_l2_baselines.py``), runs the same way through the
pipeline, a hand-written Polars query and DuckDB (``--no-l2`` leaves it out).

The outputs of each scenario must hold the same numbers (a mismatch exits 1). The pipeline then runs on
twice the days for the memory figure. Prints each figure beside its target, then one JSON line.
Targets (reported, never asserted): pipeline <= 1.2x the Polars query and <= 1.0x DuckDB
(both scenarios),
pandas >= 5x slower than the pipeline, peak memory over 2N days <= 1.1x that over N days.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from _engine_baselines import (  # noqa: E402
    COLUMNS,
    KEYS,
    duckdb_bars,
    pandas_bars,
    polars_query,
)
from _l2_baselines import L2_PASS, l2_duckdb, l2_polars_query  # noqa: E402

DEMO = ROOT / "demo" / "01_ohlcv_bars.py"
L2_DEMO = ROOT / "demo" / "02_spreads_depth.py"
FIRST_DAY = dt.date(2025, 1, 6)
DEFAULT_DAYS = 5
DEFAULT_TRADES_PER_LISTING = round(20_000_000 / DEFAULT_DAYS / 24)
"""About 20 million lit trades over the default 5 days and 24 listings."""
QUICK_DAYS = 2
QUICK_TRADES_PER_LISTING = 2_000
POLL_SECONDS = 0.05
PAGE = os.sysconf("SC_PAGE_SIZE")
TARGET_RATIO_VS_QUERY = 1.2
TARGET_RATIO_VS_DUCKDB = 1.0
TARGET_PANDAS_SLOWER = 5.0
TARGET_MEMORY_GROWTH = 1.1
RTOL, ATOL = 1e-9, 1e-9


# --- data -----------------------------------------------------------------------------------


def bench_days(count: int) -> list[dt.date]:
    """The first ``count`` days from FIRST_DAY on which every venue trades."""
    from basalt.data import calendars

    days: list[dt.date] = []
    day = FIRST_DAY
    while len(days) < count:
        if all(calendars.is_trading_day(mic, day) for mic in calendars.VENUES):
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def ensure_data(root: Path, days: list[dt.date], trades_per_listing: int) -> float:
    """Generate the days the store lacks; returns the seconds spent (0 when all present)."""
    from basalt.data.store import MarketDataStore, file_source, synthetic_source
    from basalt.data.tables import TABLES

    store = MarketDataStore(root, trades_per_listing=trades_per_listing)
    expected = synthetic_source(store.seed, trades_per_listing)
    for day in days:
        for mic in store.mics():
            path = store.path("trades", day, mic)
            if path.exists() and file_source(path) != expected:
                sys.exit(
                    f"error: {path} holds {file_source(path)}, not {expected}; "
                    "use another --data-dir or delete it"
                )
    gaps = store.missing(TABLES, days)
    if not gaps:
        return 0.0
    print(f"generating {len(gaps)} partition(s) into {root} ...", flush=True)
    start = time.perf_counter()
    store.ensure(TABLES, days, workers=os.cpu_count() or 1)
    for day in days:
        store.reference(day)
    return time.perf_counter() - start


def trade_counts(root: Path, days: list[dt.date]) -> tuple[int, int]:
    """(all trades, LIT_CONTINUOUS trades) of the days; reads every file, warming the cache."""
    import polars as pl
    from _engine_baselines import partition_files

    for table in ("trades", "reference"):
        for files in partition_files(root, table, days).values():
            for path in files:
                path.read_bytes()
    files = [f for fs in partition_files(root, "trades", days).values() for f in fs]
    counts = (
        pl.scan_parquet(files, hive_partitioning=False)
        .select(
            pl.len().alias("all"),
            (pl.col("Classification") == "LIT_CONTINUOUS").sum().alias("lit"),
        )
        .collect()
    )
    return int(counts["all"][0]), int(counts["lit"][0])


# --- measuring a child process --------------------------------------------------------------


def _stat(pid: str) -> tuple[int, int] | None:
    """(parent pid, resident bytes) of a process, from /proc/PID/stat."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            text = handle.read()
    except OSError:
        return None
    fields = text[text.rfind(b")") + 2 :].split()
    return int(fields[1]), int(fields[21]) * PAGE  # fields 4 (ppid) and 24 (rss) of stat


def tree_rss(root: int) -> tuple[int, int]:
    """(summed RSS in bytes, process count) of ``root`` and all its descendants."""
    info = {int(pid): s for pid in os.listdir("/proc") if pid.isdigit() and (s := _stat(pid))}
    children: dict[int, list[int]] = {}
    for pid, (ppid, _) in info.items():
        children.setdefault(ppid, []).append(pid)
    total, count, todo = 0, 0, [root]
    while todo:
        pid = todo.pop()
        if pid in info:
            total += info[pid][1]
            count += 1
        todo.extend(children.get(pid, []))
    return total, count


class TreeMonitor(threading.Thread):
    """Polls a process tree's summed RSS until stopped; keeps the peak."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak = 0
        self.processes = 0
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            rss, count = tree_rss(self.pid)
            self.peak = max(self.peak, rss)
            self.processes = max(self.processes, count)
            self.stopped.wait(POLL_SECONDS)


@dataclass
class ChildRun:
    wall_s: float
    peak_rss_mb: float
    """Peak of the summed RSS of the process tree (polled)."""
    max_process_rss_mb: float
    """Largest single process (ru_maxrss of wait4: the child and its reaped descendants)."""
    processes: int
    report: dict[str, Any] = field(default_factory=dict)


def run_child(engine: str, data_dir: Path, days: list[dt.date], out_dir: Path) -> ChildRun:
    """Run one engine in a fresh interpreter; measure its wall time and memory."""
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--child",
        engine,
        "--data-dir",
        str(data_dir),
        "--dates",
        ",".join(d.isoformat() for d in days),
        "--output-dir",
        str(out_dir),
    ]
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=err, cwd=ROOT)
        monitor = TreeMonitor(process.pid)
        monitor.start()
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        monitor.stopped.set()
        monitor.join()
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if process.returncode != 0:
        sys.stderr.write(stdout + stderr)
        sys.exit(f"error: the {engine} run failed (exit {process.returncode})")
    lines = [line for line in stdout.splitlines() if line.startswith("{")]
    report = json.loads(lines[-1]) if lines else {}
    return ChildRun(wall, monitor.peak / 2**20, usage.ru_maxrss / 1024, monitor.processes, report)


# --- the engines (child side) ---------------------------------------------------------------


def pipeline(
    data_dir: Path, days: list[dt.date], out_dir: Path, demo: Path = DEMO, **extra: Any
) -> int:
    """A demo (default 01) through ``basalt.pipeline.runner.run``; returns the rows written."""
    from basalt.config.resolve import resolve
    from basalt.config.validation import validate_resolved
    from basalt.pipeline.runner import run

    overrides = {
        **extra,
        "UNIVERSE": "all",
        "START_DATE": days[0],
        "END_DATE": days[-1],
        "DATA_DIR": str(data_dir),
        "OUTPUT_DIR": str(out_dir),
        "GENERATE_MISSING_DATA": False,
        "LOGGING_LEVEL": "WARNING",
    }
    config, issues = validate_resolved(resolve(demo, overrides))
    if config is None:
        raise SystemExit("\n".join(issue.format() for issue in issues))
    return sum(o.rows for result in run(config) for o in result.outputs)


def l2_pipeline(data_dir: Path, days: list[dt.date], out_dir: Path) -> int:
    """Demo 02 with the scenario's pass (`L2_PASS`) through the pipeline."""
    return pipeline(data_dir, days, out_dir, L2_DEMO, PASSES=[L2_PASS])


ENGINES = {
    "pipeline": pipeline,
    "polars": polars_query,
    "duckdb": duckdb_bars,
    "pandas": pandas_bars,
}
L2_ENGINES = {"l2_pipeline": l2_pipeline, "l2_polars": l2_polars_query, "l2_duckdb": l2_duckdb}
CHILDREN = {**ENGINES, **L2_ENGINES}


def child_main(args: argparse.Namespace) -> None:
    start = time.perf_counter()
    days = [dt.date.fromisoformat(d) for d in args.dates.split(",")]
    rows = CHILDREN[args.child](args.data_dir, days, args.output_dir)
    print(json.dumps({"compute_s": time.perf_counter() - start, "rows": rows}))


# --- checking the outputs -------------------------------------------------------------------


def read_outputs(folder: Path, columns: list[str] | None = None):
    """Every parquet file under ``folder``, as one frame of ``columns`` (default demo 01's)
    with normalised types."""
    import polars as pl

    columns = columns or COLUMNS
    files = sorted(folder.rglob("*.parquet"))
    frame = pl.concat([pl.read_parquet(f) for f in files], how="vertical_relaxed")
    floats = [c for c in columns if c not in (*KEYS, "MIC", "Ticker", "TradeTotalCount")]
    return (
        frame.select(columns)
        .with_columns(
            pl.col("ListingId").cast(pl.Int64),
            pl.col("TimeBucket").cast(pl.Datetime("us")),
            pl.col("MIC", "Ticker").cast(pl.String),
            pl.col("^TradeTotalCount$").cast(pl.Int64),
            pl.col(floats).cast(pl.Float64).fill_nan(None),
        )
        .sort(KEYS)
    )


def differences(expected, actual) -> list[str]:
    """What differs between two normalised outputs (empty when they match)."""
    import polars as pl

    if expected.height != actual.height:
        return [f"{actual.height:,} rows instead of {expected.height:,}"]
    if not expected.select(KEYS).equals(actual.select(KEYS)):
        return ["different (ListingId, TimeBucket) keys"]
    problems = []
    for name in expected.columns[len(KEYS) :]:
        a, b = expected[name], actual[name]
        if a.dtype == pl.Float64:
            close = (a - b).abs() <= ATOL + RTOL * b.abs()
            same = (a.is_null() & b.is_null()) | close.fill_null(False)
        else:
            same = a.eq_missing(b)
        bad = same.len() - same.sum()
        if bad:
            problems.append(f"{name}: {bad:,} of {same.len():,} values differ")
    return problems


def pl_columns(folder: Path) -> list[str]:
    """The columns of the first parquet file under ``folder`` (the pipeline's output order)."""
    import polars as pl

    return list(pl.read_parquet_schema(next(iter(sorted(folder.rglob("*.parquet"))))))


# --- report ---------------------------------------------------------------------------------


def cpu_note() -> str:
    quota = Path("/sys/fs/cgroup/cpu.max")
    limit = quota.read_text().split() if quota.exists() else []
    cgroup = f", cgroup cpu.max {' '.join(limit)}" if limit else ""
    return f"os.cpu_count() {os.cpu_count()}, affinity {len(os.sched_getaffinity(0))}{cgroup}"


def best(runs: list[ChildRun]) -> ChildRun:
    """The fastest run, with the highest memory figures of all."""
    fastest = min(runs, key=lambda run: run.wall_s)
    return ChildRun(
        fastest.wall_s,
        max(run.peak_rss_mb for run in runs),
        max(run.max_process_rss_mb for run in runs),
        max(run.processes for run in runs),
        fastest.report,
    )


def git_state() -> str:
    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
        return done.stdout.strip()

    dirty = git("status", "--porcelain", "--untracked-files=no", "--", "basalt")
    return git("rev-parse", "--short", "HEAD") + (
        " + uncommitted changes in basalt/" if dirty else ""
    )


def compile_sources() -> None:
    """Byte-compile ``basalt/`` once, as an install does: with PYTHONDONTWRITEBYTECODE set (as
    on these machines) every child would otherwise compile the pipeline's modules again (about
    0.1 s), a cost the other engines, already compiled in site-packages, never pay."""
    import compileall

    compileall.compile_dir(str(ROOT / "basalt"), quiet=1)
    print("bytecode: basalt/ compiled (not in any ratio)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small data set: a smoke run")
    parser.add_argument("--data-dir", type=Path, help="bench store (default .basalt/bench-data)")
    parser.add_argument("--days", type=int, help="trading days timed (memory: N and 2N)")
    parser.add_argument("--trades-per-listing", type=int, help="mean lit trades per listing-day")
    parser.add_argument("--repeat", type=int, default=3, help="timed rounds (default 3)")
    parser.add_argument("--keep-output", action="store_true", help="keep the output folder")
    parser.add_argument("--no-l2", action="store_true", help="leave out the L2 scenario")
    parser.add_argument("--child", choices=list(CHILDREN), help=argparse.SUPPRESS)
    parser.add_argument("--dates", help=argparse.SUPPRESS)
    parser.add_argument("--output-dir", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child_main(args)
        return

    n_days = args.days or (QUICK_DAYS if args.quick else DEFAULT_DAYS)
    per_listing = args.trades_per_listing or (
        QUICK_TRADES_PER_LISTING if args.quick else DEFAULT_TRADES_PER_LISTING
    )
    default_dir = ".basalt/bench-data-quick" if args.quick else ".basalt/bench-data"
    data_dir = (args.data_dir or ROOT / default_dir).resolve()
    days = bench_days(n_days)
    memory_days = bench_days(2 * n_days)

    print(f"machine: {cpu_note()}; load average {Path('/proc/loadavg').read_text().split()[:3]}")
    print(f"code: {git_state()}")
    print(f"store: {data_dir}, {per_listing:,} lit trades per listing and day")
    generation_s = ensure_data(data_dir, memory_days, per_listing)
    if generation_s:
        print(f"generation: {generation_s:.1f} s for {len(memory_days)} days (not in any ratio)")
    else:
        print(f"generation: none, {len(memory_days)} days reused")
    compile_sources()
    trades, lit = trade_counts(data_dir, days)
    print(
        f"timed range: {days[0]}..{days[-1]} ({len(days)} days), {trades:,} trades, "
        f"{lit:,} LIT_CONTINUOUS"
    )

    work = Path(tempfile.mkdtemp(prefix="engine-bench-"))
    rounds: dict[str, list[ChildRun]] = {engine: [] for engine in ENGINES}
    try:
        for i in range(args.repeat):
            for engine in ENGINES:
                print(f"round {i + 1}/{args.repeat}: {engine} ...", flush=True)
                rounds[engine].append(run_child(engine, data_dir, days, work / f"{engine}-{i}"))
        outputs = {engine: read_outputs(work / f"{engine}-0") for engine in ENGINES}
        problems = {
            engine: differences(outputs["pipeline"], outputs[engine])
            for engine in ("polars", "duckdb", "pandas")
        }
        l2_engines = {} if args.no_l2 else L2_ENGINES
        l2_rounds: dict[str, list[ChildRun]] = {engine: [] for engine in l2_engines}
        for i in range(args.repeat if l2_engines else 0):
            for engine in l2_engines:
                print(f"round {i + 1}/{args.repeat}: {engine} ...", flush=True)
                l2_rounds[engine].append(run_child(engine, data_dir, days, work / f"{engine}-{i}"))
        if l2_engines:
            l2_columns = pl_columns(work / "l2_pipeline-0")
            l2_outputs = {e: read_outputs(work / f"{e}-0", l2_columns) for e in l2_engines}
            for engine in ("l2_polars", "l2_duckdb"):
                problems[engine] = differences(l2_outputs["l2_pipeline"], l2_outputs[engine])
        print(f"running pipeline over {len(memory_days)} days (memory) ...", flush=True)
        memory = run_child("pipeline", data_dir, memory_days, work / "pipeline-memory")
    finally:
        if args.keep_output:
            print(f"outputs kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)

    runs = {engine: best(found) for engine, found in rounds.items()}
    l2_runs = {engine: best(found) for engine, found in l2_rounds.items()}
    pipe, query, pandas = runs["pipeline"], runs["polars"], runs["pandas"]
    duck = runs["duckdb"]
    ratio_query = pipe.wall_s / query.wall_s
    ratio_duckdb = pipe.wall_s / duck.wall_s
    ratio_pandas = pandas.wall_s / pipe.wall_s
    growth = memory.peak_rss_mb / pipe.peak_rss_mb

    def verdict(ok: bool) -> str:
        return "ok" if ok else "MISSED"

    print(
        f"\nwall times of the {args.repeat} round(s); the fastest counts, peak RSS is the highest:"
    )
    for engine, found in {**rounds, **l2_rounds}.items():
        print(f"  {engine:<12}" + " ".join(f"{run.wall_s:7.2f}" for run in found))
    for engine, run in {**runs, **l2_runs}.items():
        compute = run.report.get("compute_s", float("nan"))
        print(
            f"{engine + ' (s):':<16}{run.wall_s:8.2f}   in-process {compute:7.2f} s, "
            f"peak RSS {run.peak_rss_mb:7.0f} MB over {run.processes} process(es), "
            f"largest process {run.max_process_rss_mb:6.0f} MB, {run.report.get('rows', 0):,} rows"
        )
    print(
        f"ratio pipeline / Polars query:  {ratio_query:6.2f}   target <= {TARGET_RATIO_VS_QUERY}"
        f"  {verdict(ratio_query <= TARGET_RATIO_VS_QUERY)}"
    )
    print(
        f"ratio pipeline / DuckDB:        {ratio_duckdb:6.2f}   target <= {TARGET_RATIO_VS_DUCKDB}"
        f"  {verdict(ratio_duckdb <= TARGET_RATIO_VS_DUCKDB)}"
    )
    print(
        f"ratio pandas / pipeline:        {ratio_pandas:6.2f}   target >= {TARGET_PANDAS_SLOWER}"
        f"  {verdict(ratio_pandas >= TARGET_PANDAS_SLOWER)}"
    )
    print(f"pipeline peak RSS, {len(days):>2} days:   {pipe.peak_rss_mb:6.0f} MB")
    print(
        f"pipeline peak RSS, {len(memory_days):>2} days:   {memory.peak_rss_mb:6.0f} MB "
        f"({memory.wall_s:.1f} s)"
    )
    print(
        f"memory {len(memory_days)} days / {len(days)} days:       {growth:6.2f}   target <= "
        f"{TARGET_MEMORY_GROWTH}  {verdict(growth <= TARGET_MEMORY_GROWTH)}"
    )
    l2_keys: dict[str, Any] = {}
    if l2_runs:
        l2_pipe, l2_query, l2_duck = (l2_runs[e] for e in ("l2_pipeline", "l2_polars", "l2_duckdb"))
        l2_ratio_query = l2_pipe.wall_s / l2_query.wall_s
        l2_ratio_duckdb = l2_pipe.wall_s / l2_duck.wall_s
        print(
            f"L2 ratio pipeline / Polars query: {l2_ratio_query:5.2f}   target <= "
            f"{TARGET_RATIO_VS_QUERY}  {verdict(l2_ratio_query <= TARGET_RATIO_VS_QUERY)}"
        )
        print(
            f"L2 ratio pipeline / DuckDB:       {l2_ratio_duckdb:5.2f}   target <= "
            f"{TARGET_RATIO_VS_DUCKDB}  {verdict(l2_ratio_duckdb <= TARGET_RATIO_VS_DUCKDB)}"
        )
        l2_keys = {
            "l2_pipeline_s": round(l2_pipe.wall_s, 3),
            "l2_polars_query_s": round(l2_query.wall_s, 3),
            "l2_duckdb_s": round(l2_duck.wall_s, 3),
            "l2_ratio_vs_polars_query": round(l2_ratio_query, 3),
            "l2_ratio_vs_duckdb": round(l2_ratio_duckdb, 3),
            "l2_pipeline_compute_s": round(l2_pipe.report.get("compute_s", 0.0), 3),
            "l2_peak_rss_mb": round(l2_pipe.peak_rss_mb, 1),
        }
    matched = not any(problems.values())
    for engine, found in problems.items():
        print(f"outputs {engine} vs pipeline: {'match' if not found else 'MISMATCH'}")
    if not matched:
        print("\n!!! OUTPUTS DIFFER !!!", file=sys.stderr)
        for engine, found in problems.items():
            for problem in found:
                print(f"!!! {engine} vs pipeline: {problem}", file=sys.stderr)
    print(
        json.dumps(
            {
                "pipeline_s": round(pipe.wall_s, 3),
                "polars_query_s": round(query.wall_s, 3),
                "duckdb_s": round(duck.wall_s, 3),
                "pandas_s": round(pandas.wall_s, 3),
                "ratio_vs_polars_query": round(ratio_query, 3),
                "ratio_vs_duckdb": round(ratio_duckdb, 3),
                "ratio_pandas_vs_pipeline": round(ratio_pandas, 3),
                "peak_rss_mb_5d": round(pipe.peak_rss_mb, 1),
                "peak_rss_mb_10d": round(memory.peak_rss_mb, 1),
                "memory_ratio_10d_vs_5d": round(growth, 3),
                "memory_days": [len(days), len(memory_days)],
                "trades": trades,
                "lit_trades": lit,
                "days": len(days),
                "trades_per_listing": per_listing,
                "generation_s": round(generation_s, 1),
                "pipeline_compute_s": round(pipe.report.get("compute_s", 0.0), 3),
                "polars_query_compute_s": round(query.report.get("compute_s", 0.0), 3),
                "duckdb_compute_s": round(duck.report.get("compute_s", 0.0), 3),
                "pandas_compute_s": round(pandas.report.get("compute_s", 0.0), 3),
                "peak_rss_mb_polars_query": round(query.peak_rss_mb, 1),
                "peak_rss_mb_duckdb": round(duck.peak_rss_mb, 1),
                "peak_rss_mb_pandas": round(pandas.peak_rss_mb, 1),
                "repeat": args.repeat,
                **l2_keys,
                "outputs_match": matched,
            }
        )
    )
    if not matched:
        sys.exit(1)


if __name__ == "__main__":
    main()
