"""Analytics modules: one per family, each adding columns keyed on (ListingId, TimeBucket).

The families (and Polars) load on first use, so commands that only read configs stay fast::

    from basalt.analytics import analytic_for, column_doc
"""

from __future__ import annotations

import importlib

from basalt.lazy import lazy_attributes

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


__getattr__ = lazy_attributes(__name__, _LAZY, before=load_families)


__all__ = ["Analytic", "Bucketing", "PassInputs", "analytic_for", "column_doc", "register_analytic"]
