"""Which demo folder and workspace file Dagster uses, and why.

The rule, for ``basalt dagster dev``, the code location and ``basalt dagster sync``: a folder
named on the command line, else ``$BASALT_DEMO_DIR``, else ``./demo`` when the working directory
has one, else the ``demo/`` of the checkout basalt is installed from. The workspace file:
``--workspace``, else ``./workspace.yaml``, else the checkout's. So ``basalt dagster dev``
started in another checkout (or a copy of the project) uses that checkout's demos.

No Dagster import here.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

DEMO_DIR_ENV = "BASALT_DEMO_DIR"
DEMO_FOLDER = "demo"
WORKSPACE_FILE = "workspace.yaml"
# The checkout basalt is installed from (an editable install): basalt/dagster/ -> the root.
CHECKOUT = Path(__file__).resolve().parents[2]

FROM_FLAG = "command line"
FROM_ENV = f"${DEMO_DIR_ENV}"
FROM_CWD = "working directory"
FROM_CHECKOUT = "installed checkout"


@dataclass(frozen=True)
class Chosen:
    """A folder or file and where the choice came from (``working directory``, ...)."""

    path: Path
    source: str

    def describe(self, what: str) -> str:
        """``demos: /abs/demo (working directory)``."""
        return f"{what}: {self.path} ({self.source})"


def choose_demo_dir(
    explicit: str | Path | None = None,
    env: Mapping[str, str] | None = None,
    cwd: str | Path | None = None,
) -> Chosen:
    """The demo folder (absolute): ``explicit``, else ``$BASALT_DEMO_DIR``, else ``./demo`` if
    it is a folder, else the installed checkout's ``demo/`` if it is one, else ``./demo``."""
    here = Path(cwd) if cwd is not None else Path.cwd()
    if explicit:
        return Chosen((here / Path(explicit).expanduser()).resolve(), FROM_FLAG)
    configured = (os.environ if env is None else env).get(DEMO_DIR_ENV)
    if configured:
        return Chosen((here / Path(configured).expanduser()).resolve(), FROM_ENV)
    local = here / DEMO_FOLDER
    if local.is_dir():
        return Chosen(local.resolve(), FROM_CWD)
    installed = CHECKOUT / DEMO_FOLDER
    if installed.is_dir():
        return Chosen(installed, FROM_CHECKOUT)
    return Chosen(local.resolve(), FROM_CWD)


def choose_workspace(explicit: str | Path | None = None, cwd: str | Path | None = None) -> Chosen:
    """The workspace file (absolute): ``explicit``, else ``./workspace.yaml`` if it exists, else
    the installed checkout's."""
    here = Path(cwd) if cwd is not None else Path.cwd()
    if explicit:
        return Chosen((here / Path(explicit).expanduser()).resolve(), FROM_FLAG)
    local = here / WORKSPACE_FILE
    if local.is_file():
        return Chosen(local.resolve(), FROM_CWD)
    return Chosen(CHECKOUT / WORKSPACE_FILE, FROM_CHECKOUT)
