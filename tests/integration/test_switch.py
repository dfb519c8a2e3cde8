"""The charging switch: start and stop, 202 in progress, refusals, "not capable" remembered."""

from __future__ import annotations

from datetime import timedelta

from homeassistant.components.switch import DOMAIN as SWITCH_DOMAIN
from homeassistant.const import (
    ATTR_ENTITY_ID,
    SERVICE_TURN_OFF,
    SERVICE_TURN_ON,
    STATE_OFF,
    STATE_ON,
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
)
from syrupy.assertion import SnapshotAssertion

from custom_components.smartcar.api import signals as sig
from custom_components.smartcar.controls import PENDING_RECHECK_SECONDS
from custom_components.smartcar.diagnostics import async_get_config_entry_diagnostics
from smartcar_simulator import Simulator
from smartcar_simulator.clock import ManualClock
from smartcar_simulator.permissions import DEFAULT_PERMISSIONS
from smartcar_simulator.vehicles import EX30_ID, OWNER_EMAIL, XC60_ID

from .conftest import SNAPSHOT_MARKS, assert_platform_snapshot, state_of

EX30_CHARGING = "switch.volvo_ex30_charging"
XC60_CHARGING = "switch.volvo_xc60_recharge_charging"


@pytest.fixture
def platforms() -> list[Platform]:
    """Load the switch platform only."""
    return [Platform.SWITCH]


async def _call(hass: HomeAssistant, service: str, entity_id: str) -> None:
    await hass.services.async_call(
        SWITCH_DOMAIN, service, {ATTR_ENTITY_ID: entity_id}, blocking=True
    )


def _charging(smartcar: Simulator, vehicle_id: str) -> bool:
    body = smartcar.signal_body(vehicle_id, sig.IS_CHARGING.code)
    assert body is not None
    return bool(body["value"])


async def _recheck(hass: HomeAssistant) -> None:
    async_fire_time_changed(
        hass, dt_util.utcnow() + timedelta(seconds=PENDING_RECHECK_SECONDS + 1)
    )
    await hass.async_block_till_done(wait_background_tasks=True)


@pytest.mark.usefixtures("loaded_entry")
async def test_stop_and_start(hass: HomeAssistant, smartcar: Simulator) -> None:
    """Turning off stops the charge and shows it at once, without reading the car again."""
    assert state_of(hass, EX30_CHARGING) == STATE_ON
    assert state_of(hass, XC60_CHARGING) == STATE_OFF
    assert hass.states.get("switch.volvo_xc90_charging") is None  # a petrol car
    smartcar.counters.reset()
    await _call(hass, SERVICE_TURN_OFF, EX30_CHARGING)
    assert state_of(hass, EX30_CHARGING) == STATE_OFF
    assert not _charging(smartcar, EX30_ID)
    await _call(hass, SERVICE_TURN_ON, EX30_CHARGING)
    assert state_of(hass, EX30_CHARGING) == STATE_ON
    assert _charging(smartcar, EX30_ID)
    assert smartcar.counters.count("charge_stop") == 1
    assert smartcar.counters.count("charge_start") == 1
    assert smartcar.counters.count("signals") == 0


@pytest.mark.usefixtures("loaded_entry")
async def test_already_as_asked(hass: HomeAssistant, smartcar: Simulator) -> None:
    """Stopping a car that does not charge is no error: it shows off (one request)."""
    smartcar.counters.reset()
    await _call(hass, SERVICE_TURN_OFF, XC60_CHARGING)
    assert state_of(hass, XC60_CHARGING) == STATE_OFF
    assert smartcar.counters.count("charge_stop") == 1
    smartcar.faults.fail_next(
        "charge_start",
        status=409,
        error_type="VEHICLE_STATE",
        code="CHARGING_IN_PROGRESS",
    )
    await _call(hass, SERVICE_TURN_ON, XC60_CHARGING)
    assert state_of(hass, XC60_CHARGING) == STATE_ON


@pytest.mark.usefixtures("loaded_entry")
async def test_202_shows_the_request_until_read_again(
    hass: HomeAssistant, smartcar: Simulator, sim_clock: ManualClock
) -> None:
    """Still running at the carmaker: shown as asked; the re-read later shows the outcome."""
    smartcar.faults.async_commands(final_status="PENDING")
    smartcar.counters.reset()
    await _call(hass, SERVICE_TURN_OFF, EX30_CHARGING)
    assert state_of(hass, EX30_CHARGING) == STATE_OFF
    assert _charging(smartcar, EX30_ID)  # not yet at the car
    sim_clock.advance(smartcar.command_delay + 1)
    await _recheck(hass)
    assert smartcar.counters.count("signals") == 1
    assert state_of(hass, EX30_CHARGING) == STATE_OFF
    assert not _charging(smartcar, EX30_ID)


