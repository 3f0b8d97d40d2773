"""``BASALT_HOME``: the ledger and local state (UI choices, reload status)."""

from __future__ import annotations

import os
from pathlib import Path

HOME_ENV = "BASALT_HOME"


def basalt_home() -> Path:
    """``$BASALT_HOME``, else ``.basalt/home`` in the working directory."""
    configured = os.environ.get(HOME_ENV)
    return Path(configured).expanduser() if configured else Path.cwd() / ".basalt" / "home"
