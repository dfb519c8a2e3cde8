"""Sensors: battery, range, charging, fuel, climate, tyres, diagnostics, and per-vehicle status."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from functools import partial
from typing import Any, override

from homeassistant.components.sensor import SensorEntity
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.typing import StateType
from homeassistant.util import dt as dt_util

from .api.signals import Quantity, TirePressure
from .budget import month_start, next_month_start
from .coordinator import SmartcarConfigEntry, SmartcarVehicleCoordinator
from .entity import (
    SmartcarEntity,
    SmartcarVehicleEntity,
    async_add_per_vehicle,
    async_add_reported_entities,
    charging_idle,
)
from .positions import SmartcarPositionEntity, position_entities
from .sensor_descriptions import (
    API_REQUESTS,
    LAST_DATA,
    LAST_WEBHOOK,
    TIRES,
    SmartcarSensorDescription,
    SmartcarTireDescription,
    SmartcarVehicleSensorDescription,
)
from .sensor_signals import SENSORS
from .units import ha_unit

PARALLEL_UPDATES = 0

__all__ = ["SENSORS", "TIRES"]


async def async_setup_entry(
    hass: HomeAssistant,
    entry: SmartcarConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add each vehicle's status sensors, and sensors for the signals it reports."""
    async_add_per_vehicle(
        entry,
        async_add_entities,
        lambda coordinator: SmartcarRequestsSensor(coordinator, API_REQUESTS),
    )
    for description in (LAST_DATA, LAST_WEBHOOK):
        async_add_per_vehicle(
            entry,
            async_add_entities,
            partial(SmartcarVehicleSensor, description=description),
        )
    async_add_reported_entities(entry, async_add_entities, SENSORS, SmartcarSensor)
    async_add_reported_entities(entry, async_add_entities, (TIRES,), _tire_sensors)


def _tire_sensors(
    coordinator: SmartcarVehicleCoordinator, description: SmartcarTireDescription
) -> Iterable[SmartcarEntity]:
    return position_entities(
        SmartcarTireSensor, coordinator, description, description.key
    )


class SmartcarVehicleSensor(SmartcarVehicleEntity, SensorEntity):
    """A sensor about the vehicle's connection to Smartcar, known also while Smartcar fails."""

    entity_description: SmartcarVehicleSensorDescription

    @property
    @override
    def available(self) -> bool:
        """Always known, also while Smartcar is unreachable."""
        return True

    @property
    @override
    def native_value(self) -> StateType | datetime:
        """What the description reads from the vehicle's coordinator."""
        return self.entity_description.value_fn(self.coordinator)


class SmartcarRequestsSensor(SmartcarVehicleSensor):
    """Requests spent on the vehicle this calendar month, against the plan's budget."""

    @property
    @override
    def last_reset(self) -> datetime:
        """The start of this calendar month, when the count started from zero."""
        return month_start(dt_util.utcnow())

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
        description = self.entity_description
        if charging_idle(signal) and not description.keeps_value_when_idle:
            return description.idle_value
        return description.value_fn(signal)

    @property
    @override
    def native_unit_of_measurement(self) -> str | None:
        """The unit the car reported (so Home Assistant converts km/mi, °C/°F as needed)."""
        default = self.entity_description.native_unit_of_measurement
        signal = self.signal
        if default is None or signal is None or not isinstance(signal.body, Quantity):
            return default
        return ha_unit(signal.body.unit, default)


class SmartcarTireSensor(SmartcarPositionEntity, SensorEntity):
    """The pressure of one tyre, by its row and column (kPa; Home Assistant converts)."""

    entity_description: SmartcarTireDescription

    @property
    @override
    def native_value(self) -> float | None:
        """The tyre's pressure in kPa."""
        item = self.item
        return item.pressure_kpa if isinstance(item, TirePressure) else None
