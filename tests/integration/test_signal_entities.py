"""Entities of the signals beyond Volvo's: each appears when the car reports it and it is granted.

The simulator's Volvos report 19 signals; here one of them also reports every other signal of
the catalogue, in the shapes live cars sent (reference sections 2 and 3: `ampere`, `volts`,
`km/h`, enums in lower case, tyres labelled "bar" at 258), and each entity shows its value.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Final

from homeassistant.const import EntityCategory, Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.util.unit_system import get_unit_system
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.smartcar.api import SignalSpec, parse_signal, signals as sig
from custom_components.smartcar.binary_sensor import BINARY_SENSORS
from custom_components.smartcar.const import DOMAIN, SCOPES
from custom_components.smartcar.entity import SmartcarEntityDescription
from custom_components.smartcar.sensor import SENSORS, TIRES, joined, listed
from smartcar_simulator import Simulator
from smartcar_simulator.vehicles import OWNER_EMAIL, XC60_ID, XC90_ID

from .conftest import SNAPSHOT_TIME, add_entry, setup_entry

pytestmark = [
    pytest.mark.usefixtures("credentials", "only_platforms"),
    pytest.mark.freeze_time(SNAPSHOT_TIME),
]

_OK: Final = {"status": "OK"}

# What the simulator's Volvos report: Smartcar's Volvo integration's 19 signals and the VIN.
VOLVO: Final = {
    spec.code
    for spec in (
        sig.IS_CHARGING_CABLE_CONNECTED,
        sig.IS_CHARGING,
        sig.DETAILED_CHARGING_STATUS,
        sig.CHARGING_CONNECTOR_TYPE,
        sig.CHARGE_TIMERS,
        sig.CHARGE_LIMITS,
        sig.TIME_TO_COMPLETE,
        sig.CHARGE_WATTAGE,
        sig.DOORS,
        sig.WINDOWS,
        sig.IS_LOCKED,
        sig.FUEL_AMOUNT_REMAINING,
        sig.FUEL_LEVEL,
        sig.FUEL_RANGE,
        sig.STATE_OF_CHARGE,
        sig.BATTERY_RANGE,
        sig.NOMINAL_CAPACITY,
        sig.PRECISE_LOCATION,
        sig.TRAVELED_DISTANCE,
        sig.VIN,
    )
}

# Every signal the Volvos do not report, as a car sends it.
BODIES: Final[dict[SignalSpec[Any], dict[str, Any]]] = {
    sig.AMPERAGE: {"value": 7, "unit": "ampere"},
    sig.AMPERAGE_MAX: {"value": 18, "unit": "ampere"},
    sig.AMPERAGE_REQUESTED: {"value": 16, "unit": "amperes"},
    sig.CHARGE_VOLTAGE: {"value": 223, "unit": "volts"},
    sig.CHARGE_RATE: {"value": 31, "unit": "km/h"},
    sig.ENERGY_ADDED: {"value": 12.4, "unit": "kWh"},
    sig.CHARGER_PHASES: {"value": 3},
    sig.CHARGE_PORT_STATUS_COLOR: {"value": "green"},
    sig.FAST_CHARGER_TYPE: {"value": "CCS"},
    sig.CHARGE_RECORDS: {
        "values": [
            {
                "id": "rec_1",
                "startTime": "2026-10-30T18:00:00.000Z",
                "endTime": "2026-10-30T20:30:00.000Z",
                "energyAdded": 21.5,
                "startStateOfCharge": 35,
                "endStateOfCharge": 80,
                "chargingType": "AC",
                "isPublicCharger": False,
                "location": {
                    "name": "Home",
                    "address": "Storgatan 1",
                    "latitude": 57.70887,
                    "longitude": 11.97456,
                },
                "cost": {"currency": "SEK", "energyAmount": 43.0, "otherAmount": 0},
            },
            {
                "id": "rec_0",
                "startTime": "2026-10-20T07:00:00.000Z",
                "endTime": "2026-10-20T07:40:00.000Z",
                "energyAdded": 40,
            },
        ]
    },
    sig.IS_CHARGING_CABLE_LATCHED: {"value": True},
    sig.IS_CHARGING_PORT_FLAP_OPEN: {"value": True},
    sig.IS_FAST_CHARGER_PRESENT: {"value": False},
    sig.EXTERNAL_TEMPERATURE: {"value": 4.5, "unit": "celsius"},
    sig.INTERNAL_TEMPERATURE: {"value": 19, "unit": "celsius"},
    sig.CABIN_TARGET_TEMPERATURE: {"value": 21, "unit": "celsius"},
    sig.IS_CABIN_HVAC_ACTIVE: {"value": True},
    sig.IS_FRONT_DEFROSTER_ACTIVE: {"value": False},
    sig.IS_REAR_DEFROSTER_ACTIVE: {"value": True},
    sig.IS_STEERING_HEATER_ACTIVE: {"value": False},
    sig.FRONT_TRUNK: {"isOpen": False, "isLocked": True},
    sig.REAR_TRUNK: {"isOpen": True, "isLocked": False},
    sig.TAILGATE: {"isOpen": False, "isLocked": True},
    sig.SUNROOF: {"isOpen": True, "isLocked": False},
    sig.ENGINE_COVER: {"isOpen": False, "isLocked": True},
    sig.FIRMWARE_VERSION: {"value": "L8B2-70712-AAE"},
    sig.IS_ASLEEP: {"value": False},
    sig.IS_DIGITAL_KEY_PAIRED: {"value": True},
    sig.IS_ONLINE: {"value": True},
    **dict.fromkeys(sig.DIAGNOSTIC_SYSTEMS, _OK),
    sig.DIAGNOSTIC_SYSTEMS[3]: {"status": "ALERT", "description": "Brake fluid low"},
    sig.DIAGNOSTIC_SYSTEMS[11]: {"status": "alert"},
    sig.DTC_COUNT: {"value": 2, "unit": "count"},
    sig.DTC_LIST: {
        "values": [
            {"code": "P0300"},
            {"code": "P0171", "timestamp": "2026-10-31T08:00:00.000Z"},
        ]
    },
    sig.OIL_LIFE: {"value": 78, "unit": "percent"},
    sig.IS_AT_HOME: {"value": True},
    sig.CURRENT_SPEED: {"value": 0, "unit": "kph"},
    sig.LOW_VOLTAGE_STATE_OF_CHARGE: {"value": 82, "unit": "percent"},
    sig.LOW_VOLTAGE_STATUS: {"value": "WARN"},
    sig.IS_IN_SERVICE: {"value": False},
    sig.SERVICE_RECORDS: {
        "values": [
            {
                "id": "svc_1",
                "time": "2026-06-12T09:30:00.000Z",
                "odometer": 30120,
                "tasks": [{"id": "t1", "description": "Oil change"}],
                "details": [{"id": "d1", "description": "Synthetic 0W-20"}],
                "cost": {"amount": 249.9, "currency": "EUR"},
            }
        ]
    },
    sig.SURVEILLANCE_ENABLED: {"value": True},
    sig.SURVEILLANCE_BRAND: {"value": "Sentry Mode"},
    sig.BATTERY_HEATER_ACTIVE: {"value": False},
    sig.MAX_RANGE_CHARGE_COUNTER: {"value": 12},
    sig.GEAR_STATE: {"value": "park"},
    sig.DRIVE_MODE: {"canonical": "NORMAL", "oemDisplayName": "everyday"},
    sig.NICKNAME: {"value": "SEAL U DM-i"},
    sig.EXTERIOR_COLOR: {"value": "Space"},
    sig.PACKAGES: {"values": ["Performance", "Pilot", "Plus"]},
    sig.TRIM: {"value": "Ultra"},
    sig.ACCOUNT_PERMISSIONS: {"values": ["vehicle_cmds", "vehicle_device_data"]},
    sig.ACCOUNT_ROLE: {"value": "Driver"},
    sig.WHEEL_STYLE: {"value": "20-inch 5-spoke"},
    sig.TIRES: {
        "unit": "bar",
        "rowCount": 2,
        "columnCount": 2,
        "values": [
            {"row": 0, "column": 1, "tirePressure": 258},
            {"row": 0, "column": 0, "tirePressure": 260},
            {"row": 1, "column": 0, "tirePressure": 270},
            {"row": 1, "column": 1, "tirePressure": 2.7},
        ],
    },
}

# What each entity shows, by its key (tyres by row and column).
EXPECTED: Final[dict[str, str]] = {
    "charging_current": "7.0",
    "max_charging_current": "18.0",
    "requested_charging_current": "16.0",
    "charging_voltage": "223.0",
    "charge_rate": "31.0",
    "energy_added": "12.4",
    "charger_phases": "3",
    "charge_port_light": "green",
    "fast_charger_type": "CCS",
    "last_charging_session": "2026-10-30T20:30:00+00:00",
    "charging_cable_lock": "off",
    "charge_port": "on",
    "fast_charger": "off",
    "outside_temperature": "4.5",
    "cabin_temperature": "19.0",
    "cabin_target_temperature": "21.0",
    "cabin_climate": "on",
    "front_defroster": "off",
    "rear_defroster": "on",
    "steering_wheel_heater": "off",
    "front_trunk": "off",
    "front_trunk_lock": "off",
    "rear_trunk": "on",
    "rear_trunk_lock": "on",
    "tailgate": "off",
    "tailgate_lock": "off",
    "sunroof": "on",
    "sunroof_lock": "on",
    "engine_cover": "off",
    "engine_cover_lock": "off",
    "firmware_version": "L8B2-70712-AAE",
    "asleep": "off",
    "digital_key": "on",
    "online": "on",
    **{
        description.key: "off"
        for description in BINARY_SENSORS
        if description.key.startswith("system_")
    },
    "system_brake_fluid": "on",
    "system_malfunction_indicator": "on",
    "trouble_codes": "2",
    "oil_life": "78.0",
    "at_home": "on",
    "speed": "0.0",
    "low_voltage_battery": "82.0",
    "low_voltage_battery_status": "warn",
    "in_service": "off",
    "last_service": "2026-06-12T09:30:00+00:00",
    "surveillance": "on",
    "battery_heater": "off",
    "max_range_charges": "12",
    "gear": "park",
    "drive_mode": "normal",
    "nickname": "SEAL U DM-i",
    "exterior_color": "Space",
    "packages": "Performance, Pilot, Plus",
    "trim": "Ultra",
    "account_permissions": "vehicle_cmds, vehicle_device_data",
    "account_role": "Driver",
    "wheel_style": "20-inch 5-spoke",
    # "bar" with 258 is kPa; 2.7 bar is 270 kPa.
    "tire_pressure_0_1": "258.0",
    "tire_pressure_0_0": "260.0",
    "tire_pressure_1_0": "270.0",
    "tire_pressure_1_1": "270.0",
}

NEW_DESCRIPTIONS: Final[list[SmartcarEntityDescription[Any]]] = [
    description
    for description in (*SENSORS, *BINARY_SENSORS)
    if description.signal.code not in VOLVO
]


@pytest.fixture
def platforms() -> list[Platform]:
    """Load the sensor and binary sensor platforms."""
    return [Platform.BINARY_SENSOR, Platform.SENSOR]


def report(
    smartcar: Simulator, vehicle_id: str, bodies: Mapping[SignalSpec[Any], Any]
) -> None:
    """Make the simulator's car report these signals (each needs its own permission)."""
    for spec, body in bodies.items():
        smartcar.add_raw_signal(
            vehicle_id,
            spec.code,
            body,
            name=spec.name,
            group=spec.group,
            permission=spec.permission,
        )


