"""Binary sensors: charging, closures and their locks, climate, connectivity, system problems.

Each description reads the typed body of its signal (`is_on_fn`): one per signal, or per
trunk, lock, Diagnostics system; doors and windows also one per place (off by default).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any, Final, override

from homeassistant.components.binary_sensor import (
    BinarySensorDeviceClass,
    BinarySensorEntity,
    BinarySensorEntityDescription,
)
from homeassistant.const import EntityCategory

from .api import SignalSpec, signals
from .api.signals import BooleanValue, Closure, Closures, FlatClosure
from .entity import (
    Reading,
    SmartcarEntity,
    SmartcarEntityDescription,
    SmartcarPositionEntity,
    SmartcarVehicleEntity,
    async_setup_vehicle_entities,
    position,
)

PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class SmartcarBinarySensorDescription[B](
    SmartcarEntityDescription[B], BinarySensorEntityDescription
):
    """A binary sensor fed by one signal whose body is a `B`."""

    is_on_fn: Callable[[B], bool | None]


def any_open(body: Closures) -> bool | None:
    """Whether any door (or window) is open."""
    states = [item.is_open for item in body.items if item.is_open is not None]
    return any(states) if states else None


def open_positions(body: Closures) -> Mapping[str, Any]:
    """Which doors (or windows) are open, by place."""
    return {"open": [position(i.row, i.column) for i in body.items if i.is_open]}


def _flag(
    key: str,
    spec: SignalSpec[BooleanValue],
    device_class: BinarySensorDeviceClass | None = None,
    *,
    shown: bool = True,
    diagnostic: bool = False,
    named: bool = True,
    is_on_fn: Callable[[BooleanValue], bool | None] = lambda body: body.value,
    attributes: Reading[Any, Mapping[str, Any]] | None = None,
) -> SmartcarBinarySensorDescription[BooleanValue]:
    """Describe an on/off signal (`named`: under its own name; `shown`: enabled by default)."""
    return SmartcarBinarySensorDescription(
        key=key,
        translation_key=key if named else None,
        signal=spec,
        device_class=device_class,
        entity_category=EntityCategory.DIAGNOSTIC if diagnostic else None,
        entity_registry_enabled_default=shown,
        is_on_fn=is_on_fn,
        attributes=attributes,
    )


def is_open(body: FlatClosure) -> bool | None:
    """Whether a trunk, the sunroof, the tailgate or the hood is open."""
    return body.is_open


def is_unlocked(body: FlatClosure) -> bool | None:
    """Whether a trunk (or the like) is unlocked: a lock sensor is on while unlocked."""
    return None if body.is_locked is None else not body.is_locked


def _known[B](fn: Callable[[B], bool | None]) -> Callable[[B], bool]:
    """Return whether `fn` knows a state for the body (a sunroof reported as null: none)."""
    return lambda body: fn(body) is not None


# The trunks, sunroof, tailgate and hood: their signal, entity key, and whether it is shown.
CLOSURES: Final[tuple[tuple[SignalSpec[FlatClosure], str, bool], ...]] = (
    (signals.FRONT_TRUNK, "front_trunk", True),
    (signals.REAR_TRUNK, "rear_trunk", True),
    (signals.TAILGATE, "tailgate", True),
    (signals.SUNROOF, "sunroof", True),
    (signals.ENGINE_COVER, "engine_cover", False),
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

BINARY_SENSORS: Final[tuple[SmartcarBinarySensorDescription[Any], ...]] = (
    _flag(
        "charging_cable_connected",
        signals.IS_CHARGING_CABLE_CONNECTED,
        BinarySensorDeviceClass.PLUG,
        named=False,
    ),
    # The "Charging status" sensor says the same and more (fully charged): it is the one
    # shown; this one stays for automations that want on/off.
    _flag(
        "charging",
        signals.IS_CHARGING,
        BinarySensorDeviceClass.BATTERY_CHARGING,
        shown=False,
        named=False,
    ),
    *(
        SmartcarBinarySensorDescription(
            key=f"{prefix}s",
            translation_key=f"{prefix}s",
            signal=spec,
            device_class=device_class,
            is_on_fn=any_open,
            attributes=Reading(spec, open_positions),
            position_prefix=prefix,
        )
        for spec, prefix, device_class in (
            (signals.DOORS, "door", BinarySensorDeviceClass.DOOR),
            (signals.WINDOWS, "window", BinarySensorDeviceClass.WINDOW),
        )
    ),
    # A lock sensor is on while unlocked: a latched cable is locked in.
    _flag(
        "charging_cable_lock",
        signals.IS_CHARGING_CABLE_LATCHED,
        BinarySensorDeviceClass.LOCK,
        shown=False,
        is_on_fn=lambda body: not body.value,
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
        "cabin_climate", signals.IS_CABIN_HVAC_ACTIVE, BinarySensorDeviceClass.RUNNING
    ),
    *(
        _flag(key, spec, BinarySensorDeviceClass.RUNNING, shown=False)
        for key, spec in (
            ("battery_heater", signals.BATTERY_HEATER_ACTIVE),
            ("front_defroster", signals.IS_FRONT_DEFROSTER_ACTIVE),
            ("rear_defroster", signals.IS_REAR_DEFROSTER_ACTIVE),
        )
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
    # What the carmaker calls its surveillance mode (e.g. Tesla's "Sentry Mode").
    _flag(
        "surveillance",
        signals.SURVEILLANCE_ENABLED,
        attributes=Reading(
            signals.SURVEILLANCE_BRAND, lambda body: {"brand": body.value}
        ),
    ),
    # An open/closed sensor per trunk, sunroof, tailgate, hood; a lock where reported. Both
    # appear only once the car reports the state: a sunroof reported as null is no sunroof.
    *(
        SmartcarBinarySensorDescription(
            key=f"{key}{suffix}",
            translation_key=f"{key}{suffix}",
            signal=spec,
            device_class=device_class,
            entity_registry_enabled_default=enabled and not suffix,
            exists_fn=_known(is_on_fn),
            is_on_fn=is_on_fn,
        )
        for spec, key, enabled in CLOSURES
        for suffix, device_class, is_on_fn in (
            ("", BinarySensorDeviceClass.OPENING, is_open),
            ("_lock", BinarySensorDeviceClass.LOCK, is_unlocked),
        )
    ),
    # A problem sensor per Diagnostics system: on while the car reports ALERT.
    *(
        SmartcarBinarySensorDescription(
            key=f"system_{key}",
            translation_key=f"system_{key}",
            signal=spec,
            device_class=BinarySensorDeviceClass.PROBLEM,
            entity_category=EntityCategory.DIAGNOSTIC,
            entity_registry_enabled_default=enabled,
            is_on_fn=lambda body: body.alert,
            # The carmaker's own words about the system's status.
            attributes=Reading(
                spec,
                lambda body: (
                    {"description": body.description} if body.description else {}
                ),
            ),
        )
        for spec in signals.DIAGNOSTIC_SYSTEMS
        for key, enabled in (SYSTEM_KEYS[spec.name],)
    ),
)

PROBLEM = BinarySensorEntityDescription(
    key="problem",
    translation_key="problem",
    device_class=BinarySensorDeviceClass.PROBLEM,
    entity_category=EntityCategory.DIAGNOSTIC,
)


class SmartcarBinarySensor[B](SmartcarEntity[B], BinarySensorEntity):
    """A binary sensor showing one signal."""

    entity_description: SmartcarBinarySensorDescription[B]

    @override
    def _update_state(self) -> None:
        """Show the signal's state."""
        super()._update_state()
        body = self.signal.body if self.signal else None
        self._attr_is_on = (
            None if body is None else self.entity_description.is_on_fn(body)
        )


