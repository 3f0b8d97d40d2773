"""Writing a file so that it is either the old bytes or the new ones, never half of each.

A new file gets the mode the umask gives (``0o666 & ~umask``), as ``open()`` would; a file
that already exists keeps its mode. The rename replaces the name itself: a symbolic link or
a hard link at ``path`` is replaced, never written through.
"""

from __future__ import annotations

import contextlib
import glob
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path


def current_umask() -> int:
    """The process umask, read without changing it (Linux); 0o077 when unknown."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    return 0o077


def _mode_for(path: Path) -> int:
    """The mode of the regular file at ``path``, or the mode a new file gets."""
    try:
        info = os.lstat(path)
    except OSError:
        info = None
    if info is not None and stat.S_ISREG(info.st_mode):
        return stat.S_IMODE(info.st_mode)
    return 0o666 & ~current_umask()


def _temporary(path: Path) -> tuple[int, str]:
    """A new temporary file ``.NAME.PID.XXXXXXXX.tmp`` beside ``path`` (the writer's pid in
    its name lets :func:`sweep_temporaries` tell a killed writer's file from a live one's);
    temporary files that killed writers left for ``path`` are removed first."""
    sweep_temporaries(path)
    return tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp", dir=path.parent)


def _writer_gone(pid: int, written: float) -> bool:
    """True when process ``pid`` no longer exists, or is a newer process than the file."""
    try:
        started = os.stat(f"/proc/{pid}").st_ctime
    except FileNotFoundError:
        return True
    except OSError:
        return False
    return started > written + 1.0


def sweep_temporaries(path: Path, remove: bool = True) -> list[Path]:
    """Remove the temporary files of ``path`` whose writer is gone (a process killed while
    writing leaves one); a live writer's file is kept. Returns those files (with
    ``remove=False`` only lists them)."""
    path = Path(path)
    removed: list[Path] = []
    try:
        candidates = list(path.parent.glob(f".{glob.escape(path.name)}.*.tmp"))
    except OSError:
        return removed
    for tmp in candidates:
        middle = tmp.name[len(path.name) + 2 : -len(".tmp")]
        pid_text = middle.split(".", 1)[0]
        try:
            info = tmp.lstat()
        except OSError:
            continue
        if not pid_text.isdigit() or _writer_gone(int(pid_text), info.st_mtime):
            if not remove:
                removed.append(tmp)
                continue
            with contextlib.suppress(OSError):
                tmp.unlink()
                removed.append(tmp)
    return removed


def left_temporaries(folder: Path, remove: bool = False) -> list[Path]:
    """Temporary files under ``folder`` whose writer is gone (see :func:`sweep_temporaries`),
    removed when ``remove``."""
    targets = set()
    for tmp in Path(folder).rglob(".*.tmp"):
        name = tmp.name[1 : -len(".tmp")].rsplit(".", 2)[0]
        targets.add(tmp.with_name(name))
    return [t for target in sorted(targets) for t in sweep_temporaries(target, remove)]


@contextlib.contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """A temporary path beside ``path`` to write to; renamed over ``path`` when the block ends
    without error, removed otherwise (a killed process leaves only a hidden ``.tmp`` file)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = _temporary(path)
    os.close(fd)
    try:
        yield Path(tmp)
        os.chmod(tmp, _mode_for(path))
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, fsync it, then rename it over ``path``.

    On any error the temporary file is removed and ``path`` is left as it was.
    """
    path = Path(path)
    fd, tmp = _temporary(path)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, _mode_for(path))
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def write_text_atomic(path: Path, text: str, encoding: str = "utf-8") -> None:
    """:func:`write_bytes_atomic` for text, written exactly (no newline translation)."""
    write_bytes_atomic(path, text.encode(encoding))