async def load(
    hass: HomeAssistant, smartcar: Simulator, permissions: Iterable[str] = SCOPES
) -> MockConfigEntry:
    """Connect the XC60 and XC90 with these permissions and set their entry up."""
    user_id = smartcar.connect(OWNER_EMAIL, [XC60_ID, XC90_ID], list(permissions))
    entry = add_entry(hass, user_id, "Volvo XC60, Volvo XC90")
    await setup_entry(hass, entry)
    return entry


def entity_id(
    entity_registry: er.EntityRegistry, key: str, vehicle_id: str = XC90_ID
) -> str | None:
    """Return the entity id of a vehicle's entity by its key, if it exists."""
    for platform in (Platform.SENSOR, Platform.BINARY_SENSOR):
        found = entity_registry.async_get_entity_id(
            platform, DOMAIN, f"{vehicle_id}_{key}"
        )
        if found:
            return found
    return None


def shown(
    hass: HomeAssistant,
    entity_registry: er.EntityRegistry,
    key: str,
    vehicle_id: str = XC90_ID,
) -> tuple[str, Mapping[str, Any]]:
    """Return the state and attributes of a vehicle's entity by its key."""
    found = entity_id(entity_registry, key, vehicle_id)
    assert found is not None, f"no entity {key}"
    state = hass.states.get(found)
    assert state is not None, found
    return state.state, state.attributes


