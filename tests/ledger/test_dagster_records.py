"""Dagster steps write the ledger: the run (trigger ``dagster``, the Dagster run id), the
outputs of the passes each asset owns, every check result, and how each step ended."""

from __future__ import annotations

import dagster as dg
import polars as pl
import pytest

from basalt.cli import main
from basalt.dagster import assets as assets_module
from basalt.dagster.assets import build_demo_assets, universe_partitions_def_name
from basalt.dagster.demos import load_demos
from basalt.dagster.resources import default_resources
from basalt.dagster.step_ledger import CANCELLED, StepLedger, plain_metadata
from basalt.data.errors import DataError
from tests.dagster.support import DEMO_DIR, write_demo

XLON_KEY = "2025-01-02|mic=XLON"


@pytest.fixture(scope="module")
def demos():
    return {d.number: d for d in load_demos(DEMO_DIR, only=["01", "05"])}


@pytest.fixture
def instance():
    with dg.DagsterInstance.ephemeral() as inst:
        yield inst


def materialize(demo, key, instance, split=True, **kwargs):
    return dg.materialize(
        build_demo_assets(split, demos=[demo]),
        partition_key=key,
        instance=instance,
        resources=default_resources(),
        **kwargs,
    )


def test_a_materialization_records_run_outputs_and_checks(demos, instance, ledger, capsys):
    result = materialize(demos["01"], XLON_KEY, instance)
    assert result.success
    [event] = result.get_asset_materialization_events()
    meta = {k: v.value for k, v in event.materialization.metadata.items()}
    run = ledger.run(result.run_id)
    assert run is not None
    assert (run["trigger"], run["status"], run["error"]) == ("dagster", "success", None)
    assert run["demo"] == "01_ohlcv_bars" and run["universe"] == "mic=XLON"
    assert run["config_file"] == str(DEMO_DIR / "01_ohlcv_bars.yaml")
    assert run["config_sha256"] == meta["config_sha256"]  # the captured config's
    assert str(run["start_date"]) == str(run["end_date"]) == "2025-01-02"
    [out] = ledger.assets(run_id=result.run_id)
    assert (out["pass_name"], out["partition_key"], out["universe"]) == (
        "bars_1m",
        XLON_KEY,
        "mic=XLON",
    )
    assert out["output_path"] == meta["output_path"]
    assert out["rows"] == meta["dagster/row_count"] == pl.read_parquet(out["output_path"]).height
    assert out["bytes"] == meta["bytes"] > 0
    evaluations = {e.check_name: e for e in result.get_asset_check_evaluations()}
    recorded = {c["check_name"]: c for c in ledger.checks(run_id=result.run_id)}
    assert (
        set(recorded)
        == set(evaluations)
        == {
            "not_empty",
            "unique_keys",
            "time_bucket_increasing",
            "null_rate",
        }
    )
    for name, evaluation in evaluations.items():
        row = recorded[name]
        assert (row["pass_name"], row["partition_key"]) == ("bars_1m", XLON_KEY)
        assert row["passed"] is evaluation.passed is True
        assert row["severity"] == evaluation.severity.value
        assert row["metadata"] == plain_metadata(evaluation.metadata)
    assert recorded["not_empty"]["metadata"] == {"rows": out["rows"]}
    assert recorded["unique_keys"]["metadata"]["keys"] == ["ListingId", "TimeBucket"]
    # the command line shows them
    assert main(["ledger", "runs"]) == 0
    [line] = [x for x in capsys.readouterr().out.splitlines() if x.startswith(result.run_id[:12])]
    assert line.split()[1:6] == ["dagster", "01_ohlcv_bars", "mic=XLON", "2025-01-02", "success"]
    assert main(["ledger", "checks", "--run", result.run_id]) == 0
    header, *lines = capsys.readouterr().out.splitlines()
    assert header.split() == [
        "run",
        "demo",
        "pass_name",
        "partition_key",
        "check_name",
        "result",
        "severity",
    ]
    assert sorted(x.split()[4:6] for x in lines) == sorted([n, "passed"] for n in evaluations)
    assert all(
        x.split()[:4] == [result.run_id[:12], "01_ohlcv_bars", "bars_1m", XLON_KEY] for x in lines
    )


def test_a_run_of_several_assets_is_one_ledger_run(demos, instance, ledger):
    result = materialize(demos["05"], XLON_KEY, instance)
    assert result.success
    [run] = ledger.runs()
    assert run["run_id"] == result.run_id and run["status"] == "success"
    assert run["universe"] == "mic=XLON"  # each step starts the run; listed once
    outputs = ledger.assets(run_id=result.run_id)
    assert sorted(o["pass_name"] for o in outputs) == ["bars_5m", "index_1h"]
    assert {o["partition_key"] for o in outputs} == {XLON_KEY}
    checks = ledger.checks(run_id=result.run_id)
    assert len(checks) == 8 and {c["pass_name"] for c in checks} == {"bars_5m", "index_1h"}


