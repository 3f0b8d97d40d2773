"""``basalt ledger runs | gaps | checks``: the run ledger on the command line."""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import shlex
from pathlib import Path
from typing import Any

from basalt.config.cli import CliError


def _ledger(args: argparse.Namespace) -> Any:
    from basalt.ledger.store import Ledger

    return Ledger(args.ledger) if args.ledger else Ledger()


def _guarded(fn: Any) -> Any:
    """A ledger that cannot be opened or read is one line (exit 1), never a traceback. Every
    table is read first: DuckDB reads only the blocks a query needs, so a file cut short can
    answer one query and fail the next."""

    @functools.wraps(fn)
    def run(args: argparse.Namespace) -> int:
        from basalt.ledger.doctor import check
        from basalt.ledger.store import LedgerError

        try:
            health = check(_ledger(args))
            if health.error:
                raise CliError(health.error)
            return fn(args)
        except LedgerError as exc:
            raise CliError(str(exc)) from None
        except Exception as exc:
            if type(exc).__module__.split(".")[0] != "duckdb":
                raise
            raise CliError(str(_ledger(args).unreadable(exc))) from None

    return run


def cmd_doctor(args: argparse.Namespace) -> int:
    from basalt.ledger.doctor import check, check_outputs, repair

    ledger = _ledger(args)
    if args.repair:
        from basalt.ledger.store import LedgerError

        try:
            done = repair(ledger)
        except LedgerError as exc:
            raise CliError(str(exc)) from None
        for line in done.lines():
            print(line)
    health = check(ledger)
    outputs = check_outputs(remove=args.repair)
    for line in health.lines() + outputs.lines():
        print(line)
    return 0 if health.ok and outputs.ok else 1


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, float):
        return f"{value:.1f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def print_table(rows: list[dict[str, Any]], columns: list[str]) -> None:
    """Plain aligned columns, one row per line (pipe-friendly)."""
    cells = [[_cell(r.get(c)) for c in columns] for r in rows]
    widths = [max([len(c), *(len(row[i]) for row in cells)]) for i, c in enumerate(columns)]
    print("  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip())
    for row in cells:
        print("  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip())


def cmd_runs(args: argparse.Namespace) -> int:
    from basalt.ledger.store import LedgerError

    try:
        rows = _ledger(args).runs(limit=args.limit, demo=args.demo, status=args.status)
    except LedgerError as exc:
        raise CliError(str(exc)) from None
    for row in rows:
        row["run"] = row["run_id"][:12]
        row["dates"] = (
            f"{row['start_date']}..{row['end_date']}"
            if row["start_date"] != row["end_date"]
            else str(row["start_date"])
        )
    print_table(
        rows,
        [
            "run",
            "trigger",
            "demo",
            "universe",
            "dates",
            "status",
            "started_at",
            "duration_s",
            "outputs",
            "rows",
            "error",
        ],
    )
    return 0


def cmd_checks(args: argparse.Namespace) -> int:
    from basalt.ledger.store import LedgerError

    try:
        rows = _ledger(args).checks(failed_only=args.failed, run_id=args.run, limit=args.limit)
    except LedgerError as exc:
        raise CliError(str(exc)) from None
    for row in rows:
        row["run"] = row["run_id"][:12]
        row["result"] = "passed" if row["passed"] else "FAILED"
    print_table(
        rows, ["run", "demo", "pass_name", "partition_key", "check_name", "result", "severity"]
    )
    return 0


def cmd_gaps(args: argparse.Namespace) -> int:
    from basalt.dagster.demos import load_demo
    from basalt.ledger.gaps import as_gaps, expected_days, missing_partitions
    from basalt.ledger.store import LedgerError

    path = Path(args.demo)
    if path.suffix == ".yaml":
        path = path.with_suffix(".py")
    if not path.is_file():
        raise CliError(f"{args.demo}: no such demo script")
    demo = load_demo(path)
    if not demo.ok or demo.config is None:
        raise CliError(demo.error or f"{path}: does not load")
    config = demo.config
    start = args.start or config.START_DATE
    end = args.end or config.end_date
    if end < start:
        raise CliError(f"--end {end} is before the start {start}")
    universes = args.universe or demo.universe_keys
    passes = [p.name for p in config.PASSES]
    days_of = {u: expected_days(start, end, u, config.EXCLUDE_WEEKENDS) for u in universes}
    try:
        done = _ledger(args).materialized_days(demo.stem)
    except LedgerError as exc:
        raise CliError(str(exc)) from None
    missing = missing_partitions(passes, universes, days_of, done)
    total = sum(len(d) for d in days_of.values())
    if args.keys:
        for universe, day in missing:
            print(f"{day}|{universe}")
        return 0
    if args.commands:
        for gap in as_gaps(missing, days_of):
            print(
                f"basalt run {shlex.quote(str(path))} --universe {shlex.quote(gap.universe)} "
                f"--start-date {gap.start} --end-date {gap.end}"
            )
        return 0
    print(
        f"{demo.stem}: {len(missing)} of {total} partitions (universe x date) not materialized, "
        f"{start}..{end}"
    )
    for gap in as_gaps(missing, days_of):
        print(f"  {gap}")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("ledger", help="the run ledger: runs, gaps, checks")
    p.add_argument("--ledger", help="ledger file (default: $BASALT_HOME/ledger.duckdb)")
    sub = p.add_subparsers(dest="ledger_command", required=True, metavar="COMMAND")

    runs = sub.add_parser("runs", help="recent runs, latest first")
    runs.add_argument("--demo", help="only this demo (file stem, e.g. 01_ohlcv_bars)")
    runs.add_argument("--status", choices=["running", "success", "failed", "cancelled", "lost"])
    runs.add_argument("--limit", type=int, default=20)
    runs.set_defaults(func=_guarded(cmd_runs))

    gaps = sub.add_parser("gaps", help="partitions (universe x date) of a demo not materialized")
    gaps.add_argument("demo", help="demo/NN_name.py")
    gaps.add_argument("--start", type=dt.date.fromisoformat, help="first day (default START_DATE)")
    gaps.add_argument("--end", type=dt.date.fromisoformat, help="last day (default END_DATE)")
    gaps.add_argument("--universe", action="append", help="only this universe key (repeatable)")
    gaps.add_argument("--keys", action="store_true", help="print partition keys, one per line")
    gaps.add_argument(
        "--commands", action="store_true", help="print the basalt run commands that fill the gaps"
    )
    gaps.set_defaults(func=_guarded(cmd_gaps))

    checks = sub.add_parser("checks", help="asset check results, latest first")
    checks.add_argument("--failed", action="store_true", help="only failed checks")
    checks.add_argument("--run", help="only this run id")
    checks.add_argument("--limit", type=int, default=50)
    checks.set_defaults(func=_guarded(cmd_checks))

    doctor = sub.add_parser(
        "doctor", help="check the ledger (exit 1 if broken); --repair rebuilds a broken one"
    )
    doctor.add_argument(
        "--repair",
        action="store_true",
        help="move a broken ledger aside, make a new one, replay the spool and rebuild "
        "outputs and watermarks from the output files on disk",
    )
    doctor.set_defaults(func=cmd_doctor)
