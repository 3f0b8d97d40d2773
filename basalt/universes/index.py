"""Universe kind 'index' (resolved from the reference table; implemented with the engine)."""
