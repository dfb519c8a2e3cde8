"""The entry's vehicles: the list known from the last run, and the daily connections check.

Set-up starts from the vehicles stored at the last run, or by the config flow that just listed
them (`known_vehicles`, kept per Smartcar user): it reads them while Smartcar lists the
connections (one round trip, not two), and the listing then corrects them. Once
a day the entry asks Smartcar again (`GET /connections`, no vehicle request, so nothing of any
car's monthly budget). A vehicle connected since gets its coordinator, device and entities; one no
longer connected loses them, and its repairs.
"""

from __future__ import annotations

from collections.abc import Container
from datetime import datetime, timedelta
import hashlib
from typing import Any, Final

from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.event import async_track_time_interval
from homeassistant.helpers.storage import Store

from .api import Connection, SmartcarError, SmartcarResponseError
from .const import CONF_MODE, CONF_USER_ID, DOMAIN, LOGGER
from .coordinator import SmartcarConfigEntry, SmartcarVehicleCoordinator
from .issues import async_delete_vehicle_issues

STORAGE_VERSION: Final = 1
CONNECTIONS_CHECK_INTERVAL: Final = timedelta(days=1)


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
    hass: HomeAssistant, user_id: str, connections: list[Connection]
) -> None:
    """Store a user's connected vehicles, as listed, for the next set-up."""
    stored = [_as_resource(connection) for connection in connections]
    await known_vehicles(hass, user_id).async_save(stored)


async def async_load_known_vehicles(
    hass: HomeAssistant, entry: SmartcarConfigEntry
) -> list[Connection] | None:
    """Return the vehicles stored at the last run, or None when none are (or unusable)."""
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
        connections = [
            Connection.from_resource(raw if isinstance(raw, dict) else {})
            for raw in stored
        ]
    except SmartcarResponseError:
        return None
    # A list of another user is not theirs.
    return connections if all(c.user_id == user_id for c in connections) else None


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
        for vehicle_id in vehicle_ids(device):
            if vehicle_id not in keep:
                registry.async_update_device(
                    device.id, remove_config_entry_id=entry.entry_id
                )
                async_delete_vehicle_issues(hass, vehicle_id)


async def async_take_connections(
    hass: HomeAssistant, entry: SmartcarConfigEntry, connections: list[Connection]
) -> list[SmartcarVehicleCoordinator]:
    """Make the entry's vehicles those just listed; return coordinators of new ones (unread).

    A kept vehicle takes the permissions granted now; one no longer connected loses its
    coordinator, device (with its entities) and repairs. The list is stored for the next set-up.
    """
    coordinators = entry.runtime_data.coordinators
    current = {connection.vehicle_id: connection for connection in connections}
    for vehicle_id in list(coordinators):
        if vehicle_id in current:
            coordinators[vehicle_id].connection = current[vehicle_id]
        else:
            await coordinators.pop(vehicle_id).async_shutdown()
    async_remove_devices(hass, entry, current)
    await async_save_known_vehicles(hass, entry.data[CONF_USER_ID], connections)
    return [
        SmartcarVehicleCoordinator(hass, entry, connection)
        for vehicle_id, connection in current.items()
        if vehicle_id not in coordinators
    ]


@callback
def async_track_connections(hass: HomeAssistant, entry: SmartcarConfigEntry) -> None:
    """Add the vehicles connected since and prune those gone, once a day while loaded."""

    async def check(_now: datetime) -> None:
        try:
            connections = await async_list_connections(entry)
        except SmartcarError as err:
            # The next check tries again; the vehicles' own polls report real failures.
            LOGGER.debug("Checking the connected vehicles failed: %s", err)
            return
        for coordinator in await async_take_connections(hass, entry, connections):
            await coordinator.async_refresh()
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
