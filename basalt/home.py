"""``BASALT_HOME``: the ledger and local state (UI choices, reload status)."""

from __future__ import annotations

from pathlib import Path

from basalt import locations

HOME_ENV = locations.HOME_ENV


def basalt_home() -> Path:
    """The run's home (:mod:`basalt.locations`), else ``$BASALT_HOME``, else ``.basalt/home``
    in the working directory."""
    return locations.home()
