"""Fixtures for the simulator tests: a started simulator with a hand-driven clock."""

from __future__ import annotations

from collections.abc import AsyncGenerator

import aiohttp
import pytest

from smartcar_simulator import OWNER_EMAIL, Simulator
from smartcar_simulator.clock import ManualClock

from .helpers import Api


@pytest.fixture
def sim_clock() -> ManualClock:
    """Return the simulator's clock, moved only by the test (starts 2026-11-01 10:00 UTC)."""
    return ManualClock()


@pytest.fixture
async def simulator(
    socket_enabled: None, sim_clock: ManualClock
) -> AsyncGenerator[Simulator]:
    """Serve a simulator on a free port of 127.0.0.1; stop it after the test."""
    sim = Simulator(clock=sim_clock)
    await sim.start("127.0.0.1", 0)
    yield sim
    await sim.stop()


@pytest.fixture
async def session() -> AsyncGenerator[aiohttp.ClientSession]:
    """Yield a plain aiohttp client session."""
    async with aiohttp.ClientSession() as client_session:
        yield client_session


@pytest.fixture
def api(simulator: Simulator, session: aiohttp.ClientSession) -> Api:
    """HTTP helper bound to the running simulator."""
    return Api(session, simulator)


@pytest.fixture
def owner(simulator: Simulator) -> str:
    """Connect all of owner@example.com's cars (default permissions); return the user id."""
    return simulator.connect(OWNER_EMAIL)
