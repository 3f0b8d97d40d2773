"""Analytics modules: one per family, each adding columns keyed on (ListingId, TimeBucket)."""

from basalt.analytics import execution, l2, l3, marketstate, reaggregate, trade  # noqa: F401  (registration)
from basalt.analytics.bucketing import Bucketing
from basalt.analytics.registry import (
    Analytic,
    PassInputs,
    analytic_for,
    column_doc,
    register_analytic,
)

__all__ = ["Analytic", "Bucketing", "PassInputs", "analytic_for", "column_doc", "register_analytic"]
