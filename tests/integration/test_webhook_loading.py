"""Deliveries while the entry loads: verified, answered 2xx, held (bounded), applied once loaded.

Smartcar retries a delivery not answered 2xx at 0, 25, 50 and 100 s, then drops it.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any
from unittest.mock import patch

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.smartcar.const import CONF_MANAGEMENT_TOKEN, CONF_WEBHOOK_ID
from smartcar_simulator import DEMO_MANAGEMENT_TOKEN, Simulator
from smartcar_simulator.clock import ManualClock
from smartcar_simulator.vehicles import EX30_ID, XC90_ID

from .conftest import setup_entry, state_of

pytestmark = pytest.mark.usefixtures("credentials", "only_platforms")
XC90_LOCK = "lock.volvo_xc90_lock"
HELD = {"status": "held"}


@pytest.fixture
async def url(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    config_entry: MockConfigEntry,
) -> str:
    """Return the entry's webhook URL: the token in its options, the entry not set up."""
    hass.config_entries.async_update_entry(
        config_entry, options={CONF_MANAGEMENT_TOKEN: DEMO_MANAGEMENT_TOKEN}
    )
    assert await async_setup_component(hass, "webhook", {})  # before the server starts
    client = await hass_client_no_auth()
    # The id is made at set-up; the URL is known before, as the owner's dashboard has it.
    hass.config_entries.async_update_entry(
        config_entry, data={**config_entry.data, CONF_WEBHOOK_ID: "smartcar-hook"}
    )
    return str(client.make_url("/api/webhook/smartcar-hook"))


def _state(entry: MockConfigEntry) -> ConfigEntryState:
    """Return the entry's state (a function, so that a state asserted earlier is read anew)."""
    return entry.state


@asynccontextmanager
async def _slow_setup(
    hass: HomeAssistant, entry: MockConfigEntry
) -> AsyncGenerator[None]:
    """Set the entry up, held after its vehicles were read until the block ends."""
    reached, release = asyncio.Event(), asyncio.Event()
    forward = hass.config_entries.async_forward_entry_setups

    async def slow(*args: Any) -> None:
        reached.set()
        await release.wait()
        await forward(*args)

    with patch.object(hass.config_entries, "async_forward_entry_setups", slow):
        task = asyncio.create_task(hass.config_entries.async_setup(entry.entry_id))
        await reached.wait()
        assert _state(entry) is ConfigEntryState.SETUP_IN_PROGRESS
        yield
        release.set()
        await task
    await hass.async_block_till_done()
    assert _state(entry) is ConfigEntryState.LOADED


async def _next_attempt(hass: HomeAssistant) -> None:
    """Let the set-up retry run."""
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(minutes=10))
    await hass.async_block_till_done(wait_background_tasks=True)


def _fail_setup(smartcar: Simulator) -> None:
    smartcar.faults.fail_next("connections", status=500, error_type="SERVER")


async def test_delivery_during_setup_is_held_then_applied(
    hass: HomeAssistant,
    smartcar: Simulator,
    sim_clock: ManualClock,
    config_entry: MockConfigEntry,
    url: str,
) -> None:
    """Answered 200 while set-up runs, applied once loaded: per vehicle the newest signal."""
    async with _slow_setup(hass, config_entry):
        sim_clock.advance(minutes=5)
        smartcar.set_locked(XC90_ID, False)
        older = smartcar.vehicle_state_event(XC90_ID)
        sim_clock.advance(minutes=5)
        smartcar.set_locked(XC90_ID, True)
        newer = smartcar.vehicle_state_event(XC90_ID)
        smartcar.set_locked(XC90_ID, False)  # the set-up's read saw it unlocked
        for event in (newer, older):  # out of order: the older one does not win
            assert (await smartcar.deliver(url, event)).json == HELD
        # Signed alike: another user's vehicle of the application, held, never applied.
        stranger = smartcar.add_vehicle(
            "stranger@example.com", "EX30", permissions=["read_battery"]
        )
        event = smartcar.vehicle_state_event(stranger)
        assert (await smartcar.deliver(url, event)).json == HELD
    assert stranger not in config_entry.runtime_data.coordinators
    coordinator = config_entry.runtime_data.coordinators[XC90_ID]
    assert state_of(hass, XC90_LOCK) == "locked"
    assert coordinator.policy.webhook_delivering(dt_util.utcnow())


