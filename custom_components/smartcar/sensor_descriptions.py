"""What a sensor description holds, the helpers that build them, per-vehicle sensors, tyres."""

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
    EntityCategory,
    UnitOfElectricCurrent,
    UnitOfPressure,
    UnitOfTemperature,
)
from homeassistant.helpers.typing import StateType

from .api import Signal, SignalSpec, signals
from .coordinator import SmartcarVehicleCoordinator
from .entity import SmartcarEntityDescription
from .sensor_values import enum, quantity, text

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

    value_fn: Callable[[Signal[Any]], StateType | datetime] = quantity
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


def vehicle_info(
    key: str,
    spec: SignalSpec[Any],
    value_fn: Callable[[Signal[Any]], StateType] = text,
    attributes_fn: Callable[[Signal[Any]], Mapping[str, Any]] | None = None,
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


def enumerated(
    key: str,
    spec: SignalSpec[Any],
    options: list[str],
    *,
    shown: bool = True,
    diagnostic: bool = False,
    attributes_fn: Callable[[Signal[Any]], Mapping[str, Any]] | None = None,
) -> SmartcarSensorDescription:
    """Describe an enum: one of `options` (lower case), unknown for any other value."""
    return SmartcarSensorDescription(
        key=key,
        translation_key=key,
        signal=spec,
        device_class=SensorDeviceClass.ENUM,
        options=options,
        entity_category=EntityCategory.DIAGNOSTIC if diagnostic else None,
        entity_registry_enabled_default=shown,
        value_fn=enum(options),
        attributes_fn=attributes_fn,
    )


def current(
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


def temperature(key: str, spec: SignalSpec[Any]) -> SmartcarSensorDescription:
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
