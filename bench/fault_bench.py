"""Faults with real processes, and what they leave behind.

    .venv/bin/python bench/fault_bench.py [--kills 20] [--dagster-kills 4] [--together 8] [--seed 13]

1. ``--kills`` CLI runs (``basalt run`` of demo 01 over 20 trading days, a batch a day), each
   SIGKILLed at a random instant of a run's duration;
2. ``--dagster-kills`` Dagster materializations of one partition, each SIGKILLed at a random
   instant, then ``basalt dagster sync``;
3. ``--together`` identical CLI runs started at once, watched by inotify;
4. a recovery run of the whole range, ``basalt dagster sync`` and ``basalt ledger doctor
   --repair`` (what a user runs after a crash); then the audit of :mod:`tests.faults.harness`.
5. the ledger file cut to half its size, a run on it, then ``basalt ledger doctor --repair``.

Prints runs killed, runs left ``running``, ledger rows lost, outputs written twice and partial
files left: every figure but the first must be 0. One JSON line at the end.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.faults.harness import (  # noqa: E402 (after sys.path)
    FIRST,
    LAST,
    FaultWorld,
    WriteWatcher,
    audit,
    run_and_kill,
)


def timed_run(world: FaultWorld, run_id: str) -> float:
    start = time.monotonic()
    code = world.cli_run(run_id, FIRST, LAST).wait(timeout=600)
    if code != 0:
        sys.exit(f"error: run {run_id} exited {code}")
    return time.monotonic() - start


def truncation(world: FaultWorld) -> dict[str, int]:
    """Cut the ledger to half, run once on it (its writes spool), repair: what came back."""
    before = len(world.ledger().runs(limit=100_000))
    size = world.ledger_path.stat().st_size
    with open(world.ledger_path, "r+b") as f:
        f.truncate(size // 2)
    code = world.cli_run("after-cut", FIRST, FIRST + dt.timedelta(days=4)).wait(timeout=600)
    repaired = world.basalt("ledger", "doctor", "--repair")
    after = {r["run_id"]: r for r in world.ledger().runs(limit=100_000)}
    files = sum(1 for _ in world.output_dir.rglob("*.parquet"))
    recorded = {
        str(Path(a["output_path"]).resolve()) for a in world.ledger().assets() if a["output_path"]
    }
    return {
        "runs_before_the_cut": before,
        "run_after_the_cut_exit": code,
        "run_after_the_cut_recorded": int(after.get("after-cut", {}).get("status") == "success"),
        "doctor_exit": repaired.returncode,
        "output_files": files,
        "output_files_in_ledger": sum(
            1 for p in world.output_dir.rglob("*.parquet") if str(p.resolve()) in recorded
        ),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--dagster-kills", type=int, default=4)
    parser.add_argument("--together", type=int, default=8)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory(prefix="fault_bench_") as tmp:
        world = FaultWorld(Path(tmp))
        timed_run(world, "warm-up")  # generates the market data
        seconds = timed_run(world, "timed")
        print(
            f"a run of {FIRST}..{LAST} takes {seconds:.2f} s; kills land in 0.05..{seconds:.2f} s"
        )
        with WriteWatcher(world.output_dir) as watcher:
            seen, killed = run_and_kill(
                world, lambda i: world.cli_run(f"k{i}", FIRST, LAST), rng, args.kills, seconds
            )
            print(f"CLI runs killed: {killed} of {args.kills}")
            start = time.monotonic()
            world.dagster_run(LAST).wait(timeout=600)
            dagster_seconds = time.monotonic() - start
            dagster_seen, dagster_killed = run_and_kill(
                world,
                lambda i: world.dagster_run(FIRST + dt.timedelta(days=i % 20)),
                rng,
                args.dagster_kills,
                dagster_seconds,
            )
            seen |= dagster_seen
            print(
                f"Dagster runs killed: {dagster_killed} of {args.dagster_kills} "
                f"(a materialization takes {dagster_seconds:.2f} s)"
            )
            together = [world.cli_run(f"t{i}", FIRST, LAST) for i in range(args.together)]
            codes = [p.wait(timeout=900) for p in together]
            print(f"{args.together} identical runs at once: exit codes {sorted(set(codes))}")
            timed_run(world, "recovery")
        synced = world.basalt("dagster", "sync")
        if synced.returncode != 0:
            print(f"basalt dagster sync exited {synced.returncode}: {synced.stderr.strip()}")
        repaired = world.basalt("ledger", "doctor", "--repair")
        print(f"basalt ledger doctor --repair: {' '.join(repaired.stdout.split())}")
        ok = {f"t{i}" for i, c in enumerate(codes) if c == 0} | {"recovery"}
        found = audit(world, seen_run_ids=seen, succeeded=ok, watcher=watcher)
        figures = {"runs_killed": killed + dagster_killed, **found.figures()}
        figures["writes_watched"] = watcher.writes
        for name, value in figures.items():
            print(f"{name.replace('_', ' '):<24} {value}")
        if str(found) != "clean":
            print(found)
        cut = truncation(world)
        print("ledger cut to half:", ", ".join(f"{k} {v}" for k, v in cut.items()))
        print(json.dumps({**figures, "truncation": cut}))
        bad = any(v for k, v in found.figures().items())
        return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