class SmartcarClosureSensor(SmartcarPositionEntity[Closure], BinarySensorEntity):
    """One door or window, by its row and column; off by default.

    The Doors and Windows aggregates list the open places as attributes; one entity per door
    and window would fill the Security summary with tiles.
    """

    _attr_entity_registry_enabled_default = False
    entity_description: SmartcarBinarySensorDescription[Any]

    @override
    def _update_state(self) -> None:
        """Show whether it is open."""
        super()._update_state()
        self._attr_is_on = self.item.is_open if self.item else None


class SmartcarProblemSensor(SmartcarVehicleEntity, BinarySensorEntity):
    """On while Smartcar reports an unresolved error about the car's entities (by webhook)."""

    @override
    def _update_state(self) -> None:
        """Show whether such an error is unresolved, and what Smartcar said of the newest."""
        problem = self.coordinator.problem
        self._attr_is_on = problem is not None
        self._attr_extra_state_attributes = {}
        if problem is not None:
            self._attr_extra_state_attributes = {
                "type": problem.type,
                "code": problem.code,
                "description": problem.suggested_user_message or problem.detail,
                "resolution": problem.resolution,
            }


# Add each vehicle's problem sensor, and binary sensors for the signals it reports.
async_setup_entry = partial(
    async_setup_vehicle_entities,
    descriptions=BINARY_SENSORS,
    factory=SmartcarBinarySensor,
    per_position=SmartcarClosureSensor,
    per_vehicle=lambda coordinator: [SmartcarProblemSensor(coordinator, PROBLEM)],
)
