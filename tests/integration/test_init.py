"""Set-up, unload, refreshes (one request per vehicle, concurrent) and failure handling."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
import logging
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import SOURCE_REAUTH, ConfigEntryState
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.helpers import (
    device_registry as dr,
    entity_registry as er,
    issue_registry as ir,
)
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from custom_components.smartcar.api import (
    Signal,
    VehicleSignals,
    parse_signal,
    signals as sig,
)
from custom_components.smartcar.const import DOMAIN
from custom_components.smartcar.coordinator import SmartcarVehicleCoordinator
from custom_components.smartcar.polling import FIRST_READ_RETRY
from smartcar_simulator import Simulator
from smartcar_simulator.vehicles import EX30_ID, XC60_ID, XC90_ID

from .conftest import pass_time, setup_entry, state_of

pytestmark = pytest.mark.usefixtures("credentials", "only_platforms")
VEHICLES = (EX30_ID, XC60_ID, XC90_ID)
SECOND = timedelta(seconds=1)


def _next_poll(coordinator: SmartcarVehicleCoordinator) -> datetime:
    """When the policy scheduled the vehicle's next poll."""
    assert coordinator.next_poll is not None
    return coordinator.next_poll


def _entry_state(entry: MockConfigEntry) -> ConfigEntryState:
    return entry.state


def _after_the_answer(coordinator: SmartcarVehicleCoordinator) -> datetime:
    """Return a moment a minute after the car's own timestamp of IsLocked in the last answer."""
    held = coordinator.data.get(sig.IS_LOCKED)
    assert held is not None
    assert held.oem_updated_at is not None
    return held.oem_updated_at + timedelta(minutes=1)


async def test_setup_and_unload(
    hass: HomeAssistant, config_entry: MockConfigEntry, smartcar: Simulator
) -> None:
    """Set-up mints a token, lists the connections, reads each vehicle once; unload undoes it."""
    await setup_entry(hass, config_entry)
    assert config_entry.state is ConfigEntryState.LOADED
    assert smartcar.token_valid(config_entry.data["token"]["access_token"])
    assert smartcar.counters.count("token") == 1
    assert smartcar.counters.count("connections") == 1
    for vehicle_id in VEHICLES:
        assert smartcar.counters.count("signals", vehicle_id) == 1
    assert set(config_entry.runtime_data.coordinators) == set(VEHICLES)
    last_due = max(map(_next_poll, config_entry.runtime_data.coordinators.values()))
    assert await hass.config_entries.async_unload(config_entry.entry_id)
    assert _entry_state(config_entry) is ConfigEntryState.NOT_LOADED
    # Nothing keeps polling after the unload, past every poll that was scheduled.
    smartcar.counters.reset()
    async_fire_time_changed(hass, last_due + SECOND)
    await hass.async_block_till_done()
    assert smartcar.counters.count() == 0


