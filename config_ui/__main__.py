"""``python -m config_ui PATH``: edit a demo's config in the terminal, or with ``--web`` in
the browser.

    python -m config_ui demo/01_ohlcv_bars.py [--theme NAME] [--goto FIELD_PATH]
    python -m config_ui 01        (also demo/01, demo/01.py: the demo numbered 01)
    python -m config_ui demo/01_ohlcv_bars.py --web [--host H] [--port P] [--no-browser]
        [--token T | --no-token] [--allow-host NAME] [--dagster] [--dagster-port 3000]
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from basalt.ports import port_number
from config_ui.core.launch import LaunchError, check_goto, find_demo


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m config_ui",
        description="Edit the YAML config of a demo (its .py or its .yaml).",
    )
    p.add_argument(
        "path",
        help="demo script (.py) or its YAML (.yaml), or a demo's number (01, demo/01.py)",
    )
    p.add_argument(
        "--theme", help="colour theme (a file in themes/); the last choice is remembered"
    )
    p.add_argument(
        "--goto", metavar="FIELD_PATH", help="open at this field, e.g. PASSES.0.time_bucket_seconds"
    )
    p.add_argument(
        "--no-diff", action="store_true", help="save without showing the diff first (terminal)"
    )
    p.add_argument(
        "--no-watch", action="store_true", help="do not watch the file for changes by others"
    )
    web = p.add_argument_group("web editor")
    web.add_argument(
        "--web", action="store_true", help="open the web editor instead of the terminal one"
    )
    web.add_argument("--host", default="127.0.0.1", help="address to serve on (default 127.0.0.1)")
    web.add_argument(
        "--port", type=port_number, default=8080, help="port to serve on (default 8080)"
    )
    web.add_argument("--no-browser", action="store_true", help="do not open a browser")
    web.add_argument(
        "--token",
        help="access token the browser must present (at least 16 characters; default: "
        "$BASALT_WEB_TOKEN, else a new random one at every start). Other users see command "
        "lines in ps: prefer the variable",
    )
    web.add_argument(
        "--no-token",
        action="store_true",
        help="serve without a token (loopback addresses only; anyone on this machine can edit)",
    )
    web.add_argument(
        "--allow-host",
        action="append",
        default=[],
        metavar="NAME",
        help="also answer requests for this host name (repeatable); others get 403",
    )
    web.add_argument(
        "--dagster",
        action="store_true",
        help="also start basalt dagster dev on --dagster-port (or attach to the one running)",
    )
    dagster = p.add_argument_group("Dagster")
    dagster.add_argument(
        "--dagster-host", default="127.0.0.1", help="Dagster webserver address (default 127.0.0.1)"
    )
    dagster.add_argument(
        "--dagster-port",
        type=port_number,
        default=3000,
        help="Dagster webserver port (default 3000)",
    )
    return p


def check_path(path: Path) -> str | None:
    """A message when ``path`` names no demo we can open, else None."""
    try:
        find_demo(str(path))
    except LaunchError as exc:
        return str(exc)
    return None


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        path = find_demo(args.path)
    except LaunchError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.goto:
        problem = check_goto(path, args.goto)
        if problem:
            print(f"error: {problem}", file=sys.stderr)
            return 2
    if args.web:
        try:
            from config_ui.web import serve
        except ImportError as exc:
            print(
                f"error: the web editor is not available ({exc}); install the 'web' extra "
                "(pip install basalt-studio[web])",
                file=sys.stderr,
            )
            return 2
        env_token = os.environ.get("BASALT_WEB_TOKEN")
        serve(
            path,
            host=args.host,
            port=args.port,
            open_browser=not args.no_browser,
            token=args.token if args.token is not None or args.no_token else env_token,
            theme=args.theme,
            goto=args.goto,
            dagster_host=args.dagster_host,
            dagster_port=args.dagster_port,
            start_dagster=args.dagster,
            no_token=args.no_token,
            allow_hosts=args.allow_host,
        )
        return 0
    try:
        from config_ui.tui import build_app
    except ImportError as exc:
        print(
            f"error: the terminal editor needs textual ({exc}); install the 'tui' extra",
            file=sys.stderr,
        )
        return 2
    app = build_app(
        path,
        goto=args.goto,
        theme=args.theme,
        diff_before_save=not args.no_diff,
        watch=not args.no_watch,
        dagster_host=args.dagster_host,
        dagster_port=args.dagster_port,
    )
    if os.environ.get("BASALT_TUI_BENCH_T0"):
        elapsed = app.run(headless=True)
        print(f"first-frame-seconds {elapsed:.4f}")
        return 0
    app.run()
    return 0 if app.return_code in (None, 0) else int(app.return_code)


if __name__ == "__main__":
    sys.exit(main())
