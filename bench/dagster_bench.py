"""Dagster definitions benchmark: every demo, about 50 universes and 2,000 dates each.

    .venv/bin/python bench/dagster_bench.py

The demos are copied to a temporary folder with START_DATE moved back so that each has 2,000
weekday partitions up to today; demos without ``UNIVERSES`` get 50 index universes. Prints
the import of dagster on its own, then the time to build the definitions (our code: resolve,
validate and import each demo, then the assets, checks, jobs, schedules and sensor), to
resolve them as a code server does (``Definitions.validate_loadable``), and to snapshot the
repository for the UI. Target: build + resolve under 2 s. One JSON line at the end.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DATES = 2_000
UNIVERSES = 50
TARGET_SECONDS = 2.0


def start_for(weekdays: int, today: dt.date) -> dt.date:
    """The date ``weekdays`` weekdays back from ``today`` (today included)."""
    day, count = today, 0
    while True:
        if day.weekday() < 5:
            count += 1
            if count == weekdays:
                return day
        day -= dt.timedelta(days=1)


def prepare(folder: Path) -> dt.date:
    from basalt.config.resolve import load_document

    start = start_for(DATES, dt.date.today())
    for path in sorted((REPO / "demo").glob("[0-9][0-9]_*")):
        if path.suffix in (".py", ".yaml"):
            shutil.copy(path, folder / path.name)
    for yaml in sorted(folder.glob("*.yaml")):
        document = load_document(yaml)
        document.set("START_DATE", start)
        document.save()
    return start


def timed(fn):
    start = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - start


def main() -> None:
    _, import_seconds = timed(lambda: __import__("dagster"))
    _, basalt_seconds = timed(lambda: __import__("basalt.dagster.build"))
    from basalt.dagster.build import build_definitions
    from basalt.dagster.demos import load_demos
    from basalt.dagster.universes import IndexUniverse

    universes = [IndexUniverse([f"IDX{i:02d}" for i in range(UNIVERSES)])]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        start = prepare(folder)
        demos, load_seconds = timed(lambda: load_demos(folder, universes))
        assert all(d.ok for d in demos), [d.error for d in demos if d.error]
        defs, build_seconds = timed(lambda: build_definitions(demos=demos))
        import dagster as dg

        _, resolve_seconds = timed(lambda: dg.Definitions.validate_loadable(defs))
        repo = defs.get_repository_def()
        try:
            from dagster._core.remote_representation.external_data import RepositorySnap

            _, snap_seconds = timed(lambda: RepositorySnap.from_def(repo))
        except Exception as exc:  # a private API: report, do not fail
            print(f"(repository snapshot not timed: {type(exc).__name__}: {exc})", file=sys.stderr)
            snap_seconds = float("nan")
        # the second build, warm: what a reload of the location costs
        _, rebuild_seconds = timed(lambda: build_definitions(demo_dir=folder, universes=universes))

    demo01 = next(d for d in demos if d.number == "01")
    dates = len(
        demo01.cache["partitions_def"].get_partitions_def_for_dimension("date").get_partition_keys()
    )
    partitions = dates * len(demo01.universe_keys)
    total = load_seconds + build_seconds + resolve_seconds
    print(f"demos: {len(demos)}, universes per demo: {len(demo01.universe_keys)}, ", end="")
    print(f"dates: {dates} (from {start}), partitions per demo: {partitions:,}")
    print(f"import dagster                    {import_seconds:6.2f} s")
    print(f"import basalt (polars, pydantic)  {basalt_seconds:6.2f} s")
    print(f"load demos (resolve, validate)    {load_seconds:6.2f} s")
    print(f"build definitions                 {build_seconds:6.2f} s")
    print(f"resolve (validate_loadable)       {resolve_seconds:6.2f} s")
    print(
        f"  load + build + resolve          {total:6.2f} s  (target < {TARGET_SECONDS:.0f} s: "
        f"{'ok' if total < TARGET_SECONDS else 'MISSED'})"
    )
    print(f"repository snapshot for the UI    {snap_seconds:6.2f} s")
    print(f"rebuild, warm (location reload)   {rebuild_seconds:6.2f} s")
    print(
        json.dumps(
            {
                "bench": "dagster_definitions",
                "demos": len(demos),
                "universes": len(demo01.universe_keys),
                "dates": dates,
                "import_dagster_s": round(import_seconds, 3),
                "import_basalt_s": round(basalt_seconds, 3),
                "load_s": round(load_seconds, 3),
                "build_s": round(build_seconds, 3),
                "resolve_s": round(resolve_seconds, 3),
                "total_s": round(total, 3),
                "snapshot_s": round(snap_seconds, 3),
                "rebuild_s": round(rebuild_seconds, 3),
            }
        )
    )


if __name__ == "__main__":
    main()
