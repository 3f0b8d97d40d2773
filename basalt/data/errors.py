"""The one exception type of the market-data layer."""


class DataError(Exception):
    """A problem with market data a user can fix: a missing or mistyped column, a corrupt
    or unreadable file, an unknown table or MIC. The message names the table and file."""
