"""The Smartcar integration: connected cars through the Smartcar v3 API."""

from __future__ import annotations

import asyncio

from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import ConfigEntryAuthFailed, ConfigEntryNotReady
from homeassistant.helpers import config_validation as cv, device_registry as dr
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.config_entry_oauth2_flow import (
    OAuth2Session,
    async_get_config_entry_implementation,
)
from homeassistant.helpers.typing import ConfigType

from .api import Connection, SmartcarClient, SmartcarError, bucket_for
from .api.contract import Endpoint
from .budget import RequestBudget
from .command_support import CommandSupport
from .const import (
    CONF_MODE,
    CONF_MONTHLY_BUDGET,
    CONF_USER_ID,
    DEFAULT_MONTHLY_BUDGET,
    DOMAIN,
    PLATFORMS,
    smartcar_settings,
)
from .coordinator import (
    SmartcarConfigEntry,
    SmartcarRuntimeData,
    SmartcarVehicleCoordinator,
)
from .known_vehicles import KnownVehicles, take_handed_over
from .oauth import ConfigEntryAuth
from .problems import needs_reauthentication
from .services import async_setup_services, schedule_contract_memory
from .subscriptions import SubscriptionWatch, WatchedClient, async_unsubscribe_entry
from .vehicles import (
    async_remove_entry_issues,
    async_remove_vehicle,
    async_track_connections,
    make_coordinator,
    vehicle_ids,
)
from .webhook import async_remove_webhook, async_setup_webhook

CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Register the integration's actions (once, whatever the number of entries)."""
    async_setup_services(hass)
    return True


async def async_setup_entry(hass: HomeAssistant, entry: SmartcarConfigEntry) -> bool:
    """Set up one Smartcar user's vehicles."""
    # First, so that deliveries while set-up retries are answered "retry later", not lost.
    await async_setup_webhook(hass, entry)
    implementation = await async_get_config_entry_implementation(hass, entry)
    auth = ConfigEntryAuth(OAuth2Session(hass, entry, implementation))
    budget = RequestBudget(
        hass,
        entry.entry_id,
        int(entry.options.get(CONF_MONTHLY_BUDGET, DEFAULT_MONTHLY_BUDGET)),
    )
    await budget.async_load()
    commands = CommandSupport(hass, entry.entry_id)
    await commands.async_load()

    @callback
    def count_request(_endpoint: Endpoint, vehicle_id: str | None) -> None:
        if vehicle_id is not None:
            budget.async_record(vehicle_id)

    client = WatchedClient(  # vehicles without a webhook subscription: subscriptions.py
        SubscriptionWatch(hass, entry, auth),
        async_get_clientsession(hass),
        auth,
        smartcar_settings(),
        on_request=count_request,
        **schedule_contract_memory(hass, entry),
        # Every entry of the same application shares Smartcar's application rate limit.
        limiter=bucket_for(getattr(implementation, "client_id", entry.entry_id)),
    )
    user_id: str = entry.data[CONF_USER_ID]
    entry.runtime_data = SmartcarRuntimeData(client, budget, {}, commands)
    # The vehicles known from the last run (or, for a new entry, those its config flow just
    # listed) are read at once, while Smartcar lists the connections (one round trip, not
    # two); the listing then corrects the list.
    known = KnownVehicles(hass, entry.entry_id)
    stored = take_handed_over(hass, user_id) or await known.async_load(user_id) or []
    early = {c.vehicle_id: make_coordinator(hass, entry, c) for c in stored}
    listing, reads = await asyncio.gather(
        _async_list_connections(client, entry),
        _async_first_refresh(list(early.values())),
        return_exceptions=True,
    )
    if isinstance(listing, BaseException):
        await budget.async_flush()
        raise listing
    connections = listing
    await known.async_save(connections)
    current = {c.vehicle_id: c for c in connections}
    coordinators: dict[str, SmartcarVehicleCoordinator] = {}
    for vehicle_id, coordinator in early.items():
        if vehicle_id in current:
            coordinator.connection = current[vehicle_id]  # permissions as granted now
            coordinators[vehicle_id] = coordinator
        else:
            await coordinator.async_shutdown()  # no longer connected
    entry.runtime_data.coordinators.update(coordinators)
    late = {
        c.vehicle_id: make_coordinator(hass, entry, c)
        for c in connections
        if c.vehicle_id not in coordinators
    }
    entry.runtime_data.coordinators.update(late)
    try:
        if isinstance(reads, BaseException):
            raise reads
        try:
            await _async_first_refresh(list(late.values()))
        except ConfigEntryNotReady:
            if not coordinators:
                raise  # no vehicle at all could be read
    except ConfigEntryAuthFailed, ConfigEntryNotReady:
        # The vehicles were read: keep the count for the next attempt, which reads it back.
        await budget.async_flush()
        raise
    _async_remove_stale_devices(hass, entry, connections)
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    async_track_connections(hass, entry)
    return True


