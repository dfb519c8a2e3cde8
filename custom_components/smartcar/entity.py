"""The base of every Smartcar entity, and what serves several platforms.

One vehicle's device; one signal's availability; the state computed once per update
(`_update_state`); entities added as the car reports their signals, one per place of a grid
signal (doors, windows, tyres: row 0 the front, column 0 the left).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
import operator
import re
from typing import Any, override

from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import entity_platform, entity_registry as er
from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.entity import Entity, EntityDescription
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .api import ErrorType, Signal, SignalSpec, signals
from .api.signals import Closure, TirePressure
from .const import DOMAIN
from .coordinator import SmartcarConfigEntry, SmartcarVehicleCoordinator

# VEHICLE_STATE codes that describe an idle charger: a normal state, not an outage.
CHARGING_IDLE_CODES = frozenset(
    {"NOT_CHARGING", "FULLY_CHARGED", "CHARGING_PLUG_NOT_CONNECTED"}
)
# Error types that mean the signal cannot be read at all for this vehicle.
UNREADABLE_TYPES = frozenset({ErrorType.PERMISSION, ErrorType.COMPATIBILITY})
# A place on a car's grid: a door or window (Closure), a tyre (TirePressure).
type Place = Closure | TirePressure


@dataclass(frozen=True)
class Reading[A, T]:
    """A signal an entity reads, and what it reads from the signal's body (typed alike)."""

    signal: SignalSpec[A]
    read: Callable[[A], T]


@dataclass(frozen=True, kw_only=True)
class SmartcarEntityDescription[B](EntityDescription):
    """An entity fed by one signal of the catalogue, whose body is a `B`."""

    signal: SignalSpec[B]
    # Shown instead of `signal` while the car does not report that one readably (the trouble
    # codes: the DTC list stands in for the DTC count).
    fallback: Reading[Any, Any] | None = None
    # Details shown as attributes (limits, schedules, open doors ...), read from the entity's
    # signal or from another (the DTC list, the surveillance brand) while it is readable.
    attributes: Reading[Any, Mapping[str, Any]] | None = None
    # Extra permissions beyond the signal's own (e.g. control_security for the lock).
    extra_permissions: tuple[str, ...] = ()
    # Whether what the car reports makes an entity at all: a sunroof reported as null means
    # the car has none (None: any report does).
    exists_fn: Callable[[B], bool] | None = None
    # Whether the vehicle's other signals make the entity too (None: they need not).
    vehicle_fn: Callable[[signals.VehicleSignals], bool] | None = None
    # The entity's own class instead of the platform's (the estimated charging energy).
    entity_class: Callable[[SmartcarVehicleCoordinator, Any], Entity] | None = None
    # A grid signal (doors, windows, tyres) also gets one entity per place, keyed by this.
    position_prefix: str | None = None
    # A charger's reading (power, current, voltage, rate, end): it follows IsCharging when
    # that is newer and says otherwise (`charging_contradicts`).
    follows_charging: bool = False
    # The permission of a control that shows the same value (the charge limit's number): where
    # it is granted, the control is the one shown and this entity is off by default.
    shown_without: str | None = None


def position_key(row: int, column: int) -> str | None:
    """Name a place within the usual two rows of two, e.g. `rear_left` (None beyond)."""
    if row < 2 and column < 2:
        return f"{('front', 'rear')[row]}_{('left', 'right')[column]}"
    return None


def position(row: int, column: int) -> str:
    """Name any place, e.g. `rear_left`, or `row_3_seat_1` beyond two rows."""
    return position_key(row, column) or f"row_{row + 1}_seat_{column + 1}"


def charging_idle(signal: Signal[Any]) -> bool:
    """Whether the signal's error just says the car is not charging."""
    return (
        signal.error is not None
        and signal.error.type == ErrorType.VEHICLE_STATE
        and signal.error.code in CHARGING_IDLE_CODES
    )


