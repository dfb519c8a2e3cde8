"""The simulator enforces Smartcar's application bucket; the client's own bucket stays inside it."""

from __future__ import annotations

import pytest

from custom_components.smartcar.api import SmartcarClient, SmartcarRateLimitError
from custom_components.smartcar.api.ratelimit import TokenBucket
from smartcar_simulator import Simulator
from smartcar_simulator.app_limit import AppRateLimit
from smartcar_simulator.clock import ManualClock
from smartcar_simulator.vehicles import EX30_ID

OWNER_EMAIL = "owner@example.com"


async def test_empty_bucket_answers_429_with_retry_after(
    client: SmartcarClient, simulator: Simulator, sim_clock: ManualClock
) -> None:
    """Past the bucket: 429 RATE_LIMIT:SMARTCAR_API with Retry-After; refilled, it answers again."""
    user_id = simulator.connect(OWNER_EMAIL)
    simulator.app_limit = AppRateLimit.following(simulator.now, capacity=3)
    vehicle = client.vehicle(EX30_ID, user_id)
    await vehicle.async_get_signals()  # the token request is not an API request
    await vehicle.async_get_signals()
    await vehicle.async_get_signals()
    with pytest.raises(SmartcarRateLimitError) as refused:
        await vehicle.async_get_signals()
    assert refused.value.error.code == "SMARTCAR_API"
    assert refused.value.retry_after == 30
    sim_clock.advance(30)
    await vehicle.async_get_signals()
    assert simulator.app_limit.refused == 1


async def test_client_bucket_keeps_a_burst_inside_the_limit(
    client: SmartcarClient, simulator: Simulator, sim_clock: ManualClock
) -> None:
    """The same burst through the client's bucket (same size, same clock) draws no 429."""
    user_id = simulator.connect(OWNER_EMAIL)
    simulator.app_limit = AppRateLimit.following(simulator.now, capacity=3)

    async def sleep(seconds: float) -> None:
        sim_clock.advance(seconds)

    client.limiter = TokenBucket(
        3, 2, clock=lambda: simulator.now().timestamp(), sleep=sleep
    )
    vehicle = client.vehicle(EX30_ID, user_id)
    for _ in range(8):
        await vehicle.async_get_signals()
    assert simulator.app_limit.refused == 0
    assert simulator.app_limit.admitted == 8
