"""Scaling of the pipeline on demo 01's bars: 1, 5 and 20 days, with 1 and 2 workers.

    .venv/bin/python bench/_engine_scaling.py [--data-dir DIR] [--days 1,5,20] [--workers 1,2]

Uses the store of ``bench/engine_bench.py`` (generated there; days it lacks are generated
first). Each run is a fresh process measured like the engine benchmark's (wall time, peak RSS
summed over the process tree, polled every 50 ms); prints a Markdown table, then one JSON line.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import engine_bench as eb  # noqa: E402


def child(data_dir: Path, days: list[dt.date], out_dir: Path, workers: int) -> None:
    start = time.perf_counter()
    rows = eb.pipeline(data_dir, days, out_dir, NUM_WORKERS=workers)
    print(json.dumps({"compute_s": time.perf_counter() - start, "rows": rows}))


def measure(data_dir: Path, days: list[dt.date], workers: int) -> eb.ChildRun:
    with tempfile.TemporaryDirectory(prefix="engine-scaling-") as out:
        command = [
            sys.executable,
            str(Path(__file__).resolve()),
            "--child",
            str(workers),
            "--data-dir",
            str(data_dir),
            "--dates",
            ",".join(d.isoformat() for d in days),
            "--output-dir",
            out,
        ]
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.PIPE, cwd=eb.ROOT, text=True)
        monitor = eb.TreeMonitor(process.pid)
        monitor.start()
        stdout, _ = process.communicate()
        wall = time.perf_counter() - start
        monitor.stopped.set()
        monitor.join()
    if process.returncode != 0:
        sys.exit(f"error: the run over {len(days)} days with {workers} worker(s) failed")
    report = json.loads([line for line in stdout.splitlines() if line.startswith("{")][-1])
    return eb.ChildRun(wall, monitor.peak / 2**20, 0.0, monitor.processes, report)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", type=Path, help="bench store (default .basalt/bench-data)")
    parser.add_argument("--days", default="1,5,20", help="day counts (default 1,5,20)")
    parser.add_argument("--workers", default="1,2", help="NUM_WORKERS values (default 1,2)")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--dates", help=argparse.SUPPRESS)
    parser.add_argument("--output-dir", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    data_dir = (args.data_dir or eb.ROOT / ".basalt/bench-data").resolve()
    if args.child:
        dates = [dt.date.fromisoformat(d) for d in args.dates.split(",")]
        child(data_dir, dates, args.output_dir, args.child)
        return
    counts = [int(n) for n in args.days.split(",")]
    workers = [int(n) for n in args.workers.split(",")]
    eb.ensure_data(data_dir, eb.bench_days(max(counts)), eb.DEFAULT_TRADES_PER_LISTING)
    print(f"machine: {eb.cpu_note()}; code: {eb.git_state()}")
    print("| days | workers | seconds | peak RSS (MB) | processes |")
    print("|---:|---:|---:|---:|---:|")
    rows = []
    for n in counts:
        for w in workers:
            run = measure(data_dir, eb.bench_days(n), w)
            print(f"| {n} | {w} | {run.wall_s:.2f} | {run.peak_rss_mb:.0f} | {run.processes} |")
            rows.append(
                {
                    "days": n,
                    "workers": w,
                    "s": round(run.wall_s, 3),
                    "peak_rss_mb": round(run.peak_rss_mb, 1),
                }
            )
    print(json.dumps({"scaling": rows}))


if __name__ == "__main__":
    main()
