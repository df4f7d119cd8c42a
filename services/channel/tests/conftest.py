"""Fixtures of the channel service tests: the channel service, simulators, a customer directory.

The simulators are a dev/test tool outside production code (tools/simulators); they are put on
the path here so the tests need no install step.
"""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "tools" / "simulators"))

from lingxi_simulators import SimulatorHub
from lingxi_simulators.customers import TagDouble, customer_book


@pytest.fixture
async def simulators() -> AsyncIterator[SimulatorHub]:
    hub = await SimulatorHub().start()
    try:
        yield hub
    finally:
        await hub.stop()


@pytest.fixture
async def tag() -> AsyncIterator[TagDouble]:
    async with customer_book() as double:
        yield double
