"""Vehicles no webhook subscription covers: they still set up, a repair says what to do.

Smartcar may have no data for a vehicle that is not subscribed to a webhook: `GET /signals`
answers 404 or an empty list (`api.management.is_missing_data`). Such a vehicle reads as
"no data yet" instead of failing, so the entry sets up and its device appears; a repair issue
per vehicle explains how to subscribe it and clears itself when data arrives (by poll or
webhook). With the application management token in the options, the integration subscribes
the vehicle itself through the Management API (with the application token, as the docs name
it), and unsubscribes when the entry is removed. It never subscribes a vehicle to a webhook
Smartcar lists as disabled: the repair says to enable it instead. Where the webhook sends its
error events (`errorCallbackUri`) shows in diagnostics (ours or elsewhere, never the URL).
The URL Smartcar must call (`webhook_callback_url`) is chosen here too.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any, Literal

from homeassistant.components import webhook
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.config_entry_oauth2_flow import (
    OAuth2Session,
    async_get_config_entry_implementation,
)
from homeassistant.helpers.network import NoURLAvailableError

from .api import AbstractAuth, SmartcarError
from .api.management import SmartcarManagement, Webhook
from .const import (
    CONF_CLOUDHOOK_URL,
    CONF_MANAGEMENT_TOKEN,
    CONF_SMARTCAR_WEBHOOK_ID,
    CONF_USER_ID,
    CONF_WEBHOOK_ID,
    DOMAIN,
    LOGGER,
    smartcar_settings,
)
from .coordinator import SmartcarConfigEntry, SmartcarVehicleCoordinator
from .issues import async_create_vehicle_issue, async_delete_vehicle_issue, issue_id
from .oauth import ConfigEntryAuth

ISSUE = "vehicle_not_subscribed"
# The same repair (same issue id) when the webhook that delivers here is disabled.
DISABLED_TRANSLATION = "vehicle_not_subscribed_webhook_disabled"


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
        # This entry's webhook at Smartcar, looked up once per set-up (then `_looked_up`).
        self.webhook: Webhook | None = None
        self._looked_up = False
        self._lookup_lock = asyncio.Lock()
        self._callback_url: str | None = None
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
            webhook = await self._async_webhook(self.management)
            if webhook is None:
                LOGGER.warning(
                    "Cannot subscribe %s: no Smartcar webhook delivers to this Home"
                    " Assistant's webhook URL",
                    name,
                )
                return False
            if webhook.is_enabled is False:
                LOGGER.warning(
                    "Not subscribing %s: the Smartcar webhook that delivers to Home"
                    " Assistant is disabled (enable it in the Smartcar Dashboard)",
                    name,
                )
                self._async_say_disabled(coordinator)
                return False
            created = await self.management.async_subscribe(
                webhook.id, self.entry.data[CONF_USER_ID], vehicle_id
            )
        except SmartcarError as err:
            LOGGER.warning("Subscribing %s to the webhook failed: %s", name, err)
            return False
        already = "Subscribed" if created else "Smartcar already had subscribed"
        LOGGER.info("%s %s to the webhook", already, name)
        return True

    async def _async_webhook(self, management: SmartcarManagement) -> Webhook | None:
        """Look this entry's webhook up once per set-up (a failure is asked again)."""
        async with self._lookup_lock:
            if not self._looked_up:
                self._callback_url = webhook_callback_url(self.hass, self.entry).url
                self.webhook = await _find_webhook(
                    self.entry, management, self._callback_url
                )
                self._looked_up = True
                if self.error_events() == "elsewhere":
                    LOGGER.info(
                        "Smartcar sends the webhook's error events to another URL:"
                        " vehicle errors reach Home Assistant only by polling"
                    )
        return self.webhook

    @callback
    def _async_say_disabled(self, coordinator: SmartcarVehicleCoordinator) -> None:
        """Turn the vehicle's repair into "the webhook is disabled" (same issue)."""
        if (vehicle_id := coordinator.vehicle_id) not in self.without_data:
            return
        ir.async_create_issue(
            self.hass,
            DOMAIN,
            issue_id(ISSUE, vehicle_id),
            is_fixable=False,
            severity=ir.IssueSeverity.WARNING,
            translation_key=DISABLED_TRANSLATION,
            translation_placeholders={"vehicle": coordinator.vehicle_name},
        )

    def error_events(self) -> str | None:
        """Where the webhook's error events go: "ours", "elsewhere"; None when unknown.

        Never the URL itself (it may hold a webhook id).
        """
        if (webhook := self.webhook) is None:
            return None
        uri = webhook.error_callback_uri
        ours = [url for url in (self._callback_url, webhook.callback_uri) if url]
        if uri is None or any(uri.rstrip("/") == url.rstrip("/") for url in ours):
            return "ours"
        return "elsewhere"

    def diagnostics(self) -> dict[str, Any] | None:
        """Return the webhook as Smartcar lists it (no id, no URL); None when not looked up."""
        if not self._looked_up:
            return None
        if (webhook := self.webhook) is None:
            return {"found": False}
        return {
            "found": True,
            "is_enabled": webhook.is_enabled,
            "auto_subscribe": webhook.auto_subscribe,
            "error_events": self.error_events(),
        }


