"""Fixtures for the simulator tests: a started simulator with a hand-driven clock."""

from __future__ import annotations

import aiohttp
import pytest

from smartcar_simulator import OWNER_EMAIL, Simulator

from .helpers import Api


@pytest.fixture
def session(http_session: aiohttp.ClientSession) -> aiohttp.ClientSession:
    """Return the plain aiohttp client session the simulator tests use."""
    return http_session


@pytest.fixture
def api(simulator: Simulator, session: aiohttp.ClientSession) -> Api:
    """HTTP helper bound to the running simulator."""
    return Api(session, simulator)


@pytest.fixture
def owner(simulator: Simulator) -> str:
    """Connect all of owner@example.com's cars (default permissions); return the user id."""
    return simulator.connect(OWNER_EMAIL)
