"""How entities follow their signals: errors by type, odd values, closures, schedules."""

from __future__ import annotations

from datetime import time
from pathlib import Path
from typing import Any, Final

import aiohttp
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import STATE_UNAVAILABLE, STATE_UNKNOWN
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er
from homeassistant.helpers.config_entry_oauth2_flow import async_get_implementations
from homeassistant.helpers.selector import validate_selector
from homeassistant.util.yaml import load_yaml_dict
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.smartcar.api import (
    ChargeSchedule,
    ChargeWindow,
    GeoLocation,
    SmartcarClient,
    SmartcarSettings,
    signals as sig,
)
from custom_components.smartcar.application_credentials import (
    async_get_description_placeholders,
)
from custom_components.smartcar.const import ENV_BASE_URL, smartcar_settings
from custom_components.smartcar.oauth import FixedTokenAuth
from smartcar_simulator import Simulator
from smartcar_simulator.vehicles import EX30_ID, OWNER_EMAIL, XC60_ID, XC90_ID
from tests.client.fakes import MintingAuth

from .conftest import add_entry, setup_entry, state_of

pytestmark = pytest.mark.usefixtures("entity_registry_enabled_by_default")
SERVICES_YAML: Final = (
    Path(__file__).parents[2] / "custom_components" / "smartcar" / "services.yaml"
)
SCHEDULE_ACTIONS: Final = (
    "create_charge_schedule",
    "list_charge_schedules",
    "delete_charge_schedule",
)


async def _refresh(
    hass: HomeAssistant, entry: MockConfigEntry, vehicle_id: str
) -> None:
    await entry.runtime_data.coordinators[vehicle_id].async_refresh()
    await hass.async_block_till_done()


def _attributes(hass: HomeAssistant, entity_id: str) -> dict[str, Any]:
    state = hass.states.get(entity_id)
    assert state is not None, entity_id
    return dict(state.attributes)


async def test_error_with_stale_body_keeps_last_value(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, smartcar: Simulator
) -> None:
    """An UPSTREAM error that still carries the last value keeps showing it."""
    smartcar.set_signal_error(
        XC60_ID, sig.STATE_OF_CHARGE.code, "UPSTREAM", "NO_RESPONSE"
    )
    await _refresh(hass, loaded_entry, XC60_ID)
    assert state_of(hass, "sensor.volvo_xc60_recharge_battery") == "62.0"


async def test_permission_error_makes_entity_unavailable(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, smartcar: Simulator
) -> None:
    """A PERMISSION error, even with a stale body, is not shown as a value."""
    smartcar.set_signal_error(
        XC60_ID, sig.STATE_OF_CHARGE.code, "PERMISSION", "UNKNOWN"
    )
    await _refresh(hass, loaded_entry, XC60_ID)
    assert state_of(hass, "sensor.volvo_xc60_recharge_battery") == STATE_UNAVAILABLE


async def test_error_without_body_is_unavailable(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, smartcar: Simulator
) -> None:
    """An error with nothing to show makes the entity unavailable."""
    smartcar.add_raw_signal(
        XC60_ID,
        sig.TRAVELED_DISTANCE.code,
        None,
        name=sig.TRAVELED_DISTANCE.name,
        group=sig.TRAVELED_DISTANCE.group,
        permission="read_odometer",
    )
    smartcar.set_signal_error(
        XC60_ID, sig.TRAVELED_DISTANCE.code, "UPSTREAM", "NO_RESPONSE"
    )
    await _refresh(hass, loaded_entry, XC60_ID)
    assert state_of(hass, "sensor.volvo_xc60_recharge_odometer") == STATE_UNAVAILABLE


async def test_signal_no_longer_reported(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, smartcar: Simulator
) -> None:
    """A signal the car stops reporting makes its entities unavailable."""
    for code in (
        sig.FUEL_LEVEL.code,
        sig.DOORS.code,
        sig.PRECISE_LOCATION.code,
        sig.IS_LOCKED.code,
    ):
        smartcar.remove_signal(XC90_ID, code)
    await _refresh(hass, loaded_entry, XC90_ID)
    for entity_id in (
        "sensor.volvo_xc90_fuel_level",
        "binary_sensor.volvo_xc90_doors",
        "binary_sensor.volvo_xc90_front_left_door",
        "device_tracker.volvo_xc90_parked_location",
        "lock.volvo_xc90_lock",
    ):
        assert state_of(hass, entity_id) == STATE_UNAVAILABLE


