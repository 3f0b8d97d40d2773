"""Universes: which listings a run covers on a date, from a spec such as ``mic=XLON+index=SYN20``.

Each kind is a module of this package with ``select(reference, value) -> DataFrame``; a spec's
terms are intersected. ``custom`` is the demo's own ``get_universe(date)``.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable
from typing import Any

from basalt.universes.spec import (
    UniverseSpec,
    UniverseSpecError,
    available_kinds,
    parse_universe_spec,
)

UNIVERSE_COLUMNS = ["ListingId", "MIC", "Ticker"]


class EmptyUniverseError(ValueError):
    """A universe with no listings on a date."""


def _select(kind: str, reference: Any, value: str | None) -> Any:
    module = importlib.import_module(f"basalt.universes.{kind}")
    return module.select(reference, value)


def get_universe(
    date: dt.date,
    value: str | UniverseSpec,
    store: Any = None,
    custom: Callable[[dt.date], Any] | None = None,
) -> Any:
    """The listings (ListingId, MIC, Ticker, ...) of a spec on ``date``, from ``reference``."""
    import polars as pl

    from basalt.data.store import MarketDataStore

    spec = value if isinstance(value, UniverseSpec) else parse_universe_spec(value)
    store = store or MarketDataStore()
    reference = store.reference(date)
    frame = reference
    for kind, term_value in spec.terms:
        if kind == "custom":
            if custom is None:
                raise UniverseSpecError("universe 'custom' needs the demo's get_universe")
            chosen = pl.DataFrame(custom(date)).select("ListingId")
            frame = frame.join(chosen, on="ListingId", how="semi")
        else:
            frame = frame.join(
                _select(kind, reference, term_value).select("ListingId"), on="ListingId", how="semi"
            )
    return frame


__all__ = [
    "UNIVERSE_COLUMNS",
    "EmptyUniverseError",
    "UniverseSpec",
    "UniverseSpecError",
    "available_kinds",
    "get_universe",
    "parse_universe_spec",
]
