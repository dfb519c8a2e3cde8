"""The entry's vehicles over time: new ones added and gone ones pruned without a reload.

Once a day the entry asks Smartcar which vehicles its user has connected (`GET /connections`,
no vehicle request, so nothing of any car's monthly budget). A vehicle connected since gets its
coordinator, device and entities; one no longer connected loses them, and its repairs.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Final

from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.event import async_track_time_interval

from .api import Connection, SmartcarError
from .const import CONF_MODE, CONF_USER_ID, DOMAIN, LOGGER
from .coordinator import ISSUE_KINDS, SmartcarConfigEntry, SmartcarVehicleCoordinator
from .problems import async_delete_vehicle_issue

CONNECTIONS_CHECK_INTERVAL: Final = timedelta(days=1)


def vehicle_ids(device: dr.BaseDeviceEntry) -> list[str]:
    """Return the Smartcar vehicle ids among a device's identifiers."""
    return [vehicle_id for domain, vehicle_id in device.identifiers if domain == DOMAIN]


def make_coordinator(
    hass: HomeAssistant, entry: SmartcarConfigEntry, connection: Connection
) -> SmartcarVehicleCoordinator:
    """Return the coordinator of one connected vehicle of the entry's user."""
    runtime = entry.runtime_data
    return SmartcarVehicleCoordinator(
        hass,
        entry,
        runtime.client.vehicle(connection.vehicle_id, entry.data[CONF_USER_ID]),
        connection,
        budget=runtime.budget,
    )


@callback
def async_track_connections(hass: HomeAssistant, entry: SmartcarConfigEntry) -> None:
    """Check the user's connected vehicles once a day while the entry is loaded."""

    async def check(_now: datetime) -> None:
        await async_check_connections(hass, entry)

    entry.async_on_unload(
        async_track_time_interval(
            hass,
            check,
            CONNECTIONS_CHECK_INTERVAL,
            name=f"{DOMAIN} connections check",
            cancel_on_shutdown=True,
        )
    )


async def async_check_connections(
    hass: HomeAssistant, entry: SmartcarConfigEntry
) -> None:
    """Add the vehicles connected since set-up and prune those no longer connected."""
    runtime = entry.runtime_data
    try:
        connections = await runtime.client.async_get_connections(
            user_id=entry.data[CONF_USER_ID], mode=entry.data.get(CONF_MODE)
        )
    except SmartcarError as err:
        # The next daily check tries again; the vehicles' own polls report real failures.
        LOGGER.debug("Checking the connected vehicles failed: %s", err)
        return
    current = {connection.vehicle_id: connection for connection in connections}
    for vehicle_id, connection in current.items():
        if vehicle_id not in runtime.coordinators:
            coordinator = make_coordinator(hass, entry, connection)
            await coordinator.async_refresh()
            runtime.async_add_vehicle(coordinator)
    for vehicle_id in [v for v in runtime.coordinators if v not in current]:
        coordinator = runtime.coordinators.pop(vehicle_id)
        await coordinator.async_shutdown()
        async_remove_vehicle(hass, entry, vehicle_id)


@callback
def async_remove_vehicle(
    hass: HomeAssistant, entry: SmartcarConfigEntry, vehicle_id: str
) -> None:
    """Remove a vehicle's device (with its entities) and its repair issues from the entry."""
    registry = dr.async_get(hass)
    device = registry.async_get_device(identifiers={(DOMAIN, vehicle_id)})
    if device is not None:
        registry.async_update_device(device.id, remove_config_entry_id=entry.entry_id)
    async_remove_vehicle_issues(hass, vehicle_id)


@callback
def async_remove_vehicle_issues(hass: HomeAssistant, vehicle_id: str) -> None:
    """Delete every repair issue the integration raised for a vehicle."""
    for kind in ISSUE_KINDS:
        async_delete_vehicle_issue(hass, kind, vehicle_id)


@callback
def async_remove_entry_issues(hass: HomeAssistant, entry: SmartcarConfigEntry) -> None:
    """Delete the repair issues of every vehicle whose device belongs to the entry."""
    registry = dr.async_get(hass)
    for device in dr.async_entries_for_config_entry(registry, entry.entry_id):
        for vehicle_id in vehicle_ids(device):
            async_remove_vehicle_issues(hass, vehicle_id)
