"""Analytics modules: one per family, each adding columns keyed on (ListingId, TimeBucket).

The families (and Polars) load on first use, so commands that only read configs stay fast::

    from basalt.analytics import analytic_for, column_doc
"""

from __future__ import annotations

import importlib
from typing import Any

FAMILIES = ("execution", "l2", "l3", "marketstate", "reaggregate", "trade")

_LAZY = {
    "Analytic": "basalt.analytics.registry",
    "PassInputs": "basalt.analytics.registry",
    "analytic_for": "basalt.analytics.registry",
    "column_doc": "basalt.analytics.registry",
    "register_analytic": "basalt.analytics.registry",
    "Bucketing": "basalt.analytics.bucketing",
}


def load_families() -> None:
    """Import every family module, which registers its analytics and column docs."""
    for family in FAMILIES:
        importlib.import_module(f"basalt.analytics.{family}")


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'basalt.analytics' has no attribute '{name}'")
    load_families()
    return getattr(importlib.import_module(module), name)


__all__ = ["Analytic", "Bucketing", "PassInputs", "analytic_for", "column_doc", "register_analytic"]