async def test_scheduled_refresh_is_one_request_per_vehicle(
    hass: HomeAssistant,
    config_entry: MockConfigEntry,
    smartcar: Simulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Each scheduled refresh makes exactly one GET /signals per vehicle and nothing else.

    When the polls come is the policy's choice (it depends on the time of day): each vehicle
    is checked at its own next poll.
    """
    await setup_entry(hass, config_entry)
    smartcar.counters.reset()
    coordinators = config_entry.runtime_data.coordinators
    # The moments planned at set-up: two vehicles may share one, and each is polled once.
    planned = {
        vehicle_id: _next_poll(coordinators[vehicle_id]) for vehicle_id in VEHICLES
    }
    for due in sorted(set(planned.values())):
        before = {v: smartcar.counters.count("signals", v) for v in VEHICLES}
        await pass_time(
            hass, freezer, max(due - dt_util.utcnow(), timedelta()) + SECOND
        )
        for vehicle_id in (v for v, at in planned.items() if at == due):
            assert (
                smartcar.counters.count("signals", vehicle_id) == before[vehicle_id] + 1
            )
    # Only signal reads and, the hour-long token having expired, new tokens.
    assert smartcar.counters.count() == smartcar.counters.count(
        "signals"
    ) + smartcar.counters.count("token")


async def test_vehicles_are_read_concurrently(
    hass: HomeAssistant, config_entry: MockConfigEntry, smartcar: Simulator
) -> None:
    """With 200 ms per request, the three vehicles are read at the same time, at set-up and after."""
    smartcar.faults.latency = 0.2
    await setup_entry(hass, config_entry)
    assert smartcar.counters.max_concurrent("signals") == 3
    smartcar.counters.reset()
    coordinators = config_entry.runtime_data.coordinators.values()
    await asyncio.gather(*(c.async_refresh() for c in coordinators))
    assert smartcar.counters.max_concurrent("signals") == 3
    assert smartcar.counters.count("signals") == 3


async def test_auth_failure_starts_reauth(
    hass: HomeAssistant, config_entry: MockConfigEntry, smartcar: Simulator
) -> None:
    """Refused credentials at set-up put the entry in error and start reauth."""
    smartcar.faults.fail_next(
        "connections", status=401, error_type="AUTHENTICATION", count=2
    )
    await setup_entry(hass, config_entry)
    assert config_entry.state is ConfigEntryState.SETUP_ERROR
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [flow["context"]["source"] for flow in flows] == [SOURCE_REAUTH]


async def test_smartcar_down_retries_later(
    hass: HomeAssistant, config_entry: MockConfigEntry, smartcar: Simulator
) -> None:
    """A server error listing the vehicles retries the set-up later."""
    smartcar.faults.fail_next(
        "connections", status=500, error_type="SERVER", code="INTERNAL"
    )
    await setup_entry(hass, config_entry)
    assert config_entry.state is ConfigEntryState.SETUP_RETRY


async def test_every_vehicle_failing_retries_later(
    hass: HomeAssistant, config_entry: MockConfigEntry, smartcar: Simulator
) -> None:
    """When no vehicle can be read at all, the set-up is retried."""
    smartcar.faults.fail_next(
        "signals", status=502, error_type="UPSTREAM", code="NO_RESPONSE", count=3
    )
    await setup_entry(hass, config_entry)
    assert config_entry.state is ConfigEntryState.SETUP_RETRY


async def test_signals_auth_failure_at_setup(
    hass: HomeAssistant, config_entry: MockConfigEntry, smartcar: Simulator
) -> None:
    """A vehicle whose owner must log in again fails the set-up into reauth."""
    smartcar.faults.fail_next(
        "signals",
        status=400,
        error_type="CONNECTED_SERVICES_ACCOUNT",
        code="AUTHENTICATION_FAILED",
        vehicle_id=EX30_ID,
    )
    await setup_entry(hass, config_entry)
    assert config_entry.state is ConfigEntryState.SETUP_ERROR


async def test_one_vehicle_failing_does_not_hold_back_the_others(
    hass: HomeAssistant,
    config_entry: MockConfigEntry,
    smartcar: Simulator,
    entity_registry: er.EntityRegistry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """The XC90 is unreachable at start; the others load, and its entities appear later."""
    smartcar.faults.fail_next(
        "signals",
        status=409,
        error_type="VEHICLE_STATE",
        code="UNREACHABLE",
        vehicle_id=XC90_ID,
    )
    await setup_entry(hass, config_entry)
    assert config_entry.state is ConfigEntryState.LOADED
    assert hass.states.get("sensor.volvo_ex30_battery") is not None
    assert hass.states.get("sensor.volvo_xc90_fuel_level") is None
    due = _next_poll(config_entry.runtime_data.coordinators[XC90_ID])
    assert due - dt_util.utcnow() <= FIRST_READ_RETRY
    await pass_time(hass, freezer, due - dt_util.utcnow() + SECOND)
    state = hass.states.get("sensor.volvo_xc90_fuel_level")
    assert state is not None
    assert state.state != STATE_UNAVAILABLE


async def test_rate_limit_keeps_values_and_polls_after_retry_after(
    hass: HomeAssistant,
    config_entry: MockConfigEntry,
    smartcar: Simulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A 429 keeps the last values shown; the next poll comes right after Retry-After."""
    await setup_entry(hass, config_entry)
    shown = state_of(hass, "sensor.volvo_ex30_battery")
    smartcar.faults.fail_next(
        "signals",
        status=429,
        error_type="RATE_LIMIT",
        code="VEHICLE",
        vehicle_id=EX30_ID,
        retry_after=600,
    )
    coordinator = config_entry.runtime_data.coordinators[EX30_ID]
    await coordinator.async_refresh()
    assert state_of(hass, "sensor.volvo_ex30_battery") == shown != STATE_UNAVAILABLE
    smartcar.counters.reset()
    await pass_time(hass, freezer, timedelta(seconds=590))
    assert smartcar.counters.count("signals", EX30_ID) == 0
    await pass_time(hass, freezer, timedelta(seconds=21))
    assert smartcar.counters.count("signals", EX30_ID) == 1
    assert state_of(hass, "sensor.volvo_ex30_battery") != STATE_UNAVAILABLE


async def test_update_auth_failure_starts_reauth(
    hass: HomeAssistant, config_entry: MockConfigEntry, smartcar: Simulator
) -> None:
    """A permission error needing Connect again, during a refresh, starts reauth."""
    await setup_entry(hass, config_entry)
    smartcar.faults.fail_next(
        "signals",
        status=403,
        error_type="PERMISSION",
        vehicle_id=XC60_ID,
        resolution="REAUTHENTICATE",
    )
    await config_entry.runtime_data.coordinators[XC60_ID].async_refresh()
    await hass.async_block_till_done()
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [flow["context"]["source"] for flow in flows] == [SOURCE_REAUTH]


async def test_outage_logged_once_and_recovery_logged(
    hass: HomeAssistant,
    config_entry: MockConfigEntry,
    smartcar: Simulator,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Two failed refreshes log one error; the recovery logs once."""
    await setup_entry(hass, config_entry)
    coordinator = config_entry.runtime_data.coordinators[EX30_ID]
    smartcar.faults.fail_next(
        "signals",
        status=502,
        error_type="UPSTREAM",
        code="NO_RESPONSE",
        vehicle_id=EX30_ID,
        count=2,
    )
    await coordinator.async_refresh()
    await coordinator.async_refresh()
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1
    assert "Could not read the vehicle's data from Smartcar" in errors[0].getMessage()
    await coordinator.async_refresh()
    recovered = [r for r in caplog.records if "data recovered" in r.getMessage()]
    assert len(recovered) == 1


async def test_token_renewed_when_smartcar_refuses_it(
    hass: HomeAssistant, config_entry: MockConfigEntry, smartcar: Simulator
) -> None:
    """A token Smartcar no longer accepts is replaced once and the refresh succeeds."""
    await setup_entry(hass, config_entry)
    old = config_entry.data["token"]["access_token"]
    smartcar.revoke_tokens()
    coordinator = config_entry.runtime_data.coordinators[EX30_ID]
    await coordinator.async_refresh()
    assert coordinator.last_update_success
    assert config_entry.data["token"]["access_token"] != old
    assert smartcar.counters.count("token") == 2


async def test_vehicle_state_error_keeps_entities_available(
    hass: HomeAssistant, config_entry: MockConfigEntry, smartcar: Simulator
) -> None:
    """NOT_CHARGING is a state, not an outage: charging power shows 0 W, not unavailable."""
    await setup_entry(hass, config_entry)
    state = hass.states.get("sensor.volvo_xc60_recharge_charging_power")
    assert state is not None
    assert float(state.state) == 0


async def test_stale_vehicle_device_removed(
    hass: HomeAssistant,
    config_entry: MockConfigEntry,
    smartcar: Simulator,
    device_registry: dr.DeviceRegistry,
) -> None:
    """A vehicle disconnected from Smartcar keeps its device at the next set-up (a repair)."""
    await setup_entry(hass, config_entry)
    assert (
        device_registry.async_get_device_by_identifier(
            (DOMAIN, XC90_ID), config_entry.entry_id
        )
        is not None
    )
    connections = smartcar.world.connections
    for connection_id in [
        cid for cid, c in connections.items() if c.vehicle_id == XC90_ID
    ]:
        del connections[connection_id]
    await hass.config_entries.async_reload(config_entry.entry_id)
    await hass.async_block_till_done()
    assert (
        device_registry.async_get_device_by_identifier(
            (DOMAIN, XC90_ID), config_entry.entry_id
        )
        is not None
    )
    assert ir.async_get(hass).async_get_issue(DOMAIN, f"vehicle_disconnected_{XC90_ID}")
    assert (
        device_registry.async_get_device_by_identifier(
            (DOMAIN, EX30_ID), config_entry.entry_id
        )
        is not None
    )


async def test_new_signal_adds_its_entity(
    hass: HomeAssistant, config_entry: MockConfigEntry, smartcar: Simulator
) -> None:
    """A signal the car starts reporting later gets its entity on that update."""
    smartcar.remove_signal(XC90_ID, sig.FUEL_LEVEL.code)
    await setup_entry(hass, config_entry)
    assert hass.states.get("sensor.volvo_xc90_fuel_level") is None
    smartcar.add_raw_signal(
        XC90_ID,
        sig.FUEL_LEVEL.code,
        {"value": 40, "unit": "percent"},
        name=sig.FUEL_LEVEL.name,
        group=sig.FUEL_LEVEL.group,
        permission="read_fuel",
    )
    await config_entry.runtime_data.coordinators[XC90_ID].async_refresh()
    await hass.async_block_till_done()
    state = hass.states.get("sensor.volvo_xc90_fuel_level")
    assert state is not None
    assert state.state == "40.0"


async def test_polling_follows_the_entry_system_option(
    hass: HomeAssistant,
    config_entry: MockConfigEntry,
    smartcar: Simulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """With the entry's "Enable polling for changes" off no poll comes; a refresh still reads."""
    hass.config_entries.async_update_entry(config_entry, pref_disable_polling=True)
    await setup_entry(hass, config_entry)
    coordinators = config_entry.runtime_data.coordinators
    last_due = max(map(_next_poll, coordinators.values()))
    smartcar.counters.reset()
    await pass_time(hass, freezer, last_due - dt_util.utcnow() + SECOND)
    assert smartcar.counters.count("signals") == 0
    await coordinators[EX30_ID].async_refresh()
    assert smartcar.counters.count("signals", EX30_ID) == 1


async def test_manual_refresh_during_a_scheduled_poll(
    hass: HomeAssistant,
    config_entry: MockConfigEntry,
    smartcar: Simulator,
    freezer: FrozenDateTimeFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A refresh asked for while a poll's read is out is the owner's own.

    The month reaches the reserve during the read: the owner's refresh is still sent (only
    scheduled polls are held back), and a command's value applied during the read outlives
    the poll's answer and the refresh's.
    """
    await setup_entry(hass, config_entry)
    coordinator = config_entry.runtime_data.coordinators[EX30_ID]
    read_signals = coordinator.vehicle.async_get_signals
    reading, release = asyncio.Event(), asyncio.Event()

    async def held_read() -> VehicleSignals:
        data: VehicleSignals = await read_signals()
        if not release.is_set():
            reading.set()
            await release.wait()
        return data

    monkeypatch.setattr(coordinator.vehicle, "async_get_signals", held_read)
    smartcar.counters.reset()
    freezer.move_to(_next_poll(coordinator) + SECOND)
    async_fire_time_changed(hass)
    await reading.wait()
    budget = config_entry.runtime_data.budget
    for _ in range(budget.state(EX30_ID).budget):
        budget.async_record(EX30_ID)
    locked = sig.lock_state(True, _after_the_answer(coordinator))
    coordinator.async_apply_local_update([locked])
    refresh = hass.async_create_task(coordinator.async_refresh())
    release.set()
    await refresh
    await hass.async_block_till_done()
    assert (
        smartcar.counters.count("signals", EX30_ID) == 2
    )  # the poll, the owner's refresh
    assert coordinator.last_update_success
    assert coordinator.data.get(sig.IS_LOCKED) == locked


async def test_webhook_value_newer_than_the_poll_answer_survives_it(
    hass: HomeAssistant, config_entry: MockConfigEntry, smartcar: Simulator
) -> None:
    """A delivery newer (by its own timestamp) than what the next read answers is kept."""
    await setup_entry(hass, config_entry)
    coordinator = config_entry.runtime_data.coordinators[EX30_ID]
    pushed = parse_signal(
        {
            "code": sig.IS_LOCKED.code,
            "body": {"value": True},
            "meta": {"oemUpdatedAt": _after_the_answer(coordinator).isoformat()},
        }
    )
    assert pushed is not None
    coordinator.async_push([pushed])
    smartcar.counters.reset()
    await coordinator.async_refresh()
    assert smartcar.counters.count("signals", EX30_ID) == 1
    assert coordinator.data.get(sig.IS_LOCKED) == pushed


async def test_signal_pushed_during_a_read_survives_an_answer_without_it(
    hass: HomeAssistant,
    config_entry: MockConfigEntry,
    smartcar: Simulator,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A signal the answer lacks goes (the car stopped reporting it), unless it came during the read."""
    await setup_entry(hass, config_entry)
    coordinator = config_entry.runtime_data.coordinators[XC90_ID]
    smartcar.remove_signal(XC90_ID, sig.FUEL_LEVEL.code)
    read_signals = coordinator.vehicle.async_get_signals
    delivered: list[Signal[Any]] = []

    async def push_during_the_read() -> VehicleSignals:
        data: VehicleSignals = await read_signals()
        pushed = parse_signal(
            {"code": sig.FUEL_LEVEL.code, "body": {"value": 40, "unit": "percent"}}
        )
        assert pushed is not None
        delivered.append(pushed)
        coordinator.async_push(delivered)
        return data

    monkeypatch.setattr(coordinator.vehicle, "async_get_signals", push_during_the_read)
    await coordinator.async_refresh()
    assert coordinator.data.get(sig.FUEL_LEVEL) == delivered[0]
    monkeypatch.setattr(coordinator.vehicle, "async_get_signals", read_signals)
    await coordinator.async_refresh()
    assert coordinator.data.get(sig.FUEL_LEVEL) is None


async def test_rate_limited_first_read_is_sent_again_after_retry_after(
    hass: HomeAssistant,
    config_entry: MockConfigEntry,
    smartcar: Simulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A vehicle whose first read is refused with 429 is read again right after Retry-After."""
    smartcar.faults.fail_next(
        "signals",
        status=429,
        error_type="RATE_LIMIT",
        code="VEHICLE",
        vehicle_id=XC90_ID,
        retry_after=600,
    )
    await setup_entry(hass, config_entry)
    assert config_entry.state is ConfigEntryState.LOADED
    assert hass.states.get("sensor.volvo_xc90_fuel_level") is None
    smartcar.counters.reset()
    await pass_time(hass, freezer, timedelta(seconds=590), timedelta(seconds=10))
    assert smartcar.counters.count("signals", XC90_ID) == 0
    await pass_time(hass, freezer, timedelta(seconds=20), timedelta(seconds=10))
    assert smartcar.counters.count("signals", XC90_ID) == 1
    assert state_of(hass, "sensor.volvo_xc90_fuel_level") != STATE_UNAVAILABLE
