"""What the Run panel and the health view draw, without a page: chart options from the core's
models, the run form's defaults and checks, a config's first error in form order."""

from __future__ import annotations

import datetime as dt

from config_ui.core.health import DemoCoverage
from config_ui.core.output_preview import Chart
from config_ui.core.session import EditorSession
from config_ui.web.charts import coverage_cells, coverage_chart_options, output_chart_options
from config_ui.web.run_form import RunForm, first_error

D1, D2, D3 = dt.date(2025, 1, 2), dt.date(2025, 1, 3), dt.date(2025, 1, 4)


def test_candlesticks_in_echarts_order_with_zoom_and_title() -> None:
    chart = Chart(
        "candlestick",
        "XLON VOD TradeTotal OHLC",
        ["2025-01-02 08:01", "2025-01-02 08:02"],
        {"open": [1.0, 2.0], "close": [1.5, 1.8], "low": [0.9, 1.7], "high": [1.6, 2.1]},
    )
    options = output_chart_options(chart)
    (series,) = options["series"]
    assert series["type"] == "candlestick"
    assert series["data"] == [[1.0, 1.5, 0.9, 1.6], [2.0, 1.8, 1.7, 2.1]]
    assert options["xAxis"]["data"] == chart.x
    assert options["title"]["text"] == "XLON VOD TradeTotal OHLC"
    assert {z["type"] for z in options["dataZoom"]} == {"inside", "slider"}


def test_lines_one_series_per_column_with_a_legend() -> None:
    chart = Chart("line", "spreads", ["a", "b"], {"SpreadBpsTWA": [1.0, None], "SpreadAbs": [2, 3]})
    options = output_chart_options(chart)
    assert [(s["type"], s["name"], s["data"]) for s in options["series"]] == [
        ("line", "SpreadBpsTWA", [1.0, None]),
        ("line", "SpreadAbs", [2, 3]),
    ]
    assert "legend" in options


def test_coverage_heat_map_values_and_empty_non_partitions() -> None:
    coverage = DemoCoverage(
        "01_ohlcv_bars",
        passes=["a", "b"],
        universes=["mic=XLON", "mic=XPAR"],
        days=[D1, D2, D3],  # D3 is a Saturday: not a partition
        done={("mic=XLON", D1): 2, ("mic=XLON", D2): 1, ("mic=XPAR", D1): 0},
        expected={("mic=XLON", D1), ("mic=XLON", D2), ("mic=XPAR", D1), ("mic=XPAR", D2)},
    )
    assert coverage_cells(coverage) == [[0, 0, 2], [1, 0, 1], [0, 1, 0], [1, 1, 0]]
    options = coverage_chart_options(coverage)
    assert options["xAxis"]["data"] == ["2025-01-02", "2025-01-03", "2025-01-04"]
    assert options["yAxis"]["data"] == ["mic=XLON", "mic=XPAR"]
    pieces = options["visualMap"]["pieces"]
    assert [(p["value"], p["label"]) for p in pieces] == [
        (2, "done"),
        (1, "partial"),
        (0, "missing"),
    ]


def test_run_form_follows_the_config_until_the_user_changes_it(web_project) -> None:
    session = EditorSession.open(web_project.demo)
    form = RunForm()
    form.follow(session)
    assert (form.universe, form.start, form.end) == ("mic=XLON", "2025-01-02", "2025-01-03")
    assert form.universes[0] == "mic=XLON" and form.problem() is None
    form.end = "2025-01-31"
    session.set("START_DATE", "2025-01-03")
    session.set("UNIVERSE", "mic=XPAR")
    form.follow(session)
    assert (form.universe, form.start, form.end) == ("mic=XPAR", "2025-01-03", "2025-01-31")
    assert form.dates == (dt.date(2025, 1, 3), dt.date(2025, 1, 31))
    form.start = "tomorrow"
    assert form.problem() == "Start date: 'tomorrow' is not a date (YYYY-MM-DD)"
    form.universe = " "
    assert form.problem().startswith("Universe:")


def test_first_error_in_form_order(web_project) -> None:
    session = EditorSession.open(web_project.demo)
    assert first_error(session) is None
    session.set("START_DATE", "2025-02-01")
    path, message = first_error(session)
    assert path == "END_DATE" and "START_DATE" in message
    session.set("DATASETNAME", "bad name!")
    assert first_error(session)[0] == "DATASETNAME"
    typed = {"PASSES.0.time_bucket_seconds": "not a whole number"}
    session.set("DATASETNAME", "fine")
    session.set("START_DATE", "2025-01-02")
    assert first_error(session, typed) == ("PASSES.0.time_bucket_seconds", "not a whole number")
