"""Sensors: battery, range, charging, fuel, odometer and charge schedules."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, override

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import (
    PERCENTAGE,
    EntityCategory,
    UnitOfEnergy,
    UnitOfLength,
    UnitOfPower,
    UnitOfVolume,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.typing import StateType
from homeassistant.util import dt as dt_util

from .api import Signal, signals
from .api.signals import (
    ChargeLimits,
    ChargeTimers,
    NominalCapacity,
    Quantity,
    TextValue,
)
from .budget import next_month_start
from .coordinator import SmartcarConfigEntry
from .entity import (
    SmartcarEntity,
    SmartcarEntityDescription,
    SmartcarVehicleEntity,
    async_add_per_vehicle,
    async_add_reported_entities,
    charging_idle,
)
from .units import ha_unit

PARALLEL_UPDATES = 0

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


def quantity(signal: Signal) -> float | None:
    """Return the value of a `{value, unit}` body."""
    return signal.body.value if isinstance(signal.body, Quantity) else None


def charging_status(signal: Signal) -> str | None:
    """Charge.DetailedChargingStatus as one of the enum options (None for unknown values)."""
    if not isinstance(signal.body, TextValue):
        return None
    value = signal.body.value.lower()
    return value if value in CHARGING_STATUS_OPTIONS else None


def connector_type(signal: Signal) -> str | None:
    """Charge.ChargingConnectorType as one of the enum options (None for unknown values)."""
    if not isinstance(signal.body, TextValue):
        return None
    value = signal.body.value.strip().lower().replace("-", "_").replace(" ", "_")
    return value if value in CONNECTOR_OPTIONS else None


def active_charge_limit(signal: Signal) -> float | None:
    """Return the limit in force, else the global limit."""
    body = signal.body
    if not isinstance(body, ChargeLimits):
        return None
    if body.active_limit is not None:
        return body.active_limit
    return next((limit.limit for limit in body.limits if limit.type == "GLOBAL"), None)


def charge_limit_attributes(signal: Signal) -> dict[str, Any]:
    """Every configured limit (locations by name only: no coordinates in attributes)."""
    body = signal.body
    if not isinstance(body, ChargeLimits):
        return {}
    return {
        "limits": [
            {
                "type": limit.type.lower(),
                "limit": limit.limit,
                **(
                    {"location": limit.condition.name}
                    if limit.condition and limit.condition.name
                    else {}
                ),
                **(
                    {"charging_type": limit.condition.charging_type}
                    if limit.condition and limit.condition.charging_type
                    else {}
                ),
            }
            for limit in body.limits
        ]
    }


def charging_end(signal: Signal) -> datetime | None:
    """When charging reaches its limit: the reading's time plus the minutes left."""
    minutes = quantity(signal)
    measured_at = signal.oem_updated_at or signal.retrieved_at
    if minutes is None or measured_at is None or not signal.ok:
        return None
    return measured_at + timedelta(minutes=minutes)


def nominal_capacity(signal: Signal) -> float | None:
    """Return the battery's nominal capacity."""
    return signal.body.capacity if isinstance(signal.body, NominalCapacity) else None


def schedule_timers(signal: Signal) -> list[dict[str, Any]]:
    """List the location-based charge schedules among the car's charge timers."""
    body = signal.body
    if not isinstance(body, ChargeTimers):
        return []
    return [
        {
            "schedule_id": timer.schedule_id,
            "type": (timer.schedule_type or "").lower() or None,
            "location": timer.condition.name if timer.condition else None,
            "windows": [
                {
                    "start": window.start,
                    "end": window.end,
                    "days": [d.lower() for d in window.days],
                }
                for window in timer.windows
            ],
        }
        for timer in body.timers
        if timer.type == "LOCATION"
    ]


def schedule_count(signal: Signal) -> int | None:
    """How many location-based charge schedules the car has."""
    return (
        len(schedule_timers(signal)) if isinstance(signal.body, ChargeTimers) else None
    )


@dataclass(frozen=True, kw_only=True)
class SmartcarSensorDescription(SmartcarEntityDescription, SensorEntityDescription):
    """A sensor fed by one signal."""

    value_fn: Callable[[Signal], StateType | datetime]
    # The state while the car reports an idle charger (NOT_CHARGING, ...) instead of a value.
    idle_value: StateType = None
    attributes_fn: Callable[[Signal], Mapping[str, Any]] | None = None


