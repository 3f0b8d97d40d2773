"""Run ledger under concurrent writers: 8 processes writing runs into one DuckDB file at once.

    .venv/bin/python bench/ledger_bench.py [--workers 8] [--runs 25] [--busy-timeout 20]

Each writer records K runs as fast as it can, through the same recorder as ``basalt run``:
start, 2 outputs, 3 checks, finish, i.e. 4 ledger writes (transactions) per run. Prints the
writes, wall time, writes/s and runs/s, how many writes were spooled (the file stayed busy past
``--busy-timeout``), then reads the ledger back (which applies what is still spooled) and prints
its row counts against the expected ones. One JSON line at the end.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.ledger.writers import CHECKS, PASSES, write_runs  # noqa: E402 (after sys.path)

WRITES_PER_RUN = 4


def writer(path: str, worker: int, runs: int, busy_timeout: float) -> dict[str, float]:
    """One process: ``runs`` runs as fast as it can (the concurrency test's writer), timed."""
    start = time.perf_counter()
    result = write_runs(path, worker, runs, busy_timeout)
    return {
        "seconds": time.perf_counter() - start,
        "spooled": float(result["spooled"]),  # type: ignore[arg-type]
        "warnings": float(len(result["failed"])),  # type: ignore[arg-type]
    }


def count_rows(path: Path) -> dict[str, int]:
    from basalt.ledger.store import Ledger

    with Ledger(path).connect() as con:
        tables = ("runs", "run_assets", "asset_checks", "asset_watermarks")
        counts = {t: con.execute(f"SELECT count(*) FROM meta.{t}").fetchone()[0] for t in tables}
        counts["runs_success"] = con.execute(
            "SELECT count(*) FROM meta.runs WHERE status = 'success'"
        ).fetchone()[0]
    return counts


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--runs", type=int, default=25, help="runs per writer")
    parser.add_argument("--busy-timeout", type=float, default=20.0)
    args = parser.parse_args(argv)

    folder = Path(tempfile.mkdtemp(prefix="ledger_bench_"))
    path = folder / "ledger.duckdb"
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(args.workers, mp_context=context) as pool:
        pool.submit(time.sleep, 0).result()  # processes started before the clock starts
        list(pool.map(time.sleep, [0.2] * args.workers))
        start = time.perf_counter()
        futures = [
            pool.submit(writer, str(path), w, args.runs, args.busy_timeout)
            for w in range(args.workers)
        ]
        results = [f.result() for f in futures]
        wall = time.perf_counter() - start

    writes = args.workers * args.runs * WRITES_PER_RUN
    runs = args.workers * args.runs
    spooled = sum(int(r["spooled"]) for r in results)
    warnings = sum(int(r["warnings"]) for r in results)
    print(f"ledger: {path}  ({args.workers} writers x {args.runs} runs, 4 writes per run)")
    print(f"writes          {writes:,}")
    print(f"wall time       {wall:.2f} s")
    print(f"writes/s        {writes / wall:,.1f}")
    print(f"runs/s          {runs / wall:,.1f}")
    print(
        f"per writer      {min(r['seconds'] for r in results):.2f}..{max(r['seconds'] for r in results):.2f} s"
    )
    print(f"spooled writes  {spooled:,}  (busy past {args.busy_timeout:g} s)")
    print(f"warnings        {warnings:,}")

    read_start = time.perf_counter()
    counts = count_rows(path)  # the first open applies what is still spooled
    read_seconds = time.perf_counter() - read_start
    expected = {
        "runs": runs,
        "run_assets": runs * len(PASSES),
        "asset_checks": runs * len(CHECKS),
        "asset_watermarks": args.workers * len(PASSES),
        "runs_success": runs,
    }
    print(f"read back in {read_seconds:.2f} s (spool applied)")
    for name, value in counts.items():
        print(f"  {name:<18} {value:>8,}  expected {expected[name]:>8,}")
    left = len(list((folder / "ledger.spool").glob("*.json")))
    consistent = counts == expected and left == 0 and warnings == 0
    print(f"consistent: {'yes' if consistent else 'NO'} (spool files left: {left})")
    print(
        json.dumps(
            {
                "workers": args.workers,
                "runs_per_worker": args.runs,
                "writes": writes,
                "wall_s": round(wall, 3),
                "writes_per_s": round(writes / wall, 1),
                "runs_per_s": round(runs / wall, 2),
                "spooled": spooled,
                "counts": counts,
                "consistent": consistent,
            }
        )
    )


if __name__ == "__main__":
    main()
