"""Cancel signals as KeyboardInterrupt, held back in critical sections (ledger writes)."""

from __future__ import annotations

import os
import signal
import time

import pytest

from basalt.interrupts import (
    interrupt_received,
    interrupts_as_keyboard_interrupt,
    interrupts_deferred,
)


def wait_for_handler() -> None:
    time.sleep(0.05)  # Python runs the signal handler between bytecodes


def test_a_signal_raises_at_once_outside_a_deferred_section() -> None:
    before = signal.getsignal(signal.SIGTERM)
    reached = []
    with pytest.raises(KeyboardInterrupt), interrupts_as_keyboard_interrupt():
        os.kill(os.getpid(), signal.SIGTERM)
        wait_for_handler()
        reached.append("after")
    assert reached == []
    assert interrupt_received()
    assert signal.getsignal(signal.SIGTERM) is before


def test_a_signal_in_a_deferred_section_lands_when_it_ends() -> None:
    steps = []
    with pytest.raises(KeyboardInterrupt), interrupts_as_keyboard_interrupt():
        with interrupts_deferred():
            os.kill(os.getpid(), signal.SIGINT)
            wait_for_handler()
            with interrupts_deferred():  # nested: still held back
                wait_for_handler()
            steps.append("section finished")
        steps.append("not reached")
    assert steps == ["section finished"]


def test_no_signal_no_interrupt() -> None:
    with interrupts_as_keyboard_interrupt(), interrupts_deferred():
        pass
    assert not interrupt_received()
