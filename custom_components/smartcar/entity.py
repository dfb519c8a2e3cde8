"""The base of every Smartcar entity: one vehicle's device, one signal's availability."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from homeassistant.core import callback
from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.entity import Entity, EntityDescription
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .api import ErrorType, Signal, SignalSpec, signals
from .const import DOMAIN
from .coordinator import SmartcarConfigEntry, SmartcarVehicleCoordinator

# VEHICLE_STATE codes that describe an idle charger: a normal state, not an outage.
CHARGING_IDLE_CODES = frozenset(
    {"NOT_CHARGING", "FULLY_CHARGED", "CHARGING_PLUG_NOT_CONNECTED"}
)
# Error types that mean the signal cannot be read at all for this vehicle.
UNREADABLE_TYPES = frozenset({ErrorType.PERMISSION, ErrorType.COMPATIBILITY})


@dataclass(frozen=True, kw_only=True)
class SmartcarEntityDescription(EntityDescription):
    """An entity fed by one signal of the catalogue."""

    signal: SignalSpec[Any]
    # Shown instead of `signal` while the car does not report that one readably (the trouble
    # codes: the DTC list stands in for the DTC count).
    fallback_signal: SignalSpec[Any] | None = None
    # Details shown as attributes (limits, schedules, open doors, trouble codes ...), read from
    # the shown signal or from `attributes_signal` (e.g. the DTC list).
    attributes_fn: Callable[[Signal[Any]], Mapping[str, Any]] | None = None
    attributes_signal: SignalSpec[Any] | None = None
    # Extra permissions beyond the signal's own (e.g. control_security for the lock).
    extra_permissions: tuple[str, ...] = ()
    # Whether what the car reports makes an entity at all: a sunroof reported as null means
    # the car has none (None: any report does).
    exists_fn: Callable[[Signal[Any]], bool] | None = None

    @property
    def signals(self) -> tuple[SignalSpec[Any], ...]:
        """Every signal the entity reads."""
        return tuple(
            spec
            for spec in (self.signal, self.fallback_signal, self.attributes_signal)
            if spec is not None
        )


def charging_idle(signal: Signal[Any]) -> bool:
    """Whether the signal's error just says the car is not charging."""
    return (
        signal.error is not None
        and signal.error.type == ErrorType.VEHICLE_STATE
        and signal.error.code in CHARGING_IDLE_CODES
    )


def _unreadable(signal: Signal[Any]) -> bool:
    """Whether the signal's error says it cannot be read at all (PERMISSION, COMPATIBILITY)."""
    return signal.error is not None and signal.error.type in UNREADABLE_TYPES


def signal_readable(signal: Signal[Any] | None) -> bool:
    """Whether an entity can show something for this signal.

    SUCCESS shows the value. An idle-charger VEHICLE_STATE error is a normal state. Any other
    error keeps the last value Smartcar sends along (a stale body), or makes the entity
    unavailable without one; PERMISSION and COMPATIBILITY always do.
    """
    if signal is None:
        return False
    if signal.ok or charging_idle(signal):
        return True
    if _unreadable(signal):
        return False
    return signal.body is not None


def vehicle_device_info(coordinator: SmartcarVehicleCoordinator) -> DeviceInfo:
    """Describe the device of a vehicle: make, model and year; VIN as serial when granted."""
    info = coordinator.connection.vehicle
    vin = coordinator.data.body(signals.VIN) if coordinator.data else None
    model = f"{info.model} ({info.year})" if info.model and info.year else info.model
    return DeviceInfo(
        identifiers={(DOMAIN, coordinator.vehicle_id)},
        manufacturer=info.manufacturer,
        model=model,
        name=info.display_name or "Vehicle",
        serial_number=vin.value if vin else None,
    )


class SmartcarVehicleEntity(CoordinatorEntity[SmartcarVehicleCoordinator]):
    """An entity of one vehicle's device."""

    _attr_has_entity_name = True

    def __init__(
        self, coordinator: SmartcarVehicleCoordinator, description: EntityDescription
    ) -> None:
        """Name the entity after its description, on its vehicle's device."""
        super().__init__(coordinator)
        self.entity_description = description
        self._attr_unique_id = f"{coordinator.vehicle_id}_{description.key}"
        self._attr_device_info = vehicle_device_info(coordinator)


