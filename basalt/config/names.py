"""Names as Dagster sees them: a pass name is part of an asset key, so it must be a Dagster
name (letters, digits and underscores)."""

from __future__ import annotations

import re

_NOT_IN_NAMES = re.compile(r"[^A-Za-z0-9_]")


def dagster_name(name: str) -> str:
    """``name`` with each character Dagster refuses in names as ``_`` (``bars.1m`` -> ``bars_1m``)."""
    return _NOT_IN_NAMES.sub("_", name)