def test_every_new_entity_has_a_case() -> None:
    """Each signal outside Volvo's 19 has a body here, and each of its entities a value."""
    assert {spec.code for spec in BODIES} == set(sig.CATALOGUE) - VOLVO
    keys = {d.key for d in NEW_DESCRIPTIONS}
    tires = {key for key in EXPECTED if key.startswith(f"{TIRES.key}_")}
    assert set(EXPECTED) == keys | tires


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_every_signal_shows_its_value(
    hass: HomeAssistant, smartcar: Simulator, entity_registry: er.EntityRegistry
) -> None:
    """A car reporting every signal, all granted, shows each as its entity's state."""
    report(smartcar, XC90_ID, BODIES)
    await load(hass, smartcar)
    states = {key: shown(hass, entity_registry, key)[0] for key in EXPECTED}
    assert states == EXPECTED
    # The XC60 reports none of them: it has none of these entities.
    assert not [
        key for key in EXPECTED if entity_id(entity_registry, key, XC60_ID) is not None
    ]


def _needs(key: str) -> set[str]:
    """Return the permissions an entity's signals need (the tyres: Wheel.Tires's)."""
    if key.startswith(f"{TIRES.key}_"):
        return {TIRES.signal.permission}
    (description,) = (d for d in NEW_DESCRIPTIONS if d.key == key)
    fallback = description.fallback
    return {
        spec.permission
        for spec in (description.signal, fallback.signal if fallback else None)
        if spec
    }


