"""Demo 04: order flow from L3 events, and where volume executed, for the XETR listings.

One pass of one-minute buckets runs two modules side by side; their columns are joined on
(``ListingId``, ``TimeBucket``):

- ``l3`` counts order-book events by action and side: ``L3InsertCountBid``,
  ``L3RemoveVolumeAsk``, ... Insert, Remove and Update are new, cancelled and amended orders;
  Execute counts fills (the resting order's remove or update flagged as executed), with the
  executed shares as its volume;
- ``execution`` splits traded volume and VWAP between the lit book (continuous trading and
  auctions) and off-book prints: ``LitBuyVolume``, ``OffBookTotalVWAP``, ...

Sides differ: ``l3`` is by book side (Bid/Ask: where the order rests); ``execution`` by
aggressor (Buy/Sell: who crossed the spread). Auction and off-book trades have no aggressor,
so they count in Total only: ``OffBookBuyVolume`` is 0 and ``OffBookBuyVWAP`` empty.
"""

USER_CONFIG = {
    "DATASETNAME": "order_flow",
    "START_DATE": "2025-01-02",
    "END_DATE": "2025-01-02",
    "UNIVERSE": "mic=XETR",
    "PASSES": [
        {
            "name": "flow_1m",
            "time_bucket_seconds": 60,
            "modules": ["l3", "execution"],
            "l3_analytics": {
                "actions": ["Insert", "Remove", "Update", "Execute"],
                "measures": ["Count", "Volume"],
                "sides": ["Bid", "Ask"],
            },
            "execution_analytics": {
                "venues": ["Lit", "OffBook"],
                "sides": ["Total", "Buy", "Sell"],
                "measures": ["Volume", "VWAP"],
            },
        }
    ],
}

# Which wins when both set a key: the YAML beside this file (yaml_overrides) or this dict.
CONFIG_YAML_PRECEDENCE = "yaml_overrides"


def get_universe(date):
    """The listings this demo covers on ``date``: every XETR listing in the reference data."""
    from basalt.universes import get_universe as universe_for

    return universe_for(date, "mic=XETR")


if __name__ == "__main__":
    from basalt.pipeline.cli import run_cli

    run_cli(USER_CONFIG, get_universe, config_file=__file__)
