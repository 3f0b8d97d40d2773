"""The ``basalt`` command line. Each area registers its own subcommands."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence


def build_parser() -> argparse.ArgumentParser:
    from basalt.analytics import cli as analytics_cli
    from basalt.config import cli as config_cli
    from basalt.dagster import cli as dagster_cli
    from basalt.data import cli as data_cli
    from basalt.ledger import cli as ledger_cli
    from basalt.pipeline import cli as run_cli

    parser = argparse.ArgumentParser(
        prog="basalt", description="Intraday market-data analytics: configs, data and runs."
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    config_cli.register(sub)
    run_cli.register(sub)
    data_cli.register(sub)
    analytics_cli.register(sub)
    ledger_cli.register(sub)
    dagster_cli.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; user mistakes print one line to stderr and return non-zero."""
    from basalt.config.cli import CliError

    parser = build_parser()
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
