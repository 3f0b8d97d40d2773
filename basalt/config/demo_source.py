"""Reading a demo script's ``USER_CONFIG`` without running the demo.

A demo is ``demo/NN_name.py`` (``USER_CONFIG``, ``get_universe``, optional ``UNIVERSES`` and
``CONFIG_YAML_PRECEDENCE``) with its YAML beside it. When ``USER_CONFIG`` is a literal (the usual
case) it is read from the syntax tree: nothing is imported or executed, and every key's line is
known, so errors can point into the ``.py``. Otherwise the module is imported under a private
name, which skips its ``if __name__ == "__main__":`` block; so is a script that declares its
own analytics module (a ``@register_module`` class). What such a script registers goes to its
own :class:`~basalt.config.modules.base.ModuleScope` (``DemoSource.modules``), never to the
process: another demo loaded in the same process does not see it.
"""

from __future__ import annotations

import ast
import hashlib
import importlib.util
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any, Literal, TypeGuard

from basalt.config.modules.base import BUILTINS, ModuleScope

Precedence = Literal["yaml_overrides", "python_overrides"]
PRECEDENCES: tuple[str, ...] = ("yaml_overrides", "python_overrides")


def _is_precedence(value: object) -> TypeGuard[Precedence]:
    return value in PRECEDENCES


class DemoError(ValueError):
    """A demo script that cannot be read; ``str()`` starts with ``FILE:LINE:``."""


@dataclass
class DemoSource:
    """What a demo script declares, and where in the file."""

    path: Path
    user_config: dict[str, Any]
    precedence: Precedence = "yaml_overrides"
    config_line: int = 1
    key_lines: dict[str, int] = field(default_factory=dict)
    modules: ModuleScope = BUILTINS  # the built-ins, plus the modules the script declares

    def line_of(self, path: str) -> int:
        """Line of ``path`` or of its nearest ancestor in ``USER_CONFIG``."""
        parts = path.split(".")
        while parts:
            line = self.key_lines.get(".".join(parts))
            if line is not None:
                return line
            parts.pop()
        return self.config_line


def yaml_beside(py_path: Path) -> Path:
    """``demo/01_x.py`` -> ``demo/01_x.yaml``."""
    return py_path.with_suffix(".yaml")


def python_beside(yaml_path: Path) -> Path | None:
    """The demo script beside a YAML, if there is one."""
    candidate = yaml_path.with_suffix(".py")
    return candidate if candidate.is_file() else None


def _key_lines(node: ast.AST, prefix: str, out: dict[str, int]) -> None:
    if isinstance(node, ast.Dict):
        for key, value in zip(node.keys, node.values, strict=True):
            if isinstance(key, ast.Constant) and isinstance(key.value, str):
                path = f"{prefix}{key.value}"
                out[path] = key.lineno
                _key_lines(value, path + ".", out)
    elif isinstance(node, (ast.List, ast.Tuple)):
        for i, item in enumerate(node.elts):
            out[f"{prefix}{i}"] = item.lineno
            _key_lines(item, f"{prefix}{i}.", out)


def _assignments(tree: ast.Module) -> dict[str, ast.expr]:
    found: dict[str, ast.expr] = {}
    for stmt in tree.body:
        targets = stmt.targets if isinstance(stmt, ast.Assign) else [getattr(stmt, "target", None)]
        value = getattr(stmt, "value", None)
        for target in targets:
            if isinstance(target, ast.Name) and value is not None:
                found[target.id] = value
    return found


def _registers_modules(tree: ast.Module) -> bool:
    """Whether the script declares its own analytics module (``@register_module`` class)."""
    for stmt in tree.body:
        if isinstance(stmt, ast.ClassDef):
            for deco in stmt.decorator_list:
                name = deco.id if isinstance(deco, ast.Name) else getattr(deco, "attr", None)
                if name == "register_module":
                    return True
    return False


