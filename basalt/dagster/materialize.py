"""Materialize one partition of a demo from the command line, through Dagster::

    python -m basalt.dagster.materialize --demo 01 --partition '2025-01-02|mic=XLON'
    python -m basalt.dagster.materialize --demo 01 --date 2025-01-02 --universe mic=XLON

With ``DAGSTER_HOME`` set the run is recorded in that instance (``dagster dev`` shows it);
without, it runs on a throwaway instance. Exit code 0 when the run succeeds and no check of
severity ERROR fails, 1 otherwise, with the reason on stderr (no traceback).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from basalt.dagster.demos import Demo, date_key_for, load_demos
from basalt.dagster.partitions import KEY_SEPARATOR, PartitionKeyError, split_partition_key
from basalt.universes.spec import UniverseSpecError, parse_universe_spec


class UsageError(ValueError):
    """A mistake on the command line; the message says which argument and why."""


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m basalt.dagster.materialize",
        description="Materialize one date x universe partition of a demo with Dagster.",
    )
    parser.add_argument("--demo", required=True, help="demo number (01), name or path")
    parser.add_argument(
        "--partition", help="partition key DATE|UNIVERSE, e.g. '2025-01-02|mic=XLON'"
    )
    parser.add_argument("--date", help="date key (YYYY-MM-DD), with --universe")
    parser.add_argument("--universe", help="universe spec, e.g. mic=XLON, with --date")
    parser.add_argument("--demo-dir", help="folder of the demos (default: the repository's demo/)")
    parser.add_argument(
        "--whole-demo",
        action="store_true",
        help="one asset for the whole demo instead of one per pass (as in the code location)",
    )
    parser.add_argument(
        "--log-level",
        default="WARNING",
        choices=["DEBUG", "INFO", "WARNING", "ERROR"],
        help="Dagster's run log on stderr (default WARNING)",
    )
    return parser.parse_args(argv)


def find_demo(args: argparse.Namespace) -> Demo:
    wanted = args.demo
    if wanted.endswith((".py", ".yaml")):  # a path: its folder, its stem
        path = Path(wanted)
        demos = load_demos(path.parent, only=[path.stem])
    else:
        demos = load_demos(args.demo_dir, only=[wanted])
    if not demos:
        raise UsageError(f"--demo {wanted}: no such demo (try a number such as 01)")
    if len(demos) > 1:
        names = ", ".join(d.stem for d in demos)
        raise UsageError(f"--demo {wanted} matches several demos: {names}")
    demo = demos[0]
    if not demo.ok:
        raise UsageError(f"demo {demo.stem} does not load:\n{demo.error}")
    return demo


def partition_of(demo: Demo, args: argparse.Namespace) -> tuple[str, str]:
    """``(date key, universe key)``, checked against the demo's partitions."""
    import datetime as dt

    if args.partition:
        if args.date or args.universe:
            raise UsageError("give either --partition or --date with --universe")
        try:
            date_text, universe_text = split_partition_key(args.partition)
        except PartitionKeyError as exc:
            raise UsageError(f"--partition: {exc}") from None
    elif args.date and args.universe:
        date_text, universe_text = args.date, args.universe
    else:
        raise UsageError("give --partition DATE|UNIVERSE, or --date and --universe")
    try:
        day = dt.date.fromisoformat(date_text)
    except ValueError:
        raise UsageError(f"date '{date_text}' is not a date (YYYY-MM-DD)") from None
    try:
        universe = parse_universe_spec(universe_text).spec
    except UniverseSpecError as exc:
        raise UsageError(f"universe '{universe_text}' does not parse: {exc}") from None
    date_key = date_key_for(demo, day)
    if date_key is None:
        raise UsageError(
            f"{day} is not a date partition of {demo.asset_name} (it starts on "
            f"{demo.config.START_DATE if demo.config else '?'}; weekends are excluded unless "
            "EXCLUDE_WEEKENDS is false)"
        )
    if date_key != day.isoformat():
        raise UsageError(f"{day} is inside the partition {date_key}: use that date key")
    if not demo.dynamic and universe not in demo.universe_keys:
        raise UsageError(
            f"universe '{universe}' is not a partition of {demo.asset_name}; its universes: "
            f"{', '.join(demo.universe_keys)}"
        )
    return date_key, universe


def materialize(args: argparse.Namespace) -> int:
    demo = find_demo(args)
    date_key, universe = partition_of(demo, args)

    import dagster as dg

    from basalt.dagster.assets import (
        SEVERITY,
        build_demo_assets,
        partition_key,
        universe_partitions_def_name,
    )
    from basalt.dagster.resources import default_resources

    instance = dg.DagsterInstance.get() if os.environ.get("DAGSTER_HOME") else None
    instance = instance or dg.DagsterInstance.ephemeral()
    if demo.dynamic:
        instance.add_dynamic_partitions(universe_partitions_def_name(demo), [universe])
    key = partition_key(date_key, universe)
    print(f"materializing {demo.asset_name} {date_key}{KEY_SEPARATOR}{universe}")
    result = dg.materialize(
        build_demo_assets(not args.whole_demo, demos=[demo]),
        partition_key=str(key),
        instance=instance,
        resources=default_resources(),
        tags={"basalt/launched_by": "basalt.dagster.materialize"},
        run_config={"loggers": {"console": {"config": {"log_level": args.log_level}}}},
        raise_on_error=False,
    )
    for event in result.get_asset_materialization_events():
        meta = event.materialization.metadata
        rows = meta.get("dagster/row_count")
        where = meta.get("output_path") or meta.get("reason")  # a holiday has no file
        print(
            f"  {event.materialization.asset_key.to_user_string():<32} {rows.value if rows else 0:>8,} rows  "
            f"{where.value if where else ''}"
        )
    failed = [
        e
        for e in result.get_asset_check_evaluations()
        if not e.passed and e.severity == SEVERITY["not_empty"]
    ]
    for e in result.get_asset_check_evaluations():
        if not e.passed:
            print(f"  check {e.asset_key.to_user_string()}:{e.check_name} failed: {e.description}")
    if not result.success:
        for event in result.get_step_failure_events():
            error = event.step_failure_data.error
            print(f"error: {error.message.strip() if error else event.message}", file=sys.stderr)
        return 1
    if failed:
        print(f"error: {len(failed)} check(s) of severity ERROR failed", file=sys.stderr)
        return 1
    print(f"done: run {result.run_id}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    args = parse_args(argv)
    try:
        return materialize(args)
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
