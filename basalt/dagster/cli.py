"""``basalt dagster dev | sync``: Dagster from the command line (Dagster is imported lazily)."""

from __future__ import annotations

import argparse

from basalt.ports import port_number


def _dev(args: argparse.Namespace) -> int:
    from basalt.dagster.dev import cmd_dev

    return cmd_dev(args)


def _sync(args: argparse.Namespace) -> int:
    from basalt.dagster.sync import cmd_sync

    return cmd_sync(args)


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("dagster", help="dg dev with live reload; ledger sync")
    sub = p.add_subparsers(dest="dagster_command", required=True, metavar="COMMAND")

    dev = sub.add_parser("dev", help="dg dev on the workspace, reloading on demo changes")
    dev.add_argument("--host", default="127.0.0.1")
    dev.add_argument("--port", type=port_number, default=3000)
    dev.add_argument(
        "--workspace",
        help="workspace file (default: ./workspace.yaml, else the installed checkout's)",
    )
    dev.add_argument(
        "--demo-dir",
        default=None,
        help="folder of demo pairs to load and watch (default: $BASALT_DEMO_DIR, else ./demo, "
        "else the installed checkout's demo/)",
    )
    dev.add_argument("--themes-dir", default="themes", help="theme folder to watch")
    dev.set_defaults(func=_dev)

    sync = sub.add_parser(
        "sync",
        help="report ledger materializations made outside Dagster to its instance, and give "
        "ledger runs of finished Dagster runs Dagster's final status",
    )
    sync.add_argument("--ledger", help="ledger file (default: $BASALT_HOME/ledger.duckdb)")
    sync.add_argument("--dry-run", action="store_true", help="list what would be reported")
    sync.set_defaults(func=_sync)
