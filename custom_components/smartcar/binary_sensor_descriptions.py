"""What each binary sensor shows: one description per signal (or per trunk, lock, system)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from homeassistant.components.binary_sensor import (
    BinarySensorDeviceClass,
    BinarySensorEntityDescription,
)
from homeassistant.const import EntityCategory

from .api import Signal, SignalSpec, signals
from .api.signals import Closures, FlatClosure, SystemStatus, TextValue
from .entity import SmartcarEntityDescription
from .positions import position
from .sensor_values import boolean


def inverted(signal: Signal[Any]) -> bool | None:
    """Return the opposite of a `{value: bool}` body (a latched cable: a lock not open)."""
    value = boolean(signal)
    return None if value is None else not value


def any_open(signal: Signal[Any]) -> bool | None:
    """Whether any door (or window) is open."""
    if not isinstance(signal.body, Closures):
        return None
    states = [item.is_open for item in signal.body.items if item.is_open is not None]
    return any(states) if states else None


def open_positions(signal: Signal[Any]) -> Mapping[str, Any]:
    """Which doors (or windows) are open, by place."""
    if not isinstance(signal.body, Closures):
        return {}
    return {
        "open": [
            position(item.row, item.column)
            for item in signal.body.items
            if item.is_open
        ]
    }


def is_open(signal: Signal[Any]) -> bool | None:
    """Whether a trunk, the sunroof, the tailgate or the hood is open."""
    return signal.body.is_open if isinstance(signal.body, FlatClosure) else None


def is_unlocked(signal: Signal[Any]) -> bool | None:
    """Whether a trunk (or the like) is unlocked: a lock sensor is on while unlocked."""
    if not isinstance(signal.body, FlatClosure) or signal.body.is_locked is None:
        return None
    return not signal.body.is_locked


def alert(signal: Signal[Any]) -> bool | None:
    """Whether a Diagnostics system reports ALERT."""
    return signal.body.alert if isinstance(signal.body, SystemStatus) else None


def system_description(signal: Signal[Any]) -> Mapping[str, Any]:
    """Return the carmaker's own words about a system's status."""
    body = signal.body
    if isinstance(body, SystemStatus) and body.description:
        return {"description": body.description}
    return {}


def surveillance_brand(signal: Signal[Any]) -> Mapping[str, Any]:
    """Return what the carmaker calls its surveillance mode (e.g. Tesla's "Sentry Mode")."""
    return {"brand": signal.body.value} if isinstance(signal.body, TextValue) else {}


@dataclass(frozen=True, kw_only=True)
class SmartcarBinarySensorDescription(
    SmartcarEntityDescription, BinarySensorEntityDescription
):
    """A binary sensor fed by one signal."""

    is_on_fn: Callable[[Signal[Any]], bool | None] = boolean
    # Closure signals also get one entity per door or window, named by this key's prefix.
    per_closure_key: str | None = None


def _flag(
    key: str,
    spec: SignalSpec[Any],
    device_class: BinarySensorDeviceClass | None = None,
    *,
    shown: bool = True,
    diagnostic: bool = False,
) -> SmartcarBinarySensorDescription:
    """Describe an on/off signal under its own name (`shown`: enabled by default)."""
    return SmartcarBinarySensorDescription(
        key=key,
        translation_key=key,
        signal=spec,
        device_class=device_class,
        entity_category=EntityCategory.DIAGNOSTIC if diagnostic else None,
        entity_registry_enabled_default=shown,
    )


def _flat_closures() -> tuple[SmartcarBinarySensorDescription, ...]:
    """Describe an open/closed sensor per trunk, sunroof, tailgate, hood; a lock where reported.

    Both appear only once the car reports the state: a sunroof reported as null is no sunroof.
    """
    closures: tuple[tuple[SignalSpec[Any], str, bool], ...] = (
        (signals.FRONT_TRUNK, "front_trunk", True),
        (signals.REAR_TRUNK, "rear_trunk", True),
        (signals.TAILGATE, "tailgate", True),
        (signals.SUNROOF, "sunroof", True),
        (signals.ENGINE_COVER, "engine_cover", False),
    )
    return tuple(
        description
        for spec, key, enabled in closures
        for description in (
            SmartcarBinarySensorDescription(
                key=key,
                translation_key=key,
                signal=spec,
                device_class=BinarySensorDeviceClass.OPENING,
                entity_registry_enabled_default=enabled,
                exists_fn=lambda signal: is_open(signal) is not None,
                is_on_fn=is_open,
            ),
            SmartcarBinarySensorDescription(
                key=f"{key}_lock",
                translation_key=f"{key}_lock",
                signal=spec,
                device_class=BinarySensorDeviceClass.LOCK,
                entity_registry_enabled_default=False,
                exists_fn=lambda signal: is_unlocked(signal) is not None,
                is_on_fn=is_unlocked,
            ),
        )
    )


# Each Diagnostics system by its catalogue name: the entity key, and whether it shows without
# being enabled (the warning lamps every car has; the rest are for those who look for them).
SYSTEM_KEYS: Final[Mapping[str, tuple[str, bool]]] = {
    "ABS": ("abs", True),
    "ActiveSafety": ("active_safety", False),
    "Airbag": ("airbag", True),
    "BrakeFluid": ("brake_fluid", True),
    "DriverAssistance": ("driver_assistance", False),
    "Emissions": ("emissions", False),
    "EVBatteryConditioning": ("battery_conditioning", False),
    "EVCharging": ("charging_system", False),
    "EVDriveUnit": ("drive_unit", False),
    "EVHVBattery": ("high_voltage_battery", True),
    "Lighting": ("lighting", False),
    "MIL": ("malfunction_indicator", True),
    "OilLife": ("oil_condition", False),
    "OilPressure": ("oil_pressure", True),
    "OilTemperature": ("oil_temperature", False),
    "Telematics": ("telematics", False),
    "TirePressure": ("tire_pressure_warning", True),
    "TirePressureMonitoring": ("tire_pressure_monitoring", False),
    "Transmission": ("transmission", False),
    "WasherFluid": ("washer_fluid", True),
    "WaterInFuel": ("water_in_fuel", False),
}


def _systems() -> tuple[SmartcarBinarySensorDescription, ...]:
    """Describe a problem sensor per Diagnostics system: on while the car reports ALERT."""
    return tuple(
        SmartcarBinarySensorDescription(
            key=f"system_{key}",
            translation_key=f"system_{key}",
            signal=spec,
            device_class=BinarySensorDeviceClass.PROBLEM,
            entity_category=EntityCategory.DIAGNOSTIC,
            entity_registry_enabled_default=enabled,
            is_on_fn=alert,
            attributes_fn=system_description,
        )
        for spec in signals.DIAGNOSTIC_SYSTEMS
        for key, enabled in (SYSTEM_KEYS[spec.name],)
    )


BINARY_SENSORS: Final[tuple[SmartcarBinarySensorDescription, ...]] = (
    SmartcarBinarySensorDescription(
        key="charging_cable_connected",
        signal=signals.IS_CHARGING_CABLE_CONNECTED,
        device_class=BinarySensorDeviceClass.PLUG,
    ),
    SmartcarBinarySensorDescription(
        key="charging",
        signal=signals.IS_CHARGING,
        device_class=BinarySensorDeviceClass.BATTERY_CHARGING,
        # The "Charging status" sensor says the same and more (fully charged): it is the
        # one shown; this one stays for automations that want on/off.
        entity_registry_enabled_default=False,
    ),
    SmartcarBinarySensorDescription(
        key="doors",
        translation_key="doors",
        signal=signals.DOORS,
        device_class=BinarySensorDeviceClass.DOOR,
        is_on_fn=any_open,
        attributes_fn=open_positions,
        per_closure_key="door",
    ),
    SmartcarBinarySensorDescription(
        key="windows",
        translation_key="windows",
        signal=signals.WINDOWS,
        device_class=BinarySensorDeviceClass.WINDOW,
        is_on_fn=any_open,
        attributes_fn=open_positions,
        per_closure_key="window",
    ),
    SmartcarBinarySensorDescription(
        key="charging_cable_lock",
        translation_key="charging_cable_lock",
        signal=signals.IS_CHARGING_CABLE_LATCHED,
        # A lock sensor is on while unlocked: a latched cable is locked in.
        device_class=BinarySensorDeviceClass.LOCK,
        entity_registry_enabled_default=False,
        is_on_fn=inverted,
    ),
    _flag(
        "charge_port",
        signals.IS_CHARGING_PORT_FLAP_OPEN,
        BinarySensorDeviceClass.OPENING,
    ),
    _flag(
        "fast_charger",
        signals.IS_FAST_CHARGER_PRESENT,
        BinarySensorDeviceClass.PLUG,
        shown=False,
    ),
    _flag(
        "battery_heater",
        signals.BATTERY_HEATER_ACTIVE,
        BinarySensorDeviceClass.RUNNING,
        shown=False,
    ),
    _flag(
        "cabin_climate", signals.IS_CABIN_HVAC_ACTIVE, BinarySensorDeviceClass.RUNNING
    ),
    _flag(
        "front_defroster",
        signals.IS_FRONT_DEFROSTER_ACTIVE,
        BinarySensorDeviceClass.RUNNING,
        shown=False,
    ),
    _flag(
        "rear_defroster",
        signals.IS_REAR_DEFROSTER_ACTIVE,
        BinarySensorDeviceClass.RUNNING,
        shown=False,
    ),
    _flag(
        "steering_wheel_heater",
        signals.IS_STEERING_HEATER_ACTIVE,
        BinarySensorDeviceClass.HEAT,
        shown=False,
    ),
    _flag(
        "online",
        signals.IS_ONLINE,
        BinarySensorDeviceClass.CONNECTIVITY,
        diagnostic=True,
    ),
    _flag("asleep", signals.IS_ASLEEP, shown=False, diagnostic=True),
    _flag("digital_key", signals.IS_DIGITAL_KEY_PAIRED, shown=False, diagnostic=True),
    _flag("at_home", signals.IS_AT_HOME, BinarySensorDeviceClass.PRESENCE),
    _flag("in_service", signals.IS_IN_SERVICE, shown=False, diagnostic=True),
    SmartcarBinarySensorDescription(
        key="surveillance",
        translation_key="surveillance",
        signal=signals.SURVEILLANCE_ENABLED,
        attributes_signal=signals.SURVEILLANCE_BRAND,
        attributes_fn=surveillance_brand,
    ),
    *_flat_closures(),
    *_systems(),
)
