"""Gaps: the partitions (universe x day) of a demo some pass has no output for, from a ledger
built by hand, listed by the functions and by ``basalt ledger gaps``."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest

from basalt.cli import main
from basalt.dagster.demos import load_demo
from basalt.ledger.gaps import Gap, as_gaps, expected_days, missing_partitions
from basalt.ledger.store import Ledger

D = dt.date
START, END = D(2025, 4, 28), D(2025, 5, 9)
XLON, XPAR = "mic=XLON", "mic=XPAR"
PASSES = ("bars_1m", "bars_5m")
STEM = "07_gappy"


def weekdays(start: dt.date, end: dt.date) -> list[dt.date]:
    days = [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]
    return [d for d in days if d.weekday() < 5]


def test_expected_days_skip_weekends_and_the_venue_holidays():
    # XLON: early May bank holiday (Mon 5 May); XPAR: Labour Day (Thu 1 May)
    assert expected_days(START, END, XLON) == [
        d for d in weekdays(START, END) if d != D(2025, 5, 5)
    ]
    assert expected_days(START, END, XPAR) == [
        d for d in weekdays(START, END) if d != D(2025, 5, 1)
    ]
    # no venue to ask: weekends only, or every day
    assert expected_days(START, END, "index=SYN10") == weekdays(START, END)
    assert len(expected_days(START, END, "index=SYN10", exclude_weekends=False)) == 12


def test_a_venue_holiday_is_not_a_gap():
    # Spring Bank Holiday (Mon 26 May) on XLON only; Christmas and Boxing Day everywhere
    may = expected_days(D(2025, 5, 23), D(2025, 5, 27), XLON, exclude_weekends=False)
    assert may == [D(2025, 5, 23), D(2025, 5, 27)]
    assert D(2025, 5, 26) in expected_days(D(2025, 5, 23), D(2025, 5, 27), XPAR)
    december = expected_days(D(2025, 12, 22), D(2025, 12, 31), "mic=XETR")
    assert december == [D(2025, 12, 22), D(2025, 12, 23), D(2025, 12, 29), D(2025, 12, 30)]
    missing = [(XLON, day) for day in may]
    assert as_gaps(missing, {XLON: may}) == [Gap(XLON, D(2025, 5, 23), D(2025, 5, 27), 2)]


def test_a_universe_of_several_venues_expects_the_days_any_of_them_trades():
    start, end = D(2025, 5, 1), D(2025, 5, 31)
    xlon, xpar = expected_days(start, end, XLON), expected_days(start, end, XPAR)
    both = expected_days(start, end, "mic=XLON,XPAR")
    assert both == sorted(set(xlon) | set(xpar)) == weekdays(start, end)
    assert expected_days(D(2025, 12, 24), D(2025, 12, 26), "mic=XLON,XETR") == [D(2025, 12, 24)]
    # an operating MIC, and an intersection with a term that names no venue
    assert expected_days(start, end, "opol=XPAR") == xpar
    assert expected_days(start, end, "mic=XLON+index=SYN10") == xlon
    # venues known only from reference data, or without a calendar: every weekday
    for universe in ("index=SYN10", "all", "custom", "mic=XNYS", "mic=XLON,XNYS"):
        assert expected_days(D(2025, 12, 24), D(2025, 12, 28), universe) == [
            D(2025, 12, 24),
            D(2025, 12, 25),
            D(2025, 12, 26),
        ]


def record(ledger: Ledger, universe: str, start: dt.date, end: dt.date, passes=PASSES) -> None:
    run_id = f"{universe}-{start}-{'+'.join(passes)}"
    ledger.start_run(
        run_id=run_id,
        trigger="cli",
        demo=STEM,
        config_file=None,
        config_sha256=None,
        universe=universe,
        start_date=start,
        end_date=end,
    )
    ledger.record_assets(
        [
            {
                "run_id": run_id,
                "demo": STEM,
                "pass_name": p,
                "partition_key": f"{start}..{end}|{universe}",
                "universe": universe,
                "start_date": start,
                "end_date": end,
                "output_path": f"/out/{p}/{universe}/{start}_{end}.parquet",
                "rows": 1,
                "bytes": 1,
            }
            for p in passes
        ]
    )
    ledger.finish_run(run_id, "success")


@pytest.fixture
def gappy_ledger(ledger: Ledger) -> Ledger:
    """XLON: Mon 28 Apr..Thu 1 May in one output, 7 May, 8 May (bars_1m only), 9 May.
    XPAR: 28..30 Apr, 2 May. Another demo's outputs must not count."""
    record(ledger, XLON, D(2025, 4, 28), D(2025, 5, 1))
    record(ledger, XLON, D(2025, 5, 7), D(2025, 5, 7))
    record(ledger, XLON, D(2025, 5, 8), D(2025, 5, 8), passes=("bars_1m",))
    record(ledger, XLON, D(2025, 5, 9), D(2025, 5, 9))
    record(ledger, XPAR, D(2025, 4, 28), D(2025, 4, 30))
    record(ledger, XPAR, D(2025, 5, 2), D(2025, 5, 2))
    ledger.start_run(
        run_id="other",
        trigger="cli",
        demo="01_other",
        config_file=None,
        config_sha256=None,
        universe=XLON,
        start_date=D(2025, 5, 2),
        end_date=D(2025, 5, 6),
    )
    ledger.record_assets(
        [
            {
                "run_id": "other",
                "demo": "01_other",
                "pass_name": p,
                "partition_key": "k",
                "universe": XLON,
                "start_date": D(2025, 5, 2),
                "end_date": D(2025, 5, 6),
                "output_path": "/out/other",
                "rows": 1,
                "bytes": 1,
            }
            for p in PASSES
        ]
    )
    return ledger


