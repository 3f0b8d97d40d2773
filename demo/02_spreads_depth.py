"""Demo 02: bid-ask spreads, mid-price bars and order-book depth for the XPAR listings.

One pass of five-minute buckets runs the ``l2`` module on the ten-level book snapshots:

- ``SpreadAbs`` / ``SpreadBps``: the spread at the bucket's last snapshot, in price units and
  in basis points of the mid; ``SpreadAbsTWA`` / ``SpreadBpsTWA``: the same, time-weighted over
  the bucket (each snapshot counts for as long as it stood);
- ``MidOpen`` .. ``MidClose``: bars of the mid price ((bid + ask) / 2);
- ``BidCumQuantity1`` .. ``AskCumQuantity5``: shares resting on levels 1..n of each side;
- ``VolumeImbalance1`` / ``VolumeImbalance5``: (bid - ask) / (bid + ask) over the first 1 or
  5 levels, from -1 (only asks) to +1 (only bids).

The settings below are the demo's defaults; ``02_spreads_depth.yaml`` beside this file
overrides them. See every column with its description without running anything:
``basalt analytics list --pipeline demo/02_spreads_depth.py``.
"""

USER_CONFIG = {
    "DATASETNAME": "spreads_depth",
    "START_DATE": "2025-01-02",
    "END_DATE": "2025-01-02",
    "UNIVERSE": "mic=XPAR",
    "PASSES": [
        {
            "name": "book_5m",
            "time_bucket_seconds": 300,
            "modules": ["l2"],
            "l2_analytics": {
                "spreads": ["Abs", "Bps"],  # drop "Abs" to keep only basis points
                "spread_aggregations": ["Last", "TWA"],
                "mid_ohlc": True,
                "levels": 5,  # up to 10: the snapshots hold ten levels per side
                # Also: Quantity (one level), CumNotional (price x shares), Price.
                "liquidity": ["CumQuantity"],
                "liquidity_sides": ["Bid", "Ask"],
                "volume_imbalance_levels": [1, 5],
            },
        }
    ],
}

# Which wins when both set a key: the YAML beside this file (yaml_overrides) or this dict.
CONFIG_YAML_PRECEDENCE = "yaml_overrides"


def get_universe(date):
    """The listings this demo covers on ``date``: every XPAR listing in the reference data."""
    from basalt.universes import get_universe as universe_for

    return universe_for(date, "mic=XPAR")


if __name__ == "__main__":
    from basalt.pipeline.cli import run_cli

    run_cli(USER_CONFIG, get_universe, config_file=__file__)
