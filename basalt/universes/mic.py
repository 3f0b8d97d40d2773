"""Universe kind 'mic' (resolved from the reference table; implemented with the engine)."""
