"""Ports given on the command line are checked by argparse: one line and exit 2, no traceback."""

from __future__ import annotations

import pytest

from basalt.cli import main


@pytest.mark.parametrize(
    ("port", "message"), [("99999", "not between 1 and 65535"), ("x", "not a port number")]
)
def test_a_bad_port_is_a_usage_error(port: str, message: str, capsys) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["dagster", "dev", "--port", port])
    assert exit_.value.code == 2
    assert message in capsys.readouterr().err


def test_the_editors_check_their_ports_too(capsys) -> None:
    from config_ui.__main__ import main as editor

    with pytest.raises(SystemExit) as exit_:
        editor(["demo/01_ohlcv_bars.py", "--web", "--dagster-port", "0"])
    assert exit_.value.code == 2
    assert "--dagster-port: port 0 is not between 1 and 65535" in capsys.readouterr().err
