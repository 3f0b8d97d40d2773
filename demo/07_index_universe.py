"""Demo 07: choosing the listings: universe specs, intersections, and your own function.

``UNIVERSE`` is a spec of one or more terms; ``+`` intersects them. Kinds:

- ``mic=XLON``: the listings of a venue (``mic=XLON,XPAR`` for several);
- ``index=SYN20``: the members of an index on that date (from ``IndexMembership``);
- ``opol=XPAR``: the listings whose operating venue is XPAR;
- ``all``: every listing in the reference data;
- ``custom``: the listings returned by this file's ``get_universe(date)`` below.

This demo runs ``mic=XLON+index=SYN10``: the XLON listings that belong to SYN10 (three of
them). Try ``--universe index=SYN20``, ``--universe opol=XPAR``, ``--universe all`` or
``--universe custom`` on the command line (the flag wins over both files), or
``--dry-run`` to print the output files without running. Every listing is read from the
reference data of each date, so a universe can change from day to day.
"""

from basalt.dagster.universes import (
    CartProdUniverse,
    ConfigUniverses,
    CustomUniverse,
    IndexUniverse,
    MICUniverse,
)

USER_CONFIG = {
    "DATASETNAME": "index_universe",
    "START_DATE": "2025-01-02",
    "END_DATE": "2025-01-02",
    "UNIVERSE": "mic=XLON+index=SYN10",
    "PASSES": [
        {
            "name": "bars_5m",
            "time_bucket_seconds": 300,
            "modules": ["trade"],
            "trade_analytics": {
                "generic_metrics": [{"sides": "Total", "measures": ["Volume", "Count", "VWAP"]}],
            },
        }
    ],
}

# Which wins when both set a key: the YAML beside this file (yaml_overrides) or this dict.
CONFIG_YAML_PRECEDENCE = "yaml_overrides"

# The listings of UNIVERSE: custom. A fixed list across venues; any logic works, as long as
# get_universe returns rows with a ListingId column (a Polars or pandas frame, or a dict).
WATCHLIST = ["VOD", "AZN", "TTE", "SAP", "ASML"]


def get_universe(date):
    """The listings of ``UNIVERSE: custom`` on ``date``: the watchlist's tickers, looked up
    in that date's reference data (so they get their ListingId, MIC and Ticker)."""
    import polars as pl

    from basalt.universes import get_universe as universe_for

    reference = universe_for(date, "all")
    return reference.filter(pl.col("Ticker").is_in(WATCHLIST)).select("ListingId", "MIC", "Ticker")


# Dagster partitions: the universe dimension holds UNIVERSE and the schedules' universes from
# the YAML, then these. ConfigUniverses is dynamic: a universe added to the YAML becomes a
# partition without restarting Dagster (the basalt_universe_sensor adds it).
UNIVERSES = [
    ConfigUniverses(),
    MICUniverse(whitelist=["XLON", "XPAR"]),
    IndexUniverse(["SYN10", "SYN20"]),
    CartProdUniverse(
        MICUniverse(whitelist=["XLON"]), CustomUniverse(get_universe, name="watchlist")
    ),
]


if __name__ == "__main__":
    from basalt.pipeline.cli import run_cli

    run_cli(USER_CONFIG, get_universe, config_file=__file__)
