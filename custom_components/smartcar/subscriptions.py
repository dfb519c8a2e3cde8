"""Vehicles no webhook subscription covers: they still set up, a repair says what to do.

Smartcar may have no data for a vehicle that is not subscribed to a webhook: `GET /signals`
answers 404 or an empty list (`api.management.is_missing_data`). Such a vehicle reads as
"no data yet" instead of failing, so the entry sets up and its device appears; a repair issue
per vehicle explains how to subscribe it and clears itself when data arrives (by poll or
webhook). With the application management token in the options, the integration subscribes
the vehicle itself through the Management API, and unsubscribes when the entry is removed.
"""

from __future__ import annotations

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.config_entry_oauth2_flow import (
    OAuth2Session,
    async_get_config_entry_implementation,
)

from .api import AbstractAuth, SmartcarError
from .api.management import SmartcarManagement
from .const import (
    CONF_MANAGEMENT_TOKEN,
    CONF_SMARTCAR_WEBHOOK_ID,
    CONF_USER_ID,
    DOMAIN,
    LOGGER,
    smartcar_settings,
)
from .coordinator import SmartcarConfigEntry, SmartcarVehicleCoordinator
from .issues import async_create_vehicle_issue, async_delete_vehicle_issue
from .oauth import ConfigEntryAuth
from .webhook import webhook_callback_url

ISSUE = "vehicle_not_subscribed"


class SubscriptionWatch:
    """One entry's vehicles without data: their repair issues, and subscribing them."""

    def __init__(
        self, hass: HomeAssistant, entry: SmartcarConfigEntry, auth: AbstractAuth
    ) -> None:
        """Bind the entry; the management client exists only with a management token."""
        self.hass = hass
        self.entry = entry
        self.management = _management(hass, entry, auth)
        self.without_data: set[str] = set()
        # The vehicles followed (once per set-up) and those waiting for the entry to load.
        self._followed: set[str] = set()
        self._pending: list[SmartcarVehicleCoordinator] = []
        self._webhook_id: str | None = None
        # The issues go with the entry's unload; the next set-up raises them again if needed.
        entry.async_on_unload(self._async_clear_issues)
        entry.async_on_unload(entry.async_on_state_change(self._async_start_pending))

    @callback
    def _async_clear_issues(self) -> None:
        for vehicle_id in self.without_data:
            async_delete_vehicle_issue(self.hass, ISSUE, vehicle_id)
        self.without_data.clear()

    @callback
    def async_note(
        self, coordinator: SmartcarVehicleCoordinator, *, has_data: bool
    ) -> None:
        """Record whether a vehicle has data; raise or clear its issue; subscribe it."""
        vehicle_id = coordinator.vehicle_id
        if has_data:
            if vehicle_id in self.without_data:
                self.without_data.discard(vehicle_id)
                async_delete_vehicle_issue(self.hass, ISSUE, vehicle_id)
            return
        if vehicle_id not in self.without_data:
            self.without_data.add(vehicle_id)
            async_create_vehicle_issue(
                self.hass, ISSUE, vehicle_id, coordinator.vehicle_name
            )
        if vehicle_id in self._followed:
            return
        self._followed.add(vehicle_id)

        @callback
        def check() -> None:  # any data clears the issue at once, also by webhook
            if coordinator.data is not None and coordinator.data.signals:
                self.async_note(coordinator, has_data=True)

        self.entry.async_on_unload(coordinator.async_add_listener(check))
        if self.management is not None:
            self._pending.append(coordinator)
            self._async_start_pending()

    @callback
    def _async_start_pending(self) -> None:
        # Only once the entry is loaded: Smartcar's first delivery follows at once, and a
        # delivery during set-up would find no vehicle to apply it to.
        while self._pending and self.entry.state is ConfigEntryState.LOADED:
            self.entry.async_create_background_task(
                self.hass,
                self.async_subscribe(self._pending.pop(0)),
                f"{DOMAIN} subscribe vehicle",
            )

    async def async_subscribe(self, coordinator: SmartcarVehicleCoordinator) -> bool:
        """Subscribe a vehicle to this entry's webhook; False when that is not possible."""
        if self.management is None:
            return False
        vehicle_id, name = coordinator.vehicle_id, coordinator.vehicle_name
        try:
            if self._webhook_id is None:
                self._webhook_id = await _find_webhook_id(
                    self.hass, self.entry, self.management
                )
            if self._webhook_id is None:
                LOGGER.warning(
                    "Cannot subscribe %s: no Smartcar webhook delivers to this Home"
                    " Assistant's webhook URL",
                    name,
                )
                return False
            created = await self.management.async_subscribe(
                self._webhook_id, self.entry.data[CONF_USER_ID], vehicle_id
            )
        except SmartcarError as err:
            LOGGER.warning("Subscribing %s to the webhook failed: %s", name, err)
            return False
        already = "Subscribed" if created else "Smartcar already had subscribed"
        LOGGER.info("%s %s to the webhook", already, name)
        return True


def _management(
    hass: HomeAssistant, entry: SmartcarConfigEntry, auth: AbstractAuth
) -> SmartcarManagement | None:
    """Return the Management API client, or None without a management token."""
    if not (token := entry.options.get(CONF_MANAGEMENT_TOKEN)):
        return None
    session = async_get_clientsession(hass)
    return SmartcarManagement(session, auth, str(token), smartcar_settings())


async def _find_webhook_id(
    hass: HomeAssistant, entry: SmartcarConfigEntry, management: SmartcarManagement
) -> str | None:
    if chosen := entry.options.get(CONF_SMARTCAR_WEBHOOK_ID):
        return str(chosen)
    if (url := webhook_callback_url(hass, entry).url) is None:
        return None
    return await management.async_find_webhook(url)


async def async_unsubscribe_entry(
    hass: HomeAssistant, entry: SmartcarConfigEntry
) -> None:
    """Unsubscribe the entry's vehicles from its webhook (entry removal); never raises."""
    try:
        implementation = await async_get_config_entry_implementation(hass, entry)
    except ValueError:
        return
    auth = ConfigEntryAuth(OAuth2Session(hass, entry, implementation))
    if (management := _management(hass, entry, auth)) is None:
        return
    try:
        if not (webhook_id := await _find_webhook_id(hass, entry, management)):
            return
        removed = await management.async_unsubscribe(
            webhook_id, entry.data[CONF_USER_ID]
        )
    except SmartcarError as err:
        LOGGER.warning("Unsubscribing the vehicles from the webhook failed: %s", err)
        return
    LOGGER.debug("Removed %s webhook subscriptions", removed)
