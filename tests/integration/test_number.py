"""The charge limit number: set at once, 202 in progress, bad values, "not capable"."""

from __future__ import annotations

from datetime import timedelta

from homeassistant.components.number import (
    ATTR_VALUE,
    DOMAIN as NUMBER_DOMAIN,
    SERVICE_SET_VALUE,
)
from homeassistant.const import ATTR_ENTITY_ID, STATE_UNAVAILABLE, Platform
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import entity_registry as er
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)
from syrupy.assertion import SnapshotAssertion

from custom_components.smartcar.api import signals as sig
from custom_components.smartcar.const import DOMAIN
from custom_components.smartcar.controls import PENDING_RECHECK_SECONDS
from smartcar_simulator import Simulator
from smartcar_simulator.clock import ManualClock
from smartcar_simulator.permissions import DEFAULT_PERMISSIONS
from smartcar_simulator.vehicles import EX30_ID, OWNER_EMAIL, XC60_ID

from .conftest import SNAPSHOT_MARKS, assert_platform_snapshot, setup_entry, state_of

EX30_LIMIT = "number.volvo_ex30_charge_limit"
XC60_LIMIT = "number.volvo_xc60_recharge_charge_limit"


@pytest.fixture
def platforms() -> list[Platform]:
    """Load the number platform only."""
    return [Platform.NUMBER]


async def _set(hass: HomeAssistant, entity_id: str, value: object) -> None:
    await hass.services.async_call(
        NUMBER_DOMAIN,
        SERVICE_SET_VALUE,
        {ATTR_ENTITY_ID: entity_id, ATTR_VALUE: value},
        blocking=True,
    )


def _car_limit(smartcar: Simulator, vehicle_id: str) -> tuple[object, object]:
    """Return the car's GLOBAL limit and its active limit."""
    body = smartcar.signal_body(vehicle_id, sig.CHARGE_LIMITS.code)
    assert body is not None
    (entry,) = (e for e in body["values"] if e["type"] == "GLOBAL")
    return entry["limit"], body["activeLimit"]


@pytest.mark.usefixtures("loaded_entry")
async def test_set_limit(hass: HomeAssistant, smartcar: Simulator) -> None:
    """A new limit shows at once, without reading the car again."""
    assert state_of(hass, EX30_LIMIT) == "80"
    assert state_of(hass, XC60_LIMIT) == "90"
    assert hass.states.get("number.volvo_xc90_charge_limit") is None
    state = hass.states.get(XC60_LIMIT)
    assert state is not None
    assert (state.attributes["min"], state.attributes["max"]) == (50, 100)
    assert state.attributes["step"] == 1
    smartcar.counters.reset()
    await _set(hass, XC60_LIMIT, 70)
    assert state_of(hass, XC60_LIMIT) == "70"
    assert _car_limit(smartcar, XC60_ID) == (70, 70)
    assert smartcar.counters.count("charge_set_limit") == 1
    assert smartcar.counters.count("signals") == 0


@pytest.mark.usefixtures("loaded_entry")
async def test_202_shows_the_request_until_read_again(
    hass: HomeAssistant, smartcar: Simulator, sim_clock: ManualClock
) -> None:
    """Still running at the carmaker: the asked limit shows; the re-read confirms it."""
    smartcar.faults.async_commands(final_status="PENDING")
    smartcar.counters.reset()
    await _set(hass, EX30_LIMIT, 60)
    assert state_of(hass, EX30_LIMIT) == "60"
    assert _car_limit(smartcar, EX30_ID) == (80, 80)
    sim_clock.advance(smartcar.command_delay + 1)
    async_fire_time_changed(
        hass, dt_util.utcnow() + timedelta(seconds=PENDING_RECHECK_SECONDS + 1)
    )
    await hass.async_block_till_done(wait_background_tasks=True)
    assert smartcar.counters.count("signals") == 1
    assert state_of(hass, EX30_LIMIT) == "60"
    assert _car_limit(smartcar, EX30_ID) == (60, 60)


@pytest.mark.usefixtures("loaded_entry")
@pytest.mark.parametrize("value", [49, 101])
async def test_out_of_range_refused(
    hass: HomeAssistant, smartcar: Simulator, value: int
) -> None:
    """Home Assistant refuses a value outside 50-100 with its translated error; no request."""
    smartcar.counters.reset()
    with pytest.raises(ServiceValidationError) as err:
        await _set(hass, XC60_LIMIT, value)
    assert err.value.translation_key == "out_of_range"
    assert smartcar.counters.count() == 0
    assert state_of(hass, XC60_LIMIT) == "90"


@pytest.mark.usefixtures("loaded_entry")
@pytest.mark.parametrize("value", [80.5, 66.01])
async def test_fraction_refused(
    hass: HomeAssistant, smartcar: Simulator, value: float
) -> None:
    """A limit that is not a whole percentage: a translated error, nothing sent or changed."""
    smartcar.counters.reset()
    with pytest.raises(ServiceValidationError) as err:
        await _set(hass, XC60_LIMIT, value)
    assert err.value.translation_key == "invalid_charge_limit"
    assert str(err.value).startswith(
        f"The charge limit must be a whole percentage from 50 to 100; {value} is not"
    )
    assert smartcar.counters.count() == 0
    assert state_of(hass, XC60_LIMIT) == "90"
    assert _car_limit(smartcar, XC60_ID) == (90, 90)


