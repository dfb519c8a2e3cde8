"""The application token: minting, re-minting on 401, one request when concurrent."""

from __future__ import annotations

import asyncio

import aiohttp
import pytest

from custom_components.smartcar.api import (
    SmartcarAuthenticationError,
    SmartcarClient,
    SmartcarSettings,
    async_request_app_token,
)
from custom_components.smartcar.api.errors import SmartcarValidationError
from smartcar_simulator import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, Simulator
from smartcar_simulator.clock import ManualClock
from smartcar_simulator.vehicles import EX30_ID, OWNER_EMAIL, XC60_ID, XC90_ID


async def test_mint_returns_token_and_lifetime(
    http_session: aiohttp.ClientSession,
    settings: SmartcarSettings,
    simulator: Simulator,
) -> None:
    """The client_credentials grant gives a bearer token with the simulator's lifetime."""
    simulator.token_lifetime = 1800
    token = await async_request_app_token(
        http_session, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, settings
    )
    assert token.token_type == "Bearer"
    assert token.expires_in == 1800
    assert simulator.token_valid(token.access_token)


async def test_bad_secret_is_an_authentication_error(
    http_session: aiohttp.ClientSession, settings: SmartcarSettings
) -> None:
    """Wrong credentials: 401 invalid_client, typed."""
    with pytest.raises(SmartcarAuthenticationError) as err:
        await async_request_app_token(http_session, DEMO_CLIENT_ID, "wrong", settings)
    assert err.value.status == 401
    assert err.value.code == "invalid_client"


async def test_missing_secret_is_a_validation_error(
    http_session: aiohttp.ClientSession, settings: SmartcarSettings
) -> None:
    """A request without a secret: 400 invalid_request."""
    with pytest.raises(SmartcarValidationError) as err:
        await async_request_app_token(http_session, DEMO_CLIENT_ID, "", settings)
    assert err.value.code == "invalid_request"


async def test_expired_token_is_reminted_on_401_and_request_retried(
    client: SmartcarClient, simulator: Simulator, sim_clock: ManualClock
) -> None:
    """Smartcar expires the token early: one 401, one new token, the request succeeds."""
    user_id = simulator.connect(OWNER_EMAIL)
    await client.async_get_connections(user_id=user_id)
    sim_clock.advance(hours=2)  # the simulator now refuses the cached token
    connections = await client.async_get_connections(user_id=user_id)
    assert len(connections) == 3
    assert simulator.counters.count("token") == 2
    assert simulator.counters.count("connections") == 3


async def test_second_401_is_raised(
    client: SmartcarClient, simulator: Simulator
) -> None:
    """A refused fresh token is not retried forever: the 401 surfaces as a typed error."""
    simulator.connect(OWNER_EMAIL)
    simulator.faults.fail_next(
        "connections", status=401, error_type="AUTHENTICATION", count=2
    )
    with pytest.raises(SmartcarAuthenticationError):
        await client.async_get_connections()
    assert simulator.counters.count("connections") == 2
    assert simulator.counters.count("token") == 2


async def test_concurrent_refreshes_mint_exactly_one_token(
    client: SmartcarClient, simulator: Simulator
) -> None:
    """Three vehicles refreshed at once share one token request."""
    user_id = simulator.connect(OWNER_EMAIL)
    simulator.faults.latency = 0.05
    vehicles = [client.vehicle(vid, user_id) for vid in (EX30_ID, XC60_ID, XC90_ID)]
    results = await asyncio.gather(*(v.async_get_signals() for v in vehicles))
    assert all(result.signals for result in results)
    assert simulator.counters.count("token") == 1
    assert simulator.counters.count("signals") == 3
    assert simulator.counters.max_concurrent("signals") == 3
