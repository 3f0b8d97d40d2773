"""Demo 05: two passes: five-minute bars per listing, then hourly totals for the SYN20 index.

Passes run in order for each date batch, and a later pass can read an earlier one's output:

1. ``bars_5m`` computes trade bars (OHLC, volume, VWAP) for each SYN20 member from the raw
   trades, in 300-second buckets;
2. ``index_1h`` runs only ``reaggregate``: it reads ``bars_5m`` (``source_pass``), cuts it
   into 3600-second buckets and groups the members by index (``group_by: index``), so its
   rows are keyed on (``Index``, ``TimeBucket``) instead of (``ListingId``, ``TimeBucket``).

Each column re-aggregates by its name unless ``aggregations`` says otherwise: volumes add,
VWAP is re-weighted by volume, Open takes the first value, Close the last, High the max, Low
the min. Across an index's members only volumes really add up: its prices mix stocks and
currencies (pence and euros), so take ``TradeTotalVolume`` as the index figure and the price
columns as an illustration of the rules. Each pass writes its own file.
"""

USER_CONFIG = {
    "DATASETNAME": "multi_pass",
    "START_DATE": "2025-01-02",
    "END_DATE": "2025-01-02",
    "UNIVERSE": "index=SYN20",
    "PASSES": [
        {
            "name": "bars_5m",
            "time_bucket_seconds": 300,
            "modules": ["trade"],
            "trade_analytics": {
                "generic_metrics": [{"sides": "Total", "measures": ["OHLC", "Volume", "VWAP"]}],
            },
        },
        {
            "name": "index_1h",
            "time_bucket_seconds": 3600,
            "modules": ["reaggregate"],
            "reaggregate_analytics": {
                "source_pass": "bars_5m",  # unset: the previous pass
                "group_by": "index",  # or listing (hourly bars per listing), or mic
                "index": "SYN20",  # unset: every index the members belong to
            },
        },
    ],
}

# Which wins when both set a key: the YAML beside this file (yaml_overrides) or this dict.
CONFIG_YAML_PRECEDENCE = "yaml_overrides"


def get_universe(date):
    """The listings this demo covers on ``date``: the members of the SYN20 index."""
    from basalt.universes import get_universe as universe_for

    return universe_for(date, "index=SYN20")


if __name__ == "__main__":
    from basalt.pipeline.cli import run_cli

    run_cli(USER_CONFIG, get_universe, config_file=__file__)
