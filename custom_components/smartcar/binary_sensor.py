"""Binary sensors: charging cable and charging; each door and window, and any of them open."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, override

from homeassistant.components.binary_sensor import (
    BinarySensorDeviceClass,
    BinarySensorEntity,
    BinarySensorEntityDescription,
)
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .api import Signal, signals
from .api.signals import BooleanValue, Closure, Closures
from .coordinator import SmartcarConfigEntry, SmartcarVehicleCoordinator
from .entity import (
    SmartcarEntity,
    SmartcarEntityDescription,
    SmartcarVehicleEntity,
    async_add_per_vehicle,
    async_add_reported_entities,
)

PARALLEL_UPDATES = 0

_ROWS = ("front", "rear")
_COLUMNS = ("left", "right")


def boolean(signal: Signal) -> bool | None:
    """Return the value of a `{value: bool}` body."""
    return signal.body.value if isinstance(signal.body, BooleanValue) else None


def any_open(signal: Signal) -> bool | None:
    """Whether any door (or window) is open."""
    if not isinstance(signal.body, Closures):
        return None
    states = [item.is_open for item in signal.body.items if item.is_open is not None]
    return any(states) if states else None


def position(closure: Closure) -> str:
    """Name a door's or window's place, e.g. `rear_left` (`row_3_seat_1` beyond two rows)."""
    if closure.row < len(_ROWS) and closure.column < len(_COLUMNS):
        return f"{_ROWS[closure.row]}_{_COLUMNS[closure.column]}"
    return f"row_{closure.row + 1}_seat_{closure.column + 1}"


def open_positions(signal: Signal) -> Mapping[str, Any]:
    """Which doors (or windows) are open, by place."""
    if not isinstance(signal.body, Closures):
        return {}
    return {"open": [position(item) for item in signal.body.items if item.is_open]}


@dataclass(frozen=True, kw_only=True)
class SmartcarBinarySensorDescription(
    SmartcarEntityDescription, BinarySensorEntityDescription
):
    """A binary sensor fed by one signal."""

    is_on_fn: Callable[[Signal], bool | None]
    attributes_fn: Callable[[Signal], Mapping[str, Any]] | None = None
    # Closure signals also get one entity per door or window, named by this key's prefix.
    per_closure_key: str | None = None


BINARY_SENSORS: tuple[SmartcarBinarySensorDescription, ...] = (
    SmartcarBinarySensorDescription(
        key="charging_cable_connected",
        signal=signals.IS_CHARGING_CABLE_CONNECTED,
        device_class=BinarySensorDeviceClass.PLUG,
        is_on_fn=boolean,
    ),
    SmartcarBinarySensorDescription(
        key="charging",
        signal=signals.IS_CHARGING,
        device_class=BinarySensorDeviceClass.BATTERY_CHARGING,
        # The "Charging status" sensor says the same and more (fully charged): it is the
        # one shown; this one stays for automations that want on/off.
        entity_registry_enabled_default=False,
        is_on_fn=boolean,
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
)


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
    closures = coordinator.data.body(description.signal)
    if isinstance(closures, Closures):
        for item in closures.items:
            yield SmartcarClosureSensor(coordinator, description, item)


class SmartcarBinarySensor(SmartcarEntity, BinarySensorEntity):
    """A binary sensor showing one signal."""

    entity_description: SmartcarBinarySensorDescription

    @property
    @override
    def is_on(self) -> bool | None:
        """The signal's state."""
        signal = self.signal
        return self.entity_description.is_on_fn(signal) if signal else None

    @property
    @override
    def extra_state_attributes(self) -> Mapping[str, Any] | None:
        """The open doors or windows, by place."""
        fn = self.entity_description.attributes_fn
        signal = self.signal
        return fn(signal) if fn and signal else None


class SmartcarClosureSensor(SmartcarEntity, BinarySensorEntity):
    """One door or window, by its row and column."""

    entity_description: SmartcarBinarySensorDescription

    def __init__(
        self,
        coordinator: SmartcarVehicleCoordinator,
        description: SmartcarBinarySensorDescription,
        closure: Closure,
    ) -> None:
        """Name the closure by its place, e.g. "Rear left door"; off by default.

        The Doors and Windows aggregates list the open places as attributes; one entity per
        door and window would fill the Security summary with tiles.
        """
        super().__init__(coordinator, description)
        self._attr_entity_registry_enabled_default = False
        self._row, self._column = closure.row, closure.column
        prefix = description.per_closure_key
        if closure.row < len(_ROWS) and closure.column < len(_COLUMNS):
            self._attr_translation_key = (
                f"{prefix}_{_ROWS[closure.row]}_{_COLUMNS[closure.column]}"
            )
        else:
            self._attr_translation_key = f"{prefix}_position"
            self._attr_translation_placeholders = {
                "row": str(closure.row + 1),
                "column": str(closure.column + 1),
            }
        self._attr_unique_id = (
            f"{coordinator.vehicle_id}_{prefix}_{closure.row}_{closure.column}"
        )

    @property
    def _closure(self) -> Closure | None:
        signal = self.signal
        if signal is None or not isinstance(signal.body, Closures):
            return None
        return next(
            (
                c
                for c in signal.body.items
                if (c.row, c.column) == (self._row, self._column)
            ),
            None,
        )

    @property
    @override
    def available(self) -> bool:
        """Available while the car still reports this door or window."""
        return super().available and self._closure is not None

    @property
    @override
    def is_on(self) -> bool | None:
        """Whether it is open."""
        closure = self._closure
        return closure.is_open if closure else None


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
