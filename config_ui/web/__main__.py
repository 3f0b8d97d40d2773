"""``python -m config_ui.web DEMO [--host H] [--port P] [--token T] [--theme NAME] [--goto PATH]
[--dagster] [--dagster-host H] [--dagster-port P]``."""

from __future__ import annotations

import argparse

from config_ui.web import serve


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m config_ui.web", description="Basalt Studio web editor"
    )
    parser.add_argument(
        "demo", nargs="?", default="demo/01_ohlcv_bars.py", help="demo script or its YAML"
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument(
        "--token", default=None, help="access token (made when the host is not loopback)"
    )
    parser.add_argument("--theme", default=None, help="theme name from themes/")
    parser.add_argument(
        "--goto", default=None, help="open at a field, e.g. PASSES.0.time_bucket_seconds"
    )
    parser.add_argument("--no-browser", action="store_true", help="do not open a browser")
    parser.add_argument(
        "--dagster",
        action="store_true",
        help="start basalt dagster dev with the editor (or attach to the one running)",
    )
    parser.add_argument("--dagster-host", default="127.0.0.1", help="Dagster webserver address")
    parser.add_argument("--dagster-port", type=int, default=3000, help="Dagster webserver port")
    args = parser.parse_args(argv)
    serve(
        args.demo,
        host=args.host,
        port=args.port,
        open_browser=not args.no_browser,
        token=args.token,
        theme=args.theme,
        goto=args.goto,
        dagster_host=args.dagster_host,
        dagster_port=args.dagster_port,
        start_dagster=args.dagster,
    )


if __name__ == "__main__":
    main()