EXPECTED_MISSING = [
    (XLON, D(2025, 5, 2)),
    (XLON, D(2025, 5, 6)),  # 5 May is a London holiday: not a partition
    (XLON, D(2025, 5, 8)),  # bars_5m has no output that day
    (XPAR, D(2025, 5, 5)),
    (XPAR, D(2025, 5, 6)),
    (XPAR, D(2025, 5, 7)),
    (XPAR, D(2025, 5, 8)),
    (XPAR, D(2025, 5, 9)),
]


def test_missing_partitions_and_gaps(gappy_ledger):
    days_of = {u: expected_days(START, END, u) for u in (XLON, XPAR)}
    done = gappy_ledger.materialized_days(STEM)
    missing = missing_partitions(PASSES, [XLON, XPAR], days_of, done)
    assert missing == EXPECTED_MISSING
    assert as_gaps(missing, days_of) == [
        Gap(XLON, D(2025, 5, 2), D(2025, 5, 6), 2),  # consecutive partitions across the holiday
        Gap(XLON, D(2025, 5, 8), D(2025, 5, 8), 1),
        Gap(XPAR, D(2025, 5, 5), D(2025, 5, 9), 5),
    ]
    # one pass asked for: 8 May is there
    assert (XLON, D(2025, 5, 8)) not in missing_partitions(["bars_1m"], [XLON], days_of, done)


def write_gappy_demo(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    passes = [
        {
            "name": name,
            "time_bucket_seconds": seconds,
            "modules": ["trade"],
            "trade_analytics": {"generic_metrics": [{"sides": "Total", "measures": ["Volume"]}]},
        }
        for name, seconds in zip(PASSES, (60, 300), strict=True)
    ]
    config = {
        "DATASETNAME": "gappy",
        "START_DATE": str(START),
        "END_DATE": str(END),
        "UNIVERSE": XLON,
        "PASSES": passes,
    }
    script = folder / f"{STEM}.py"
    script.write_text(
        textwrap.dedent(
            f'''\
            """A demo for the gaps test."""

            from basalt.dagster.universes import MICUniverse

            USER_CONFIG = {config!r}
            UNIVERSES = [MICUniverse(whitelist=["XLON", "XPAR"])]


            def get_universe(date):
                from basalt.universes import get_universe as universe_for

                return universe_for(date, "mic=XLON")
            '''
        ),
        encoding="utf-8",
    )
    return script


def test_the_gaps_command_lists_them(gappy_ledger, tmp_path, capsys):
    script = write_gappy_demo(tmp_path / "demos")
    assert load_demo(script).universe_keys == [XLON, XPAR]
    assert main(["ledger", "gaps", str(script)]) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"{STEM}: 8 of 18 partitions (universe x date) not materialized, {START}..{END}",
        f"  {XLON}  2025-05-02..2025-05-06  (2 days)",
        f"  {XLON}  2025-05-08  (1 day)",
        f"  {XPAR}  2025-05-05..2025-05-09  (5 days)",
    ]
    assert main(["ledger", "gaps", str(script), "--keys", "--universe", XPAR]) == 0
    assert capsys.readouterr().out.splitlines() == [f"{d}|{u}" for u, d in EXPECTED_MISSING[3:]]
    assert (
        main(["ledger", "gaps", str(script), "--start", "2025-05-07", "--end", "2025-05-07"]) == 0
    )
    assert capsys.readouterr().out.splitlines() == [
        f"{STEM}: 1 of 2 partitions (universe x date) not materialized, 2025-05-07..2025-05-07",
        f"  {XPAR}  2025-05-07  (1 day)",
    ]
    assert main(["ledger", "gaps", str(script), "--commands"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"basalt run {script} --universe {XLON} --start-date 2025-05-02 --end-date 2025-05-06",
        f"basalt run {script} --universe {XLON} --start-date 2025-05-08 --end-date 2025-05-08",
        f"basalt run {script} --universe {XPAR} --start-date 2025-05-05 --end-date 2025-05-09",
    ]


def test_the_gaps_command_names_a_missing_demo(tmp_path, capsys):
    assert main(["ledger", "gaps", str(tmp_path / "09_nothing.py")]) == 1
    assert "09_nothing.py: no such demo script" in capsys.readouterr().err
