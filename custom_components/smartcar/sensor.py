"""Sensors: battery, range, charging, fuel, climate, tyres, diagnostics, and per-vehicle status.

Each description reads the typed body of its signal (`value_fn`); the unit the car reported
comes from the body too (`unit_fn`), so Home Assistant converts km/mi, °C/°F as needed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any, Final, override

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import (
    MAX_LENGTH_STATE_STATE as MAX_STATE,
    PERCENTAGE,
    EntityCategory,
    UnitOfElectricCurrent,
    UnitOfElectricPotential,
    UnitOfEnergy,
    UnitOfLength,
    UnitOfPower,
    UnitOfPressure,
    UnitOfSpeed,
    UnitOfTemperature,
    UnitOfVolume,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.typing import StateType
from homeassistant.util import dt as dt_util

from .api import FUELLED, SignalSpec, Unit, signals
from .api.contract import CHARGE_CONTROL_PERMISSION
from .budget import month_start, next_month_start
from .calendar import shown_schedules, takes_schedules
from .coordinator import SmartcarConfigEntry, SmartcarVehicleCoordinator
from .energy import ENERGY_CHARGED
from .entity import (
    Reading,
    SmartcarEntity,
    SmartcarEntityDescription,
    SmartcarPositionEntity,
    SmartcarVehicleEntity,
    async_setup_vehicle_entities,
    charging_contradicts,
    charging_idle,
)

PARALLEL_UPDATES = 0

# Charge.ChargingConnectorType is an open string (documented `J1772`, Volvo `TYPE_2`); the
# charge limits' CHARGING_TYPE speaks of `AC`/`DC`. Anything else shows as unknown.
CONNECTOR_OPTIONS = [
    "j1772",
    "type_1",
    "type_2",
    "ccs",
    "ccs1",
    "ccs2",
    "chademo",
    "nacs",
    "gb_t",
    "ac",
    "dc",
]
# Smartcar publishes no list of canonical modes (`NORMAL` is its example); the carmaker's own
# name is an attribute whatever the mode.
DRIVE_MODE_OPTIONS = [
    "normal",
    "comfort",
    "eco",
    "sport",
    "individual",
    "off_road",
    "snow",
    "range",
]


@dataclass(frozen=True, kw_only=True)
class SmartcarSensorDescription[B](
    SmartcarEntityDescription[B], SensorEntityDescription
):
    """A sensor fed by one signal whose body is a `B`."""

    value_fn: Callable[[B], StateType | datetime] | None = None
    # The unit the body carries (a Quantity's), shown instead of the native unit it replaces.
    unit_fn: Callable[[B], Unit | None] | None = None
    # The state while the car reports an idle charger (NOT_CHARGING, ...) instead of a value;
    # `keeps_value_when_idle` shows the value sent along instead (the last session's energy).
    idle_value: StateType = None
    keeps_value_when_idle: bool = False
    # Minutes from the reading (TimeToComplete), shown as the time they end, while current.
    minutes_fn: Callable[[B], float] | None = None
    # Powertrains whose battery on the device page this is (device class battery): FUELLED.
    battery_for: frozenset[str] = frozenset()


@dataclass(frozen=True, kw_only=True)
class SmartcarVehicleSensorDescription(SensorEntityDescription):
    """A sensor of a vehicle fed by the coordinator, not by one signal (a diagnostic)."""

    entity_category: EntityCategory | None = EntityCategory.DIAGNOSTIC
    value_fn: Callable[[SmartcarVehicleCoordinator], StateType | datetime]


def text(body: signals.TextValue) -> str:
    """Return an open string as the car sent it."""
    return body.value


def joined(body: signals.TextList) -> str:
    """Return a list of strings as one text (cut to what a state holds)."""
    value = ", ".join(body.values)
    return value if len(value) <= MAX_STATE else f"{value[: MAX_STATE - 1]}…"


def listed(name: str) -> Callable[[signals.TextList], Mapping[str, Any]]:
    """Return the attributes function that lists a list's strings under `name`."""
    return lambda body: {name: list(body.values)}


def _option(value: str, options: list[str]) -> str | None:
    """Turn an enum value as Smartcar sends it (`NOT_CHARGING`, `Type 2`) into an option."""
    key = value.strip().lower().replace("-", "_").replace(" ", "_")
    return key if key in options else None


