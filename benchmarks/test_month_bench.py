"""A month of polling in Home Assistant (run by `scripts/bench`), with and without webhooks.

The integration runs against the simulator's demo vehicles for 31 simulated days (frozen clock,
an hour at a time); the simulator counts each vehicle's polls.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Final

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from smartcar_simulator import Simulator
from smartcar_simulator.clock import ManualClock
from smartcar_simulator.vehicles import EX30_ID, XC60_ID, XC90_ID

from .conftest import FIGURES, Figure
from .helpers import setup

# Noon UTC on 1 November: the month's days all pass in the tests' time zone (US/Pacific).
MONTH_START: Final = datetime(2026, 11, 1, 12, 0, tzinfo=dt_util.UTC)
MONTH: Final = timedelta(days=31)


async def _month(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    sim_clock: ManualClock,
    deliver: Any = None,
) -> None:
    """Let 31 days pass an hour at a time; every 12 hours, `deliver()` if given."""
    for hour in range(int(MONTH / timedelta(hours=1))):
        freezer.tick(timedelta(hours=1))
        sim_clock.set(dt_util.utcnow())
        async_fire_time_changed(hass)
        await hass.async_block_till_done(wait_background_tasks=True)
        if deliver is not None and hour % 12 == 0:
            await deliver()


def _month_figure(smartcar: Simulator, name: str, goal: int, note: str) -> None:
    polls = {
        v: smartcar.counters.count("signals", v) for v in (EX30_ID, XC60_ID, XC90_ID)
    }
    worst = max(polls.values())
    FIGURES.append(
        Figure(
            name,
            worst,
            "requests",
            f"<= {goal}",
            worst <= goal,
            f"most polled of 3 vehicles over 31 days, {note}; each: "
            + ", ".join(str(p) for p in polls.values()),
        )
    )


@pytest.fixture
def sim_clock() -> ManualClock:
    """Return the simulator's clock, starting with the month."""
    return ManualClock(MONTH_START)


@pytest.mark.freeze_time(MONTH_START)
@pytest.mark.usefixtures("credentials")
async def test_month_of_polling_without_webhooks(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    smartcar: Simulator,
    sim_clock: ManualClock,
    config_entry: MockConfigEntry,
) -> None:
    """A month under the default policy, without webhooks."""
    hass.loop.slow_callback_duration = MONTH.total_seconds()
    await setup(hass, config_entry)
    await _month(hass, freezer, sim_clock)
    _month_figure(
        smartcar, "polls_per_vehicle_month_without_webhooks", 150, "adaptive cadence"
    )


@pytest.mark.freeze_time(MONTH_START)
async def test_month_of_polling_with_webhooks(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    smartcar: Simulator,
    sim_clock: ManualClock,
    webhook_url: str,
) -> None:
    """A month under the default policy, each vehicle's state pushed twice a day."""
    hass.loop.slow_callback_duration = MONTH.total_seconds()

    async def deliver() -> None:
        for vehicle_id in (EX30_ID, XC60_ID, XC90_ID):
            event = smartcar.vehicle_state_event(vehicle_id)
            assert (await smartcar.deliver(webhook_url, event)).ok

    await deliver()
    await _month(hass, freezer, sim_clock, deliver)
    _month_figure(
        smartcar,
        "polls_per_vehicle_month_with_webhooks",
        31,
        "signed deliveries every 12 h over HTTP; a safety poll every 25 h",
    )
