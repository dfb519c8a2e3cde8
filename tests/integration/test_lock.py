"""The lock: commands, 202 in progress, refusals with a translated error and the state unchanged."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.lock import DOMAIN as LOCK_DOMAIN, LockState
from homeassistant.config_entries import SOURCE_REAUTH
from homeassistant.const import (
    ATTR_ENTITY_ID,
    SERVICE_LOCK,
    SERVICE_UNLOCK,
    STATE_UNAVAILABLE,
    Platform,
)
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import entity_registry as er
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
    snapshot_platform,
)
from syrupy.assertion import SnapshotAssertion

from custom_components.smartcar.api import VehicleSignals, signals as sig
from custom_components.smartcar.controls import PENDING_RECHECK_SECONDS
from custom_components.smartcar.coordinator import find_coordinator
from smartcar_simulator import Simulator
from smartcar_simulator.clock import ManualClock
from smartcar_simulator.permissions import DEFAULT_PERMISSIONS
from smartcar_simulator.vehicles import OWNER_EMAIL, XC90_ID

from .conftest import SNAPSHOT_TIME, assert_platform_snapshot, pass_time

pytestmark = pytest.mark.usefixtures("loaded_entry")
XC90_LOCK = "lock.volvo_xc90_lock"


@pytest.fixture
def platforms() -> list[Platform]:
    """Load the lock platform only."""
    return [Platform.LOCK]


async def _call(hass: HomeAssistant, service: str) -> None:
    await hass.services.async_call(
        LOCK_DOMAIN, service, {ATTR_ENTITY_ID: XC90_LOCK}, blocking=True
    )


def _state(hass: HomeAssistant) -> str:
    state = hass.states.get(XC90_LOCK)
    assert state is not None
    return state.state


async def test_lock_and_unlock(hass: HomeAssistant, smartcar: Simulator) -> None:
    """Locking locks the car and shows it at once, without reading the car again."""
    assert _state(hass) == LockState.UNLOCKED
    smartcar.counters.reset()
    await _call(hass, SERVICE_LOCK)
    assert _state(hass) == LockState.LOCKED
    assert smartcar.signal_body(XC90_ID, sig.IS_LOCKED.code) == {"value": True}
    await _call(hass, SERVICE_UNLOCK)
    assert _state(hass) == LockState.UNLOCKED
    assert smartcar.counters.count("lock") == 1
    assert smartcar.counters.count("unlock") == 1
    assert smartcar.counters.count("signals") == 0


async def test_202_success(hass: HomeAssistant, smartcar: Simulator) -> None:
    """A 202 answer that reports success is shown as locked."""
    smartcar.faults.async_commands(final_status="SUCCESS")
    await _call(hass, SERVICE_LOCK)
    assert _state(hass) == LockState.LOCKED


async def test_202_in_progress_then_success(
    hass: HomeAssistant,
    smartcar: Simulator,
    sim_clock: ManualClock,
) -> None:
    """Still running at the carmaker: 'locking' until a later reading shows it locked."""
    smartcar.faults.async_commands(final_status="PENDING")
    await _call(hass, SERVICE_LOCK)
    assert _state(hass) == LockState.LOCKING
    sim_clock.advance(smartcar.command_delay + 1)
    async_fire_time_changed(
        hass, dt_util.utcnow() + timedelta(seconds=PENDING_RECHECK_SECONDS + 1)
    )
    await hass.async_block_till_done(wait_background_tasks=True)
    assert _state(hass) == LockState.LOCKED


async def test_door_open_refused(hass: HomeAssistant, smartcar: Simulator) -> None:
    """A door open: a translated error naming the reason, and the lock stays as it was."""
    smartcar.open_door(XC90_ID, 1, 0)
    with pytest.raises(HomeAssistantError) as err:
        await _call(hass, SERVICE_LOCK)
    assert err.value.translation_key == "command_vehicle_state"
    assert err.value.translation_placeholders is not None
    assert err.value.translation_placeholders["code"] == "DOOR_OPEN"
    assert err.value.translation_placeholders["command"] == "Lock"
    assert str(err.value).startswith('The car refused "Lock"')
    assert _state(hass) == LockState.UNLOCKED
    assert smartcar.signal_body(XC90_ID, sig.IS_LOCKED.code) == {"value": False}


async def test_execution_failure(hass: HomeAssistant, smartcar: Simulator) -> None:
    """A 202 that reports failure raises a translated error; nothing changes."""
    smartcar.faults.async_commands(final_status="FAILURE")
    with pytest.raises(HomeAssistantError) as err:
        await _call(hass, SERVICE_LOCK)
    assert err.value.translation_key == "command_failed"
    assert _state(hass) == LockState.UNLOCKED


@pytest.mark.parametrize(
    ("fault", "translation_key"),
    [
        (
            {
                "status": 429,
                "error_type": "RATE_LIMIT",
                "code": "VEHICLE",
                "retry_after": 30,
            },
            "command_rate_limited",
        ),
        (
            {"status": 430, "error_type": "BILLING", "code": "VEHICLE_REQUEST_LIMIT"},
            "command_billing_limit",
        ),
        ({"status": 403, "error_type": "PERMISSION"}, "command_permission"),
        (
            {
                "status": 501,
                "error_type": "COMPATIBILITY",
                "code": "VEHICLE_NOT_CAPABLE",
            },
            "command_vehicle_not_capable",
        ),
        (
            {"status": 401, "error_type": "AUTHENTICATION", "count": 2},
            "command_auth_failed",
        ),
        ({"status": 500, "error_type": "SERVER", "code": "INTERNAL"}, "command_error"),
    ],
)
async def test_api_errors(
    hass: HomeAssistant,
    smartcar: Simulator,
    fault: dict[str, object],
    translation_key: str,
) -> None:
    """Each failure is its own translated error, and the lock state stays as it was.

    A failure only a new login fixes starts the reauthentication its message announces.
    """
    smartcar.faults.fail_next("unlock", **fault)  # type: ignore[arg-type]
    await _call(hass, SERVICE_LOCK)
    with pytest.raises(HomeAssistantError) as err:
        await _call(hass, SERVICE_UNLOCK)
    assert err.value.translation_key == translation_key
    assert _state(hass) == LockState.LOCKED
    await hass.async_block_till_done()
    reauth_flows = [
        flow
        for flow in hass.config_entries.flow.async_progress()
        if flow["context"]["source"] == SOURCE_REAUTH
    ]
    needs_login = translation_key in {"command_auth_failed", "command_permission"}
    assert len(reauth_flows) == needs_login


async def test_unreachable(hass: HomeAssistant, smartcar: Simulator) -> None:
    """Smartcar gone: a translated 'could not be reached' error."""
    await smartcar.stop()
    with pytest.raises(HomeAssistantError) as err:
        await _call(hass, SERVICE_LOCK)
    assert err.value.translation_key == "command_no_connection"
    assert _state(hass) == LockState.UNLOCKED


async def test_no_lock_without_control_permission(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, smartcar: Simulator
) -> None:
    """A car whose owner did not grant control_security gets no lock; the others keep theirs."""
    assert hass.states.get(XC90_LOCK) is not None
    smartcar.connect(
        OWNER_EMAIL,
        [XC90_ID],
        [p for p in DEFAULT_PERMISSIONS if p != "control_security"],
    )
    er.async_get(hass).async_remove(XC90_LOCK)
    assert await hass.config_entries.async_reload(loaded_entry.entry_id)
    await hass.async_block_till_done()
    assert hass.states.get(XC90_LOCK) is None
    assert hass.states.get("lock.volvo_ex30_lock") is not None


async def test_lock_does_not_delay_the_next_poll(
    hass: HomeAssistant, smartcar: Simulator, freezer: FrozenDateTimeFactory
) -> None:
    """A lock shortly before the car's next poll shows at once and leaves that poll where it was."""
    coordinator = find_coordinator(hass, XC90_ID)
    assert coordinator is not None
    next_poll = coordinator.next_poll
    assert next_poll is not None
    smartcar.counters.reset()
    freezer.move_to(next_poll - timedelta(minutes=10))
    await _call(hass, SERVICE_LOCK)
    assert _state(hass) == LockState.LOCKED
    assert smartcar.counters.count("signals", XC90_ID) == 0
    assert coordinator.next_poll == next_poll
    await pass_time(hass, freezer, timedelta(minutes=11))
    assert smartcar.counters.count("signals", XC90_ID) == 1


