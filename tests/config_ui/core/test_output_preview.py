"""Output previews: first rows as text, and the chart that fits the output."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl

from config_ui.core.output_preview import chart_for, ohlc_prefix, preview_output


def frame(columns: dict[str, list]) -> pl.DataFrame:
    n = len(next(iter(columns.values())))
    times = [dt.datetime(2025, 1, 2, 8, i) for i in range(n)]
    return pl.DataFrame({"ListingId": [7] * n, "TimeBucket": times, **columns})


def test_ohlc_outputs_become_candlesticks_of_the_first_listing(tmp_path: Path) -> None:
    bars = pl.concat(
        [
            frame(
                {
                    "TradeTotalOpen": [1.0, 2.0],
                    "TradeTotalHigh": [3.0, 4.0],
                    "TradeTotalLow": [0.5, 1.5],
                    "TradeTotalClose": [2.0, 3.5],
                }
            ),
            frame(
                {
                    "TradeTotalOpen": [9.0],
                    "TradeTotalHigh": [9.0],
                    "TradeTotalLow": [9.0],
                    "TradeTotalClose": [9.0],
                }
            ).with_columns(ListingId=pl.lit(8, pl.Int64)),
        ]
    )
    path = tmp_path / "bars.parquet"
    bars.write_parquet(path)
    preview = preview_output(path, rows=2)
    assert preview.total_rows == 3
    assert preview.rows[0][:2] == ["7", "2025-01-02 08:00:00"]
    chart = preview.chart
    assert chart is not None and chart.kind == "candlestick"
    assert chart.series == {
        "open": [1.0, 2.0],
        "close": [2.0, 3.5],
        "low": [0.5, 1.5],
        "high": [3.0, 4.0],
    }
    assert chart.x == ["2025-01-02 08:00", "2025-01-02 08:01"]
    assert chart.main == [2.0, 3.5]
    assert "ListingId 7" in chart.title


def test_spread_outputs_become_lines_time_weighted_first() -> None:
    chart = chart_for(
        frame({"SpreadBps": [1.0, None], "SpreadBpsTWA": [2.0, 3.0], "Volume": [5.0, 6.0]})
    )
    assert chart is not None and chart.kind == "line"
    assert list(chart.series) == ["SpreadBpsTWA", "SpreadBps"]
    assert chart.main == [2.0, 3.0]


def test_other_outputs_chart_their_first_metric_and_csv_reads(tmp_path: Path) -> None:
    path = tmp_path / "flow.csv"
    frame({"L3InsertCountBid": [4, 5], "Note": ["a", "b"]}).write_csv(path)
    preview = preview_output(path)
    assert preview.chart is not None and list(preview.chart.series) == ["L3InsertCountBid"]


def test_no_time_axis_no_chart() -> None:
    assert chart_for(pl.DataFrame({"ListingId": [1], "X": [2.0]})) is None
    assert ohlc_prefix(["MidOpen", "MidHigh", "MidLow"]) is None
    assert ohlc_prefix(["MidOpen", "MidHigh", "MidLow", "MidClose"]) == "Mid"