def charging_contradicts(
    data: signals.VehicleSignals | None, reading: Signal[Any] | None
) -> bool | None:
    """Return whether the car charges, when a newer IsCharging contradicts a charger's reading.

    It contradicts when charging over an idle or 0 reading, not charging over a value.
    None when it agrees, or is not newer: the reading shows as it is. A start or stop command
    (or a webhook, a poll) that changes IsCharging so changes the readings at once, whichever
    came first of the car's own times.
    """
    charging = data.get(signals.IS_CHARGING) if data else None
    if not (reading and charging and charging.ok and charging.body):
        return None
    at, held_at = charging.measured_at, reading.measured_at
    if at is None or (held_at is not None and at <= held_at):
        return None
    body = reading.body
    idle = charging_idle(reading) or (body is not None and body.value == 0)
    on = bool(charging.body.value)
    return on if on is idle else None


def _unreadable(signal: Signal[Any]) -> bool:
    """Whether the signal's error says it cannot be read at all (PERMISSION, COMPATIBILITY)."""
    return signal.error is not None and signal.error.type in UNREADABLE_TYPES


def signal_readable(signal: Signal[Any] | None) -> bool:
    """Whether an entity can show something for this signal.

    SUCCESS shows the value. An idle-charger VEHICLE_STATE error is a normal state. Any other
    error keeps the last value Smartcar sends along (a stale body), or makes the entity
    unavailable without one; PERMISSION and COMPATIBILITY always do.
    """
    if signal is None or _unreadable(signal):
        return False
    return signal.ok or charging_idle(signal) or signal.body is not None


class SmartcarVehicleEntity(CoordinatorEntity[SmartcarVehicleCoordinator]):
    """An entity of one vehicle's device; its state set by `_update_state` once per update."""

    _attr_has_entity_name = True

    def __init__(
        self, coordinator: SmartcarVehicleCoordinator, description: EntityDescription
    ) -> None:
        """Name the entity after its description, on its vehicle's device."""
        super().__init__(coordinator)
        self.entity_description = description
        self._attr_unique_id = f"{coordinator.vehicle_id}_{description.key}"
        info = coordinator.connection.vehicle
        vin = coordinator.data.body(signals.VIN) if coordinator.data else None
        model = (
            f"{info.model} ({info.year})" if info.model and info.year else info.model
        )
        self._attr_device_info = DeviceInfo(
            identifiers={(DOMAIN, coordinator.vehicle_id)},
            manufacturer=info.manufacturer,
            model=model,
            name=info.display_name or "Vehicle",
            serial_number=vin.value if vin else None,
        )
        # Off by default where a control shows the same value (`shown_without` granted).
        control = getattr(description, "shown_without", None)
        if control and coordinator.has_permission(control):
            self._attr_entity_registry_enabled_default = False
        # Known before registration: the registry keeps the unit it first sees for conversion.
        self._update_state()

    def _update_state(self) -> None:
        """Set the entity's `_attr_*` from the coordinator's data (the platforms' part)."""

    @property
    @override
    def available(self) -> bool:
        """Available while the vehicle is connected and answers, and has something to show."""
        return (
            super().available and self._attr_available and not self.coordinator.missing
        )

    @override
    async def async_added_to_hass(self) -> None:
        """Compute the state again before it is first written (data may have come since)."""
        self._update_state()
        await super().async_added_to_hass()

    @callback
    @override
    def _handle_coordinator_update(self) -> None:
        """Compute the state once, then write it."""
        self._update_state()
        super()._handle_coordinator_update()