@pytest.mark.freeze_time(SNAPSHOT_TIME)
async def test_lock_snapshot(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
) -> None:
    """The lock of every vehicle reporting IsLocked, as registered and as shown."""
    await snapshot_platform(hass, entity_registry, snapshot, loaded_entry.entry_id)


@pytest.mark.freeze_time(SNAPSHOT_TIME)
@pytest.mark.usefixtures("credentials", "only_platforms")
async def test_lock_snapshot_other_owners(
    hass: HomeAssistant,
    other_owner_entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
) -> None:
    """Every lock entity of the other owners' cars, as registered and as shown."""
    await assert_platform_snapshot(hass, other_owner_entry, entity_registry, snapshot)


async def test_lock_during_a_read_is_not_undone_by_its_answer(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A read answered "unlocked" before a lock, arriving after it, does not undo it."""
    coordinator = loaded_entry.runtime_data.coordinators[XC90_ID]
    read_signals = coordinator.vehicle.async_get_signals
    answered, release = asyncio.Event(), asyncio.Event()

    async def late_answer() -> VehicleSignals:
        data: VehicleSignals = await read_signals()  # the car is still unlocked here
        answered.set()
        await release.wait()
        return data

    monkeypatch.setattr(coordinator.vehicle, "async_get_signals", late_answer)
    read = hass.async_create_task(coordinator.async_refresh())
    await answered.wait()
    await _call(hass, SERVICE_LOCK)
    assert _state(hass) == LockState.LOCKED
    release.set()
    await read
    await hass.async_block_till_done()
    assert _state(hass) == LockState.LOCKED


async def test_lock_not_capable_is_remembered(
    hass: HomeAssistant, smartcar: Simulator, loaded_entry: MockConfigEntry
) -> None:
    """A car that answers "not capable" to lock and unlock: the lock becomes unavailable."""
    smartcar.vehicle(XC90_ID).unsupported_commands.update({"lock", "unlock"})
    for service in (SERVICE_LOCK, SERVICE_UNLOCK):
        with pytest.raises(HomeAssistantError) as err:
            await _call(hass, service)
        assert err.value.translation_key == "command_vehicle_not_capable"
    assert _state(hass) == STATE_UNAVAILABLE
    assert await hass.config_entries.async_reload(loaded_entry.entry_id)
    await hass.async_block_till_done()
    assert _state(hass) == STATE_UNAVAILABLE
    assert hass.states.get("lock.volvo_ex30_lock") is not None
    assert smartcar.counters.count("lock") == 1
