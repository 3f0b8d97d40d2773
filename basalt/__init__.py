"""basalt: intraday market-data analytics over universes of listings and date ranges."""

__version__ = "0.1.0"
