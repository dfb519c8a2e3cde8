"""The entry's vehicles: the list known from the last run, and the daily connections check.

Set-up starts from the vehicles stored at the last run, or by the config flow that just listed
them (`known_vehicles`, kept per Smartcar user): it reads them while Smartcar lists the
connections (one round trip, not two), and the listing then corrects them. Once
a day the entry asks Smartcar again (`GET /connections`, no vehicle request, so nothing of any
car's monthly budget). A vehicle connected since gets its coordinator, device and entities.

A vehicle the list leaves out is not removed on that evidence alone (one bad answer, or a
simulator that forgot its connections, would delete every car with its names, areas and
history): it keeps its coordinator (no longer polled), device and entities, unavailable, and a
repair asks the owner to connect it again or remove it. It goes when the owner confirms (the
repair, or the device page's Delete), or once MISSING_CHECKS_BEFORE_REMOVAL checks in a row
missed it; the count is stored with the list, so it survives restarts. One listed again
becomes available again, with everything it had.
"""

from __future__ import annotations

from collections.abc import Container, Iterable
from datetime import datetime, timedelta
import hashlib
from typing import Any, Final

from homeassistant.config_entries import ConfigEntry, ConfigEntryState
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.event import async_track_time_interval
from homeassistant.helpers.storage import Store
from homeassistant.util import dt as dt_util

from .api import Connection, SmartcarError, SmartcarResponseError
from .const import CONF_MODE, CONF_USER_ID, DOMAIN, LOGGER
from .coordinator import (
    SmartcarConfigEntry,
    SmartcarVehicleCoordinator,
    find_coordinator,
)
from .issues import (
    async_create_disconnected_issue,
    async_delete_vehicle_issue,
    async_delete_vehicle_issues,
)

STORAGE_VERSION: Final = 1
CONNECTIONS_CHECK_INTERVAL: Final = timedelta(days=1)
# A week of daily checks: longer than a Smartcar outage or a run of bad answers, and than an
# owner's weekend away before connecting the car again through Connect; short enough that a
# car sold or given back does not linger for long. The set-up's listing counts only as the first.
MISSING_CHECKS_BEFORE_REMOVAL: Final = 7
MISSING: Final = "missing"  # the stored count of checks in a row that missed a vehicle
# Connections created or updated this long before the owner was sent to Connect still count
# as theirs (clocks of Home Assistant and Smartcar may differ).
CLOCK_SKEW: Final = timedelta(minutes=5)


def _as_resource(connection: Connection) -> dict[str, Any]:
    """Return a connection as Smartcar lists it, so that the client's parser reads it back."""
    info = connection.vehicle
    vehicle = {"make": info.make, "model": info.model, "year": info.year}
    vehicle |= {"powertrainType": info.powertrain_type, "mode": info.mode}
    return {
        "id": connection.id,
        "attributes": {
            "user": {"id": connection.user_id},
            "permissions": sorted(connection.permissions),
            "vehicle": vehicle,
        },
        "relationships": {"vehicle": {"data": {"id": connection.vehicle_id}}},
    }


def known_vehicles(hass: HomeAssistant, user_id: str) -> Store[list[dict[str, Any]]]:
    """Return the store of a Smartcar user's connected vehicles as last listed (`.storage`).

    It is keyed by the user, whom the config flow knows before the entry exists. The user id
    comes from Smartcar: the file is named by its hash, never by the id itself.
    """
    key = hashlib.sha256(user_id.encode()).hexdigest()
    return Store(hass, STORAGE_VERSION, f"{DOMAIN}.{key}.vehicles")


async def async_save_known_vehicles(
    hass: HomeAssistant,
    user_id: str,
    connections: Iterable[Connection],
    missing: Iterable[SmartcarVehicleCoordinator] = (),
) -> None:
    """Store a user's vehicles for the next set-up: those listed, and those `missing` (count)."""
    stored = [_as_resource(c.connection) | {MISSING: c.missing} for c in missing]
    stored += [_as_resource(connection) for connection in connections]
    await known_vehicles(hass, user_id).async_save(stored)


