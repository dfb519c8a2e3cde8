"""The application's token bucket: 120 requests, refilling at 2 a minute, shared per client id."""

from __future__ import annotations

import asyncio

import pytest

from custom_components.smartcar.api import (
    SmartcarClient,
    SmartcarRateLimitError,
    ratelimit,
)
from custom_components.smartcar.api.ratelimit import (
    MAX_WAIT_SECONDS,
    TokenBucket,
    bucket_for,
)
from smartcar_simulator import Simulator
from smartcar_simulator.vehicles import EX30_ID

OWNER_EMAIL = "owner@example.com"


class FakeClock:
    """A clock that only moves when a request sleeps (or the test moves it)."""

    def __init__(self) -> None:
        """Start at 0 with no sleep yet."""
        self.now = 0.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        """Return the time now."""
        return self.now

    async def sleep(self, seconds: float) -> None:
        """Move the clock on instead of waiting."""
        self.sleeps.append(seconds)
        self.now += seconds


def _bucket(
    clock: FakeClock, capacity: float = 120, per_minute: float = 2
) -> TokenBucket:
    return TokenBucket(capacity, per_minute, clock=clock, sleep=clock.sleep)


async def test_full_bucket_lets_120_through_then_one_every_30_seconds() -> None:
    """120 requests go at once; the next ones wait 30 s each (2 a minute)."""
    clock = FakeClock()
    bucket = _bucket(clock)
    for _ in range(120):
        await bucket.acquire()
    assert clock.now == 0.0
    for _ in range(4):
        await bucket.acquire()
    assert clock.sleeps == pytest.approx([30.0] * 4)


async def test_bucket_refills_but_never_beyond_capacity() -> None:
    """An idle hour refills the bucket to 120, not more."""
    clock = FakeClock()
    bucket = _bucket(clock)
    for _ in range(120):
        await bucket.acquire()
    clock.now += 3600
    assert bucket.wait_time() == 0
    for _ in range(120):
        await bucket.acquire()
    assert clock.now == 3600
    await bucket.acquire()
    assert clock.now == 3630


async def test_concurrent_requests_are_spread_in_order() -> None:
    """Ten requests on an empty bucket of 1 token are served one every 30 s, none at once."""
    clock = FakeClock()
    bucket = _bucket(clock, capacity=1)
    served: list[float] = []

    async def request() -> None:
        await bucket.acquire()
        served.append(clock.now)

    await asyncio.gather(*(request() for _ in range(10)))
    assert served == pytest.approx([30.0 * i for i in range(10)])


async def test_drain_waits_out_retry_after() -> None:
    """After Smartcar's own 429, no request goes before Retry-After has passed."""
    clock = FakeClock()
    bucket = _bucket(clock)
    bucket.drain(90)
    await bucket.acquire()
    assert clock.now == pytest.approx(90.0)


async def test_wait_is_capped() -> None:
    """A request never waits longer than MAX_WAIT_SECONDS (then Smartcar decides)."""
    clock = FakeClock()
    bucket = _bucket(clock)
    bucket.drain(10 * MAX_WAIT_SECONDS)
    await bucket.acquire()
    assert clock.sleeps == [MAX_WAIT_SECONDS]


def test_one_bucket_per_application(monkeypatch: pytest.MonkeyPatch) -> None:
    """Entries of the same application share a bucket; another application has its own."""
    monkeypatch.setattr(ratelimit, "_BUCKETS", {})
    assert bucket_for("app-a") is bucket_for("app-a")
    assert bucket_for("app-a") is not bucket_for("app-b")


async def test_client_waits_for_a_token(
    client: SmartcarClient, simulator: Simulator
) -> None:
    """A client with a bucket takes one token per request it sends."""
    owner_user_id = simulator.connect(OWNER_EMAIL)
    clock = FakeClock()
    client.limiter = _bucket(clock, capacity=2)
    vehicle = client.vehicle(EX30_ID, owner_user_id)
    for _ in range(3):
        await vehicle.async_get_signals()
    assert clock.sleeps == pytest.approx([30.0])


async def test_app_rate_limit_answer_drains_the_bucket(
    client: SmartcarClient, simulator: Simulator
) -> None:
    """Smartcar's 429 RATE_LIMIT:SMARTCAR_API empties the shared bucket until Retry-After."""
    owner_user_id = simulator.connect(OWNER_EMAIL)
    clock = FakeClock()
    client.limiter = _bucket(clock)
    simulator.faults.fail_next(
        "signals",
        status=429,
        error_type="RATE_LIMIT",
        code="SMARTCAR_API",
        retry_after=120,
    )
    vehicle = client.vehicle(EX30_ID, owner_user_id)
    with pytest.raises(SmartcarRateLimitError):
        await vehicle.async_get_signals()
    assert client.limiter.wait_time() == pytest.approx(120.0)


async def test_vehicle_rate_limit_leaves_the_bucket(
    client: SmartcarClient, simulator: Simulator
) -> None:
    """A per-vehicle 429 is that vehicle's matter: the other vehicles' requests still go."""
    owner_user_id = simulator.connect(OWNER_EMAIL)
    clock = FakeClock()
    client.limiter = _bucket(clock)
    simulator.faults.fail_next(
        "signals", status=429, error_type="RATE_LIMIT", code="VEHICLE", retry_after=120
    )
    with pytest.raises(SmartcarRateLimitError):
        await client.vehicle(EX30_ID, owner_user_id).async_get_signals()
    assert client.limiter.wait_time() == 0