@pytest.mark.usefixtures("loaded_entry")
async def test_202_that_never_lands_shows_the_car_again(
    hass: HomeAssistant, smartcar: Simulator
) -> None:
    """A start accepted but not done by the re-read: the switch shows the car as it is."""
    smartcar.command_delay = 3600
    smartcar.faults.async_commands(final_status="PENDING")
    await _call(hass, SERVICE_TURN_ON, XC60_CHARGING)
    assert state_of(hass, XC60_CHARGING) == STATE_ON
    await _recheck(hass)
    assert state_of(hass, XC60_CHARGING) == STATE_OFF


@pytest.mark.usefixtures("loaded_entry")
async def test_202_success_is_done(hass: HomeAssistant, smartcar: Simulator) -> None:
    """A 202 whose body says SUCCESS shows at once; a start's one read follows, no more.

    The read is the start's own (power and end are unknown until read), not a 202's re-check.
    """
    smartcar.faults.async_commands(final_status="SUCCESS")
    smartcar.counters.reset()
    await _call(hass, SERVICE_TURN_ON, XC60_CHARGING)
    assert state_of(hass, XC60_CHARGING) == STATE_ON
    await _recheck(hass)
    await _recheck(hass)
    assert smartcar.counters.count("signals") == 1


@pytest.mark.usefixtures("loaded_entry")
async def test_unrelated_update_keeps_the_request(
    hass: HomeAssistant, smartcar: Simulator, loaded_entry: MockConfigEntry
) -> None:
    """Values learnt about other signals while a start runs leave the switch as asked."""
    smartcar.faults.async_commands(final_status="PENDING")
    await _call(hass, SERVICE_TURN_ON, XC60_CHARGING)
    coordinator = loaded_entry.runtime_data.coordinators[XC60_ID]
    coordinator.async_apply_local_update([sig.lock_state(True, dt_util.utcnow())])
    await hass.async_block_till_done()
    assert state_of(hass, XC60_CHARGING) == STATE_ON


@pytest.mark.usefixtures("loaded_entry")
@pytest.mark.parametrize(
    ("prepare", "translation_key", "message"),
    [
        (
            "unplug",
            "command_plug_not_connected",
            "Volvo XC60 Recharge is not plugged in: connect the charging cable",
        ),
        (
            "full",
            "command_fully_charged",
            "Volvo XC60 Recharge is already charged to its charge limit",
        ),
    ],
)
async def test_start_refused(
    hass: HomeAssistant,
    smartcar: Simulator,
    prepare: str,
    translation_key: str,
    message: str,
) -> None:
    """Unplugged or full: a clear translated error naming the car; the switch stays off."""
    if prepare == "unplug":
        smartcar.unplug(XC60_ID)
    else:
        smartcar.set_signal(XC60_ID, sig.STATE_OF_CHARGE.code, {"value": 95})
    with pytest.raises(HomeAssistantError) as err:
        await _call(hass, SERVICE_TURN_ON, XC60_CHARGING)
    assert err.value.translation_key == translation_key
    assert str(err.value).startswith(message)
    assert state_of(hass, XC60_CHARGING) == STATE_OFF
    assert not _charging(smartcar, XC60_ID)


@pytest.mark.usefixtures("loaded_entry")
@pytest.mark.parametrize(
    ("code", "translation_key"),
    [
        ("NOT_CHARGING", "command_not_charging"),
        ("CHARGING_IN_PROGRESS", "command_charging_in_progress"),
        ("UNREACHABLE", "command_vehicle_unreachable"),
        ("DOOR_OPEN", "command_vehicle_state"),
    ],
)
async def test_other_vehicle_states(
    hass: HomeAssistant, smartcar: Simulator, code: str, translation_key: str
) -> None:
    """Each typical 409 is its own message (here refusing a stop)."""
    if code == "NOT_CHARGING":  # on a start, NOT_CHARGING is a refusal, not "done"
        service, endpoint = SERVICE_TURN_ON, "charge_start"
    else:
        service, endpoint = SERVICE_TURN_OFF, "charge_stop"
    smartcar.faults.fail_next(
        endpoint, status=409, error_type="VEHICLE_STATE", code=code
    )
    with pytest.raises(HomeAssistantError) as err:
        await _call(hass, service, EX30_CHARGING)
    assert err.value.translation_key == translation_key
    assert "{" not in str(err.value)
    assert state_of(hass, EX30_CHARGING) == STATE_ON


@pytest.mark.usefixtures("loaded_entry")
async def test_execution_failure(hass: HomeAssistant, smartcar: Simulator) -> None:
    """A 202 that reports failure raises a translated error; nothing changes."""
    smartcar.faults.async_commands(final_status="FAILURE")
    with pytest.raises(HomeAssistantError) as err:
        await _call(hass, SERVICE_TURN_OFF, EX30_CHARGING)
    assert err.value.translation_key == "command_failed"
    assert state_of(hass, EX30_CHARGING) == STATE_ON