def charge_limit_attributes(body: signals.ChargeLimits) -> Mapping[str, Any]:
    """Every configured limit (locations by name only: no coordinates in attributes)."""
    limits = []
    for limit in body.limits:
        condition = limit.condition
        named = {
            "location": condition and condition.name,
            "charging_type": condition and condition.charging_type,
        }
        named = {key: value for key, value in named.items() if value}
        limits.append({"type": limit.type.lower(), "limit": limit.limit, **named})
    return {"limits": limits}


def schedule_timers(body: signals.ChargeTimers) -> Mapping[str, Any]:
    """List every location-based charge schedule as the list action does (no coordinates)."""
    return {"schedules": shown_schedules(body, coordinates=False)}


def session_details(session: signals.ChargeSession) -> Mapping[str, Any]:
    """Describe a charging session: energy, states of charge, cost, where (by name only)."""
    return {
        "started": session.start.isoformat() if session.start else None,
        "ended": session.end.isoformat() if session.end else None,
        "energy_added": session.energy_added,
        "start_state_of_charge": session.start_state_of_charge,
        "end_state_of_charge": session.end_state_of_charge,
        "charging_type": session.charging_type,
        "public_charger": session.public_charger,
        "location": session.location_name,
        "energy_cost": session.energy_cost,
        "other_cost": session.other_cost,
        "currency": session.currency,
    }


def visit_details(visit: signals.ServiceVisit) -> Mapping[str, Any]:
    """Describe a service visit: tasks, details, mileage and cost."""
    return {
        "tasks": list(visit.tasks),
        "details": list(visit.details),
        "odometer": visit.odometer,
        "cost": visit.cost,
        "currency": visit.currency,
    }


def measured(
    key: str,
    spec: SignalSpec[signals.Quantity],
    unit: str | None,
    device_class: SensorDeviceClass | None = None,
    precision: int | None = 0,
    **fields: Any,
) -> SmartcarSensorDescription[signals.Quantity]:
    """Describe a measurement (a Quantity) in the unit the car reports, else in `unit`."""
    return SmartcarSensorDescription(
        **{"translation_key": key, "state_class": SensorStateClass.MEASUREMENT}
        | fields,
        key=key,
        signal=spec,
        native_unit_of_measurement=unit,
        device_class=device_class,
        suggested_display_precision=precision,
        value_fn=lambda body: body.value,
        unit_fn=lambda body: body.unit,
    )


def diagnostic_sensor[B](
    key: str,
    spec: SignalSpec[B],
    value_fn: Callable[[B], StateType | datetime],
    attributes_fn: Callable[[B], Mapping[str, Any]] | None = None,
    *,
    shown: bool = False,
    **fields: Any,
) -> SmartcarSensorDescription[B]:
    """Describe a diagnostic (a count, what the carmaker says of the car), off unless `shown`."""
    attributes = Reading(spec, attributes_fn) if attributes_fn else None
    return SmartcarSensorDescription(
        **{"attributes": attributes} | fields,
        key=key,
        translation_key=key,
        signal=spec,
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=shown,
        value_fn=value_fn,
    )


def enumerated(
    key: str,
    spec: SignalSpec[signals.TextValue],
    options: list[str],
    *,
    diagnostic: bool = False,
) -> SmartcarSensorDescription[signals.TextValue]:
    """Describe an enum: one of `options` (lower case), else unknown; a `diagnostic` is off."""
    return SmartcarSensorDescription(
        key=key,
        translation_key=key,
        signal=spec,
        device_class=SensorDeviceClass.ENUM,
        options=options,
        entity_category=EntityCategory.DIAGNOSTIC if diagnostic else None,
        entity_registry_enabled_default=not diagnostic,
        value_fn=lambda body: _option(body.value, options),
    )


def current(
    key: str,
    spec: SignalSpec[signals.Quantity],
    *,
    diagnostic: bool = False,
    **fields: Any,
) -> SmartcarSensorDescription[signals.Quantity]:
    """Describe a charging current in amperes, off by default (0 A while the charger is idle)."""
    return measured(
        key,
        spec,
        UnitOfElectricCurrent.AMPERE,
        SensorDeviceClass.CURRENT,
        entity_category=EntityCategory.DIAGNOSTIC if diagnostic else None,
        entity_registry_enabled_default=False,
        idle_value=0,
        **fields,
    )


