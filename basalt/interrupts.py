"""Ctrl-C and SIGTERM as ``KeyboardInterrupt``, held back while a short critical section runs.

A run is cancelled by raising ``KeyboardInterrupt`` wherever it is (outputs in flight are
removed by their atomic writes). A few steps must not be cut in half: a run-ledger write that
records a finished batch (DuckDB turns an interrupt into a failed query, which would lose the
row while the batch's file stays on disk). Inside :func:`interrupts_deferred` the signal is
noted and raised when the section ends.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

_depth = 0
_pending = False
_received = False


def interrupt_received() -> bool:
    """Whether SIGINT or SIGTERM arrived in the current
    :func:`interrupts_as_keyboard_interrupt` block: an error that follows one is the cancel
    showing through a library (Polars, for one, turns an interrupt in a callback into a panic)."""
    return _received


def _interrupt(signum: int, frame: Any) -> None:
    global _pending, _received
    _received = True
    if _depth > 0:
        _pending = True
        return
    raise KeyboardInterrupt


@contextmanager
def interrupts_deferred() -> Iterator[None]:
    """Hold back an interrupt (from :func:`interrupts_as_keyboard_interrupt`) until the block
    ends; then raise it. Only the main thread receives signals, so other threads pass through."""
    global _depth, _pending
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    _depth += 1
    try:
        yield
    finally:
        _depth -= 1
        if _depth == 0 and _pending:
            _pending = False
            raise KeyboardInterrupt


@contextmanager
def interrupts_as_keyboard_interrupt() -> Iterator[None]:
    """SIGINT and SIGTERM raise ``KeyboardInterrupt`` (outside deferred sections) while the
    block runs; the previous handlers come back after. A no-op off the main thread."""
    global _received, _pending
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    _received = _pending = False
    previous = {s: signal.signal(s, _interrupt) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
