"""The ``basalt`` command line. Each area registers its own subcommands."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

# Each top-level command and the module that registers it (and its subcommands).
AREAS = {
    "config": "basalt.config.cli",
    "run": "basalt.pipeline.cli",
    "data": "basalt.data.cli",
    "analytics": "basalt.analytics.cli",
    "ledger": "basalt.ledger.cli",
    "dagster": "basalt.dagster.cli",
}


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser. Given the arguments, only the command they name is loaded (its area's
    imports, Polars for some, are paid only by that command); without one (``--help``, a
    mistyped command) every command is, so help and errors list them all."""
    parser = argparse.ArgumentParser(
        prog="basalt", description="Intraday market-data analytics: configs, data and runs."
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    args = list(sys.argv[1:] if argv is None else argv)
    wanted = next((a for a in args if not a.startswith("-")), None)
    names = [wanted] if wanted in AREAS else list(AREAS)
    for name in names:
        importlib.import_module(AREAS[name]).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; user mistakes print one line to stderr and return non-zero."""
    from basalt.config.cli import CliError

    parser = build_parser(argv)
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except CliError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.code
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # output piped into `head` and the like: stop quietly
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 (the interpreter flushes it at exit)
        return 0


if __name__ == "__main__":
    sys.exit(main())