def counted(
    key: str,
    spec: SignalSpec[signals.Quantity],
    state_class: SensorStateClass,
    **fields: Any,
) -> SmartcarSensorDescription[signals.Quantity]:
    """Describe a count (a Quantity) as a whole number, a diagnostic."""
    return diagnostic_sensor(
        key, spec, lambda body: round(body.value), state_class=state_class, **fields
    )


# A battery's state of charge in percent.
battery = partial(measured, unit=PERCENTAGE, device_class=SensorDeviceClass.BATTERY)
# A distance (km or mi as the car reports; Home Assistant converts).
distance = partial(
    measured, unit=UnitOfLength.KILOMETERS, device_class=SensorDeviceClass.DISTANCE
)
# A speed (km/h or mph as the car reports; Home Assistant converts).
speed = partial(
    measured, unit=UnitOfSpeed.KILOMETERS_PER_HOUR, device_class=SensorDeviceClass.SPEED
)
# A temperature (°C or °F as the car reports; Home Assistant converts).
temperature = partial(
    measured,
    unit=UnitOfTemperature.CELSIUS,
    device_class=SensorDeviceClass.TEMPERATURE,
    precision=1,
)


def last_record[R: signals.DatedRecord](
    key: str,
    spec: SignalSpec[signals.Records],
    latest: Callable[[signals.Records], R | None],
    details: Callable[[R], Mapping[str, Any]],
    count_name: str,
) -> SmartcarSensorDescription[signals.Records]:
    """Describe when the latest record took place; its details and how many, as attributes."""

    def attributes(body: signals.Records) -> Mapping[str, Any]:
        if (record := latest(body)) is None:
            return {}
        values = {**details(record), count_name: len(body.items)}
        return {key: value for key, value in values.items() if value not in (None, [])}

    return diagnostic_sensor(
        key,
        spec,
        lambda body: record.at if (record := latest(body)) else None,
        attributes,
        device_class=SensorDeviceClass.TIMESTAMP,
    )