async def test_unreadable_bodies_show_unknown(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, smartcar: Simulator
) -> None:
    """Bodies that do not fit their signal show unknown instead of failing."""
    for code in (
        sig.DETAILED_CHARGING_STATUS.code,
        sig.CHARGE_LIMITS.code,
        sig.CHARGE_TIMERS.code,
        sig.DOORS.code,
        sig.PRECISE_LOCATION.code,
        sig.IS_LOCKED.code,
        sig.NOMINAL_CAPACITY.code,
        sig.CHARGING_CONNECTOR_TYPE.code,
        sig.IS_CHARGING.code,
    ):
        smartcar.set_signal(XC60_ID, code, {"unexpected": True})
    await _refresh(hass, loaded_entry, XC60_ID)
    for entity_id in (
        "sensor.volvo_xc60_recharge_charging_status",
        "sensor.volvo_xc60_recharge_charge_limit",
        "sensor.volvo_xc60_recharge_charge_schedules",
        "sensor.volvo_xc60_recharge_battery_capacity",
        "sensor.volvo_xc60_recharge_charging_connector",
        "binary_sensor.volvo_xc60_recharge_doors",
        "binary_sensor.volvo_xc60_recharge_charging",
        "lock.volvo_xc60_recharge_lock",
        "device_tracker.volvo_xc60_recharge_parked_location",
    ):
        assert state_of(hass, entity_id) in (STATE_UNKNOWN, STATE_UNAVAILABLE), (
            entity_id
        )
    assert (
        state_of(hass, "binary_sensor.volvo_xc60_recharge_front_left_door")
        == STATE_UNAVAILABLE
    )
    assert "limits" not in _attributes(hass, "sensor.volvo_xc60_recharge_charge_limit")


async def test_unknown_charging_status(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, smartcar: Simulator
) -> None:
    """A status value Smartcar may add later shows unknown, not an error."""
    smartcar.set_signal(
        XC60_ID, sig.DETAILED_CHARGING_STATUS.code, {"value": "PRECONDITIONING"}
    )
    await _refresh(hass, loaded_entry, XC60_ID)
    assert state_of(hass, "sensor.volvo_xc60_recharge_charging_status") == STATE_UNKNOWN


async def test_charge_limit_when_unplugged(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, smartcar: Simulator
) -> None:
    """No active limit while unplugged: the global limit is shown."""
    smartcar.unplug(EX30_ID)
    await _refresh(hass, loaded_entry, EX30_ID)
    assert state_of(hass, "sensor.volvo_ex30_charge_limit") == "80.0"
    smartcar.set_signal(
        EX30_ID,
        sig.CHARGE_LIMITS.code,
        {"values": [], "activeLimit": None, "unit": "percent"},
    )
    await _refresh(hass, loaded_entry, EX30_ID)
    assert state_of(hass, "sensor.volvo_ex30_charge_limit") == STATE_UNKNOWN


async def test_charge_limit_at_a_location(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, smartcar: Simulator
) -> None:
    """Location and charging-type limits are listed by name, without coordinates."""
    smartcar.set_signal(
        XC60_ID,
        sig.CHARGE_LIMITS.code,
        {
            "values": [
                {"type": "GLOBAL", "limit": 90},
                {
                    "type": "LOCATION",
                    "limit": 70,
                    "condition": {"name": "Home", "latitude": 57.7, "longitude": 11.9},
                },
                {
                    "type": "CHARGING_TYPE",
                    "limit": 80,
                    "condition": {"chargingType": "DC"},
                },
            ],
            "activeLimit": 70,
            "unit": "percent",
        },
    )
    await _refresh(hass, loaded_entry, XC60_ID)
    assert state_of(hass, "sensor.volvo_xc60_recharge_charge_limit") == "70.0"
    assert _attributes(hass, "sensor.volvo_xc60_recharge_charge_limit")["limits"] == [
        {"type": "global", "limit": 90.0},
        {"type": "location", "limit": 70.0, "location": "Home"},
        {"type": "charging_type", "limit": 80.0, "charging_type": "DC"},
    ]


async def test_charge_schedules_sensor(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    smartcar: Simulator,
    http_session: aiohttp.ClientSession,
    owner_user_id: str,
) -> None:
    """Schedules made through the API appear as the count and in the attributes."""
    settings = SmartcarSettings.at(smartcar.url)
    client = SmartcarClient(http_session, MintingAuth(http_session, settings), settings)
    execution = await client.vehicle(
        EX30_ID, owner_user_id
    ).async_create_charge_schedule(
        ChargeSchedule.daily(GeoLocation(57.7, 11.97), ChargeWindow(time(1), time(6)))
    )
    await _refresh(hass, loaded_entry, EX30_ID)
    assert state_of(hass, "sensor.volvo_ex30_charge_schedules") == "1"
    (schedule,) = _attributes(hass, "sensor.volvo_ex30_charge_schedules")["schedules"]
    assert schedule["schedule_id"] == execution.attributes["scheduleId"]
    assert schedule["type"] == "daily"
    assert schedule["windows"][0]["start_time"] == "01:00"
    assert len(schedule["windows"][0]["days"]) == 7