_SCOPE_ATTRIBUTE = "__basalt_modules__"


def import_demo(path: Path, *, keep: bool = False) -> ModuleType:
    """Import a demo script under a private, stable name; its ``__main__`` block does not run.

    The modules it registers go to a scope of its own (:func:`demo_modules`). ``keep`` leaves
    it in ``sys.modules`` so what it defines can be found again by name.
    """
    path = Path(path)
    digest = hashlib.sha1(str(path.resolve()).encode()).hexdigest()[:8]
    module_name = f"_basalt_demo_{re.sub(r'[^A-Za-z0-9_]', '_', path.stem)}_{digest}"
    spec = importlib.util.spec_from_file_location(module_name, path)
    if spec is None or spec.loader is None:
        raise DemoError(f"{path}: cannot be imported")
    module = importlib.util.module_from_spec(spec)
    scope = ModuleScope(path.resolve())
    sys.modules[module_name] = module
    try:
        with scope.declaring():
            spec.loader.exec_module(module)
    except Exception as exc:  # a demo's own error: report it, with its type, as a load failure
        sys.modules.pop(module_name, None)
        raise DemoError(f"{path}: importing the demo failed: {type(exc).__name__}: {exc}") from exc
    if not keep:
        sys.modules.pop(module_name, None)
    setattr(module, _SCOPE_ATTRIBUTE, scope)
    return module


def demo_modules(module: ModuleType | None) -> ModuleScope:
    """The modules a demo imported by :func:`import_demo` may use (the built-ins otherwise)."""
    scope = getattr(module, _SCOPE_ATTRIBUTE, None)
    return scope if isinstance(scope, ModuleScope) else BUILTINS


def read_demo(path: str | Path) -> DemoSource:
    """Read ``USER_CONFIG`` and ``CONFIG_YAML_PRECEDENCE`` from a demo script."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DemoError(f"{path}: file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise DemoError(f"{path}: cannot be read: {exc}") from None
    try:
        tree = ast.parse(text, filename=str(path))
    except SyntaxError as exc:
        raise DemoError(
            f"{path}:{exc.lineno}:{exc.offset}: Python syntax error: {exc.msg}"
        ) from None
    found = _assignments(tree)
    node = found.get("USER_CONFIG")
    if node is None:
        raise DemoError(f"{path}:1:1: the demo defines no USER_CONFIG dict")
    module = import_demo(path) if _registers_modules(tree) else None  # for its own modules
    try:
        config = ast.literal_eval(node)
    except ValueError:
        module = module or import_demo(path)
        config = getattr(module, "USER_CONFIG", None)
    if not isinstance(config, dict):
        raise DemoError(f"{path}:{node.lineno}:{node.col_offset + 1}: USER_CONFIG must be a dict")
    precedence: Precedence = "yaml_overrides"
    if "CONFIG_YAML_PRECEDENCE" in found:
        prec_node = found["CONFIG_YAML_PRECEDENCE"]
        declared: object
        try:
            declared = ast.literal_eval(prec_node)
        except ValueError:
            module = module or import_demo(path)
            declared = getattr(module, "CONFIG_YAML_PRECEDENCE", None)
        if not _is_precedence(declared):
            raise DemoError(
                f"{path}:{prec_node.lineno}:{prec_node.col_offset + 1}: CONFIG_YAML_PRECEDENCE "
                f"must be one of {', '.join(PRECEDENCES)}, not {declared!r}"
            )
        precedence = declared
    lines: dict[str, int] = {}
    _key_lines(node, "", lines)
    return DemoSource(path, config, precedence, node.lineno, lines, demo_modules(module))


def demo_function(path: Path, name: str) -> Any:
    """A function the demo defines (e.g. ``get_universe``), imported without running the demo."""
    value = getattr(import_demo(Path(path)), name, None)
    if not callable(value):
        raise DemoError(f"{path}: the demo defines no function {name}()")
    return value
