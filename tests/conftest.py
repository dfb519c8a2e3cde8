"""Fixtures shared by every suite: a running local Smartcar simulator on 127.0.0.1."""

from __future__ import annotations

from collections.abc import AsyncGenerator

import aiohttp
import pytest
from pytest_homeassistant_custom_component.syrupy import HomeAssistantSnapshotExtension
from syrupy.assertion import SnapshotAssertion

from custom_components.smartcar.api import SmartcarClient, SmartcarSettings
from smartcar_simulator import Simulator
from smartcar_simulator.clock import ManualClock
from tests.client.fakes import MintingAuth
from tests.leakwatch import WATCH


def pytest_sessionstart(session: pytest.Session) -> None:
    """Start the secrets scan: capture every log record and learn every secret."""
    WATCH.install()


def pytest_runtest_logstart(nodeid: str, location: tuple[str, int | None, str]) -> None:
    """Name the test that produces what the scan captures next."""
    WATCH.current = nodeid


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Fail the run if a token, secret, VIN or coordinate showed in any log or diagnostics."""
    WATCH.uninstall()
    leaks = WATCH.leaks()
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.ensure_newline()
        reporter.write_sep(
            "=",
            f"secrets scan: {len(WATCH.texts)} log records and diagnostics, "
            f"{len(WATCH.tokens)} tokens, {len(WATCH.strings)} secrets and VINs, "
            f"{len(WATCH.numbers)} coordinates: {len(leaks)} leak(s)",
            red=bool(leaks),
        )
        for leak in leaks[:50]:
            reporter.write_line(f"LEAK: {leak}", red=True)
    if leaks:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


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
) -> MintingAuth:
    """Application-token auth with the simulator's demo credentials."""
    return MintingAuth(http_session, settings)


@pytest.fixture
def client(
    http_session: aiohttp.ClientSession,
    auth: MintingAuth,
    settings: SmartcarSettings,
) -> SmartcarClient:
    """Return the client under test, talking to the simulator."""
    return SmartcarClient(http_session, auth, settings)


@pytest.fixture
def snapshot(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    """Serialise snapshots as Home Assistant core does (no volatile ids or times)."""
    return snapshot.use_extension(HomeAssistantSnapshotExtension)