async def test_charging_finishes(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    smartcar: Simulator,
    sim_clock: Any,
) -> None:
    """Once the EX30 reaches its limit it is fully charged and draws no power."""
    sim_clock.advance(hours=12)
    await _refresh(hass, loaded_entry, EX30_ID)
    assert state_of(hass, "sensor.volvo_ex30_charging_status") == "fully_charged"
    assert state_of(hass, "sensor.volvo_ex30_charging_power") == "0.0"
    assert state_of(hass, "sensor.volvo_ex30_charging_finished_at") == STATE_UNKNOWN
    assert state_of(hass, "binary_sensor.volvo_ex30_charging") == "off"
    assert state_of(hass, "sensor.volvo_ex30_battery") == "80.0"


@pytest.fixture
def third_row_doors(smartcar: Simulator) -> None:
    """Give the XC90 a door in a third row (a shape some vehicles report)."""
    smartcar.set_signal(
        XC90_ID,
        sig.DOORS.code,
        {
            "values": [
                {"row": 0, "column": 0, "isOpen": False, "isLocked": False},
                {"row": 2, "column": 1, "isOpen": True, "isLocked": False},
            ],
            "rowCount": 3,
            "columnCount": 2,
        },
    )


@pytest.mark.usefixtures("third_row_doors")
async def test_closure_outside_the_usual_grid(
    hass: HomeAssistant, loaded_entry: MockConfigEntry
) -> None:
    """A door beyond front/rear is named by its row and seat."""
    assert state_of(hass, "binary_sensor.volvo_xc90_door_row_3_seat_2") == "on"
    assert state_of(hass, "binary_sensor.volvo_xc90_doors") == "on"


async def test_no_entities_without_permission(
    hass: HomeAssistant,
    credentials: None,
    smartcar: Simulator,
    only_platforms: None,
) -> None:
    """Signals the owner did not grant get no entities, and an ungranted lock is not offered."""
    user_id = smartcar.connect(
        OWNER_EMAIL, [XC90_ID], ["read_fuel", "read_security", "read_vehicle_info"]
    )
    entry = add_entry(hass, user_id, "Volvo XC90")
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert hass.states.get("sensor.volvo_xc90_fuel_level") is not None
    assert hass.states.get("binary_sensor.volvo_xc90_doors") is not None
    assert hass.states.get("sensor.volvo_xc90_odometer") is None
    assert hass.states.get("device_tracker.volvo_xc90_parked_location") is None
    assert hass.states.get("lock.volvo_xc90_lock") is None


async def test_unload_while_a_command_is_pending(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, smartcar: Simulator
) -> None:
    """Unloading with a re-check scheduled cancels it (no timer left behind)."""
    smartcar.faults.async_commands(final_status="PENDING")
    await hass.services.async_call(
        "lock", "lock", {"entity_id": "lock.volvo_xc90_lock"}, blocking=True
    )
    assert state_of(hass, "lock.volvo_xc90_lock") == "locking"
    await hass.config_entries.async_unload(loaded_entry.entry_id)
    await hass.async_block_till_done()