async def test_not_capable_is_remembered(
    hass: HomeAssistant,
    smartcar: Simulator,
    sim_clock: ManualClock,
    loaded_entry: MockConfigEntry,
) -> None:
    """501: an error naming the car, and the command is not asked again.

    Once start and stop were both refused the switch is unavailable, also after a reload,
    until the owner connects the car again in Smartcar Connect.
    """
    smartcar.vehicle(EX30_ID).unsupported_commands.update(
        {"charge_start", "charge_stop"}
    )
    smartcar.counters.reset()
    with pytest.raises(HomeAssistantError) as err:
        await _call(hass, SERVICE_TURN_OFF, EX30_CHARGING)
    assert err.value.translation_key == "command_vehicle_not_capable"
    assert str(err.value).startswith(
        'Smartcar answered that Volvo EX30 cannot do "Stop charging"'
    )
    assert state_of(hass, EX30_CHARGING) == STATE_ON  # starting may still work
    with pytest.raises(HomeAssistantError):
        await _call(hass, SERVICE_TURN_OFF, EX30_CHARGING)
    assert smartcar.counters.count("charge_stop") == 1  # not asked again
    with pytest.raises(HomeAssistantError):
        await _call(hass, SERVICE_TURN_ON, EX30_CHARGING)
    assert state_of(hass, EX30_CHARGING) == STATE_UNAVAILABLE
    assert state_of(hass, XC60_CHARGING) == STATE_OFF  # the other car is not concerned
    diagnostics = await async_get_config_entry_diagnostics(hass, loaded_entry)
    refused = {
        vehicle["vehicle"]["model"]: vehicle["commands_not_capable"]
        for vehicle in diagnostics["vehicles"]
    }
    assert refused == {
        "EX30": ["start_charge", "stop_charge"],
        "XC60 Recharge": [],
        "XC90": [],
    }

    assert await hass.config_entries.async_reload(loaded_entry.entry_id)
    await hass.async_block_till_done()
    assert state_of(hass, EX30_CHARGING) == STATE_UNAVAILABLE
    assert smartcar.counters.count("charge_start") == 1

    # The owner connects the car again (e.g. after the carmaker enabled remote charging).
    smartcar.vehicle(EX30_ID).unsupported_commands.clear()
    sim_clock.advance(60)
    smartcar.connect(OWNER_EMAIL, [EX30_ID])
    assert await hass.config_entries.async_reload(loaded_entry.entry_id)
    await hass.async_block_till_done()
    assert state_of(hass, EX30_CHARGING) == STATE_ON
    await _call(hass, SERVICE_TURN_OFF, EX30_CHARGING)
    assert state_of(hass, EX30_CHARGING) == STATE_OFF


async def test_no_switch_without_control_charge(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, smartcar: Simulator
) -> None:
    """A car whose owner did not grant control_charge gets no switch; the others keep theirs."""
    smartcar.connect(
        OWNER_EMAIL,
        [EX30_ID],
        [p for p in DEFAULT_PERMISSIONS if p != "control_charge"],
    )
    er.async_get(hass).async_remove(EX30_CHARGING)
    assert await hass.config_entries.async_reload(loaded_entry.entry_id)
    await hass.async_block_till_done()
    assert hass.states.get(EX30_CHARGING) is None
    assert hass.states.get(XC60_CHARGING) is not None


@SNAPSHOT_MARKS[0]
@SNAPSHOT_MARKS[1]
async def test_switch_snapshot(
    hass: HomeAssistant,
    config_entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
) -> None:
    """The charging switch of every electric car, as registered and as shown."""
    await assert_platform_snapshot(hass, config_entry, entity_registry, snapshot)


@SNAPSHOT_MARKS[0]
@SNAPSHOT_MARKS[1]
async def test_switch_snapshot_other_owners(
    hass: HomeAssistant,
    other_owner_entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
) -> None:
    """Every switch entity of the other owners' cars, as registered and as shown."""
    await assert_platform_snapshot(hass, other_owner_entry, entity_registry, snapshot)


@pytest.mark.usefixtures("loaded_entry")
async def test_202_with_a_failed_re_read(
    hass: HomeAssistant, smartcar: Simulator, loaded_entry: MockConfigEntry
) -> None:
    """A re-read that fails drops what was asked: the next reading shows the car."""
    smartcar.command_delay = 3600
    smartcar.faults.async_commands(final_status="PENDING")
    await _call(hass, SERVICE_TURN_ON, XC60_CHARGING)
    assert state_of(hass, XC60_CHARGING) == STATE_ON
    smartcar.faults.fail_next("signals", status=500, error_type="SERVER")
    await _recheck(hass)
    assert state_of(hass, XC60_CHARGING) == STATE_UNAVAILABLE
    await loaded_entry.runtime_data.coordinators[XC60_ID].async_refresh()
    assert state_of(hass, XC60_CHARGING) == STATE_OFF
