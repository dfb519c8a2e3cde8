"""Binary sensors: charging, closures and their locks, climate, connectivity, system problems."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, override

from homeassistant.components.binary_sensor import (
    BinarySensorDeviceClass,
    BinarySensorEntity,
    BinarySensorEntityDescription,
)
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .api.signals import Closure
from .binary_sensor_descriptions import BINARY_SENSORS, SmartcarBinarySensorDescription
from .coordinator import SmartcarConfigEntry, SmartcarVehicleCoordinator
from .entity import (
    SmartcarEntity,
    SmartcarVehicleEntity,
    async_add_per_vehicle,
    async_add_reported_entities,
)
from .positions import SmartcarPositionEntity, position_entities

PARALLEL_UPDATES = 0

__all__ = ["BINARY_SENSORS"]

PROBLEM = BinarySensorEntityDescription(
    key="problem",
    translation_key="problem",
    device_class=BinarySensorDeviceClass.PROBLEM,
    entity_category=EntityCategory.DIAGNOSTIC,
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: SmartcarConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add each vehicle's problem sensor, and binary sensors for the signals it reports."""
    async_add_per_vehicle(
        entry,
        async_add_entities,
        lambda coordinator: SmartcarProblemSensor(coordinator, PROBLEM),
    )
    async_add_reported_entities(
        entry, async_add_entities, BINARY_SENSORS, _binary_sensors
    )


def _binary_sensors(
    coordinator: SmartcarVehicleCoordinator,
    description: SmartcarBinarySensorDescription,
) -> Iterable[SmartcarEntity]:
    yield SmartcarBinarySensor(coordinator, description)
    if description.per_closure_key is None:
        return
    yield from position_entities(
        SmartcarClosureSensor, coordinator, description, description.per_closure_key
    )


class SmartcarBinarySensor(SmartcarEntity, BinarySensorEntity):
    """A binary sensor showing one signal."""

    entity_description: SmartcarBinarySensorDescription

    @property
    @override
    def is_on(self) -> bool | None:
        """The signal's state."""
        signal = self.signal
        return self.entity_description.is_on_fn(signal) if signal else None


class SmartcarClosureSensor(SmartcarPositionEntity, BinarySensorEntity):
    """One door or window, by its row and column; off by default.

    The Doors and Windows aggregates list the open places as attributes; one entity per door
    and window would fill the Security summary with tiles.
    """

    _attr_entity_registry_enabled_default = False
    entity_description: SmartcarBinarySensorDescription

    @property
    @override
    def is_on(self) -> bool | None:
        """Whether it is open."""
        item = self.item
        return item.is_open if isinstance(item, Closure) else None


class SmartcarProblemSensor(SmartcarVehicleEntity, BinarySensorEntity):
    """On while Smartcar reports an unresolved error for the vehicle (by webhook)."""

    @property
    @override
    def is_on(self) -> bool:
        """Whether an error is unresolved."""
        return self.coordinator.problem is not None

    @property
    @override
    def extra_state_attributes(self) -> Mapping[str, Any] | None:
        """What Smartcar said about the error."""
        problem = self.coordinator.problem
        if problem is None:
            return None
        return {
            "type": problem.type,
            "code": problem.code,
            "description": problem.suggested_user_message or problem.detail,
            "resolution": problem.resolution,
        }