async def test_held_delivery_older_than_the_read_loses(
    hass: HomeAssistant,
    smartcar: Simulator,
    sim_clock: ManualClock,
    config_entry: MockConfigEntry,
    url: str,
) -> None:
    """A held signal older than what the set-up read is not shown: the newer signal wins."""
    smartcar.set_locked(XC90_ID, True)
    stale = smartcar.vehicle_state_event(XC90_ID)
    sim_clock.advance(minutes=1)
    smartcar.set_locked(XC90_ID, False)
    async with _slow_setup(hass, config_entry):
        assert (await smartcar.deliver(url, stale)).json == HELD
    assert state_of(hass, XC90_LOCK) == "unlocked"
    coordinator = config_entry.runtime_data.coordinators[XC90_ID]
    assert coordinator.last_delivery is not None  # applied, and lost to the read


async def test_held_deliveries_are_bounded(
    hass: HomeAssistant,
    smartcar: Simulator,
    config_entry: MockConfigEntry,
    url: str,
) -> None:
    """Beyond the vehicles or bytes held: 503 (Smartcar retries); beyond the errors, the oldest goes."""
    with (
        patch("custom_components.smartcar.webhook.HELD_VEHICLES", 1),
        patch("custom_components.smartcar.webhook.HELD_ERRORS", 2),
    ):
        async with _slow_setup(hass, config_entry):
            for code in ("ASLEEP", "UNREACHABLE", "DOOR_OPEN"):
                error = smartcar.vehicle_error_event(XC90_ID, "VEHICLE_STATE", code)
                assert (await smartcar.deliver(url, error)).json == HELD
            other = await smartcar.deliver(url, smartcar.vehicle_state_event(EX30_ID))
            assert other.status == 503
            # And the bodies held, in bytes: beyond, Smartcar is asked to retry.
            with patch("custom_components.smartcar.webhook.HELD_BYTES", 1):
                error = smartcar.vehicle_error_event(XC90_ID, "VEHICLE_STATE", "ASLEEP")
                assert (await smartcar.deliver(url, error)).status == 503
    coordinators = config_entry.runtime_data.coordinators
    problems = coordinators[XC90_ID].problems.values()
    assert [problem.code for problem in problems] == ["UNREACHABLE", "DOOR_OPEN"]
    assert coordinators[EX30_ID].last_delivery is None


@pytest.mark.parametrize(
    "forged", [{"signature": None}, {"management_token": "someone-else"}]
)
async def test_bad_delivery_during_setup_is_refused(
    hass: HomeAssistant,
    smartcar: Simulator,
    config_entry: MockConfigEntry,
    url: str,
    forged: dict[str, Any],
) -> None:
    """An unsigned or wrongly signed delivery while loading: 401, nothing held."""
    async with _slow_setup(hass, config_entry):
        smartcar.set_locked(XC90_ID, True)  # as recent as the read: it would win
        event = smartcar.vehicle_state_event(XC90_ID)
        assert (await smartcar.deliver(url, event, **forged)).status == 401
    assert state_of(hass, XC90_LOCK) == "unlocked"
    assert config_entry.runtime_data.coordinators[XC90_ID].last_delivery is None


async def test_failed_setup_drops_what_it_held(
    hass: HomeAssistant, smartcar: Simulator, config_entry: MockConfigEntry, url: str
) -> None:
    """Held while set-up retries; an attempt that fails drops it, the next loads without it."""
    _fail_setup(smartcar)
    await setup_entry(hass, config_entry)
    assert _state(config_entry) is ConfigEntryState.SETUP_RETRY
    event = smartcar.vehicle_state_event(XC90_ID)
    assert (await smartcar.deliver(url, event)).json == HELD
    _fail_setup(smartcar)
    await _next_attempt(hass)
    assert _state(config_entry) is ConfigEntryState.SETUP_RETRY
    await _next_attempt(hass)
    assert _state(config_entry) is ConfigEntryState.LOADED
    assert config_entry.runtime_data.coordinators[XC90_ID].last_delivery is None


async def test_unloaded_entry_drops_what_it_held(
    hass: HomeAssistant, smartcar: Simulator, config_entry: MockConfigEntry, url: str
) -> None:
    """An entry unloaded while its set-up retries drops what it held."""
    _fail_setup(smartcar)
    await setup_entry(hass, config_entry)
    event = smartcar.vehicle_state_event(XC90_ID)
    assert (await smartcar.deliver(url, event)).json == HELD
    await hass.config_entries.async_unload(config_entry.entry_id)
    await setup_entry(hass, config_entry)
    assert _state(config_entry) is ConfigEntryState.LOADED
    assert config_entry.runtime_data.coordinators[XC90_ID].last_delivery is None
