"""Where basalt reads and writes: market data, pass outputs and ``BASALT_HOME`` (the ledger,
locks and local state).

Defaults come from the environment (``BASALT_DATA_DIR``, ``BASALT_OUTPUT_DIR``,
``BASALT_HOME``), else folders under ``.basalt`` in the working directory. A run that has its
own folders sets them for its duration with :func:`using`, a context variable: the process
environment is never changed, so two runs in one process (Dagster's in-process executor, a
test) cannot see each other's folders. A thread started inside ``using`` must be given
``contextvars.copy_context()`` to see them; a worker process gets them explicitly.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass, replace
from pathlib import Path

DATA_DIR_ENV = "BASALT_DATA_DIR"
OUTPUT_DIR_ENV = "BASALT_OUTPUT_DIR"
HOME_ENV = "BASALT_HOME"


@dataclass(frozen=True)
class Locations:
    """Folders set for the current run; ``None`` means the environment's default."""

    data_dir: Path | None = None
    output_dir: Path | None = None
    home: Path | None = None


_NONE_SET = Locations()
_current: ContextVar[Locations] = ContextVar("basalt_locations", default=_NONE_SET)  # noqa: B039 (frozen)


def current() -> Locations:
    """The folders set by the innermost :func:`using` (``None`` where none is set)."""
    return _current.get()


@contextlib.contextmanager
def using(
    data_dir: str | Path | None = None,
    output_dir: str | Path | None = None,
    home: str | Path | None = None,
) -> Iterator[Locations]:
    """Set the given folders (others keep their current value) until the block ends."""
    changes = {
        name: Path(value).expanduser()
        for name, value in (("data_dir", data_dir), ("output_dir", output_dir), ("home", home))
        if value not in (None, "")
    }
    token = _current.set(replace(_current.get(), **changes))
    try:
        yield _current.get()
    finally:
        _current.reset(token)


def _from_env(name: str) -> Path | None:
    value = os.environ.get(name)
    return Path(value).expanduser() if value else None


def data_dir() -> Path | None:
    """The market data folder set for this run, else ``$BASALT_DATA_DIR``, else ``None``
    (the store's own default)."""
    return current().data_dir or _from_env(DATA_DIR_ENV)


def output_dir() -> Path:
    """The output folder set for this run, else ``$BASALT_OUTPUT_DIR``, else
    ``.basalt/output`` (relative to the working directory)."""
    return current().output_dir or _from_env(OUTPUT_DIR_ENV) or Path(".basalt") / "output"


def home() -> Path:
    """``BASALT_HOME`` set for this run, else ``$BASALT_HOME``, else ``.basalt/home`` in the
    working directory."""
    return current().home or _from_env(HOME_ENV) or Path.cwd() / ".basalt" / "home"
