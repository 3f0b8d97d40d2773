"""``basalt analytics list``: modules, and the columns a demo's passes will produce, with docs."""

from __future__ import annotations

import argparse

from basalt.config.modules.base import module_registry


def cmd_list(args: argparse.Namespace) -> int:
    from basalt.analytics import column_doc
    from basalt.config.cli import CliError, load_resolved
    from basalt.config.validation import validate_resolved

    if not args.pipeline:
        for name, cls in module_registry().items():
            print(
                f"{name:<12} {cls.tier:<5} tables: {', '.join(cls.required_tables) or '-':<12} {cls.description}"
            )
        return 0
    config, issues = validate_resolved(load_resolved(args.pipeline))
    if config is None:
        for issue in issues:
            print(issue.format())
        raise CliError(f"{args.pipeline}: the config is not valid")
    for name, columns in config.pass_columns().items():
        print(f"pass {name} ({len(columns)} columns)")
        for column in columns:
            print(f"  {column:<28} {column_doc(column, config.module_scope)}")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("analytics", help="list modules and the columns a demo produces")
    sub = p.add_subparsers(dest="analytics_command", required=True, metavar="COMMAND")
    lst = sub.add_parser("list", help="modules, or with --pipeline the output columns of a demo")
    lst.add_argument("--pipeline", help="demo/NN_name.py: list its passes' columns without running")
    lst.set_defaults(func=cmd_list)