async def async_load_known_vehicles(
    hass: HomeAssistant, entry: SmartcarConfigEntry
) -> list[tuple[Connection, int]] | None:
    """Return the vehicles stored at the last run (with their missing count), or None.

    None when none are stored, or the list is unusable.
    """
    user_id = entry.data[CONF_USER_ID]
    stored = await known_vehicles(hass, user_id).async_load()
    if stored is None:  # kept by the entry's id before: read once, then by the user's
        by_entry = Store[Any](
            hass, STORAGE_VERSION, f"{DOMAIN}.{entry.entry_id}.vehicles"
        )
        stored = await by_entry.async_load()
        await by_entry.async_remove()
    if not stored or not isinstance(stored, list):
        return None
    try:
        known = [
            (Connection.from_resource(raw), _count(raw.get(MISSING)))
            if isinstance(raw, dict)
            else (Connection.from_resource({}), 0)
            for raw in stored
        ]
    except SmartcarResponseError:
        return None
    # A list of another user is not theirs.
    return known if all(c.user_id == user_id for c, _ in known) else None


def _count(value: object) -> int:
    """Return a stored missing count (0 for anything else than a count)."""
    return value if isinstance(value, int) and value > 0 else 0


def unclaimed(
    hass: HomeAssistant, connections: Iterable[Connection]
) -> list[Connection]:
    """Return the connections whose vehicle no loaded entry has.

    A vehicle two Smartcar users share stays in the entry that has it: one coordinator,
    one device.
    """
    return [c for c in connections if find_coordinator(hass, c.vehicle_id) is None]


def connected_since(
    connections: Iterable[Connection], started: datetime | None
) -> dict[str, list[Connection]]:
    """Return, by Smartcar user, the connections made or renewed since `started` (or now).

    The config flow's guess of whose vehicles Connect just connected, when it names no user.
    """
    since = (started or dt_util.utcnow()) - CLOCK_SKEW
    by_user: dict[str, list[Connection]] = {}
    for c in connections:
        if (c.updated_at or c.created_at or since) >= since:
            by_user.setdefault(c.user_id, []).append(c)
    return by_user


def account_title(connections: Iterable[Connection], taken: Container[str]) -> str:
    """Return a new entry's title: the carmaker account behind it ("Volvo account").

    Not its cars: cars come and go under one login; the carmaker does not. Smartcar tells
    no account name, so a second account of the same make (a title `taken`) is numbered.
    """
    makes = {c.vehicle.manufacturer or "" for c in connections} - {""}
    base = f"{min(makes)} account" if len(makes) == 1 else "Smartcar account"
    title, number = base, 2
    while title in taken:
        title, number = f"{base} {number}", number + 1
    return title


@callback
def async_take_new_vehicles(
    hass: HomeAssistant, entries: Iterable[ConfigEntry]
) -> list[str]:
    """Reload the loaded ones of `entries` so they take their owners' new vehicles now.

    Their set-up lists the connections and adds the vehicles no other entry has, as the
    daily check would within a day. Return the titles of the entries reloaded.
    """
    loaded = [entry for entry in entries if entry.state is ConfigEntryState.LOADED]
    for entry in loaded:
        hass.config_entries.async_schedule_reload(entry.entry_id)
    return sorted(entry.title for entry in loaded)


def vehicle_ids(device: dr.BaseDeviceEntry) -> list[str]:
    """Return the Smartcar vehicle ids among a device's identifiers."""
    return [vehicle_id for domain, vehicle_id in device.identifiers if domain == DOMAIN]


async def async_list_connections(entry: SmartcarConfigEntry) -> list[Connection]:
    """List the entry's connected vehicles (`GET /connections`, no vehicle's request)."""
    return await entry.runtime_data.client.async_get_connections(
        user_id=entry.data[CONF_USER_ID], mode=entry.data.get(CONF_MODE)
    )


@callback
def async_remove_devices(
    hass: HomeAssistant, entry: SmartcarConfigEntry, keep: Container[str] = ()
) -> None:
    """Remove the devices (with their entities) and repairs of the vehicles not in `keep`."""
    registry = dr.async_get(hass)
    for device in dr.async_entries_for_config_entry(registry, entry.entry_id):
        gone = [
            vehicle_id for vehicle_id in vehicle_ids(device) if vehicle_id not in keep
        ]
        for vehicle_id in gone:
            async_delete_vehicle_issues(hass, vehicle_id)
        if gone:
            registry.async_remove_device(device.id)


