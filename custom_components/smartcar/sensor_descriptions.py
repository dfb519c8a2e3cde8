"""What each sensor shows: one description per signal, per-vehicle sensors, the tyres."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import (
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
from homeassistant.helpers.typing import StateType

from .api import Signal, SignalSpec, signals
from .api.records import last_charge_session, last_service_visit
from .coordinator import SmartcarVehicleCoordinator
from .entity import SmartcarEntityDescription
from .sensor_values import (
    active_charge_limit,
    charge_limit_attributes,
    charging_end,
    count,
    drive_mode_attributes,
    enum,
    joined,
    listed,
    nominal_capacity,
    quantity,
    record_attributes,
    record_time,
    schedule_count,
    schedule_timers,
    session_details,
    text,
    trouble_codes,
    visit_details,
)

CHARGING_STATUS_OPTIONS = ["charging", "not_charging", "fully_charged"]
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
# Documented GREEN, BLUE, ORANGE "etc." (live "green"); other colours show as unknown.
PORT_LIGHT_OPTIONS = ["green", "blue", "orange", "yellow", "red", "white"]
GEAR_OPTIONS = ["park", "reverse", "neutral", "drive"]
LOW_VOLTAGE_STATUS_OPTIONS = ["good", "warn", "bad"]
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
class SmartcarSensorDescription(SmartcarEntityDescription, SensorEntityDescription):
    """A sensor fed by one signal."""

    value_fn: Callable[[Signal], StateType | datetime] = quantity
    # The state while the car reports an idle charger (NOT_CHARGING, ...) instead of a value;
    # `keeps_value_when_idle` shows the value sent along instead (the last session's energy).
    idle_value: StateType = None
    keeps_value_when_idle: bool = False


@dataclass(frozen=True, kw_only=True)
class SmartcarTireDescription(SmartcarEntityDescription, SensorEntityDescription):
    """One pressure sensor per wheel the car reports (kPa, whatever Smartcar labelled)."""


@dataclass(frozen=True, kw_only=True)
class SmartcarVehicleSensorDescription(SensorEntityDescription):
    """A sensor of a vehicle fed by the coordinator, not by one signal."""

    value_fn: Callable[[SmartcarVehicleCoordinator], StateType | datetime]


def _vehicle_info(
    key: str,
    spec: SignalSpec[Any],
    value_fn: Callable[[Signal], StateType] = text,
    attributes_fn: Callable[[Signal], Mapping[str, Any]] | None = None,
) -> SmartcarSensorDescription:
    """Describe a diagnostic sensor, off by default, for what the carmaker says about the car."""
    return SmartcarSensorDescription(
        key=key,
        translation_key=key,
        signal=spec,
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        value_fn=value_fn,
        attributes_fn=attributes_fn,
    )


def _current(
    key: str, spec: SignalSpec[Any], *, diagnostic: bool = False
) -> SmartcarSensorDescription:
    """Describe a charging current in amperes, off by default (0 A while the charger is idle)."""
    return SmartcarSensorDescription(
        key=key,
        translation_key=key,
        signal=spec,
        device_class=SensorDeviceClass.CURRENT,
        native_unit_of_measurement=UnitOfElectricCurrent.AMPERE,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=0,
        entity_category=EntityCategory.DIAGNOSTIC if diagnostic else None,
        entity_registry_enabled_default=False,
        idle_value=0,
    )


def _temperature(key: str, spec: SignalSpec[Any]) -> SmartcarSensorDescription:
    """Describe a temperature (°C or °F as the car reports; Home Assistant converts)."""
    return SmartcarSensorDescription(
        key=key,
        translation_key=key,
        signal=spec,
        device_class=SensorDeviceClass.TEMPERATURE,
        native_unit_of_measurement=UnitOfTemperature.CELSIUS,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=1,
    )


SENSORS: Final[tuple[SmartcarSensorDescription, ...]] = (
    # --- The Volvo signals (unchanged: unique ids, names and snapshots depend on them) ---
    SmartcarSensorDescription(
        key="state_of_charge",
        signal=signals.STATE_OF_CHARGE,
        device_class=SensorDeviceClass.BATTERY,
        native_unit_of_measurement=PERCENTAGE,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=0,
    ),
    SmartcarSensorDescription(
        key="electric_range",
        translation_key="electric_range",
        signal=signals.BATTERY_RANGE,
        device_class=SensorDeviceClass.DISTANCE,
        native_unit_of_measurement=UnitOfLength.KILOMETERS,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=0,
    ),
    SmartcarSensorDescription(
        key="nominal_capacity",
        translation_key="nominal_capacity",
        signal=signals.NOMINAL_CAPACITY,
        device_class=SensorDeviceClass.ENERGY_STORAGE,
        native_unit_of_measurement=UnitOfEnergy.KILO_WATT_HOUR,
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        suggested_display_precision=0,
        value_fn=nominal_capacity,
    ),
    SmartcarSensorDescription(
        key="charging_status",
        translation_key="charging_status",
        signal=signals.DETAILED_CHARGING_STATUS,
        device_class=SensorDeviceClass.ENUM,
        options=CHARGING_STATUS_OPTIONS,
        value_fn=enum(CHARGING_STATUS_OPTIONS),
    ),
    SmartcarSensorDescription(
        key="charging_connector_type",
        translation_key="charging_connector_type",
        signal=signals.CHARGING_CONNECTOR_TYPE,
        device_class=SensorDeviceClass.ENUM,
        options=CONNECTOR_OPTIONS,
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        value_fn=enum(CONNECTOR_OPTIONS),
    ),
    SmartcarSensorDescription(
        key="charge_limit",
        translation_key="charge_limit",
        signal=signals.CHARGE_LIMITS,
        native_unit_of_measurement=PERCENTAGE,
        suggested_display_precision=0,
        value_fn=active_charge_limit,
        attributes_fn=charge_limit_attributes,
    ),
    SmartcarSensorDescription(
        key="charging_end",
        translation_key="charging_end",
        signal=signals.TIME_TO_COMPLETE,
        device_class=SensorDeviceClass.TIMESTAMP,
        value_fn=charging_end,
    ),
    SmartcarSensorDescription(
        key="charging_power",
        translation_key="charging_power",
        signal=signals.CHARGE_WATTAGE,
        device_class=SensorDeviceClass.POWER,
        native_unit_of_measurement=UnitOfPower.WATT,
        suggested_unit_of_measurement=UnitOfPower.KILO_WATT,
        # 7.4 kW and 3.7 kW are common AC rates: one decimal, not 11.00.
        suggested_display_precision=1,
        state_class=SensorStateClass.MEASUREMENT,
        idle_value=0,
    ),
    SmartcarSensorDescription(
        key="fuel_level",
        translation_key="fuel_level",
        signal=signals.FUEL_LEVEL,
        native_unit_of_measurement=PERCENTAGE,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=0,
    ),
    SmartcarSensorDescription(
        key="fuel_remaining",
        translation_key="fuel_remaining",
        signal=signals.FUEL_AMOUNT_REMAINING,
        device_class=SensorDeviceClass.VOLUME_STORAGE,
        native_unit_of_measurement=UnitOfVolume.LITERS,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=1,
    ),
    SmartcarSensorDescription(
        key="fuel_range",
        translation_key="fuel_range",
        signal=signals.FUEL_RANGE,
        device_class=SensorDeviceClass.DISTANCE,
        native_unit_of_measurement=UnitOfLength.KILOMETERS,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=0,
    ),
    SmartcarSensorDescription(
        key="odometer",
        translation_key="odometer",
        signal=signals.TRAVELED_DISTANCE,
        device_class=SensorDeviceClass.DISTANCE,
        native_unit_of_measurement=UnitOfLength.KILOMETERS,
        state_class=SensorStateClass.TOTAL_INCREASING,
        suggested_display_precision=0,
    ),
    SmartcarSensorDescription(
        key="charge_schedules",
        translation_key="charge_schedules",
        signal=signals.CHARGE_TIMERS,
        # A count of settings, not a measurement: no statistics.
        value_fn=schedule_count,
        attributes_fn=lambda signal: {"schedules": schedule_timers(signal)},
    ),
    # --- Charging --------------------------------------------------------------------------
    _current("charging_current", signals.AMPERAGE),
    _current("max_charging_current", signals.AMPERAGE_MAX, diagnostic=True),
    _current("requested_charging_current", signals.AMPERAGE_REQUESTED),
    SmartcarSensorDescription(
        key="charging_voltage",
        translation_key="charging_voltage",
        signal=signals.CHARGE_VOLTAGE,
        device_class=SensorDeviceClass.VOLTAGE,
        native_unit_of_measurement=UnitOfElectricPotential.VOLT,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=0,
        entity_registry_enabled_default=False,
        idle_value=0,
    ),
    SmartcarSensorDescription(
        key="charge_rate",
        translation_key="charge_rate",
        signal=signals.CHARGE_RATE,
        # Range gained per hour: km/h or mph as the car reports, but no speed.
        native_unit_of_measurement=UnitOfSpeed.KILOMETERS_PER_HOUR,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=0,
        idle_value=0,
    ),
    SmartcarSensorDescription(
        key="energy_added",
        translation_key="energy_added",
        signal=signals.ENERGY_ADDED,
        device_class=SensorDeviceClass.ENERGY,
        native_unit_of_measurement=UnitOfEnergy.KILO_WATT_HOUR,
        # The current (or last) session's energy: it starts again from 0, which
        # total_increasing reads as a new cycle.
        state_class=SensorStateClass.TOTAL_INCREASING,
        suggested_display_precision=1,
        keeps_value_when_idle=True,
    ),
    SmartcarSensorDescription(
        key="charger_phases",
        translation_key="charger_phases",
        signal=signals.CHARGER_PHASES,
        state_class=SensorStateClass.MEASUREMENT,
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        value_fn=count,
    ),
    SmartcarSensorDescription(
        key="charge_port_light",
        translation_key="charge_port_light",
        signal=signals.CHARGE_PORT_STATUS_COLOR,
        device_class=SensorDeviceClass.ENUM,
        options=PORT_LIGHT_OPTIONS,
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        value_fn=enum(PORT_LIGHT_OPTIONS),
    ),
    _vehicle_info("fast_charger_type", signals.FAST_CHARGER_TYPE),
    SmartcarSensorDescription(
        key="last_charging_session",
        translation_key="last_charging_session",
        signal=signals.CHARGE_RECORDS,
        device_class=SensorDeviceClass.TIMESTAMP,
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        value_fn=record_time(last_charge_session),
        attributes_fn=record_attributes(
            last_charge_session, session_details, "sessions"
        ),
    ),
    # --- Battery, engine, climate, driving --------------------------------------------------
    SmartcarSensorDescription(
        key="low_voltage_battery",
        translation_key="low_voltage_battery",
        signal=signals.LOW_VOLTAGE_STATE_OF_CHARGE,
        device_class=SensorDeviceClass.BATTERY,
        native_unit_of_measurement=PERCENTAGE,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=0,
        entity_category=EntityCategory.DIAGNOSTIC,
    ),
    SmartcarSensorDescription(
        key="low_voltage_battery_status",
        translation_key="low_voltage_battery_status",
        signal=signals.LOW_VOLTAGE_STATUS,
        device_class=SensorDeviceClass.ENUM,
        options=LOW_VOLTAGE_STATUS_OPTIONS,
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        value_fn=enum(LOW_VOLTAGE_STATUS_OPTIONS),
    ),
    SmartcarSensorDescription(
        key="max_range_charges",
        translation_key="max_range_charges",
        signal=signals.MAX_RANGE_CHARGE_COUNTER,
        state_class=SensorStateClass.TOTAL_INCREASING,
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        value_fn=count,
    ),
    SmartcarSensorDescription(
        key="oil_life",
        translation_key="oil_life",
        signal=signals.OIL_LIFE,
        native_unit_of_measurement=PERCENTAGE,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=0,
    ),
    _temperature("outside_temperature", signals.EXTERNAL_TEMPERATURE),
    _temperature("cabin_temperature", signals.INTERNAL_TEMPERATURE),
    _temperature("cabin_target_temperature", signals.CABIN_TARGET_TEMPERATURE),
    SmartcarSensorDescription(
        key="speed",
        signal=signals.CURRENT_SPEED,
        device_class=SensorDeviceClass.SPEED,
        native_unit_of_measurement=UnitOfSpeed.KILOMETERS_PER_HOUR,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=0,
    ),
    SmartcarSensorDescription(
        key="gear",
        translation_key="gear",
        signal=signals.GEAR_STATE,
        device_class=SensorDeviceClass.ENUM,
        options=GEAR_OPTIONS,
        value_fn=enum(GEAR_OPTIONS),
    ),
    SmartcarSensorDescription(
        key="drive_mode",
        translation_key="drive_mode",
        signal=signals.DRIVE_MODE,
        device_class=SensorDeviceClass.ENUM,
        options=DRIVE_MODE_OPTIONS,
        entity_registry_enabled_default=False,
        value_fn=enum(DRIVE_MODE_OPTIONS),
        attributes_fn=drive_mode_attributes,
    ),
    # --- Diagnostics and service -----------------------------------------------------------
    SmartcarSensorDescription(
        key="trouble_codes",
        translation_key="trouble_codes",
        signal=signals.DTC_COUNT,
        fallback_signal=signals.DTC_LIST,
        attributes_signal=signals.DTC_LIST,
        state_class=SensorStateClass.MEASUREMENT,
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=count,
        attributes_fn=trouble_codes,
    ),
    SmartcarSensorDescription(
        key="last_service",
        translation_key="last_service",
        signal=signals.SERVICE_RECORDS,
        device_class=SensorDeviceClass.TIMESTAMP,
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        value_fn=record_time(last_service_visit),
        attributes_fn=record_attributes(last_service_visit, visit_details, "services"),
    ),
    SmartcarSensorDescription(
        key="firmware_version",
        translation_key="firmware_version",
        signal=signals.FIRMWARE_VERSION,
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=text,
    ),
    # --- What the carmaker says about the car and the account ------------------------------
    _vehicle_info("nickname", signals.NICKNAME),
    _vehicle_info("trim", signals.TRIM),
    _vehicle_info("exterior_color", signals.EXTERIOR_COLOR),
    _vehicle_info("wheel_style", signals.WHEEL_STYLE),
    _vehicle_info("packages", signals.PACKAGES, joined, listed("packages")),
    _vehicle_info("account_role", signals.ACCOUNT_ROLE),
    _vehicle_info(
        "account_permissions",
        signals.ACCOUNT_PERMISSIONS,
        joined,
        listed("permissions"),
    ),
)

TIRES: Final = SmartcarTireDescription(
    key="tire_pressure",
    signal=signals.TIRES,
    device_class=SensorDeviceClass.PRESSURE,
    native_unit_of_measurement=UnitOfPressure.KPA,
    state_class=SensorStateClass.MEASUREMENT,
    # Whole kPa; Home Assistant adds the decimals bar needs when the owner picks it.
    suggested_display_precision=0,
)

API_REQUESTS: Final = SmartcarVehicleSensorDescription(
    key="api_requests",
    translation_key="api_requests",
    entity_category=EntityCategory.DIAGNOSTIC,
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
    entity_category=EntityCategory.DIAGNOSTIC,
    value_fn=lambda coordinator: (
        coordinator.data.latest_update() if coordinator.data else None
    ),
)
LAST_WEBHOOK: Final = SmartcarVehicleSensorDescription(
    key="last_webhook",
    translation_key="last_webhook",
    device_class=SensorDeviceClass.TIMESTAMP,
    entity_category=EntityCategory.DIAGNOSTIC,
    value_fn=lambda coordinator: coordinator.last_delivery,
)
VEHICLE_SENSORS: Final = (API_REQUESTS, LAST_DATA, LAST_WEBHOOK)
