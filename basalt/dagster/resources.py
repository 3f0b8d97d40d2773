"""The folders of the demos' Dagster runs as a resource: market data, outputs and
``BASALT_HOME`` (the run ledger).

Each field left empty (the default) is read when a step runs from :mod:`basalt.locations`:
``$BASALT_DATA_DIR``, ``$BASALT_OUTPUT_DIR``, ``$BASALT_HOME``, else folders under ``.basalt``
in the working directory. A step sets its folders with :meth:`BasaltLocations.using` (a context
variable): the process environment is never changed, so two runs in one process keep their own.
A demo's own ``DATA_DIR`` / ``OUTPUT_DIR`` win over the resource, as on the command line.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping
from typing import Any

import dagster as dg
from pydantic import Field

from basalt import locations

RESOURCE_KEY = "basalt_locations"


class BasaltLocations(dg.ConfigurableResource):
    """Where the demos' runs read market data and write their outputs and ledger rows."""

    data_dir: str = Field(
        default="",
        description="Market-data store; empty: $BASALT_DATA_DIR, else .basalt/data. "
        "A demo's DATA_DIR wins.",
    )
    output_dir: str = Field(
        default="",
        description="Value of {output_dir}; empty: $BASALT_OUTPUT_DIR, else .basalt/output. "
        "A demo's OUTPUT_DIR wins.",
    )
    home: str = Field(
        default="",
        description="BASALT_HOME (run ledger, locks); empty: $BASALT_HOME, else .basalt/home.",
    )

    @contextlib.contextmanager
    def using(self, config: Mapping[str, Any] | None = None) -> Iterator[locations.Locations]:
        """The run's folders for the block: the config's ``DATA_DIR`` / ``OUTPUT_DIR`` when
        set, else this resource's, else the environment's (see :mod:`basalt.locations`)."""
        config = config or {}
        with locations.using(
            data_dir=config.get("DATA_DIR") or self.data_dir or None,
            output_dir=config.get("OUTPUT_DIR") or self.output_dir or None,
            home=self.home or None,
        ) as where:
            yield where


def default_resources() -> dict[str, Any]:
    """The resources the demos' assets need, with their defaults (for ``dg.materialize``)."""
    return {RESOURCE_KEY: BasaltLocations()}
