"""Universe kind 'all' (resolved from the reference table; implemented with the engine)."""
