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