PERMISSIONS: Final = sorted({p for key in EXPECTED for p in _needs(key)})


@pytest.mark.parametrize("granted", [None, *PERMISSIONS])
async def test_entities_only_with_their_permission(
    hass: HomeAssistant,
    smartcar: Simulator,
    entity_registry: er.EntityRegistry,
    granted: str | None,
) -> None:
    """The car reports every signal; only the entities of the one permission granted appear."""
    report(smartcar, XC90_ID, BODIES)
    await load(hass, smartcar, ["read_vin", *([granted] if granted else [])])
    present = {key for key in EXPECTED if entity_id(entity_registry, key)}
    assert present == {key for key in EXPECTED if granted in _needs(key)}


async def refresh(hass: HomeAssistant, entry: MockConfigEntry, vehicle_id: str) -> None:
    """Read a vehicle again now."""
    await entry.runtime_data.coordinators[vehicle_id].async_refresh()
    await hass.async_block_till_done()


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_a_null_closure_is_no_closure_until_reported(
    hass: HomeAssistant, smartcar: Simulator, entity_registry: er.EntityRegistry
) -> None:
    """A null sunroof (live Polestar) makes no entity, nor a null frunk lock; a later report does."""
    report(
        smartcar,
        XC60_ID,
        {
            sig.FRONT_TRUNK: {"isOpen": False, "isLocked": None},
            sig.SUNROOF: {"isOpen": None},
        },
    )
    entry = await load(hass, smartcar)
    assert shown(hass, entity_registry, "front_trunk", XC60_ID)[0] == "off"
    assert entity_id(entity_registry, "front_trunk_lock", XC60_ID) is None
    assert entity_id(entity_registry, "sunroof", XC60_ID) is None
    assert entity_id(entity_registry, "sunroof_lock", XC60_ID) is None
    smartcar.set_signal(XC60_ID, sig.SUNROOF.code, {"isOpen": True})
    smartcar.set_signal(
        XC60_ID, sig.FRONT_TRUNK.code, {"isOpen": True, "isLocked": False}
    )
    report(smartcar, XC60_ID, {sig.GEAR_STATE: {"value": "DRIVE"}})
    await refresh(hass, entry, XC60_ID)
    assert shown(hass, entity_registry, "sunroof", XC60_ID)[0] == "on"
    assert shown(hass, entity_registry, "front_trunk_lock", XC60_ID)[0] == "on"
    assert shown(hass, entity_registry, "gear", XC60_ID)[0] == "drive"
    assert entity_id(entity_registry, "sunroof_lock", XC60_ID) is None


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
@pytest.mark.parametrize(
    ("spec", "key", "state"),
    [(sig.TIRES, "tire_pressure_1_0", "270.0"), (sig.DOORS, "door_0_0", "off")],
    ids=["tyres", "doors"],
)
async def test_places_first_reported_in_error_come_later(
    hass: HomeAssistant,
    smartcar: Simulator,
    entity_registry: er.EntityRegistry,
    *,
    spec: SignalSpec[Any],
    key: str,
    state: str,
) -> None:
    """A grid signal whose first report is an error without a body gets its places later.

    Its aggregate (the Doors sensor) is made at once and unavailable; the per-place entities
    come with the first report that lists them, without a reload.
    """
    body = BODIES.get(spec) or smartcar.vehicle(XC90_ID).signals[spec.code].body
    assert body is not None
    report(smartcar, XC90_ID, {spec: None})
    smartcar.set_signal_error(XC90_ID, spec.code, "UPSTREAM", "UNKNOWN")
    entry = await load(hass, smartcar)
    assert entity_id(entity_registry, key) is None
    if spec is sig.DOORS:
        assert shown(hass, entity_registry, "doors")[0] == "unavailable"
    smartcar.set_signal(XC90_ID, spec.code, body)
    await refresh(hass, entry, XC90_ID)
    assert shown(hass, entity_registry, key)[0] == state
    if spec is sig.DOORS:
        assert shown(hass, entity_registry, "doors")[0] == "off"


