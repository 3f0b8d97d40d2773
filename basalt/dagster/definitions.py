"""The Dagster code location ``basalt_demos`` (see ``workspace.yaml``): every demo, one asset
per pass (with its code version, freshness policy, retry policy and pool), with their
schedules, partitioned checks, sensors and the ``basalt_locations`` resource.

Each demo is built on its own: one that does not load or build runs its last good config, or
is left out; ``load_errors`` (and the definitions' metadata) says which file and field. They
are also reported to ``basalt dagster dev`` (``$BASALT_LOAD_REPORT``) for the editors' status.
"""

from __future__ import annotations

from basalt.dagster.build import build_location
from basalt.dagster.reload_status import report_load_errors

location = build_location(split_passes=True)
defs = location.defs
load_errors: dict[str, str] = {e.demo: e.error for e in location.load_errors}
report_load_errors(location.load_errors)