@callback
def _async_set_missing(coordinator: SmartcarVehicleCoordinator, missing: int) -> None:
    """Mark a vehicle missing from `missing` checks in a row (unavailable, repair), or back."""
    coordinator.missing = missing
    vehicle_id = coordinator.vehicle_id
    if not missing:
        async_delete_vehicle_issue(coordinator.hass, "vehicle_disconnected", vehicle_id)
        return
    coordinator.update_interval = None  # no poll until it is listed again
    coordinator.last_update_success = False
    async_create_disconnected_issue(
        coordinator.hass,
        coordinator.config_entry.entry_id,
        vehicle_id,
        coordinator.vehicle_name,
        checks=str(MISSING_CHECKS_BEFORE_REMOVAL - missing),
    )
    coordinator.async_update_listeners()


async def async_forget_vehicle(
    hass: HomeAssistant,
    entry: SmartcarConfigEntry,
    vehicle_id: str,
    *,
    remove_device: bool = True,
) -> None:
    """Forget a vehicle for good: coordinator, repairs, stored entry, device and entities.

    `remove_device` False when Home Assistant removes the device itself (its Delete button).
    """
    coordinators = entry.runtime_data.coordinators
    if (coordinator := coordinators.pop(vehicle_id, None)) is not None:
        await coordinator.async_shutdown()
    async_delete_vehicle_issues(hass, vehicle_id)
    if remove_device:
        async_remove_devices(hass, entry, coordinators)
    await _async_save(hass, entry)


async def _async_save(
    hass: HomeAssistant, entry: SmartcarConfigEntry, new: Iterable[Connection] = ()
) -> None:
    """Store the entry's vehicles (and `new` ones not yet taken) for the next set-up."""
    coordinators = list(entry.runtime_data.coordinators.values())
    await async_save_known_vehicles(
        hass,
        entry.data[CONF_USER_ID],
        [*(c.connection for c in coordinators if not c.missing), *new],
        [c for c in coordinators if c.missing],
    )


async def async_take_connections(
    hass: HomeAssistant,
    entry: SmartcarConfigEntry,
    connections: list[Connection],
    *,
    daily: bool = False,
) -> list[SmartcarVehicleCoordinator]:
    """Make the entry's vehicles those just listed; return those to read (new, or back).

    A kept vehicle takes the permissions granted now; one the list leaves out is marked
    missing (unavailable, a repair), and removed once MISSING_CHECKS_BEFORE_REMOVAL checks in a
    row missed it: a `daily` check counts, the set-up's listing only as the first. The new
    coordinators are not yet the entry's. The list is stored for the next set-up.
    """
    coordinators = entry.runtime_data.coordinators
    current = {connection.vehicle_id: connection for connection in connections}
    back: list[SmartcarVehicleCoordinator] = []
    for vehicle_id, coordinator in list(coordinators.items()):
        if (connection := current.get(vehicle_id)) is not None:
            coordinator.connection = connection
            if coordinator.missing:
                _async_set_missing(coordinator, 0)
                back.append(coordinator)
            continue
        missing = coordinator.missing + 1 if daily else max(coordinator.missing, 1)
        if missing >= MISSING_CHECKS_BEFORE_REMOVAL:
            LOGGER.info("Removing a vehicle not connected at %d checks", missing)
            await async_forget_vehicle(hass, entry, vehicle_id)
        else:
            _async_set_missing(coordinator, missing)
    new = unclaimed(hass, (c for v, c in current.items() if v not in coordinators))
    await _async_save(hass, entry, new)
    return back + [SmartcarVehicleCoordinator(hass, entry, c) for c in new]


@callback
def async_track_connections(hass: HomeAssistant, entry: SmartcarConfigEntry) -> None:
    """Add the vehicles connected since and mark those gone, once a day while loaded."""

    async def check(_now: datetime) -> None:
        try:
            connections = await async_list_connections(entry)
        except SmartcarError as err:
            # The next check tries again; the vehicles' own polls report real failures.
            LOGGER.debug("Checking the connected vehicles failed: %s", err)
            return
        coordinators = entry.runtime_data.coordinators
        for coordinator in await async_take_connections(
            hass, entry, connections, daily=True
        ):
            await coordinator.async_refresh()
            if coordinator.vehicle_id not in coordinators:  # new, not back
                entry.runtime_data.async_add_vehicle(coordinator)

    entry.async_on_unload(
        async_track_time_interval(
            hass,
            check,
            CONNECTIONS_CHECK_INTERVAL,
            name=f"{DOMAIN} connections check",
            cancel_on_shutdown=True,
        )
    )
