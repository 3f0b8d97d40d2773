"""The synthetic generator's defaults, importable without the generator (and numpy): a run
over a store of real data never loads the generator."""

DEFAULT_SEED = 42
DEFAULT_TRADES_PER_LISTING = 3500
"""Mean lit trades per listing and day; each listing scales it by its activity (0.7-1.4)."""