async def _async_list_connections(
    client: SmartcarClient, entry: SmartcarConfigEntry
) -> list[Connection]:
    """List the user's connected vehicles; a failure fails the set-up (reauth or retry)."""
    try:
        connections: list[Connection] = await client.async_get_connections(
            user_id=entry.data[CONF_USER_ID], mode=entry.data.get(CONF_MODE)
        )
    except SmartcarError as err:
        if needs_reauthentication(err):
            raise ConfigEntryAuthFailed(
                translation_domain=DOMAIN,
                translation_key="auth_failed",
                translation_placeholders={"error": str(err)},
            ) from err
        raise ConfigEntryNotReady(
            translation_domain=DOMAIN,
            translation_key="setup_failed",
            translation_placeholders={"error": str(err)},
        ) from err
    return connections


async def _async_first_refresh(coordinators: list[SmartcarVehicleCoordinator]) -> None:
    """Read every vehicle at once; one vehicle's failure does not hold back the others.

    Each read has first-refresh semantics (nothing logged at ERROR before "not ready"). A
    vehicle that fails gets its entities when a later poll succeeds. Only when every vehicle
    fails is the entry retried as a whole; a failure only the owner can fix starts reauth.
    """
    results = await asyncio.gather(
        *(c.async_config_entry_first_refresh() for c in coordinators),
        return_exceptions=True,
    )
    failures = [result for result in results if isinstance(result, BaseException)]
    for failure in failures:
        if isinstance(failure, ConfigEntryAuthFailed):
            raise failure
    for failure in failures:
        if not isinstance(failure, ConfigEntryNotReady):
            raise failure
    if failures and len(failures) == len(coordinators):
        raise ConfigEntryNotReady(
            translation_domain=DOMAIN,
            translation_key="setup_failed",
            translation_placeholders={"error": str(coordinators[0].last_exception)},
        ) from failures[0]


def _async_remove_stale_devices(
    hass: HomeAssistant, entry: SmartcarConfigEntry, connections: list[Connection]
) -> None:
    """Drop the devices (and repairs) of vehicles no longer connected to this user."""
    current = {connection.vehicle_id for connection in connections}
    registry = dr.async_get(hass)
    for device in dr.async_entries_for_config_entry(registry, entry.entry_id):
        for vehicle_id in vehicle_ids(device):
            if vehicle_id not in current:
                async_remove_vehicle(hass, entry, vehicle_id)


async def async_remove_config_entry_device(
    hass: HomeAssistant, entry: SmartcarConfigEntry, device: dr.DeviceEntry
) -> bool:
    """Let the owner delete a vehicle's device once the vehicle is no longer connected."""
    return not any(
        vehicle_id in entry.runtime_data.coordinators
        for vehicle_id in vehicle_ids(device)
    )


async def async_unload_entry(hass: HomeAssistant, entry: SmartcarConfigEntry) -> bool:
    """Unload a config entry, keeping the month's request counts."""
    await entry.runtime_data.budget.async_flush()
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)


async def async_remove_entry(hass: HomeAssistant, entry: SmartcarConfigEntry) -> None:
    """Delete the entry's cloudhook, request counts, known vehicles, refused commands, repairs."""
    async_remove_entry_issues(hass, entry)
    await async_unsubscribe_entry(hass, entry)
    await async_remove_webhook(hass, entry)
    await RequestBudget(hass, entry.entry_id, DEFAULT_MONTHLY_BUDGET).async_remove()
    await KnownVehicles(hass, entry.entry_id).async_remove()
    await CommandSupport(hass, entry.entry_id).async_remove()
