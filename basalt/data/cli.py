"""``basalt data``: generate synthetic data, import real-format files, describe the store.

`register` adds the ``data`` command to an argparse sub-parser collection. Each
subcommand stores its handler as ``func`` (``args -> exit code``); user mistakes print
one clear line on stderr and return 1, without a traceback.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from datetime import date
from functools import wraps
from pathlib import Path

from rich import box
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from basalt.data import synthetic
from basalt.data.errors import DataError
from basalt.data.store import MarketDataStore, as_date
from basalt.data.tables import TABLES

Handler = Callable[[argparse.Namespace], int]


def register(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add ``data`` (with ``generate``, ``import``, ``info``) and return its parser."""
    parser = subparsers.add_parser(
        "data", help="market data store: generate, import, info", description=__doc__
    )
    commands = parser.add_subparsers(dest="data_command", metavar="COMMAND", required=True)
    _add_generate(commands)
    _add_import(commands)
    _add_info(commands)
    return parser


def _date_argument(value: str) -> date:
    try:
        return as_date(value)
    except DataError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _positive(value: str) -> int:
    number = int(value)
    if number <= 0:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {value}")
    return number


def _add_data_dir(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help="store folder (default: $BASALT_DATA_DIR or ./.basalt/data)",
    )


def _add_generate(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("generate", help="generate synthetic data into the store")
    parser.add_argument("--start", type=_date_argument, required=True, help="first date")
    parser.add_argument("--end", type=_date_argument, help="last date (default: --start)")
    parser.add_argument(
        "--mics",
        nargs="+",
        choices=synthetic.generated_mics(),
        default=synthetic.generated_mics(),
        help="venues (default: all)",
    )
    parser.add_argument(
        "--trades-per-listing",
        type=_positive,
        default=synthetic.DEFAULT_TRADES_PER_LISTING,
        help="mean lit trades per listing and day (default: %(default)s)",
    )
    parser.add_argument("--seed", type=int, default=synthetic.DEFAULT_SEED, help="random seed")
    parser.add_argument(
        "--jobs", type=_positive, default=1, help="parallel processes (default: %(default)s)"
    )
    _add_data_dir(parser)
    parser.set_defaults(func=_user_errors(_generate))


def _add_import(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("import", help="import a real-format parquet file")
    parser.add_argument("table", choices=list(TABLES), help="table the file holds")
    parser.add_argument("file", type=Path, help="parquet file")
    parser.add_argument("--mic", help="MIC for files without a MIC column")
    _add_data_dir(parser)
    parser.set_defaults(func=_user_errors(_import))


def _add_info(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("info", help="what the store holds")
    _add_data_dir(parser)
    parser.set_defaults(func=_user_errors(_info))


def _user_errors(handler: Handler) -> Handler:
    """Turn a `DataError` into one line on stderr and exit code 1."""

    @wraps(handler)
    def run(args: argparse.Namespace) -> int:
        try:
            return handler(args)
        except DataError as error:
            Console(stderr=True).print(
                f"[red]error:[/red] {escape(str(error))}", highlight=False, soft_wrap=True
            )
            return 1

    return run


def _say(console: Console, text: str) -> None:
    """Print plain text: no markup, highlighting or wrapping (paths stay whole)."""
    console.print(text, markup=False, highlight=False, soft_wrap=True)


def _generate(args: argparse.Namespace) -> int:
    end = args.end or args.start
    if end < args.start:
        raise DataError(f"--end {end} is before --start {args.start}")
    store = MarketDataStore(
        args.data_dir, seed=args.seed, trades_per_listing=args.trades_per_listing
    )
    days = store.trading_days(args.start, end, args.mics)
    gaps = store.missing(TABLES, days, args.mics)
    console = Console()
    if not gaps:
        _say(console, f"nothing to generate: {len(days)} trading day(s) already in {store.root}")
        return 0
    started = time.perf_counter()
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
    ) as progress:
        task = progress.add_task("generating", total=len(gaps))

        def advance(day: date, mic: str) -> None:
            progress.update(task, advance=1, description=f"generated {day} {mic}")

        store.ensure(TABLES, days, args.mics, progress=advance, workers=args.jobs)
    elapsed = time.perf_counter() - started
    rows = sum(store.row_count("trades", [day], [mic]) for day, mic in gaps)
    _say(
        console,
        f"{len(gaps)} partition(s), {rows:,} trades generated in {elapsed:.1f} s "
        f"into {store.root} ({len(days)} trading day(s), {len(args.mics)} venue(s))",
    )
    return 0


def _import(args: argparse.Namespace) -> int:
    store = MarketDataStore(args.data_dir)
    written = store.import_file(args.table, args.file, mic=args.mic)
    console = Console()
    for path in written:
        _say(console, f"wrote {path}")
    return 0


def _info(args: argparse.Namespace) -> int:
    store = MarketDataStore(args.data_dir)
    summary = store.summary()
    console = Console()
    if summary.is_empty():
        _say(console, f"no data in {store.root}")
        return 0
    table = Table(title=f"market data in {store.root}", box=box.SIMPLE_HEAD)
    for column in ("table", "mics", "dates", "rows"):
        table.add_column(column, justify="right" if column == "rows" else "left", no_wrap=True)
    for row in summary.iter_rows(named=True):
        span = f"{row['first']}..{row['last']} ({row['dates']})"
        table.add_row(row["table"], row["mics"], span, f"{row['rows']:,}")
    console.print(table)
    sources = sorted(set(summary["sources"].explode()))
    _say(console, "sources: " + "; ".join(sources))
    return 0
