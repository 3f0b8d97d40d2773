"""Demo 06: time spent in each trading phase, beside traded volume, for the XAMS listings.

One pass of 15-minute buckets runs ``marketstate`` (``SecondsInOpeningAuction``,
``SecondsInContinuousTrading``, ``SecondsInClosingAuction``: seconds of the bucket the listing
spent in each state, from the state transitions) and ``trade`` (lit continuous volume).

Dense or sparse timeline (``timeline_mode``):

- ``dense`` (used here): one row per listing for every bucket of the continuous session,
  with or without events, so series line up (a bucket without trades shows
  TradeTotalVolume empty), plus the buckets outside the session that hold events, such as
  the opening auction before the open and the closing auction after the close;
- ``sparse``: only buckets where some module has data. Switch to it in the YAML and
  compare the row counts.
"""

USER_CONFIG = {
    "DATASETNAME": "market_state",
    "START_DATE": "2025-01-02",
    "END_DATE": "2025-01-02",
    "UNIVERSE": "mic=XAMS",
    "PASSES": [
        {
            "name": "phases_15m",
            "time_bucket_seconds": 900,
            "timeline_mode": "dense",
            "modules": ["marketstate", "trade"],
            "marketstate_analytics": {
                # Also: CLOSED, PRE_OPEN, POST_TRADE, HALTED.
                "states": ["OPENING_AUCTION", "CONTINUOUS_TRADING", "CLOSING_AUCTION"],
            },
            "trade_analytics": {
                "generic_metrics": [{"sides": "Total", "measures": ["Volume", "Count"]}],
            },
        }
    ],
}

# Which wins when both set a key: the YAML beside this file (yaml_overrides) or this dict.
CONFIG_YAML_PRECEDENCE = "yaml_overrides"


def get_universe(date):
    """The listings this demo covers on ``date``: every XAMS listing in the reference data."""
    from basalt.universes import get_universe as universe_for

    return universe_for(date, "mic=XAMS")


if __name__ == "__main__":
    from basalt.pipeline.cli import run_cli

    run_cli(USER_CONFIG, get_universe, config_file=__file__)