SENSORS: tuple[SmartcarSensorDescription, ...] = (
    SmartcarSensorDescription(
        key="state_of_charge",
        signal=signals.STATE_OF_CHARGE,
        device_class=SensorDeviceClass.BATTERY,
        native_unit_of_measurement=PERCENTAGE,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=0,
        value_fn=quantity,
    ),
    SmartcarSensorDescription(
        key="electric_range",
        translation_key="electric_range",
        signal=signals.BATTERY_RANGE,
        device_class=SensorDeviceClass.DISTANCE,
        native_unit_of_measurement=UnitOfLength.KILOMETERS,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=0,
        value_fn=quantity,
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
        value_fn=charging_status,
    ),
    SmartcarSensorDescription(
        key="charging_connector_type",
        translation_key="charging_connector_type",
        signal=signals.CHARGING_CONNECTOR_TYPE,
        device_class=SensorDeviceClass.ENUM,
        options=CONNECTOR_OPTIONS,
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        value_fn=connector_type,
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
        value_fn=quantity,
        idle_value=0,
    ),
    SmartcarSensorDescription(
        key="fuel_level",
        translation_key="fuel_level",
        signal=signals.FUEL_LEVEL,
        native_unit_of_measurement=PERCENTAGE,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=0,
        value_fn=quantity,
    ),
    SmartcarSensorDescription(
        key="fuel_remaining",
        translation_key="fuel_remaining",
        signal=signals.FUEL_AMOUNT_REMAINING,
        device_class=SensorDeviceClass.VOLUME_STORAGE,
        native_unit_of_measurement=UnitOfVolume.LITERS,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=1,
        value_fn=quantity,
    ),
    SmartcarSensorDescription(
        key="fuel_range",
        translation_key="fuel_range",
        signal=signals.FUEL_RANGE,
        device_class=SensorDeviceClass.DISTANCE,
        native_unit_of_measurement=UnitOfLength.KILOMETERS,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=0,
        value_fn=quantity,
    ),
    SmartcarSensorDescription(
        key="odometer",
        translation_key="odometer",
        signal=signals.TRAVELED_DISTANCE,
        device_class=SensorDeviceClass.DISTANCE,
        native_unit_of_measurement=UnitOfLength.KILOMETERS,
        state_class=SensorStateClass.TOTAL_INCREASING,
        suggested_display_precision=0,
        value_fn=quantity,
    ),
    SmartcarSensorDescription(
        key="charge_schedules",
        translation_key="charge_schedules",
        signal=signals.CHARGE_TIMERS,
        # A count of settings, not a measurement: no statistics.
        value_fn=schedule_count,
        attributes_fn=lambda signal: {"schedules": schedule_timers(signal)},
    ),
)


API_REQUESTS = SensorEntityDescription(
    key="api_requests",
    translation_key="api_requests",
    entity_category=EntityCategory.DIAGNOSTIC,
    # Resets at each calendar month's start (last_reset), as Smartcar's plan allowance does.
    state_class=SensorStateClass.TOTAL,
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: SmartcarConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add each vehicle's request counter, and sensors for the signals it reports."""
    async_add_per_vehicle(
        entry,
        async_add_entities,
        lambda coordinator: SmartcarRequestsSensor(coordinator, API_REQUESTS),
    )
    async_add_reported_entities(entry, async_add_entities, SENSORS, SmartcarSensor)


class SmartcarRequestsSensor(SmartcarVehicleEntity, SensorEntity):
    """Requests spent on the vehicle this calendar month, against the plan's budget."""

    @property
    @override
    def available(self) -> bool:
        """Always known, also while Smartcar is unreachable."""
        return True

    @property
    @override
    def native_value(self) -> int:
        """Requests this month."""
        return self.coordinator.budget.state(self.coordinator.vehicle_id).used

    @property
    @override
    def last_reset(self) -> datetime:
        """The start of this calendar month, when the count started from zero."""
        return dt_util.as_local(dt_util.utcnow()).replace(
            day=1, hour=0, minute=0, second=0, microsecond=0
        )

    @property
    @override
    def extra_state_attributes(self) -> Mapping[str, Any]:
        """The budget, the reserve kept for commands, and whether polling is paused."""
        state = self.coordinator.budget.state(self.coordinator.vehicle_id)
        return {
            "budget": state.budget,
            "reserve": state.reserve,
            "polling_paused": not state.polling_allowed,
            "resets_on": next_month_start(dt_util.utcnow()).date().isoformat(),
        }

    @override
    async def async_added_to_hass(self) -> None:
        """Follow the budget's count, which changes on every request."""
        await super().async_added_to_hass()
        self.async_on_remove(
            self.coordinator.budget.async_listen(
                self.coordinator.vehicle_id, self.async_write_ha_state
            )
        )


class SmartcarSensor(SmartcarEntity, SensorEntity):
    """A sensor showing one signal."""

    entity_description: SmartcarSensorDescription

    @property
    @override
    def native_value(self) -> StateType | datetime:
        """The signal's value, or the idle value while the charger is idle."""
        signal = self.signal
        if signal is None:
            return None
        if charging_idle(signal):
            return self.entity_description.idle_value
        return self.entity_description.value_fn(signal)

    @property
    @override
    def native_unit_of_measurement(self) -> str | None:
        """The unit the car reported (so Home Assistant converts km/mi, L/gal as needed)."""
        default = self.entity_description.native_unit_of_measurement
        signal = self.signal
        if default is None or signal is None or not isinstance(signal.body, Quantity):
            return default
        return ha_unit(signal.body.unit, default)

    @property
    @override
    def extra_state_attributes(self) -> Mapping[str, Any] | None:
        """Details of list-like signals (limits, schedules)."""
        fn = self.entity_description.attributes_fn
        signal = self.signal
        return fn(signal) if fn and signal else None