def test_the_whole_demo_asset_records_every_pass_it_owns(demos, instance, ledger):
    result = materialize(demos["05"], XLON_KEY, instance, split=False)
    assert result.success
    outputs = ledger.assets(run_id=result.run_id)
    assert sorted(o["pass_name"] for o in outputs) == ["bars_5m", "index_1h"]
    names = {(c["pass_name"], c["check_name"]) for c in ledger.checks(run_id=result.run_id)}
    assert ("index_1h", "unique_keys") in names and len(names) == 8


def test_a_failed_step_fails_the_run_and_a_later_step_does_not_undo_it(
    demos, instance, ledger, monkeypatch
):
    real = assets_module.run_partition
    calls = []

    def second_step_breaks(*args, **kwargs):
        calls.append(args)
        if len(calls) == 2:
            raise DataError("trades/date=2025-01-02/mic=XLON/data.parquet: unreadable")
        return real(*args, **kwargs)

    monkeypatch.setattr(assets_module, "run_partition", second_step_breaks)
    result = materialize(demos["05"], XLON_KEY, instance, raise_on_error=False)
    assert not result.success and len(calls) == 2
    run = ledger.run(result.run_id)
    assert run["status"] == "failed"
    assert run["error"] == (
        "demo05_multi_pass mic=XLON on 2025-01-02: "
        "trades/date=2025-01-02/mic=XLON/data.parquet: unreadable"
    )
    [out] = ledger.assets(run_id=result.run_id)  # the first step's output is there
    assert out["pass_name"] == "bars_5m"
    # another step of the same run that ends well (a re-run of one step) keeps it failed
    ledger.finish_run(result.run_id, "success")
    assert ledger.run(result.run_id)["status"] == "failed"


def test_a_day_without_trading_records_the_skipped_checks(demos, instance, ledger):
    result = materialize(demos["01"], "2025-04-18|mic=XLON", instance)  # Good Friday
    assert result.success
    run = ledger.run(result.run_id)
    assert run["status"] == "success" and str(run["start_date"]) == "2025-04-18"
    assert ledger.assets(run_id=result.run_id) == []
    checks = ledger.checks(run_id=result.run_id)
    assert len(checks) == 4 and all(c["passed"] for c in checks)
    assert all("no session: holiday" in c["metadata"]["skipped"] for c in checks)


def test_a_partition_key_that_does_not_parse_is_recorded_as_failed(tmp_path, instance, ledger):
    write_demo(
        tmp_path,
        "01_dynamic",
        extra="""
        from basalt.dagster.universes import ConfigUniverses

        UNIVERSES = [ConfigUniverses()]
        """,
    )
    [demo] = load_demos(tmp_path)
    instance.add_dynamic_partitions(universe_partitions_def_name(demo), ["foo=bar"])
    result = materialize(demo, "2025-01-02|foo=bar", instance, raise_on_error=False)
    assert not result.success
    run = ledger.run(result.run_id)
    assert (run["trigger"], run["demo"], run["status"]) == ("dagster", "01_dynamic", "failed")
    assert run["error"].startswith("demo01_dynamic: partition key '2025-01-02|foo=bar'")
    assert run["universe"] is None and run["config_sha256"] is None


class FakeRun:
    run_id = "dagster-run-1"


class FakeContext:
    run = FakeRun()


@pytest.mark.parametrize(
    ("error", "status", "message"),
    [
        (KeyboardInterrupt(), "cancelled", CANCELLED),
        (dg.DagsterExecutionInterruptedError(), "cancelled", CANCELLED),
        (dg.Failure(description="no data"), "failed", "no data"),
        (ZeroDivisionError("division by zero"), "failed", "ZeroDivisionError: division by zero"),
    ],
)
def test_how_a_step_ends_is_recorded_and_the_error_goes_on(demos, ledger, error, status, message):
    with pytest.raises(type(error)), StepLedger(FakeContext(), demos["01"]) as step:
        step.start("sha", None)
        raise error
    run = ledger.run("dagster-run-1")
    assert (run["status"], run["error"], run["trigger"]) == (status, message, "dagster")


def test_a_ledger_that_cannot_be_written_never_fails_a_step(
    demos, instance, tmp_path, monkeypatch, caplog
):
    home = tmp_path / "home_is_a_file"
    home.write_text("not a folder")
    monkeypatch.setenv("BASALT_HOME", str(home))
    with caplog.at_level("WARNING"):
        result = materialize(demos["01"], XLON_KEY, instance)
    assert result.success
    assert len(result.get_asset_check_evaluations()) == 4
    assert "run ledger" in caplog.text and "cannot record" in caplog.text
