"""Market data: table specs, trading calendars, the local parquet store and the
synthetic generator. See `basalt/data/README.md`.

Names load on first use (the store imports Polars and PyArrow)::

    from basalt.data import MarketDataStore
"""

from __future__ import annotations

from basalt.lazy import lazy_attributes

_LAZY = {
    "DataError": "basalt.data.errors",
    "MarketDataStore": "basalt.data.store",
    "default_data_dir": "basalt.data.store",
    "TABLES": "basalt.data.tables",
    "TableSpec": "basalt.data.tables",
    "validate_frame": "basalt.data.tables",
}


__getattr__ = lazy_attributes(__name__, _LAZY)


__all__ = sorted(_LAZY)
