"""``basalt config``: validate, get, set, show and export the schema of demo configs."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from basalt.config.analytics import AnalyticsConfig
from basalt.config.demo_files import UnsafeDemoFile, check_demo_pair
from basalt.config.demo_source import DemoError
from basalt.config.document import ConfigDocument, DocumentError, parse_path
from basalt.config.resolve import (
    ResolvedConfig,
    load_document,
    new_document,
    resolve,
    set_in_yaml,
)
from basalt.config.schema_paths import UnknownPathError, check_path
from basalt.config.validation import validate_resolved

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


class CliError(Exception):
    """A user mistake reported as one line on stderr with a non-zero exit."""

    def __init__(self, message: str, code: int = EXIT_INVALID) -> None:
        super().__init__(message)
        self.code = code


def checked_pair(path: str) -> tuple[Path | None, Path]:
    """(script, YAML) of a demo given by its ``.py`` or ``.yaml``, refused (one line, exit 1)
    when either is a link or not a regular file (see :mod:`basalt.config.demo_files`)."""
    file = Path(path)
    if file.suffix not in (".py", ".yaml", ".yml"):
        raise CliError(f"{path}: expected a demo script (.py) or its YAML (.yaml)", EXIT_USAGE)
    try:
        return check_demo_pair(file)
    except UnsafeDemoFile as exc:
        raise CliError(str(exc)) from None


def load_resolved(path: str, document: ConfigDocument | None = None) -> ResolvedConfig:
    """The resolved config of a demo given by its ``.py`` or ``.yaml``; user mistakes as
    :class:`CliError` (one line, non-zero exit)."""
    checked_pair(path)
    file = Path(path)
    if not file.exists():
        raise CliError(f"{path}: file not found")
    try:
        return resolve(file, document=document)
    except (DocumentError, DemoError) as exc:
        raise CliError(str(exc)) from None


def _yaml_scalar(value: Any) -> str:
    """A value as it would be written in YAML (one line)."""
    from basalt.config.yaml_values import dump_inline

    return dump_inline(value)


def cmd_validate(args: argparse.Namespace) -> int:
    resolved = load_resolved(args.file)
    _, issues = validate_resolved(resolved)
    for issue in issues:
        print(issue.format())
    if issues:
        print(f"{args.file}: {len(issues)} error{'s' * (len(issues) != 1)}", file=sys.stderr)
        return EXIT_INVALID
    print(f"{args.file}: valid")
    return EXIT_OK


def _checked_path(path: str) -> str:
    try:
        check_path(AnalyticsConfig, path)
    except UnknownPathError as exc:
        raise CliError(f"{path}: {exc}") from None
    return path


def _value_at(data: Any, path: str) -> Any:
    node = data
    for part in parse_path(path):
        node = node[part]
    return node


def cmd_get(args: argparse.Namespace) -> int:
    path = _checked_path(args.path)
    resolved = load_resolved(args.file)
    config, issues = validate_resolved(resolved)
    source = config.model_dump(mode="python") if config is not None else resolved.data
    try:
        value = _value_at(source, path)
    except (KeyError, IndexError, TypeError):
        raise CliError(
            f"{path}: not set, and the config is not valid enough to know its default"
        ) from None
    print(_yaml_scalar(value))
    return EXIT_OK


def _parse_value(text: str) -> Any:
    from basalt.config.yaml_values import parse_inline

    try:
        return parse_inline(text)
    except ValueError as exc:
        raise CliError(f"value {text!r} does not parse as YAML: {exc}", EXIT_USAGE) from None


def cmd_set(args: argparse.Namespace) -> int:
    path = _checked_path(args.path)
    value = _parse_value(args.value)
    py_path, yaml_path = checked_pair(args.file)
    try:
        document = load_document(yaml_path) if yaml_path.exists() else new_document(yaml_path)
    except DocumentError as exc:
        raise CliError(str(exc)) from None
    try:
        base = load_resolved(str(py_path or yaml_path), document=document)
        changed = set_in_yaml(document, base, path, value)
    except (KeyError, IndexError) as exc:
        raise CliError(f"{path}: {exc.args[0] if exc.args else exc}") from None
    if not changed:
        print(f"{yaml_path}: {path} is already {_yaml_scalar(value)}; file unchanged")
        return EXIT_OK
    resolved = load_resolved(str(py_path or yaml_path), document=document)
    _, issues = validate_resolved(resolved)
    if issues and not args.force:
        for issue in issues:
            print(issue.format())
        print(
            f"{yaml_path}: not written: the result would be invalid (use --force to write anyway)",
            file=sys.stderr,
        )
        return EXIT_INVALID
    try:
        document.save()
    except DocumentError as exc:
        raise CliError(str(exc)) from None
    print(f"{yaml_path}: {path} = {_yaml_scalar(value)}")
    return EXIT_INVALID if issues else EXIT_OK


def _leaves(value: Any, prefix: str) -> list[tuple[str, Any]]:
    if isinstance(value, dict) and value:
        return [leaf for k, v in value.items() for leaf in _leaves(v, f"{prefix}{k}.")]
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        return [leaf for i, v in enumerate(value) for leaf in _leaves(v, f"{prefix}{i}.")]
    return [(prefix.rstrip("."), value)]


def cmd_show(args: argparse.Namespace) -> int:
    resolved = load_resolved(args.file)
    config, issues = validate_resolved(resolved)
    data = config.model_dump(mode="python") if config is not None else resolved.data
    rows = [(path, _yaml_scalar(value), resolved.origin(path)) for path, value in _leaves(data, "")]
    width = max(len(p) for p, _, _ in rows)
    vwidth = min(max(len(v) for _, v, _ in rows), 40)
    for path, value, origin in rows:
        print(f"{path:<{width}}  {value:<{vwidth}}  [{origin}]")
    for issue in issues:
        print(issue.format(), file=sys.stderr)
    return EXIT_INVALID if issues else EXIT_OK


def cmd_schema(args: argparse.Namespace) -> int:
    from basalt.config.json_schema import schema_text

    text = schema_text()
    if args.output:
        from basalt.atomic import write_text_atomic

        try:
            write_text_atomic(Path(args.output), text)
        except OSError as exc:
            raise CliError(f"{args.output}: cannot write: {exc.strerror or exc}") from None
        print(f"wrote {args.output}")
    else:
        sys.stdout.write(text)
    return EXIT_OK


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``config`` and its subcommands to the ``basalt`` command line."""
    config = subparsers.add_parser("config", help="validate, read and edit demo configs")
    sub = config.add_subparsers(dest="config_command", required=True, metavar="COMMAND")

    p = sub.add_parser("validate", help="check a demo config; one line per error")
    p.add_argument("file", help="demo script (.py) or its YAML")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("get", help="print the resolved value at a path")
    p.add_argument("file")
    p.add_argument("path", help="dotted path, e.g. PASSES.0.time_bucket_seconds")
    p.set_defaults(func=cmd_get)

    p = sub.add_parser("set", help="set a value in the demo's YAML, keeping everything else")
    p.add_argument("file")
    p.add_argument("path")
    p.add_argument("value", help="parsed as YAML: 300, true, '[trade, l2]', 2025-01-02")
    p.add_argument("--force", action="store_true", help="write even if the result is invalid")
    p.set_defaults(func=cmd_set)

    p = sub.add_parser("show", help="the resolved config with the origin of each value")
    p.add_argument("file")
    p.set_defaults(func=cmd_show)

    p = sub.add_parser("schema", help="write the JSON Schema for YAML language servers")
    p.add_argument("-o", "--output", help="file to write (default: stdout)")
    p.set_defaults(func=cmd_schema)