@pytest.mark.parametrize(
    ("bodies", "count", "codes"),
    [
        ({sig.DTC_LIST: BODIES[sig.DTC_LIST]}, "2", ["P0300", "P0171"]),
        ({sig.DTC_COUNT: {"value": 5, "unit": "count"}}, "5", None),
        (
            {sig.DTC_COUNT: {"value": 5}, sig.DTC_LIST: BODIES[sig.DTC_LIST]},
            "5",
            ["P0300", "P0171"],
        ),
        ({sig.DTC_COUNT: {"value": 0}, sig.DTC_LIST: {"values": []}}, "0", []),
    ],
    ids=["list only", "count only", "count and list", "none"],
)
async def test_trouble_codes(
    hass: HomeAssistant,
    smartcar: Simulator,
    entity_registry: er.EntityRegistry,
    *,
    bodies: dict[SignalSpec[Any], Any],
    count: str,
    codes: list[str] | None,
) -> None:
    """The count comes from DTCCount, else from the list's length; the codes are listed."""
    report(smartcar, XC90_ID, bodies)
    await load(hass, smartcar)
    state, attributes = shown(hass, entity_registry, "trouble_codes")
    assert state == count
    assert attributes.get("codes") == codes


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_unknown_enum_values_and_open_texts(
    hass: HomeAssistant, smartcar: Simulator, entity_registry: er.EntityRegistry
) -> None:
    """An enum value Smartcar may add shows unknown; open texts are kept as they came."""
    report(
        smartcar,
        XC90_ID,
        {
            sig.GEAR_STATE: {"value": "LOW"},
            sig.CHARGE_PORT_STATUS_COLOR: {"value": "PURPLE"},
            sig.LOW_VOLTAGE_STATUS: {"value": "Good"},
            sig.DRIVE_MODE: {"canonical": "LUDICROUS", "oemDisplayName": "Plaid"},
            sig.FAST_CHARGER_TYPE: {"value": "SUPERCHARGER_V4"},
            sig.ACCOUNT_ROLE: {"value": "Secondary owner"},
        },
    )
    await load(hass, smartcar)
    assert shown(hass, entity_registry, "gear")[0] == "unknown"
    assert shown(hass, entity_registry, "charge_port_light")[0] == "unknown"
    assert shown(hass, entity_registry, "low_voltage_battery_status")[0] == "good"
    state, attributes = shown(hass, entity_registry, "drive_mode")
    assert (state, attributes["oem_name"]) == ("unknown", "Plaid")
    assert shown(hass, entity_registry, "fast_charger_type")[0] == "SUPERCHARGER_V4"
    assert shown(hass, entity_registry, "account_role")[0] == "Secondary owner"


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_details_as_attributes_without_coordinates(
    hass: HomeAssistant, smartcar: Simulator, entity_registry: er.EntityRegistry
) -> None:
    """Records, systems, surveillance and lists show their details; never a coordinate."""
    report(smartcar, XC90_ID, BODIES)
    await load(hass, smartcar)
    _, session = shown(hass, entity_registry, "last_charging_session")
    assert dict(session) | {"friendly_name": None} == {
        "device_class": "timestamp",
        "friendly_name": None,
        "started": "2026-10-30T18:00:00+00:00",
        "ended": "2026-10-30T20:30:00+00:00",
        "energy_added": 21.5,
        "start_state_of_charge": 35.0,
        "end_state_of_charge": 80.0,
        "charging_type": "AC",
        "public_charger": False,
        "location": "Home",
        "energy_cost": 43.0,
        "other_cost": 0.0,
        "currency": "SEK",
        "sessions": 2,
    }
    _, service = shown(hass, entity_registry, "last_service")
    assert service["tasks"] == ["Oil change"]
    assert service["details"] == ["Synthetic 0W-20"]
    assert (service["odometer"], service["cost"], service["currency"]) == (
        30120.0,
        249.9,
        "EUR",
    )
    assert shown(hass, entity_registry, "system_brake_fluid")[1]["description"] == (
        "Brake fluid low"
    )
    assert "description" not in shown(hass, entity_registry, "system_abs")[1]
    assert shown(hass, entity_registry, "surveillance")[1]["brand"] == "Sentry Mode"
    assert shown(hass, entity_registry, "packages")[1]["packages"] == [
        "Performance",
        "Pilot",
        "Plus",
    ]
    every_attribute = repr(
        [state.attributes for state in hass.states.async_all()]
    ).lower()
    for forbidden in ("latitude", "longitude", "57.70887", "11.97456", "storgatan"):
        assert forbidden not in every_attribute


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_idle_charger(
    hass: HomeAssistant, smartcar: Simulator, entity_registry: er.EntityRegistry
) -> None:
    """Not charging: current, voltage and rate show 0; the last session's energy stays."""
    report(smartcar, XC90_ID, BODIES)
    for spec in (
        sig.AMPERAGE,
        sig.CHARGE_VOLTAGE,
        sig.CHARGE_RATE,
        sig.ENERGY_ADDED,
    ):
        smartcar.set_signal_error(XC90_ID, spec.code, "VEHICLE_STATE", "NOT_CHARGING")
    await load(hass, smartcar)
    assert {
        key: shown(hass, entity_registry, key)[0]
        for key in ("charging_current", "charging_voltage", "charge_rate")
    } == {"charging_current": "0", "charging_voltage": "0", "charge_rate": "0"}
    assert shown(hass, entity_registry, "energy_added")[0] == "12.4"


