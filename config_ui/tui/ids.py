"""DOM ids of the widgets that edit a field: stable, so tests and ``--goto`` can find them.

The widget that edits ``PASSES.0.time_bucket_seconds`` is ``#f-PASSES-0-time_bucket_seconds``
and its error text ``#e-PASSES-0-time_bucket_seconds``. Characters a Textual id cannot hold
(a dict key with a space, say) become ``_``.
"""

from __future__ import annotations

import re

_NOT_ID = re.compile(r"[^A-Za-z0-9_-]")


def dom_key(path: str) -> str:
    """The id-safe form of a dotted field path: dots become ``-``."""
    return _NOT_ID.sub("_", path.replace(".", "-"))


def field_id(path: str) -> str:
    """Id of the widget that edits ``path``."""
    return f"f-{dom_key(path)}"


def error_id(path: str) -> str:
    """Id of the Static that shows the errors of ``path``."""
    return f"e-{dom_key(path)}"
