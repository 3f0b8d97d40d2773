"""Market data: table specs, trading calendars, the local parquet store and the
synthetic generator. See `basalt/data/README.md`."""

from basalt.data.errors import DataError
from basalt.data.store import MarketDataStore, default_data_dir
from basalt.data.tables import TABLES, TableSpec, validate_frame

__all__ = [
    "TABLES",
    "DataError",
    "MarketDataStore",
    "TableSpec",
    "default_data_dir",
    "validate_frame",
]
