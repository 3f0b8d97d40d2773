"""Market data: table specs, trading calendars, the local parquet store and the
synthetic generator. See `basalt/data/README.md`.

Names load on first use (the store imports Polars and PyArrow)::

    from basalt.data import MarketDataStore
"""

from __future__ import annotations

import importlib
from typing import Any

_LAZY = {
    "DataError": "basalt.data.errors",
    "MarketDataStore": "basalt.data.store",
    "default_data_dir": "basalt.data.store",
    "TABLES": "basalt.data.tables",
    "TableSpec": "basalt.data.tables",
    "validate_frame": "basalt.data.tables",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'basalt.data' has no attribute '{name}'")
    return getattr(importlib.import_module(module), name)


__all__ = sorted(_LAZY)
