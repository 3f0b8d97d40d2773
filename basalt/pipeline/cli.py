"""``run_cli`` for demo scripts and ``basalt run``: resolve the config, plan, run, report.

The ledger records the SHA of the config as its files hold it (the same SHA Dagster and the
editors record for the same files) and, apart, the values the command line overrode. The run's
data and output folders are set with :func:`basalt.locations.using`; the process environment
is not changed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
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
    parser.add_argument(
        "--skip-running",
        action="store_true",
        help="skip outputs another run is writing instead of waiting for it",
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


def recorded_overrides(args: argparse.Namespace) -> dict[str, Any]:
    """What the command line changed, as the ledger keeps it (dates as ISO text)."""
    out = {
        k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in overrides_from(args).items()
    }
    if getattr(args, "config_precedence", None):
        out["CONFIG_YAML_PRECEDENCE"] = args.config_precedence
    return out


def files_config(
    config_file: str | Path, document: Any, user_config: Mapping[str, Any] | None
) -> Any:
    """The config as its files hold it (no command-line override), or ``None`` when the files
    alone do not validate: what the recorded SHA and the partition period come from."""
    try:
        resolved = resolve(config_file, document=document, user_config=user_config)
    except (DocumentError, DemoError):
        return None
    config, _ = validate_resolved(resolved)
    return config


def _fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 1


def _failed_to_start(
    config_file: str | Path,
    args: argparse.Namespace,
    message: str,
    resolved: Any = None,
    config: Any = None,
    shown: str | None = None,
) -> int:
    """Print ``shown`` (default ``error: message``) and record the run as ``failed`` with
    ``message`` in the ledger (a run that could not start is a run too: an editor that
    launched it finds it there); exit code 1. A dry run records nothing."""
    print(shown if shown is not None else f"error: {message}", file=sys.stderr)
    if getattr(args, "dry_run", False):
        return 1
    from basalt.ledger.recorder import RunRecorder

    script = resolved.python_path if resolved is not None else None
    source = (resolved.yaml_path or script) if resolved is not None else None
    recorder = RunRecorder(
        config_file=source or config_file,
        config_sha256=None,
        universe=getattr(config, "UNIVERSE", None) or getattr(args, "universe", None),
        start_date=getattr(config, "START_DATE", None),
        end_date=getattr(config, "end_date", None),
        demo=Path(script or config_file).stem,
        overrides=recorded_overrides(args),
    )
    recorder.start()
    recorder.finish("failed", message)
    return 1


def execute(
    config_file: str | Path,
    args: argparse.Namespace,
    user_config: Mapping[str, Any] | None = None,
    get_universe: Callable | None = None,
) -> int:
    """Resolve, validate, then dry-run or run; returns the exit code."""
    from basalt import locations

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
        return _failed_to_start(config_file, args, str(exc))
    config, issues = validate_resolved(resolved)
    if config is None:
        lines = "\n".join(issue.format() for issue in issues)
        return _failed_to_start(config_file, args, lines, resolved, shown=lines)
    logging.basicConfig(
        level=config.LOGGING_LEVEL.value, format="%(levelname)s %(name)s: %(message)s"
    )
    if get_universe is None and resolved.python_path is not None and "custom" in config.UNIVERSE:
        try:
            get_universe = demo_function(resolved.python_path, "get_universe")
        except DemoError as exc:
            return _failed_to_start(config_file, args, str(exc), resolved, config)
    custom = get_universe if "custom" in config.UNIVERSE else None
    with locations.using(data_dir=config.DATA_DIR, output_dir=config.OUTPUT_DIR):
        return _plan_and_run(config_file, args, resolved, config, custom, document, user_config)


def _plan_and_run(
    config_file: str | Path,
    args: argparse.Namespace,
    resolved: Any,
    config: Any,
    custom: Callable | None,
    document: Any,
    user_config: Mapping[str, Any] | None,
) -> int:
    from basalt.config.fingerprint import config_sha256
    from basalt.data.errors import DataError
    from basalt.interrupts import interrupt_received, interrupts_as_keyboard_interrupt
    from basalt.ledger.recorder import RunRecorder
    from basalt.pipeline.report import print_plan, run_with_progress
    from basalt.pipeline.runner import NoSession, RunError, plan_run
    from basalt.universes import UniverseSpecError

    files = files_config(config_file, document, user_config)
    try:  # the files' partition period: --batch-freq changes batches, not files
        plan = plan_run(config, partition_freq_of=files or config)
    except NoSession as exc:
        print(f"{exc}; nothing to run")
        return 0
    except (RunError, DataError, UniverseSpecError) as exc:
        return _failed_to_start(config_file, args, str(exc), resolved, config)
    if args.dry_run:
        print_plan(plan, resolved)
        return 0
    recorder = RunRecorder(
        config_file=resolved.yaml_path or resolved.python_path or config_file,
        config_sha256=config_sha256(files) if files is not None else None,
        universe=config.UNIVERSE,
        start_date=plan.start or config.START_DATE,
        end_date=plan.end or config.end_date,
        demo=Path(resolved.python_path or config_file).stem,
        overrides=recorded_overrides(args),
    )
    recorder.start()
    start = time.perf_counter()
    try:
        with interrupts_as_keyboard_interrupt():
            results = run_with_progress(
                plan,
                custom,
                on_batch=recorder.batch_done,
                run_id=recorder.run_id,
                skip_running=bool(getattr(args, "skip_running", False)),
            )
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
    print_outputs([o for r in results for o in r.outputs], time.perf_counter() - start)
    return 0


def print_outputs(outputs: Sequence[Any], seconds: float) -> None:
    """The summary of a finished run: one line, then one line per output."""
    written = [o for o in outputs if not o.skipped]
    print(
        f"done in {seconds:.2f} s: {len(outputs)} outputs, "
        f"{sum(max(o.rows, 0) for o in outputs):,} rows"
        + (f" ({len(outputs) - len(written)} skipped)" if len(written) < len(outputs) else "")
    )
    for o in outputs:
        shown = f"  (skipped: {o.reason or 'exists'})" if o.skipped else f"  {o.rows:,} rows"
        print(f"  {o.pass_name:<16} {o.path}{shown}")


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
