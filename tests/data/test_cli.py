"""``basalt data`` through a small argparse parser, as basalt/cli.py wires it."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

import pytest

from basalt.data import MarketDataStore
from basalt.data.cli import register


def run(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="basalt")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(list(argv))
    return args.func(args)


def test_generate_then_info(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = run(
        "data", "generate", "--start", "2026-01-02", "--end", "2026-01-05",
        "--mics", "XLON", "XPAR", "--trades-per-listing", "100", "--data-dir", str(tmp_path),
    )  # fmt: skip
    assert code == 0
    output = capsys.readouterr().out
    assert "4 partition(s)" in output and "2 trading day(s)" in output
    store = MarketDataStore(tmp_path)
    assert store.partitions("l3") == [
        (date(2026, 1, 2), "XLON"),
        (date(2026, 1, 2), "XPAR"),
        (date(2026, 1, 5), "XLON"),
        (date(2026, 1, 5), "XPAR"),
    ]
    trades = store.row_count("trades", [date(2026, 1, 2), date(2026, 1, 5)])
    assert f"{trades:,} trades" in output

    assert run("data", "generate", "--start", "2026-01-02", "--mics", "XLON",
               "--data-dir", str(tmp_path), "--seed", "3") == 0  # fmt: skip
    assert "nothing to generate: 1 trading day(s) already in" in capsys.readouterr().out

    assert run("data", "info", "--data-dir", str(tmp_path)) == 0
    info = capsys.readouterr().out
    assert "2026-01-02..2026-01-05 (2)" in info and "XLON XPAR" in info
    assert f"{trades:,}" in info and "synthetic(seed=42, trades_per_listing=100)" in info


def test_generate_uses_the_environment_data_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BASALT_DATA_DIR", str(tmp_path))
    assert run("data", "generate", "--start", "2026-01-02", "--mics", "XAMS",
               "--trades-per-listing", "50") == 0  # fmt: skip
    assert MarketDataStore(tmp_path).partitions("trades") == [(date(2026, 1, 2), "XAMS")]


def test_import_and_info(
    tmp_path: Path, fixtures_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run("data", "import", "reference", str(fixtures_dir / "reference.parquet"),
               "--data-dir", str(tmp_path)) == 0  # fmt: skip
    assert run("data", "import", "l3", str(fixtures_dir / "l3.parquet"),
               "--data-dir", str(tmp_path)) == 0  # fmt: skip
    output = capsys.readouterr().out
    assert "l3/date=2026-01-02/mic=XLON/data.parquet" in output
    run("data", "info", "--data-dir", str(tmp_path))
    assert "import(l3.parquet)" in capsys.readouterr().out


def test_info_on_an_empty_store(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run("data", "info", "--data-dir", str(tmp_path)) == 0
    assert "no data in" in capsys.readouterr().out


def test_user_mistakes_print_one_line_and_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nope.parquet"
    assert run("data", "import", "trades", str(missing), "--data-dir", str(tmp_path)) == 1
    error = capsys.readouterr().err
    assert error.startswith("error: no such file") and str(missing) in error
    assert "Traceback" not in error
    assert run("data", "generate", "--start", "2026-01-05", "--end", "2026-01-02",
               "--data-dir", str(tmp_path)) == 1  # fmt: skip
    assert "--end 2026-01-02 is before --start 2026-01-05" in capsys.readouterr().err


@pytest.mark.parametrize(
    "argv",
    [
        ["data", "generate", "--start", "2026-13-01"],
        ["data", "generate", "--start", "2026-01-02", "--mics", "XNYS"],
        ["data", "generate", "--start", "2026-01-02", "--trades-per-listing", "0"],
        ["data", "import", "quotes", "file.parquet"],
    ],
)
def test_invalid_arguments_are_usage_errors(argv: list[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        run(*argv)
    assert caught.value.code == 2
