"""Stopping a whole process group: the polite signal first, SIGKILL after the grace period."""

from __future__ import annotations

import signal
import threading
import time

from basalt.dagster.process_group import group_alive, start_in_new_session, stop_process_group

# A leader with a child in the background, both in the leader's new group.
TWO_SLEEPERS = "sleep 60 & sleep 60"


def started(script: str):
    process = start_in_new_session(["sh", "-c", script])
    deadline = time.monotonic() + 10
    while not group_alive(process.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert group_alive(process.pid)
    return process


def test_a_group_that_obeys_ends_within_the_grace_period():
    process = started(TWO_SLEEPERS)
    began = time.monotonic()
    assert stop_process_group(process, grace=10, first_signal=signal.SIGTERM) is True
    assert time.monotonic() - began < 10
    assert not group_alive(process.pid)
    assert process.returncode is not None  # reaped: no zombie left behind


def test_a_group_that_ignores_the_signal_is_killed_after_the_grace_period():
    process = started(f"trap '' INT TERM; {TWO_SLEEPERS}")  # the children inherit the trap
    began = time.monotonic()
    assert stop_process_group(process, grace=0.5) is False
    assert time.monotonic() - began >= 0.5
    assert not group_alive(process.pid)
    assert process.returncode == -signal.SIGKILL


def test_stopping_a_group_already_gone_is_fine():
    process = start_in_new_session(["sh", "-c", "exit 0"])
    process.wait(timeout=10)
    assert stop_process_group(process, grace=1) is True


def test_a_second_request_cuts_the_grace_period_short():
    process = started(f"trap '' INT TERM; {TWO_SLEEPERS}")
    hurry = threading.Event()
    hurry.set()  # as a second Ctrl-C does
    began = time.monotonic()
    assert stop_process_group(process, grace=60, hurry=hurry) is False
    assert time.monotonic() - began < 30
    assert not group_alive(process.pid)