class SmartcarEntity(SmartcarVehicleEntity):
    """An entity of one vehicle, shown from one signal."""

    entity_description: SmartcarEntityDescription

    @property
    def signal(self) -> Signal[Any] | None:
        """The entity's signal as last received (its fallback while it is not readable)."""
        data = self.coordinator.data
        if not data:
            return None
        description = self.entity_description
        signal = data.get(description.signal)
        if description.fallback_signal is None or signal_readable(signal):
            return signal
        return data.get(description.fallback_signal) or signal

    @property
    def extra_state_attributes(self) -> Mapping[str, Any] | None:
        """Details the description reads from its signal (or from its attributes signal)."""
        fn = self.entity_description.attributes_fn
        if fn is None:
            return None
        spec = self.entity_description.attributes_signal
        if spec is None:
            source = self.signal
        else:
            source = self.coordinator.data.get(spec) if self.coordinator.data else None
            source = source if signal_readable(source) else None
        return fn(source) if source else None

    @property
    def available(self) -> bool:
        """Available while the vehicle answers and the signal is readable."""
        return super().available and signal_readable(self.signal)


def reported(
    coordinator: SmartcarVehicleCoordinator, description: SmartcarEntityDescription
) -> bool:
    """Whether the car reports the description's signal and the owner granted what it needs.

    The fallback signal counts as the signal; a report `exists_fn` refuses does not count.
    """
    if not all(map(coordinator.has_permission, description.extra_permissions)):
        return False
    return any(
        _reports(coordinator, spec, description.exists_fn)
        for spec in (description.signal, description.fallback_signal)
        if spec is not None
    )


def _reports(
    coordinator: SmartcarVehicleCoordinator,
    spec: SignalSpec[Any],
    exists_fn: Callable[[Signal[Any]], bool] | None,
) -> bool:
    if not coordinator.has_permission(spec.permission):
        return False
    signal = coordinator.data.get(spec) if coordinator.data else None
    # A car that cannot report the signal, or says it was not granted, gets no entity (yet):
    # it comes when a later read brings the signal.
    if signal is None or _unreadable(signal):
        return False
    return exists_fn is None or exists_fn(signal)


def async_add_per_vehicle(
    entry: SmartcarConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
    factory: Callable[[SmartcarVehicleCoordinator], Entity],
) -> None:
    """Add one entity per vehicle (not fed by a signal), now and for each vehicle added later."""
    entry.async_on_unload(
        entry.runtime_data.async_listen_vehicles(
            lambda coordinator: async_add_entities([factory(coordinator)])
        )
    )


def async_add_reported_entities[D: SmartcarEntityDescription](
    entry: SmartcarConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
    descriptions: Iterable[D],
    factory: Callable[
        [SmartcarVehicleCoordinator, D], SmartcarEntity | Iterable[SmartcarEntity]
    ],
) -> None:
    """Add each vehicle's entities for the signals it reports, now and whenever one appears.

    A vehicle whose first refresh failed, a signal first seen later (e.g. pushed by a
    webhook), or a vehicle connected while the entry runs gets its entities when it comes.
    """
    descriptions = tuple(descriptions)

    @callback
    def watch(coordinator: SmartcarVehicleCoordinator) -> None:
        added: set[str] = set()

        @callback
        def add_new() -> None:
            new = [
                d
                for d in descriptions
                if d.key not in added and reported(coordinator, d)
            ]
            if not new:
                return
            added.update(d.key for d in new)
            entities: list[SmartcarEntity] = []
            for description in new:
                made = factory(coordinator, description)
                entities.extend((made,) if isinstance(made, SmartcarEntity) else made)
            async_add_entities(entities)

        add_new()
        entry.async_on_unload(coordinator.async_add_listener(add_new))

    entry.async_on_unload(entry.runtime_data.async_listen_vehicles(watch))