async def test_settings_and_credentials_help(
    hass: HomeAssistant, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without the override the real hosts are used; the credentials dialog names the redirect URL."""
    monkeypatch.delenv(ENV_BASE_URL, raising=False)
    assert smartcar_settings() == SmartcarSettings()
    monkeypatch.setenv(ENV_BASE_URL, "http://127.0.0.1:8787")
    assert smartcar_settings().token_url == "http://127.0.0.1:8787/oauth2/token"
    # The integration's own callback, on the instance's URL (a hint when it has none).
    placeholders = await async_get_description_placeholders(hass)
    assert (
        placeholders["redirect_url"]
        == "https://<your Home Assistant>/api/smartcar/connect"
    )
    hass.config.external_url = "https://ha.example.com"
    placeholders = await async_get_description_placeholders(hass)
    assert placeholders["redirect_url"] == "https://ha.example.com/api/smartcar/connect"


async def test_fixed_token_auth() -> None:
    """The config flow's token is used as is, also after a refusal."""
    auth = FixedTokenAuth("abc")
    assert await auth.async_get_access_token() == "abc"
    assert await auth.async_renew_access_token("abc") == "abc"


@pytest.mark.usefixtures("credentials")
async def test_implementation_name(hass: HomeAssistant) -> None:
    """The application credentials show up as 'Smartcar'."""
    implementations = await async_get_implementations(hass, "smartcar")
    assert [impl.name for impl in implementations.values()] == ["Smartcar"]


async def test_doors_list_the_open_places(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, smartcar: Simulator
) -> None:
    """The Doors aggregate is on with the open doors as an attribute."""
    smartcar.set_signal(
        XC90_ID,
        sig.DOORS.code,
        {
            "values": [
                {"row": 0, "column": 0, "isOpen": False},
                {"row": 1, "column": 1, "isOpen": True},
            ]
        },
    )
    await _refresh(hass, loaded_entry, XC90_ID)
    assert state_of(hass, "binary_sensor.volvo_xc90_doors") == "on"
    assert _attributes(hass, "binary_sensor.volvo_xc90_doors")["open"] == ["rear_right"]
    assert _attributes(hass, "binary_sensor.volvo_xc90_windows")["open"] == [
        "rear_left"
    ]


@pytest.mark.parametrize(
    ("reported", "shown"),
    [
        ("TYPE_2", "type_2"),
        ("J1772", "j1772"),
        ("AC", "ac"),
        ("dc", "dc"),
        ("CHAdeMO", "chademo"),
        ("invalid", STATE_UNKNOWN),
    ],
)
async def test_charging_connector_is_an_enum(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    smartcar: Simulator,
    reported: str,
    shown: str,
) -> None:
    """Known connector values map to translated options; others show unknown."""
    smartcar.set_signal(XC60_ID, sig.CHARGING_CONNECTOR_TYPE.code, {"value": reported})
    await _refresh(hass, loaded_entry, XC60_ID)
    entity_id = "sensor.volvo_xc60_recharge_charging_connector"
    assert state_of(hass, entity_id) == shown
    assert "ac" in _attributes(hass, entity_id)["options"]


@pytest.mark.usefixtures("credentials", "only_platforms")
async def test_signal_not_granted_makes_no_entity_until_readable(
    hass: HomeAssistant, config_entry: MockConfigEntry, smartcar: Simulator
) -> None:
    """A PERMISSION error makes no entity; once the signal reads, its entity comes."""
    smartcar.hold_signal_error(
        EX30_ID,
        "odometer-traveleddistance",
        "PERMISSION",
        resolution="REAUTHENTICATE",
    )
    await setup_entry(hass, config_entry)
    assert hass.states.get("sensor.volvo_ex30_odometer") is None
    assert float(state_of(hass, "sensor.volvo_xc60_recharge_odometer")) > 0

    smartcar.release_signal_error(EX30_ID, "odometer-traveleddistance")
    smartcar.set_signal(
        EX30_ID, "odometer-traveleddistance", {"value": 1234.5, "unit": "kilometers"}
    )
    await _refresh(hass, config_entry, EX30_ID)
    assert float(state_of(hass, "sensor.volvo_ex30_odometer")) == 1234.5


def _offers(
    device: dr.DeviceEntry,
    selector: dict[str, Any],
    entity_registry: er.EntityRegistry,
) -> bool:
    """Whether a device selector offers the device, as the frontend filters it.

    The device must match a device filter, and have an entity matching an entity filter
    (each filter's keys all hold; a list is any of its values).
    """

    def holds(value: str | None, allowed: str | list[str] | None) -> bool:
        return allowed is None or value in (
            [allowed] if isinstance(allowed, str) else allowed
        )

    def listed(filters: dict[str, Any] | list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [filters] if isinstance(filters, dict) else filters

    integrations = {domain for domain, _ in device.identifiers}
    if not any(f["integration"] in integrations for f in listed(selector["filter"])):
        return False
    return any(
        holds(entity.platform, wanted.get("integration"))
        and holds(entity.domain, wanted.get("domain"))
        and holds(
            entity.device_class or entity.original_device_class,
            wanted.get("device_class"),
        )
        for entity in er.async_entries_for_device(entity_registry, device.id)
        for wanted in listed(selector["entity"])
    )


@pytest.mark.usefixtures("credentials")
async def test_schedule_actions_offer_only_cars_that_take_schedules(
    hass: HomeAssistant,
    config_entry: MockConfigEntry,
    makes_entry: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
    entity_registry: er.EntityRegistry,
) -> None:
    """The schedule actions' car picker: cars with schedules, not the petrol XC90 or the ID.4.

    The XC90 has a battery sensor (its fuel level); the ID.4 reports no schedules.
    """
    await setup_entry(hass, config_entry)  # and the other makes' entry with it
    assert makes_entry.state is ConfigEntryState.LOADED
    services = load_yaml_dict(str(SERVICES_YAML))
    for action in SCHEDULE_ACTIONS:
        field = services[action]["fields"]["device_id"]["selector"]
        validate_selector(field)
        offered = {
            device.name
            for entry in (config_entry, makes_entry)
            for device in dr.async_entries_for_config_entry(
                device_registry, entry.entry_id
            )
            if _offers(device, field["device"], entity_registry)
        }
        assert {"Volvo EX30", "Volvo XC60 Recharge", "Tesla Model Y"} <= offered
        assert not offered & {"Volvo XC90", "Volkswagen ID.4"}, action