US_CAR: Final[dict[SignalSpec[Any], dict[str, Any]]] = {
    sig.EXTERNAL_TEMPERATURE: {"value": 50, "unit": "fahrenheit"},
    sig.INTERNAL_TEMPERATURE: {"value": 19, "unit": "celsius"},
    sig.CURRENT_SPEED: {"value": 30, "unit": "mph"},
    sig.CHARGE_RATE: {"value": 20, "unit": "mph"},
    sig.TIRES: {"unit": "psi", "values": [{"row": 0, "column": 0, "tirePressure": 36}]},
}


@pytest.mark.parametrize(
    ("unit_system", "expected"),
    [
        (
            "metric",
            {
                "outside_temperature": (10.0, "°C"),
                "cabin_temperature": (19.0, "°C"),
                "speed": (48.28, "km/h"),
                "charge_rate": (32.19, "km/h"),
                "tire_pressure_0_0": (248.21, "kPa"),
            },
        ),
        (
            "us_customary",
            {
                "outside_temperature": (50.0, "°F"),
                "cabin_temperature": (66.2, "°F"),
                "speed": (30.0, "mph"),
                "charge_rate": (20.0, "mph"),
                "tire_pressure_0_0": (36.0, "psi"),
            },
        ),
    ],
)
async def test_units_follow_home_assistant(
    hass: HomeAssistant,
    smartcar: Simulator,
    entity_registry: er.EntityRegistry,
    unit_system: str,
    expected: dict[str, tuple[float, str]],
) -> None:
    """A car in miles, °F, psi and mph: converted in a metric Home Assistant, native in a US one.

    The range added per hour converts as a speed does.
    """
    hass.config.units = get_unit_system(unit_system)
    report(smartcar, XC90_ID, US_CAR)
    await load(hass, smartcar)
    for key, (value, unit) in expected.items():
        state, attributes = shown(hass, entity_registry, key)
        assert float(state) == pytest.approx(value, abs=0.01), key
        assert attributes["unit_of_measurement"] == unit, key