def _management(
    hass: HomeAssistant, entry: SmartcarConfigEntry, auth: AbstractAuth
) -> SmartcarManagement | None:
    """Return the Management API client, or None without a management token.

    The client sends the application token (`auth`), never the management token; without
    the latter no delivery could be verified, so subscribing would bring nothing.
    """
    if not entry.options.get(CONF_MANAGEMENT_TOKEN):
        return None
    session = async_get_clientsession(hass)
    return SmartcarManagement(session, auth, settings=smartcar_settings())


async def _find_webhook(
    entry: SmartcarConfigEntry, management: SmartcarManagement, url: str | None
) -> Webhook | None:
    """Return the webhook chosen in the options (by id), else the one delivering to `url`."""
    if chosen := entry.options.get(CONF_SMARTCAR_WEBHOOK_ID):
        return await management.async_webhook(str(chosen))
    if url is None:
        return None
    return await management.async_get_webhook(url)


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
        url = webhook_callback_url(hass, entry).url
        if (webhook := await _find_webhook(entry, management, url)) is None:
            return
        removed = await management.async_unsubscribe(
            webhook.id, entry.data[CONF_USER_ID]
        )
    except SmartcarError as err:
        LOGGER.warning("Unsubscribing the vehicles from the webhook failed: %s", err)
        return
    LOGGER.debug("Removed %s webhook subscriptions", removed)


@dataclass(frozen=True, slots=True)
class CallbackUrl:
    """The URL to paste into the Smartcar Dashboard, and why Smartcar may not reach it.

    `problem` is None for a cloudhook or an external HTTPS URL; "not_https" for an external
    plain-HTTP URL; "internal" when only the local network URL exists; "missing" without any.
    """

    url: str | None
    problem: Literal["not_https", "internal", "missing"] | None = None


@callback
def webhook_callback_url(
    hass: HomeAssistant, entry: SmartcarConfigEntry
) -> CallbackUrl:
    """Return the best URL for Smartcar: the cloudhook, else the external URL, else the local one."""
    if cloudhook := entry.data.get(CONF_CLOUDHOOK_URL):
        return CallbackUrl(str(cloudhook))
    if CONF_WEBHOOK_ID not in entry.data:
        return CallbackUrl(None, "missing")
    webhook_id: str = entry.data[CONF_WEBHOOK_ID]
    try:
        url = webhook.async_generate_url(hass, webhook_id, allow_internal=False)
    except NoURLAvailableError:
        try:
            url = webhook.async_generate_url(hass, webhook_id)
        except NoURLAvailableError:
            return CallbackUrl(None, "missing")
        return CallbackUrl(url, "internal")
    return CallbackUrl(url, None if url.startswith("https://") else "not_https")
