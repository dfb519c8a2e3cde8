"""A month of polling in Home Assistant (run by `scripts/bench`), with and without webhooks.

The integration runs against the simulator's demo vehicles for 31 simulated days (frozen clock,
an hour at a time); the simulator counts each vehicle's polls. Then the same vehicles follow
seeded months (`Simulator.follow_month`) and the clock jumps from poll to poll: requests and
ages end to end, over HTTP, for `live` and `daily` upstream.
"""

from __future__ import annotations

from datetime import datetime, timedelta
import statistics
from typing import Any, Final

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from benchmarks.policy_month import MonthRun, ages
from smartcar_simulator import Simulator
from smartcar_simulator.clock import ManualClock
from smartcar_simulator.upstream import Refresh
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


@pytest.mark.freeze_time(MONTH_START)
@pytest.mark.usefixtures("credentials")
@pytest.mark.parametrize("refresh", ["live", "daily"])
async def test_month_following_the_upstream_model(
    hass: HomeAssistant,
    *,
    freezer: FrozenDateTimeFactory,
    smartcar: Simulator,
    sim_clock: ManualClock,
    config_entry: MockConfigEntry,
    refresh: Refresh,
) -> None:
    """Home Assistant polling the simulator over HTTP while each car follows a seeded month.

    The clock jumps from one scheduled poll to the next (the policy's own `next_poll`), so
    every poll happens when the policy wants it. Ages are measured as `test_policy_bench.py`
    does, from what each poll showed (the vehicles' local evening is the pattern's).
    """
    hass.loop.slow_callback_duration = MONTH.total_seconds()
    start = dt_util.as_local(MONTH_START)
    end = (start.replace(day=1) + timedelta(days=32)).replace(day=1, hour=0)
    vehicles = (EX30_ID, XC60_ID)  # the XC90 has no battery to follow
    for seed, vehicle_id in enumerate(vehicles, start=1):
        smartcar.follow_month(vehicle_id, seed=seed, refresh=refresh, start=start)
    await setup(hass, config_entry)
    runs = {vehicle_id: MonthRun() for vehicle_id in vehicles}
    coordinators = config_entry.runtime_data.coordinators
    while True:
        for vehicle_id, run in runs.items():
            followed = smartcar.world.vehicles[vehicle_id].followed
            assert followed is not None
            while len(run.polls) < smartcar.counters.count("signals", vehicle_id):
                run.polls.append(dt_util.utcnow())
                run.shown.append(followed.report(dt_util.utcnow()))
        due = min(
            c.next_poll
            for vehicle_id, c in coordinators.items()
            if c.next_poll and vehicle_id in runs
        )
        if due >= end:
            break
        freezer.move_to(max(due, dt_util.utcnow()))
        sim_clock.set(dt_util.utcnow())
        async_fire_time_changed(hass)
        await hass.async_block_till_done(wait_background_tasks=True)
    rows = []
    for vehicle_id, run in runs.items():
        followed = smartcar.world.vehicles[vehicle_id].followed
        assert followed is not None
        age = ages(followed.pattern, run, MONTH_START, end)
        rows.append((len(run.polls), age.charging_mean, age.idle_mean))
    requests, charging, idle = (
        statistics.fmean(column) for column in zip(*rows, strict=True)
    )
    note = (
        f"Home Assistant over HTTP, EX30 and XC60 (seeds 1, 2) following a {refresh} month; "
        f"each: {', '.join(str(row[0]) for row in rows)} requests"
    )
    label = f"month in Home Assistant, {refresh} upstream"
    goal = 150 if refresh == "live" else 40
    FIGURES.append(
        Figure(
            f"{label}: requests",
            requests,
            "requests",
            f"<= {goal}",
            max(row[0] for row in rows) <= goal,
            note,
        )
    )
    FIGURES.append(Figure(f"{label}: age charging mean", charging, "min"))
    FIGURES.append(Figure(f"{label}: age idle mean", idle, "min"))