SENSORS: Final[tuple[SmartcarSensorDescription[Any], ...]] = (
    # --- The Volvo signals (unchanged: unique ids, names and snapshots depend on them) ---
    battery("state_of_charge", signals.STATE_OF_CHARGE, translation_key=None),
    distance("electric_range", signals.BATTERY_RANGE),
    diagnostic_sensor(
        "nominal_capacity",
        signals.NOMINAL_CAPACITY,
        lambda body: body.capacity,
        device_class=SensorDeviceClass.ENERGY_STORAGE,
        native_unit_of_measurement=UnitOfEnergy.KILO_WATT_HOUR,
        suggested_display_precision=0,
    ),
    enumerated(
        "charging_status",
        signals.DETAILED_CHARGING_STATUS,
        ["charging", "not_charging", "fully_charged"],
    ),
    enumerated(
        "charging_connector_type",
        signals.CHARGING_CONNECTOR_TYPE,
        CONNECTOR_OPTIONS,
        diagnostic=True,
    ),
    SmartcarSensorDescription(
        key="charge_limit",
        translation_key="charge_limit",
        signal=signals.CHARGE_LIMITS,
        native_unit_of_measurement=PERCENTAGE,
        suggested_display_precision=0,
        # The limit in force, else the global limit.
        value_fn=lambda body: (
            body.active_limit if body.active_limit is not None else body.global_limit
        ),
        attributes=Reading(signals.CHARGE_LIMITS, charge_limit_attributes),
        shown_without=CHARGE_CONTROL_PERMISSION,  # the number, where the car takes commands
    ),
    SmartcarSensorDescription(
        key="charging_end",
        translation_key="charging_end",
        signal=signals.TIME_TO_COMPLETE,
        device_class=SensorDeviceClass.TIMESTAMP,
        minutes_fn=lambda body: body.value,
        follows_charging=True,
    ),
    measured(
        "charging_power",
        signals.CHARGE_WATTAGE,
        UnitOfPower.WATT,
        SensorDeviceClass.POWER,
        # 7.4 kW and 3.7 kW are common AC rates: one decimal, not 11.00.
        1,
        suggested_unit_of_measurement=UnitOfPower.KILO_WATT,
        idle_value=0,
        follows_charging=True,
    ),
    measured("fuel_level", signals.FUEL_LEVEL, PERCENTAGE, battery_for=FUELLED),
    measured(
        "fuel_remaining",
        signals.FUEL_AMOUNT_REMAINING,
        UnitOfVolume.LITERS,
        SensorDeviceClass.VOLUME_STORAGE,
        1,
    ),
    distance("fuel_range", signals.FUEL_RANGE),
    distance(
        "odometer",
        signals.TRAVELED_DISTANCE,
        state_class=SensorStateClass.TOTAL_INCREASING,
    ),
    SmartcarSensorDescription(
        key="charge_schedules",
        translation_key="charge_schedules",
        signal=signals.CHARGE_TIMERS,
        # A count of settings, not a measurement: no statistics.
        value_fn=lambda body: len(body.location_timers),
        attributes=Reading(signals.CHARGE_TIMERS, schedule_timers),
        vehicle_fn=takes_schedules,
    ),
    # --- Charging --------------------------------------------------------------------------
    current("charging_current", signals.AMPERAGE, follows_charging=True),
    current("max_charging_current", signals.AMPERAGE_MAX, diagnostic=True),
    current("requested_charging_current", signals.AMPERAGE_REQUESTED),
    measured(
        "charging_voltage",
        signals.CHARGE_VOLTAGE,
        UnitOfElectricPotential.VOLT,
        SensorDeviceClass.VOLTAGE,
        entity_registry_enabled_default=False,
        idle_value=0,
        follows_charging=True,
    ),
    # Range added per hour: of the speed class so that the unit system converts it (as core's
    # Tesla does), named "Range added per hour" so that it does not read as one.
    speed("charge_rate", signals.CHARGE_RATE, idle_value=0, follows_charging=True),
    measured(
        "energy_added",
        signals.ENERGY_ADDED,
        UnitOfEnergy.KILO_WATT_HOUR,
        SensorDeviceClass.ENERGY,
        1,
        # The current (or last) session's energy: it starts again from 0, which
        # total_increasing reads as a new cycle.
        state_class=SensorStateClass.TOTAL_INCREASING,
        keeps_value_when_idle=True,
    ),
    counted("charger_phases", signals.CHARGER_PHASES, SensorStateClass.MEASUREMENT),
    enumerated(
        "charge_port_light",
        signals.CHARGE_PORT_STATUS_COLOR,
        # Documented GREEN, BLUE, ORANGE "etc." (live "green"); others show as unknown.
        ["green", "blue", "orange", "yellow", "red", "white"],
        diagnostic=True,
    ),
    diagnostic_sensor("fast_charger_type", signals.FAST_CHARGER_TYPE, text),
    last_record(
        "last_charging_session",
        signals.CHARGE_RECORDS,
        signals.last_charge_session,
        session_details,
        "sessions",
    ),
    # --- Battery, engine, climate, driving --------------------------------------------------
    # Not of device class battery: the car's battery is the traction one (or the fuel gauge).
    measured(
        "low_voltage_battery",
        signals.LOW_VOLTAGE_STATE_OF_CHARGE,
        PERCENTAGE,
        entity_category=EntityCategory.DIAGNOSTIC,
    ),
    enumerated(
        "low_voltage_battery_status",
        signals.LOW_VOLTAGE_STATUS,
        ["good", "warn", "bad"],
        diagnostic=True,
    ),
    counted(
        "max_range_charges",
        signals.MAX_RANGE_CHARGE_COUNTER,
        SensorStateClass.TOTAL_INCREASING,
    ),
    measured("oil_life", signals.OIL_LIFE, PERCENTAGE),
    temperature("outside_temperature", signals.EXTERNAL_TEMPERATURE),
    temperature("cabin_temperature", signals.INTERNAL_TEMPERATURE),
    temperature("cabin_target_temperature", signals.CABIN_TARGET_TEMPERATURE),
    speed("speed", signals.CURRENT_SPEED, translation_key=None),
    enumerated("gear", signals.GEAR_STATE, ["park", "reverse", "neutral", "drive"]),
    SmartcarSensorDescription(
        key="drive_mode",
        translation_key="drive_mode",
        signal=signals.DRIVE_MODE,
        device_class=SensorDeviceClass.ENUM,
        options=DRIVE_MODE_OPTIONS,
        entity_registry_enabled_default=False,
        value_fn=lambda body: _option(body.canonical, DRIVE_MODE_OPTIONS),
        # The carmaker's own name of the drive mode (kept whatever the canonical mode).
        attributes=Reading(
            signals.DRIVE_MODE,
            lambda body: (
                {"oem_name": body.oem_display_name} if body.oem_display_name else {}
            ),
        ),
    ),
    # --- Diagnostics and service -----------------------------------------------------------
    counted(
        "trouble_codes",
        signals.DTC_COUNT,
        SensorStateClass.MEASUREMENT,
        shown=True,
        # The DTC list stands in for the count (its length) and lists the codes (`P0300`).
        fallback=Reading(signals.DTC_LIST, lambda body: len(body.codes)),
        attributes=Reading(
            signals.DTC_LIST, lambda body: {"codes": [c.code for c in body.codes]}
        ),
    ),
    last_record(
        "last_service",
        signals.SERVICE_RECORDS,
        signals.last_service_visit,
        visit_details,
        "services",
    ),
    diagnostic_sensor("firmware_version", signals.FIRMWARE_VERSION, text, shown=True),
    # --- What the carmaker says about the car and the account ------------------------------
    diagnostic_sensor("nickname", signals.NICKNAME, text),
    diagnostic_sensor("trim", signals.TRIM, text),
    diagnostic_sensor("exterior_color", signals.EXTERIOR_COLOR, text),
    diagnostic_sensor("wheel_style", signals.WHEEL_STYLE, text),
    diagnostic_sensor("packages", signals.PACKAGES, joined, listed("packages")),
    diagnostic_sensor("account_role", signals.ACCOUNT_ROLE, text),
    diagnostic_sensor(
        "account_permissions",
        signals.ACCOUNT_PERMISSIONS,
        joined,
        listed("permissions"),
    ),
)

