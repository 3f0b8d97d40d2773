"""Demo 01: one-minute OHLCV bars and VWAP for the XLON listings.

The settings below are the demo's defaults; ``01_ohlcv_bars.yaml`` beside this file overrides
them (edit it by hand, with ``basalt config set``, or in the editor:
``python -m config_ui demo/01_ohlcv_bars.py``).
"""

USER_CONFIG = {
    "DATASETNAME": "ohlcv_bars",
    "START_DATE": "2025-01-02",
    "END_DATE": "2025-01-02",
    "UNIVERSE": "mic=XLON",
    "PASSES": [
        {
            "name": "bars_1m",
            "time_bucket_seconds": 60,
            "modules": ["trade"],
            "trade_analytics": {
                "generic_metrics": [
                    {"sides": "Total", "measures": ["OHLC", "Volume", "Count", "VWAP"]},
                    {"sides": ["Buy", "Sell"], "measures": ["Volume", "VWAP"]},
                ],
            },
        }
    ],
}

# Which wins when both set a key: the YAML beside this file (yaml_overrides) or this dict.
CONFIG_YAML_PRECEDENCE = "yaml_overrides"


def get_universe(date):
    """The listings this demo covers on ``date``: every XLON listing in the reference data."""
    from basalt.universes import get_universe as universe_for

    return universe_for(date, "mic=XLON")


if __name__ == "__main__":
    from basalt.pipeline.cli import run_cli

    run_cli(USER_CONFIG, get_universe, config_file=__file__)