class SmartcarEntity[B](SmartcarVehicleEntity):
    """An entity of one vehicle, shown from one signal.

    `signal` is the entity's own signal as last received; `shown` the one it shows (the
    fallback's while the own one is not readable).
    """

    entity_description: SmartcarEntityDescription[B]
    signal: Signal[B] | None = None
    shown: Signal[Any] | None = None
    _written_from: tuple[object, ...] | None = None

    @callback
    @override
    def _handle_coordinator_update(self) -> None:
        """Compute and write the state again only when one of its sources changed.

        The state comes from the entity's own signals, the coordinator's success and the
        vehicle's connection alone; a
        webhook delivery about other signals, or the same reading sent again (the data keeps the
        held object), leaves it untouched: no state computed or written for nothing.
        """
        data, description = self.coordinator.data, self.entity_description
        readings = (description.fallback, description.attributes)
        specs = (description.signal, *(r.signal for r in readings if r is not None))
        if description.follows_charging:
            specs = (*specs, signals.IS_CHARGING)
        sources = (
            self.coordinator.last_update_success,
            bool(self.coordinator.missing),
            *(data.get(spec) if data else None for spec in specs),
        )
        written, self._written_from = self._written_from, sources
        if written is None or not all(map(operator.is_, sources, written)):
            super()._handle_coordinator_update()

    @override
    def _update_state(self) -> None:
        """Find the signal; available while it is readable; its details as attributes."""
        data, description = self.coordinator.data, self.entity_description
        self.signal = self.shown = data.get(description.signal) if data else None
        if (fallback := description.fallback) and not signal_readable(self.signal):
            self.shown = (data.get(fallback.signal) if data else None) or self.signal
        self._attr_available = signal_readable(self.shown)
        attributes = description.attributes
        source = data.get(attributes.signal) if attributes and data else None
        body = source.body if signal_readable(source) and source else None
        self._attr_extra_state_attributes = (
            dict(attributes.read(body)) if attributes and body is not None else {}
        )


class SmartcarPositionEntity[P: Place](SmartcarEntity[Any]):
    """One place of a grid signal (a door, a window, a tyre), by its row and column.

    `item` is the place as last reported (None when the car no longer reports it).
    """

    item: P | None = None

    def __init__(
        self,
        coordinator: SmartcarVehicleCoordinator,
        description: SmartcarEntityDescription[Any],
        place: Place,
    ) -> None:
        """Name the entity by its place under the prefix (e.g. "door" → door_rear_left)."""
        row, column = place.row, place.column
        # Set before the base __init__, which runs _update_state (it reads the place).
        self._place = (row, column)
        super().__init__(coordinator, description)
        prefix, key = description.position_prefix, position_key(row, column)
        self._attr_unique_id = f"{coordinator.vehicle_id}_{prefix}_{row}_{column}"
        self._attr_translation_key = f"{prefix}_{key or 'position'}"
        if key is None:
            row_seat = {"row": str(row + 1), "column": str(column + 1)}
            self._attr_translation_placeholders = row_seat

    @override
    def _update_state(self) -> None:
        """Available while the car still reports this place; no details of the whole grid."""
        super()._update_state()
        body = self.signal.body if self.signal else None
        items: Iterable[P] = body.items if body is not None else ()
        self.item = next((i for i in items if (i.row, i.column) == self._place), None)
        self._attr_available = self._attr_available and self.item is not None
        self._attr_extra_state_attributes = {}


def permitted(
    coordinator: SmartcarVehicleCoordinator,
    description: SmartcarEntityDescription[Any],
) -> bool:
    """Whether the entity's signal (or fallback) and extra permissions are asked and granted."""
    fallback = description.fallback
    specs = (description.signal, *([fallback.signal] if fallback else []))
    return any(coordinator.has_permission(spec.permission) for spec in specs) and all(
        map(coordinator.has_permission, description.extra_permissions)
    )


@callback
def async_remove_ungranted(
    hass: HomeAssistant,
    domain: str,
    coordinator: SmartcarVehicleCoordinator,
    descriptions: Iterable[SmartcarEntityDescription[Any]],
) -> None:
    """Remove the vehicle's entities of `domain` whose permission is no longer granted.

    Reconfigured without a group, or a permission left out in Connect, they would stay as
    restored and unavailable; the others keep their registry entries, names and ids. A
    connection that lists no permission at all is a bad answer: then nothing goes.
    """
    ungranted = [d for d in descriptions if not permitted(coordinator, d)]
    if not ungranted or not coordinator.connection.permissions:
        return
    keys, places = {d.key for d in ungranted}, {d.position_prefix for d in ungranted}
    registry, own = er.async_get(hass), f"{coordinator.vehicle_id}_"
    entry_id = coordinator.config_entry.entry_id
    for entity in er.async_entries_for_config_entry(registry, entry_id):
        key = entity.unique_id.removeprefix(own)
        place = re.fullmatch(r"(.+)_\d+_\d+", key)  # a place's: <prefix>_<row>_<column>
        owned = entity.domain == domain and entity.unique_id.startswith(own)
        if owned and (key in keys or (place is not None and place[1] in places)):
            registry.async_remove(entity.entity_id)


