"""Fixtures shared by every suite: a running local Smartcar simulator on 127.0.0.1."""

from __future__ import annotations

from collections.abc import AsyncGenerator

import aiohttp
import pytest
from pytest_homeassistant_custom_component.syrupy import HomeAssistantSnapshotExtension
from syrupy.assertion import SnapshotAssertion

from custom_components.smartcar.api import (
    ClientCredentialsAuth,
    SmartcarClient,
    SmartcarSettings,
)
from smartcar_simulator import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, Simulator
from smartcar_simulator.clock import ManualClock


@pytest.fixture
def sim_clock() -> ManualClock:
    """Return the simulator's clock, moved only by the test."""
    return ManualClock()


@pytest.fixture
async def simulator(
    socket_enabled: None, sim_clock: ManualClock
) -> AsyncGenerator[Simulator]:
    """Serve a simulator on a free port of 127.0.0.1."""
    sim = Simulator(clock=sim_clock)
    await sim.start("127.0.0.1", 0)
    yield sim
    await sim.stop()


@pytest.fixture
def settings(simulator: Simulator) -> SmartcarSettings:
    """Client settings pointing every Smartcar service at the simulator."""
    return SmartcarSettings.at(simulator.url)


@pytest.fixture
async def http_session() -> AsyncGenerator[aiohttp.ClientSession]:
    """Open a plain aiohttp session (what Home Assistant would inject)."""
    async with aiohttp.ClientSession() as session:
        yield session


@pytest.fixture
def auth(
    http_session: aiohttp.ClientSession, settings: SmartcarSettings
) -> ClientCredentialsAuth:
    """Application-token auth with the simulator's demo credentials."""
    return ClientCredentialsAuth(
        http_session, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, settings
    )


@pytest.fixture
def client(
    http_session: aiohttp.ClientSession,
    auth: ClientCredentialsAuth,
    settings: SmartcarSettings,
) -> SmartcarClient:
    """Return the client under test, talking to the simulator."""
    return SmartcarClient(http_session, auth, settings)


@pytest.fixture
def snapshot(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    """Serialise snapshots as Home Assistant core does (no volatile ids or times)."""
    return snapshot.use_extension(HomeAssistantSnapshotExtension)
