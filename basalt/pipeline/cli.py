"""``run_cli`` for demo scripts and ``basalt run``: resolve the config, plan, run, report."""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from basalt.config.demo_source import PRECEDENCES, DemoError, demo_function
from basalt.config.document import DocumentError
from basalt.config.resolve import load_document, resolve
from basalt.config.validation import validate_resolved

_FLAG_PATHS = {
    "universe": "UNIVERSE",
    "batch_freq": "BATCH_FREQ",
    "workers": "NUM_WORKERS",
    "output_dir": "OUTPUT_DIR",
    "data_dir": "DATA_DIR",
    "start_date": "START_DATE",
    "end_date": "END_DATE",
}


def add_run_arguments(parser: argparse.ArgumentParser) -> None:
    """The flags every demo (and ``basalt run``) accepts."""
    parser.add_argument("--date", type=dt.date.fromisoformat, help="run one day (YYYY-MM-DD)")
    parser.add_argument("--start-date", type=dt.date.fromisoformat, help="first day")
    parser.add_argument("--end-date", type=dt.date.fromisoformat, help="last day, inclusive")
    parser.add_argument("--universe", help="universe spec, e.g. mic=XLON or index=SYN20")
    parser.add_argument("--batch-freq", choices=["D", "W", "2W", "M", "A"], help="date batch size")
    parser.add_argument("--workers", type=int, help="worker processes (-1: all cores)")
    parser.add_argument("--output-dir", help="value of {output_dir} in output paths")
    parser.add_argument("--data-dir", help="market-data store folder")
    parser.add_argument(
        "--config-precedence", choices=PRECEDENCES, help="which of YAML and Python wins"
    )
    parser.add_argument(
        "--config",
        metavar="YAML",
        help="use this YAML instead of the one beside the script (e.g. an editor's unsaved edits)",
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="print config, batches and outputs; run nothing"
    )


def overrides_from(args: argparse.Namespace) -> dict[str, Any]:
    """Command-line flags as config overrides (origin ``cli``)."""
    out: dict[str, Any] = {}
    if args.date:
        out["START_DATE"] = out["END_DATE"] = args.date
    for flag, path in _FLAG_PATHS.items():
        value = getattr(args, flag)
        if value is not None:
            out[path] = value
    return out


def _export_dirs(config: Any) -> None:
    """Make the run's folders the defaults for everything it calls (a demo's own
    ``get_universe``, worker processes), so ``--data-dir`` reaches them too."""
    if config.DATA_DIR:
        os.environ["BASALT_DATA_DIR"] = str(config.DATA_DIR)
    if config.OUTPUT_DIR:
        os.environ["BASALT_OUTPUT_DIR"] = str(config.OUTPUT_DIR)


def _fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 1


def execute(
    config_file: str | Path,
    args: argparse.Namespace,
    user_config: Mapping[str, Any] | None = None,
    get_universe: Callable | None = None,
) -> int:
    """Resolve, validate, then dry-run or run; returns the exit code."""
    from basalt.config.fingerprint import config_sha256
    from basalt.data.errors import DataError
    from basalt.interrupts import interrupt_received, interrupts_as_keyboard_interrupt
    from basalt.ledger.recorder import RunRecorder
    from basalt.pipeline.report import print_plan, run_with_progress
    from basalt.pipeline.runner import RunError, plan_run
    from basalt.universes import UniverseSpecError

    try:
        document = load_document(args.config) if getattr(args, "config", None) else None
        resolved = resolve(
            config_file,
            overrides_from(args),
            args.config_precedence,
            document=document,
            user_config=user_config,
        )
    except (DocumentError, DemoError) as exc:
        return _fail(str(exc))
    config, issues = validate_resolved(resolved)
    if config is None:
        for issue in issues:
            print(issue.format(), file=sys.stderr)
        return 1
    logging.basicConfig(
        level=config.LOGGING_LEVEL.value, format="%(levelname)s %(name)s: %(message)s"
    )
    _export_dirs(config)
    if get_universe is None and resolved.python_path is not None and "custom" in config.UNIVERSE:
        try:
            get_universe = demo_function(resolved.python_path, "get_universe")
        except DemoError as exc:
            return _fail(str(exc))
    custom = get_universe if "custom" in config.UNIVERSE else None
    try:
        plan = plan_run(config)
    except (RunError, DataError, UniverseSpecError) as exc:
        return _fail(str(exc))
    if args.dry_run:
        print_plan(plan, resolved)
        return 0
    recorder = RunRecorder(
        config_file=resolved.yaml_path or resolved.python_path or config_file,
        config_sha256=config_sha256(config),
        universe=config.UNIVERSE,
        start_date=config.START_DATE,
        end_date=config.end_date,
        demo=Path(resolved.python_path or config_file).stem,
    )
    recorder.start()
    start = time.perf_counter()
    try:
        with interrupts_as_keyboard_interrupt():
            results = run_with_progress(plan, custom, on_batch=recorder.batch_done)
    except BaseException as exc:
        if isinstance(exc, KeyboardInterrupt) or interrupt_received():
            recorder.finish("cancelled", "cancelled by the user")
            print("cancelled", file=sys.stderr)
            return 130
        if isinstance(exc, (RunError, DataError, UniverseSpecError)):
            recorder.finish("failed", str(exc))
            return _fail(str(exc))
        if isinstance(exc, OSError):
            message = f"{getattr(exc, 'filename', '') or ''}: {exc.strerror or exc}"
            recorder.finish("failed", message)
            return _fail(message)
        recorder.finish("failed", f"{type(exc).__name__}: {exc}")
        raise
    recorder.finish("success")
    outputs = [o for r in results for o in r.outputs]
    print(
        f"done in {time.perf_counter() - start:.2f} s: {len(outputs)} outputs, "
        f"{sum(max(o.rows, 0) for o in outputs):,} rows"
    )
    for o in outputs:
        print(
            f"  {o.pass_name:<16} {o.path}"
            + ("  (skipped: exists)" if o.skipped else f"  {o.rows:,} rows")
        )
    return 0


def run_cli(
    user_config: Mapping[str, Any],
    get_universe: Callable | None = None,
    config_file: str | Path | None = None,
    argv: Sequence[str] | None = None,
) -> None:
    """Entry point of a demo script: ``python demo/NN_name.py [flags]``."""
    parser = argparse.ArgumentParser(
        prog=Path(config_file or sys.argv[0]).name, description="Run this demo."
    )
    add_run_arguments(parser)
    args = parser.parse_args(argv)
    sys.exit(execute(config_file or sys.argv[0], args, user_config, get_universe))


def register(subparsers: argparse._SubParsersAction) -> None:
    """``basalt run DEMO [flags]``."""
    p = subparsers.add_parser("run", help="run a demo (its .py or .yaml)")
    p.add_argument("demo", help="demo/NN_name.py")
    add_run_arguments(p)
    p.set_defaults(func=lambda args: execute(args.demo, args))
