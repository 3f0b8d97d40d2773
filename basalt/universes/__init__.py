"""Universes: which listings a run covers on a date, from a spec such as ``mic=XLON+index=SYN20``."""

from basalt.universes.spec import UniverseSpec, UniverseSpecError, available_kinds, parse_universe_spec

__all__ = ["UniverseSpec", "UniverseSpecError", "available_kinds", "parse_universe_spec"]
