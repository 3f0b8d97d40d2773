"""Which demo files the editors and ``basalt config set`` may open.

A demo's script and YAML must each be a regular file with one name, side by side in one
folder. A symbolic link, a hard link with other names, a folder, a FIFO or a device could
lead a read or a save to some other file (``demo/54_x.yaml -> ../dagster.yaml``), so such a
demo is refused before either file is opened. Only ``os.lstat`` is used: nothing is read.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from basalt.config.yaml_errors import DocumentError

__all__ = ["UnsafeDemoFile", "check_demo_pair", "file_problem"]


class UnsafeDemoFile(DocumentError):
    """A demo file that is never read nor written; ``str()`` reads ``FILE: message``."""


def file_problem(path: Path) -> str | None:
    """Why ``path`` may not be opened, or None (a regular file with one name, or missing)."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        return f"cannot be checked: {exc.strerror or exc}; not read or written"
    if stat.S_ISLNK(info.st_mode):
        return "is a symbolic link; not read or written (replace it with a regular file)"
    if stat.S_ISDIR(info.st_mode):
        return "is a folder, not a file; not read or written"
    if not stat.S_ISREG(info.st_mode):
        return "is not a regular file (a FIFO, socket or device); not read or written"
    if info.st_nlink > 1:
        return "has other hard links; not read or written (make it a file of its own)"
    return None


def check_demo_pair(path: str | Path) -> tuple[Path | None, Path]:
    """(script, YAML) of the demo given by its ``.py`` or ``.yaml``, as
    :func:`basalt.config.resolve.demo_paths` gives them.

    The script is None when a YAML has no script beside it; the YAML may be missing (it is
    still returned: it will be created). Raises :class:`UnsafeDemoFile` when the script or
    the YAML is a symbolic link, not a regular file, or has other hard links, or when the
    two do not sit in one real folder.
    """
    path = Path(path)
    if path.suffix == ".py":
        script: Path | None = path
        yaml_path = path.with_suffix(".yaml")
    else:
        yaml_path = path
        beside = path.with_suffix(".py")
        script = beside if os.path.lexists(beside) else None
    for file in (script, yaml_path):
        if file is not None:
            problem = file_problem(file)
            if problem is not None:
                raise UnsafeDemoFile(problem, file)
    if script is not None and os.path.realpath(script.parent) != os.path.realpath(yaml_path.parent):
        raise UnsafeDemoFile("its script and YAML are not in one folder", yaml_path)
    return script, yaml_path
