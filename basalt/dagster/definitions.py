"""The Dagster code location ``basalt_demos`` (see ``workspace.yaml``): every demo, one asset
per pass, with their schedules, checks and the universe sensor.

A demo that does not load is left out; ``load_errors`` (and the definitions' metadata) says
which file and field.
"""

from __future__ import annotations

from basalt.dagster.build import build_definitions
from basalt.dagster.demos import load_demos

demos = load_demos()
load_errors: dict[str, str] = {d.stem: d.error for d in demos if d.error}
defs = build_definitions(split_passes=True, demos=demos)