def reported(
    coordinator: SmartcarVehicleCoordinator,
    description: SmartcarEntityDescription[Any],
) -> bool:
    """Whether the car reports the description's signal and the owner granted what it needs.

    The fallback signal counts as the signal; a report `exists_fn` refuses does not count, nor
    one of a vehicle whose signals `vehicle_fn` refuses. A car that cannot report the signal,
    or says it was not granted, gets no entity (yet): it comes when a later read brings it.
    """
    exists_fn, fallback = description.exists_fn, description.fallback
    data, vehicle_fn = coordinator.data, description.vehicle_fn
    if not data or (vehicle_fn is not None and not vehicle_fn(data)):
        return False
    for spec in (description.signal, *([fallback.signal] if fallback else [])):
        granted = coordinator.has_permission(spec.permission)
        signal = data.get(spec) if granted else None
        if signal is None or _unreadable(signal):
            continue
        if exists_fn is None or (signal.body is not None and exists_fn(signal.body)):
            return all(map(coordinator.has_permission, description.extra_permissions))
    return False


async def async_setup_vehicle_entities[D: SmartcarEntityDescription[Any]](
    hass: HomeAssistant,
    entry: SmartcarConfigEntry,
    async_add_entities: entity_platform.AddConfigEntryEntitiesCallback,
    *,
    descriptions: tuple[D, ...],
    factory: Callable[[SmartcarVehicleCoordinator, D], Entity] | None = None,
    per_position: Callable[[SmartcarVehicleCoordinator, D, Place], Entity]
    | None = None,
    per_vehicle: Callable[[SmartcarVehicleCoordinator], list[Entity]] | None = None,
) -> None:
    """Set up a platform: each vehicle's entities for the signals it reports, as they come.

    A vehicle whose first refresh failed, a signal first seen later (e.g. pushed by a
    webhook), or a vehicle connected while the entry runs gets its entities when it comes;
    so does each place of a grid signal (`per_position`), also one first reported later.
    `per_vehicle` makes the entities each vehicle has whatever it reports, when it comes.
    Each vehicle's entities whose permission is no longer granted are removed first.
    """
    domain = entity_platform.async_get_current_platform().domain

    @callback
    def watch(coordinator: SmartcarVehicleCoordinator) -> None:
        async_remove_ungranted(hass, domain, coordinator, descriptions)
        if per_vehicle is not None:
            async_add_entities(per_vehicle(coordinator))
        # Each description's key for its own entity, (key, row, column) for its places.
        added: set[str | tuple[str, int, int]] = set()

        @callback
        def add_new() -> None:
            new: list[Entity] = []
            for description in descriptions:
                places = per_position is not None and description.position_prefix
                if description.key in added and not places:
                    continue  # nothing more can come of it (the check costs on every update)
                if not reported(coordinator, description):
                    continue
                make = description.entity_class or factory
                if make is not None and description.key not in added:
                    added.add(description.key)
                    new.append(make(coordinator, description))
                if per_position is None or description.position_prefix is None:
                    continue
                body = coordinator.data.body(description.signal)
                for place in body.items if body is not None else ():
                    if (key := (description.key, place.row, place.column)) not in added:
                        added.add(key)
                        new.append(per_position(coordinator, description, place))
            if new:
                async_add_entities(new)

        add_new()
        entry.async_on_unload(coordinator.async_add_listener(add_new))

    entry.async_on_unload(entry.runtime_data.async_listen_vehicles(watch))