# One pressure sensor per wheel the car reports (kPa, whatever Smartcar labelled).
TIRES: Final = SmartcarSensorDescription(
    key="tire_pressure",
    signal=signals.TIRES,
    device_class=SensorDeviceClass.PRESSURE,
    native_unit_of_measurement=UnitOfPressure.KPA,
    state_class=SensorStateClass.MEASUREMENT,
    # Whole kPa; Home Assistant adds the decimals bar needs when the owner picks it.
    suggested_display_precision=0,
    position_prefix="tire_pressure",
)

API_REQUESTS: Final = SmartcarVehicleSensorDescription(
    key="api_requests",
    translation_key="api_requests",
    # Resets at each calendar month's start (last_reset), as Smartcar's plan allowance does.
    state_class=SensorStateClass.TOTAL,
    value_fn=lambda coordinator: coordinator.budget.state(coordinator.vehicle_id).used,
)
# When the newest of the vehicle's values was measured (or read by Smartcar): how fresh what
# the car shows is. It changes only when a read or a delivery brings newer data.
LAST_DATA: Final = SmartcarVehicleSensorDescription(
    key="last_data",
    translation_key="last_data",
    device_class=SensorDeviceClass.TIMESTAMP,
    value_fn=lambda coordinator: (
        coordinator.data.latest_update() if coordinator.data else None
    ),
)
LAST_WEBHOOK: Final = SmartcarVehicleSensorDescription(
    key="last_webhook",
    translation_key="last_webhook",
    device_class=SensorDeviceClass.TIMESTAMP,
    value_fn=lambda coordinator: coordinator.last_delivery,
)
VEHICLE_SENSORS: Final = (API_REQUESTS, LAST_DATA, LAST_WEBHOOK)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: SmartcarConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add each vehicle's status sensors, and sensors for the signals it reports."""
    await async_setup_vehicle_entities(
        hass,
        entry,
        async_add_entities,
        descriptions=SENSORS,
        factory=SmartcarSensor,
        per_vehicle=lambda coordinator: [
            SmartcarRequestsSensor(coordinator, API_REQUESTS),
            *(SmartcarVehicleSensor(coordinator, d) for d in (LAST_DATA, LAST_WEBHOOK)),
        ],
    )
    await async_setup_vehicle_entities(
        hass,
        entry,
        async_add_entities,
        descriptions=(TIRES, ENERGY_CHARGED),
        per_position=SmartcarTireSensor,
    )


