"""A vehicle following a seeded month: `GET /signals` serves what the upstream model reports."""

from __future__ import annotations

from datetime import timedelta

import pytest

from custom_components.smartcar.api import SmartcarClient, signals as sig
from smartcar_simulator import OWNER_EMAIL, Simulator
from smartcar_simulator.clock import ManualClock
from smartcar_simulator.upstream import Upstream, month_pattern
from smartcar_simulator.vehicles import EX30_ID, XC90_ID

SEED = 3


@pytest.mark.parametrize("refresh", ["live", "daily"])
async def test_signals_follow_the_month(
    client: SmartcarClient,
    simulator: Simulator,
    sim_clock: ManualClock,
    refresh: str,
) -> None:
    """Over three days, every read shows the model's level, cable and charging, and its stamp."""
    user_id = simulator.connect(OWNER_EMAIL)
    start = simulator.now()
    upstream = Upstream("live" if refresh == "live" else "daily")
    simulator.follow_month(EX30_ID, seed=SEED, refresh=upstream.refresh)
    pattern = month_pattern(SEED, start)
    vehicle = client.vehicle(EX30_ID, user_id)
    seen = set()
    for _ in range(3 * 24 * 2):
        sim_clock.advance(minutes=30)
        expected = upstream.report(pattern, simulator.now())
        read = await vehicle.async_get_signals()
        level = read.get(sig.STATE_OF_CHARGE)
        quantity = read.body(sig.STATE_OF_CHARGE)
        assert level is not None
        assert quantity is not None
        assert quantity.value == expected.level
        assert level.oem_updated_at is not None
        # On the wire to the millisecond.
        assert abs(level.oem_updated_at - expected.updated_at) < timedelta(
            milliseconds=1
        )
        cable = read.body(sig.IS_CHARGING_CABLE_CONNECTED)
        assert cable is not None
        assert cable.value == expected.plugged
        charging = read.body(sig.IS_CHARGING)
        assert charging is not None
        assert charging.value == expected.charging
        remaining = read.body(sig.TIME_TO_COMPLETE)
        if expected.charging:
            assert remaining is not None
            assert remaining.value == round(expected.minutes_to_complete or 0)
        seen.add((expected.plugged, expected.charging))
    assert (False, False) in seen
    if refresh == "live":  # the month charged in these three days
        assert (True, True) in seen


async def test_other_vehicles_keep_their_own_state(
    client: SmartcarClient, simulator: Simulator, sim_clock: ManualClock
) -> None:
    """Only the vehicle set to follow a month changes with it."""
    user_id = simulator.connect(OWNER_EMAIL)
    before = await client.vehicle(XC90_ID, user_id).async_get_signals()
    simulator.follow_month(EX30_ID, seed=SEED)
    sim_clock.advance(days=1)
    after = await client.vehicle(XC90_ID, user_id).async_get_signals()
    assert after.body(sig.STATE_OF_CHARGE) == before.body(sig.STATE_OF_CHARGE)


async def test_a_car_without_a_battery_follows_nothing(
    client: SmartcarClient, simulator: Simulator, sim_clock: ManualClock
) -> None:
    """The XC90 (no traction battery) has none of the month's signals: reads still answer."""
    user_id = simulator.connect(OWNER_EMAIL)
    simulator.follow_month(XC90_ID, seed=SEED, refresh="daily")
    sim_clock.advance(days=1)
    read = await client.vehicle(XC90_ID, user_id).async_get_signals()
    assert read.get(sig.STATE_OF_CHARGE) is None
