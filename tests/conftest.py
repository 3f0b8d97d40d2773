"""Suite-wide fixtures."""

from __future__ import annotations

import pytest

from basalt.config.modules import base as module_base


@pytest.fixture(autouse=True)
def _module_registry_restored():
    """A test that opens a demo declaring its own module (demo 03) registers it process-wide;
    put the registry back so later tests (snapshots, module pickers) see the built-ins only."""
    saved = dict(module_base._REGISTRY)
    yield
    module_base._REGISTRY.clear()
    module_base._REGISTRY.update(saved)


@pytest.fixture(autouse=True)
def _own_basalt_home(tmp_path_factory, monkeypatch):
    """Every test writes its ledger and local state under its own ``BASALT_HOME``, never in
    the checkout's ``.basalt/``. Subprocesses inherit it."""
    monkeypatch.setenv("BASALT_HOME", str(tmp_path_factory.mktemp("basalt_home")))