class SmartcarVehicleSensor(SmartcarVehicleEntity, SensorEntity):
    """A sensor about the vehicle's connection to Smartcar, known also while Smartcar fails."""

    entity_description: SmartcarVehicleSensorDescription

    @property
    @override
    def available(self) -> bool:
        """Always known, also while Smartcar is unreachable."""
        return True

    @override
    def _update_state(self) -> None:
        """Read what the description reads from the vehicle's coordinator."""
        self._attr_native_value = self.entity_description.value_fn(self.coordinator)


class SmartcarRequestsSensor(SmartcarVehicleSensor):
    """Requests spent on the vehicle this calendar month, against the plan's budget.

    `last_reset` is the start of this calendar month, when the count started from zero; the
    attributes give the budget, the reserve kept for commands, and whether polling is paused.
    """

    @override
    def _update_state(self) -> None:
        """Set the count, the month's start, the budget."""
        super()._update_state()
        now = dt_util.utcnow()
        self._attr_last_reset = month_start(now)
        state = self.coordinator.budget.state(self.coordinator.vehicle_id)
        self._attr_extra_state_attributes = {
            "budget": state.budget,
            "reserve": state.reserve,
            "polling_paused": not state.polling_allowed,
            "resets_on": next_month_start(now).date().isoformat(),
        }

    @override
    async def async_added_to_hass(self) -> None:
        """Follow the budget's count, which changes on every request."""
        await super().async_added_to_hass()
        budget, vehicle_id = self.coordinator.budget, self.coordinator.vehicle_id
        self.async_on_remove(
            budget.async_listen(vehicle_id, self._handle_coordinator_update)
        )


class SmartcarSensor[B](SmartcarEntity[B], SensorEntity):
    """A sensor showing one signal."""

    entity_description: SmartcarSensorDescription[B]

    @override
    def _update_state(self) -> None:
        """Show the body's value (the idle value while the charger is idle) in the car's unit."""
        super()._update_state()
        description, signal, shown = self.entity_description, self.signal, self.shown
        info = self.coordinator.connection.vehicle
        # The fuel gauge of a car without a traction battery is its battery (device class).
        if info.powertrain_type in description.battery_for:
            self._attr_device_class = SensorDeviceClass.BATTERY
        fallback = description.fallback if shown is not signal else None
        read = fallback.read if fallback else description.value_fn
        value: StateType | datetime = None
        if shown and charging_idle(shown) and not description.keeps_value_when_idle:
            value = description.idle_value
        elif shown and shown.body is not None and read:
            value = read(shown.body)
        if (minutes := description.minutes_fn) and signal and signal.ok and signal.body:
            at = signal.measured_at
            value = at + timedelta(minutes=minutes(signal.body)) if at else None
        data = self.coordinator.data
        if (
            description.follows_charging
            and (charging := charging_contradicts(data, signal)) is not None
        ):  # a newer IsCharging: unknown until read, or idle
            value = None if charging else description.idle_value
        self._attr_native_value = value
        unit, body = description.native_unit_of_measurement, signal and signal.body
        # Smartcar's units are spelled as Home Assistant's, each within the family of the
        # native unit (its catalogue entry allows no other): `UnitOfLength("mi")`.
        reported = description.unit_fn(body) if description.unit_fn and body else None
        if unit is not None and reported not in (None, Unit.COUNT):
            unit = type(unit)(reported)
        self._attr_native_unit_of_measurement = unit


class SmartcarTireSensor(SmartcarPositionEntity[signals.TirePressure], SensorEntity):
    """The pressure of one tyre, by its row and column (kPa; Home Assistant converts)."""

    entity_description: SmartcarSensorDescription[Any]

    @override
    def _update_state(self) -> None:
        """Show the tyre's pressure in kPa."""
        super()._update_state()
        self._attr_native_value = self.item.pressure_kpa if self.item else None