@pytest.mark.usefixtures("loaded_entry")
async def test_refused_by_the_car(hass: HomeAssistant, smartcar: Simulator) -> None:
    """A refusal (here: unplugged, as some makes answer) is translated; nothing changes."""
    smartcar.faults.fail_next(
        "charge_set_limit",
        status=409,
        error_type="VEHICLE_STATE",
        code="CHARGING_PLUG_NOT_CONNECTED",
    )
    with pytest.raises(HomeAssistantError) as err:
        await _set(hass, XC60_LIMIT, 75)
    assert err.value.translation_key == "command_plug_not_connected"
    assert state_of(hass, XC60_LIMIT) == "90"


async def test_not_capable_is_remembered(
    hass: HomeAssistant, smartcar: Simulator, loaded_entry: MockConfigEntry
) -> None:
    """501: an error naming the car; unavailable, also after a reload; not asked again."""
    smartcar.vehicle(XC60_ID).unsupported_commands.add("charge_set_limit")
    with pytest.raises(HomeAssistantError) as err:
        await _set(hass, XC60_LIMIT, 75)
    assert err.value.translation_key == "command_vehicle_not_capable"
    assert err.value.translation_placeholders is not None
    assert err.value.translation_placeholders["vehicle"] == "Volvo XC60 Recharge"
    assert state_of(hass, XC60_LIMIT) == STATE_UNAVAILABLE
    assert state_of(hass, EX30_LIMIT) == "80"
    assert await hass.config_entries.async_reload(loaded_entry.entry_id)
    await hass.async_block_till_done()
    assert state_of(hass, XC60_LIMIT) == STATE_UNAVAILABLE
    assert state_of(hass, EX30_LIMIT) == "80"
    assert smartcar.counters.count("charge_set_limit") == 1


async def test_no_number_without_control_charge(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, smartcar: Simulator
) -> None:
    """A car whose owner did not grant control_charge gets no charge limit control."""
    smartcar.connect(
        OWNER_EMAIL,
        [XC60_ID],
        [p for p in DEFAULT_PERMISSIONS if p != "control_charge"],
    )
    er.async_get(hass).async_remove(XC60_LIMIT)
    assert await hass.config_entries.async_reload(loaded_entry.entry_id)
    await hass.async_block_till_done()
    assert hass.states.get(XC60_LIMIT) is None
    assert hass.states.get(EX30_LIMIT) is not None


async def test_without_global_limit(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, smartcar: Simulator
) -> None:
    """No GLOBAL entry: the limit in force shows; a new limit adds the GLOBAL entry."""
    smartcar.set_signal(
        XC60_ID,
        sig.CHARGE_LIMITS.code,
        {
            "values": [{"type": "LOCATION", "limit": 85, "condition": None}],
            "activeLimit": 85,
            "unit": "percent",
        },
    )
    coordinator = loaded_entry.runtime_data.coordinators[XC60_ID]
    await coordinator.async_refresh()
    assert state_of(hass, XC60_LIMIT) == "85"
    await _set(hass, XC60_LIMIT, 65)
    assert state_of(hass, XC60_LIMIT) == "65"
    limits = coordinator.data.body(sig.CHARGE_LIMITS)
    assert limits is not None
    assert [(limit.type, limit.limit) for limit in limits.limits] == [
        ("LOCATION", 85),
        ("GLOBAL", 65),
    ]


@SNAPSHOT_MARKS[0]
@SNAPSHOT_MARKS[1]
async def test_number_snapshot(
    hass: HomeAssistant,
    config_entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
) -> None:
    """The charge limit of every electric car, as registered and as shown."""
    await assert_platform_snapshot(hass, config_entry, entity_registry, snapshot)


@SNAPSHOT_MARKS[0]
@SNAPSHOT_MARKS[1]
async def test_number_snapshot_other_owners(
    hass: HomeAssistant,
    other_owner_entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
) -> None:
    """Every number entity of the other owners' cars, as registered and as shown."""
    await assert_platform_snapshot(hass, other_owner_entry, entity_registry, snapshot)


@pytest.mark.parametrize("platforms", [[Platform.NUMBER, Platform.SENSOR]])
@pytest.mark.usefixtures("credentials", "only_platforms")
async def test_one_charge_limit_shown(
    hass: HomeAssistant,
    config_entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    smartcar: Simulator,
) -> None:
    """The number where the car takes the command, else the sensor: one shown by default."""
    smartcar.connect(
        OWNER_EMAIL,
        [XC60_ID],
        [p for p in DEFAULT_PERMISSIONS if p != "control_charge"],
    )
    await setup_entry(hass, config_entry)
    ex30_sensor = entity_registry.async_get_entity_id(
        "sensor", DOMAIN, f"{EX30_ID}_charge_limit"
    )
    assert ex30_sensor is not None
    registered = entity_registry.async_get(ex30_sensor)
    assert registered is not None
    assert registered.disabled_by is er.RegistryEntryDisabler.INTEGRATION
    assert hass.states.get(ex30_sensor) is None
    assert state_of(hass, EX30_LIMIT) == "80"
    # Without control_charge, no number: the sensor shows the limit.
    assert hass.states.get(XC60_LIMIT) is None
    assert state_of(hass, "sensor.volvo_xc60_recharge_charge_limit") == "90.0"
