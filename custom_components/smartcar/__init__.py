"""The Smartcar integration: connected cars through the Smartcar v3 API."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable

from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import ConfigEntryAuthFailed, ConfigEntryNotReady
from homeassistant.helpers import config_validation as cv, device_registry as dr
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.config_entry_oauth2_flow import (
    OAuth2Session,
    async_get_config_entry_implementation,
)
from homeassistant.helpers.typing import ConfigType

from .api import SmartcarClient, SmartcarError, bucket_for
from .api.contract import Endpoint
from .budget import RequestBudget
from .const import (
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
from .issues import failure
from .oauth import ConfigEntryAuth
from .refused_commands import RefusedCommands
from .services import async_setup_services, schedule_contract_memory
from .subscriptions import SubscriptionWatch, async_unsubscribe_entry
from .vehicles import (
    async_forget_vehicle,
    async_list_connections,
    async_load_known_vehicles,
    async_remove_devices,
    async_take_connections,
    async_track_connections,
    known_vehicles,
    vehicle_ids,
)
from .webhook import async_remove_webhook, async_setup_webhook

CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Register the integration's actions (once, whatever the number of entries)."""
    async_setup_services(hass)
    return True


async def async_setup_entry(hass: HomeAssistant, entry: SmartcarConfigEntry) -> bool:
    """Set up one Smartcar user's vehicles: vehicles, coordinators, first refresh, platforms."""
    # First, so that deliveries while the entry sets up are verified and held, not lost.
    await async_setup_webhook(hass, entry)
    implementation = await async_get_config_entry_implementation(hass, entry)
    auth = ConfigEntryAuth(OAuth2Session(hass, entry, implementation))
    monthly = int(entry.options.get(CONF_MONTHLY_BUDGET, DEFAULT_MONTHLY_BUDGET))
    budget = RequestBudget(hass, entry.entry_id, monthly)
    await budget.async_load()
    commands = RefusedCommands(hass, entry.entry_id)
    await commands.async_load()

    @callback
    def count_request(_endpoint: Endpoint, vehicle_id: str | None) -> None:
        if vehicle_id is not None:
            budget.async_record(vehicle_id)

    client = SmartcarClient(
        async_get_clientsession(hass),
        auth,
        smartcar_settings(),
        on_request=count_request,
        **schedule_contract_memory(hass, entry),
        # Every entry of the same application shares Smartcar's application rate limit.
        limiter=bucket_for(getattr(implementation, "client_id", entry.entry_id)),
    )
    watch = SubscriptionWatch(hass, entry, auth)
    entry.runtime_data = SmartcarRuntimeData(client, budget, {}, commands, watch)
    try:
        await _async_read_vehicles(hass, entry)
    except SmartcarError as err:  # listing the vehicles failed
        raise failure(err, ConfigEntryNotReady, "setup_failed") from err
    finally:
        # The vehicles were read: a failed attempt keeps the count for the next one.
        await budget.async_flush()
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    async_track_connections(hass, entry)
    return True


async def _async_read_vehicles(hass: HomeAssistant, entry: SmartcarConfigEntry) -> None:
    """Make a coordinator per vehicle and read them all at once.

    The vehicles known from the last run (or the config flow) are read while Smartcar lists
    the connections (one round trip, not two), and the listing then corrects them; without a
    stored list the entry reads the listing.
    Each read has first-refresh semantics (nothing logged at ERROR before "not ready"). A
    vehicle that fails gets its entities when a later poll succeeds: only when no vehicle can
    be read is the entry retried as a whole; a failure only the owner can fix starts reauth.
    A vehicle stored as missing from earlier lists is not read (until listed again); a read of
    one the listing leaves out does not count.
    """
    coordinators = entry.runtime_data.coordinators
    stored = await async_load_known_vehicles(hass, entry)
    listing = entry.async_create_task(hass, async_list_connections(entry))
    for connection, missing in stored or [(c, 0) for c in await listing]:
        coordinator = SmartcarVehicleCoordinator(hass, entry, connection)
        coordinator.missing = missing
        coordinators[connection.vehicle_id] = coordinator
    reads = await _async_first_refresh(
        c for c in coordinators.values() if not c.missing
    )
    new = await async_take_connections(hass, entry, await listing)
    coordinators.update((coordinator.vehicle_id, coordinator) for coordinator in new)
    reads += await _async_first_refresh(new)
    failures = [failed for c, failed in reads if not c.missing]
    read_any = any(
        c.last_update_success for c in coordinators.values() if not c.missing
    )
    # A failure only the owner can fix first, then any unexpected one.
    errors = sorted(failures, key=lambda e: not isinstance(e, ConfigEntryAuthFailed))
    for failed in errors:
        if not (read_any and isinstance(failed, ConfigEntryNotReady)):
            raise failed


async def _async_first_refresh(
    coordinators: Iterable[SmartcarVehicleCoordinator],
) -> list[tuple[SmartcarVehicleCoordinator, BaseException]]:
    """Read the vehicles at once; return the failures (one does not hold back the others)."""
    reading = list(coordinators)
    results = await asyncio.gather(
        *(c.async_config_entry_first_refresh() for c in reading),
        return_exceptions=True,
    )
    return [
        (coordinator, result)
        for coordinator, result in zip(reading, results, strict=True)
        if isinstance(result, BaseException)
    ]


async def async_remove_config_entry_device(
    hass: HomeAssistant, entry: SmartcarConfigEntry, device: dr.DeviceEntry
) -> bool:
    """Let the owner delete a vehicle's device once the vehicle is no longer connected.

    A vehicle the connection list left out is then forgotten (not stored, its repairs gone).
    """
    coordinators = entry.runtime_data.coordinators
    ids = vehicle_ids(device)
    if any(v in coordinators and not coordinators[v].missing for v in ids):
        return False
    for vehicle_id in ids:
        await async_forget_vehicle(hass, entry, vehicle_id, remove_device=False)
    return True


async def async_unload_entry(hass: HomeAssistant, entry: SmartcarConfigEntry) -> bool:
    """Unload a config entry, keeping the month's request counts."""
    await entry.runtime_data.budget.async_flush()
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)


async def async_remove_entry(hass: HomeAssistant, entry: SmartcarConfigEntry) -> None:
    """Delete the entry's cloudhook, request counts, known vehicles, refused commands, repairs."""
    async_remove_devices(hass, entry)
    await async_unsubscribe_entry(hass, entry)
    await async_remove_webhook(hass, entry)
    await RequestBudget(hass, entry.entry_id, DEFAULT_MONTHLY_BUDGET).async_remove()
    await known_vehicles(hass, entry.data[CONF_USER_ID]).async_remove()
    await RefusedCommands(hass, entry.entry_id).async_remove()
