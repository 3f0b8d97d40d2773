"""What ``python -m config_ui`` opens: the demo a short name stands for, and whether ``--goto``
names a field of it. Both editors start here, so both read a command line the same way."""

from __future__ import annotations

import difflib
import re
from pathlib import Path

from basalt.config import AnalyticsConfig, resolve
from config_ui.core.form_builder import build_form
from config_ui.core.nodes import FieldNode

DEMO_FOLDER = "demo"
SUFFIXES = (".py", ".yaml", ".yml")


class LaunchError(ValueError):
    """A command line the editors cannot act on; the message says why and what would do."""


def _number(stem: str) -> int | None:
    found = re.match(r"\d+", stem)
    return int(found.group()) if found else None


def _demos_in(folder: Path) -> list[Path]:
    """The demo scripts of ``folder``: ``NN_name.py`` files, in order."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("*.py") if _number(p.stem) is not None and p.is_file())


def _matches(stem: str, demos: list[Path]) -> list[Path]:
    """Demos whose number is ``stem``'s (``01``, ``1``), or whose name starts with ``stem``
    (``01_ohlcv``), or, for a stem without a number, whose name holds it (``ohlcv``)."""
    starts = [d for d in demos if d.stem.startswith(stem)]
    number = _number(stem)
    if number is not None and re.fullmatch(r"\d+", stem):
        return [d for d in demos if _number(d.stem) == number]
    if starts or number is not None:
        return starts
    return [d for d in demos if stem.lower() in d.stem.lower()]


def _shown(path: Path, cwd: Path) -> str:
    try:
        return str(path.relative_to(cwd))
    except ValueError:
        return str(path)


def find_demo(text: str, cwd: Path | None = None) -> Path:
    """The file to open for ``text``, as typed after ``python -m config_ui``.

    A demo's script or YAML opens as given (a missing YAML is created beside its script). A
    short form (``demo/01.py``, ``demo/01``, ``01``, ``ohlcv``) opens the one demo of that
    folder (``demo/`` for a bare name) whose number or name matches, as a YAML when the short
    form ends in ``.yaml``. Raises :class:`LaunchError` naming the candidates otherwise.
    """
    cwd = cwd or Path.cwd()
    path = Path(text)
    full = path if path.is_absolute() else cwd / path
    if full.suffix and full.suffix not in SUFFIXES:
        raise LaunchError(f"{text}: expected a demo script (.py) or its YAML (.yaml)")
    if full.suffix in SUFFIXES:
        if full.exists():
            if not full.is_file():
                raise LaunchError(f"{text}: not a file")
            return path
        if full.suffix != ".py" and full.with_suffix(".py").is_file():
            return path  # the YAML is created beside its script
    stem = full.stem if full.suffix in SUFFIXES else full.name
    folder, typed = full.parent, path.parent
    if len(path.parts) == 1 and not _demos_in(folder) and (folder / DEMO_FOLDER).is_dir():
        folder, typed = folder / DEMO_FOLDER, typed / DEMO_FOLDER
    demos = _demos_in(folder)
    found = _matches(stem, demos)
    if len(found) == 1:
        chosen = found[0]
        if full.suffix in (".yaml", ".yml"):
            yaml = chosen.with_suffix(full.suffix)
            chosen = yaml if yaml.exists() else chosen.with_suffix(".yaml")
        return typed / chosen.name
    if not demos:
        raise LaunchError(f"{text}: no such file, and no demos in {_shown(folder, cwd)}/")
    listed = found or demos
    names = "\n".join(f"  {_shown(d, cwd)}" for d in listed)
    if found:
        raise LaunchError(f"{text} matches {len(found)} demos; name one of them:\n{names}")
    raise LaunchError(f"{text}: no such file or demo; the demos are:\n{names}")


def goto_problem(root: FieldNode, goto: str) -> str | None:
    """None when ``goto`` is a field path of the form ``root``, else a message naming the
    nearest valid path (a close spelling, else the deepest existing part of ``goto``)."""
    paths = [n.path for n in root.walk() if n.path]
    if goto in paths:
        return None
    close = difflib.get_close_matches(goto, paths, n=1, cutoff=0.75)
    parts = goto.split(".")
    ancestor = next(
        (".".join(parts[:i]) for i in range(len(parts) - 1, 0, -1) if ".".join(parts[:i]) in paths),
        None,
    )
    nearest = close[0] if close else ancestor
    if nearest is None:
        tops = ", ".join(n.path for n in root.children[:6])
        return f"--goto {goto}: no such field; top-level fields include {tops}"
    return f"--goto {goto}: no such field; the nearest is {nearest}"


def check_goto(demo: str | Path, goto: str) -> str | None:
    """``goto_problem`` for the demo at ``demo``, from its resolved config (nothing is written).

    None also when the demo does not load: the editor then shows why, and where.
    """
    try:
        resolved = resolve(demo)
    except Exception:  # any load error is the editor's to show, with its place
        return None
    root = build_form(AnalyticsConfig, resolved.data, resolved.origin, resolved.modules)
    return goto_problem(root, goto)