# What an owner sees without enabling anything: the headline values, and the warning lamps.
SHOWN_BY_DEFAULT: Final = {
    "charge_rate",
    "energy_added",
    "charge_port",
    "outside_temperature",
    "cabin_temperature",
    "cabin_target_temperature",
    "cabin_climate",
    "front_trunk",
    "rear_trunk",
    "tailgate",
    "sunroof",
    "firmware_version",
    "online",
    "oil_life",
    "at_home",
    "speed",
    "low_voltage_battery",
    "surveillance",
    "gear",
    "trouble_codes",
    "system_abs",
    "system_airbag",
    "system_brake_fluid",
    "system_high_voltage_battery",
    "system_malfunction_indicator",
    "system_oil_pressure",
    "system_tire_pressure_warning",
    "system_washer_fluid",
    "tire_pressure_0_0",
    "tire_pressure_0_1",
    "tire_pressure_1_0",
    "tire_pressure_1_1",
}
# About the car rather than its use: filed under the device's diagnostics.
DIAGNOSTIC: Final = {
    "max_charging_current",
    "charger_phases",
    "charge_port_light",
    "fast_charger_type",
    "last_charging_session",
    "firmware_version",
    "asleep",
    "digital_key",
    "online",
    "trouble_codes",
    "low_voltage_battery",
    "low_voltage_battery_status",
    "in_service",
    "last_service",
    "max_range_charges",
    "nickname",
    "exterior_color",
    "packages",
    "trim",
    "account_permissions",
    "account_role",
    "wheel_style",
    *(key for key in EXPECTED if key.startswith("system_")),
}


async def test_defaults(
    hass: HomeAssistant, smartcar: Simulator, entity_registry: er.EntityRegistry
) -> None:
    """Headline entities show at once; niche ones wait to be enabled; diagnostics are filed so."""
    report(smartcar, XC90_ID, BODIES)
    await load(hass, smartcar)
    entries = {
        key: entity_registry.async_get(str(entity_id(entity_registry, key)))
        for key in EXPECTED
    }
    enabled = {key for key, entry in entries.items() if entry and not entry.disabled}
    diagnostic = {
        key
        for key, entry in entries.items()
        if entry and entry.entity_category is EntityCategory.DIAGNOSTIC
    }
    assert enabled == SHOWN_BY_DEFAULT
    assert diagnostic == DIAGNOSTIC
    for key in enabled:
        assert hass.states.get(str(entity_id(entity_registry, key))) is not None, key


async def test_a_tyre_no_longer_reported(
    hass: HomeAssistant, smartcar: Simulator, entity_registry: er.EntityRegistry
) -> None:
    """Each wheel follows its own reading; one the car stops reporting turns unavailable."""
    report(smartcar, XC90_ID, {sig.TIRES: BODIES[sig.TIRES]})
    entry = await load(hass, smartcar)
    smartcar.set_signal(
        XC90_ID,
        sig.TIRES.code,
        {"values": [{"row": 1, "column": 1, "tirePressure": 2.1}]},
    )
    await refresh(hass, entry, XC90_ID)
    assert shown(hass, entity_registry, "tire_pressure_1_1")[0] == "210.0"
    assert shown(hass, entity_registry, "tire_pressure_0_0")[0] == "unavailable"


def test_a_long_list_is_cut_to_a_state() -> None:
    """A list longer than a state (255 characters) is cut and marked; the attribute keeps it all."""
    names = [f"Package number {index}" for index in range(40)]
    signal = parse_signal({"code": sig.PACKAGES.code, "body": {"values": names}})
    assert signal is not None
    assert signal.body is not None
    state = joined(signal.body)
    assert len(state) == 255
    assert state.endswith("…")
    assert listed("packages")(signal.body) == {"packages": names}
