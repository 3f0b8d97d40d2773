"""Universe kind 'opol' (resolved from the reference table; implemented with the engine)."""
