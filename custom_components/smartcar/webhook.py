"""Smartcar webhooks: verified, signed pushes of vehicle signals and errors.

The handler only checks and applies what arrived (no network I/O), so Smartcar always gets its
answer well within its 15 s limit.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping
import hashlib
import hmac
from http import HTTPStatus
import json
import logging
from typing import Any, Final

from aiohttp import web
from aiohttp.hdrs import METH_POST
from homeassistant.components import webhook
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.network import NoURLAvailableError

from .api import ErrorDetail, parse_signal
from .api.parsing import as_list, as_mapping, as_str
from .const import CONF_CLOUDHOOK_URL, CONF_MANAGEMENT_TOKEN, CONF_WEBHOOK_ID, DOMAIN
from .coordinator import (
    SmartcarConfigEntry,
    SmartcarVehicleCoordinator,
    find_coordinator,
)

_LOGGER = logging.getLogger(__name__)

SIGNATURE_HEADER: Final = "SC-Signature"
MAX_BODY_BYTES: Final = 1024 * 1024
# Smartcar retries a delivery with the same eventId; remember this many to apply each once.
SEEN_EVENTS: Final = 1000


def hmac_hex(key: str, message: bytes) -> str:
    """Return hex HMAC-SHA256 of `message` keyed with `key` (the management token)."""
    return hmac.new(key.encode(), message, hashlib.sha256).hexdigest()


def _answer(http_status: HTTPStatus, **body: str) -> web.Response:
    return web.json_response(body, status=http_status)


class SmartcarWebhookHandler:
    """Receives the deliveries for one config entry's webhook URL."""

    def __init__(self, hass: HomeAssistant, entry: SmartcarConfigEntry) -> None:
        """Bind the entry whose management token signs the deliveries."""
        self._hass = hass
        self._entry = entry
        self._seen: OrderedDict[str, None] = OrderedDict()
        self.verified = False

    @property
    def _token(self) -> str | None:
        return self._entry.options.get(CONF_MANAGEMENT_TOKEN) or None

    async def async_handle(
        self, hass: HomeAssistant, webhook_id: str, request: web.Request
    ) -> web.Response:
        """Check and apply one delivery."""
        body = await _read_body(request)
        if body is None:
            return _answer(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, error="body too large")
        try:
            event = json.loads(body)
        except ValueError:
            return _answer(HTTPStatus.BAD_REQUEST, error="body is not JSON")
        if not isinstance(event, Mapping):
            return _answer(HTTPStatus.BAD_REQUEST, error="body is not a JSON object")
        token = self._token
        if token is None:
            _LOGGER.warning(
                "A Smartcar webhook delivery arrived, but no Application Management Token is set "
                "in the integration's options; it cannot be checked and is refused"
            )
            return _answer(
                HTTPStatus.UNAUTHORIZED, error="management token not configured"
            )
        if _is_verify(event):
            return self._verify(event, token)
        signature = request.headers.get(SIGNATURE_HEADER, "")
        if not hmac.compare_digest(signature.lower(), hmac_hex(token, body)):
            _LOGGER.warning(
                "Refused a Smartcar webhook delivery with a missing or wrong signature"
            )
            return _answer(HTTPStatus.UNAUTHORIZED, error="invalid signature")
        return self._apply(event)

    def _verify(self, event: Mapping[str, Any], token: str) -> web.Response:
        challenge = as_str(as_mapping(event.get("data")).get("challenge")) or as_str(
            as_mapping(event.get("payload")).get("challenge")
        )
        if not challenge:
            return _answer(HTTPStatus.BAD_REQUEST, error="no challenge")
        self.verified = True
        _LOGGER.info("Answered Smartcar's webhook verification")
        return _answer(HTTPStatus.OK, challenge=hmac_hex(token, challenge.encode()))

    def _apply(self, event: Mapping[str, Any]) -> web.Response:
        event_id = as_str(event.get("eventId"))
        if event_id is not None and event_id in self._seen:
            return _answer(HTTPStatus.OK, status="duplicate")
        meta = as_mapping(event.get("meta"))
        if (as_str(meta.get("mode")) or "").upper() == "TEST":
            _LOGGER.info("Received Smartcar's test webhook delivery (not applied)")
            return _answer(HTTPStatus.OK, status="test")
        data = as_mapping(event.get("data"))
        vehicle_id = as_str(event.get("vehicleId")) or as_str(
            as_mapping(data.get("vehicle")).get("id")
        )
        coordinator = self._coordinator(vehicle_id)
        event_type = as_str(event.get("eventType"))
        if coordinator is None or event_type not in ("VEHICLE_STATE", "VEHICLE_ERROR"):
            _LOGGER.debug(
                "Ignored a Smartcar %s delivery for a vehicle not set up here",
                event_type,
            )
            return _answer(HTTPStatus.OK, status="ignored")
        if event_type == "VEHICLE_STATE":
            signals = [
                signal
                for element in as_list(data.get("signals"))
                if (signal := parse_signal(as_mapping(element))) is not None
            ]
            coordinator.async_push(signals)
        else:
            _apply_errors(coordinator, as_list(data.get("errors")))
        if event_id is not None:
            self._seen[event_id] = None
            if len(self._seen) > SEEN_EVENTS:
                self._seen.popitem(last=False)
        return _answer(HTTPStatus.OK, status="applied")

    def _coordinator(self, vehicle_id: str | None) -> SmartcarVehicleCoordinator | None:
        """Find the vehicle in any loaded entry (one callback URL may serve several users)."""
        return find_coordinator(self._hass, vehicle_id) if vehicle_id else None


async def _read_body(request: web.Request) -> bytes | None:
    """Read the raw body (the signature covers these bytes), or None past the size limit."""
    body = bytearray()
    while chunk := await request.content.read(64 * 1024):
        body += chunk
        if len(body) > MAX_BODY_BYTES:
            return None
    return bytes(body)


def _is_verify(event: Mapping[str, Any]) -> bool:
    return event.get("eventType") == "VERIFY" or event.get("eventName") == "verify"


def _apply_errors(coordinator: SmartcarVehicleCoordinator, errors: list[Any]) -> None:
    """Show the latest reported error, or clear it once Smartcar reports it RESOLVED."""
    for raw in map(as_mapping, errors):
        error = ErrorDetail.from_json(raw, "UNKNOWN")
        resolved = (as_str(raw.get("state")) or "").upper() == "RESOLVED"
        coordinator.async_set_problem(None if resolved else error)


async def async_setup_webhook(
    hass: HomeAssistant, entry: SmartcarConfigEntry
) -> SmartcarWebhookHandler:
    """Register the entry's webhook (and its cloudhook when Home Assistant Cloud is active)."""
    if CONF_WEBHOOK_ID not in entry.data:
        hass.config_entries.async_update_entry(
            entry, data={**entry.data, CONF_WEBHOOK_ID: webhook.async_generate_id()}
        )
    webhook_id: str = entry.data[CONF_WEBHOOK_ID]
    handler = SmartcarWebhookHandler(hass, entry)
    webhook.async_register(
        hass,
        DOMAIN,
        "Smartcar",
        webhook_id,
        handler.async_handle,
        allowed_methods=[METH_POST],
    )
    entry.async_on_unload(lambda: webhook.async_unregister(hass, webhook_id))
    if _cloud_active(hass) and CONF_CLOUDHOOK_URL not in entry.data:
        from homeassistant.components import cloud  # noqa: PLC0415

        url = await cloud.async_create_cloudhook(hass, webhook_id)
        hass.config_entries.async_update_entry(
            entry, data={**entry.data, CONF_CLOUDHOOK_URL: url}
        )
    return handler


@callback
def _cloud_active(hass: HomeAssistant) -> bool:
    """Whether Home Assistant Cloud is loaded with an active subscription.

    The cloud component is imported only when it is loaded: importing it pulls in heavy
    dependencies that a Home Assistant without Cloud need not have.
    """
    if "cloud" not in hass.config.components:
        return False
    from homeassistant.components import cloud  # noqa: PLC0415

    return cloud.async_active_subscription(hass)


@callback
def webhook_url(hass: HomeAssistant, entry: SmartcarConfigEntry) -> str | None:
    """Return the URL to paste into the Smartcar Dashboard, or None without a reachable URL."""
    if cloudhook := entry.data.get(CONF_CLOUDHOOK_URL):
        return str(cloudhook)
    if CONF_WEBHOOK_ID not in entry.data:
        return None
    try:
        return webhook.async_generate_url(hass, entry.data[CONF_WEBHOOK_ID])
    except NoURLAvailableError:
        return None


async def async_remove_webhook(hass: HomeAssistant, entry: SmartcarConfigEntry) -> None:
    """Delete the entry's cloudhook."""
    if CONF_CLOUDHOOK_URL in entry.data and _cloud_active(hass):
        from homeassistant.components import cloud  # noqa: PLC0415

        try:
            await cloud.async_delete_cloudhook(hass, entry.data[CONF_WEBHOOK_ID])
        except cloud.CloudNotAvailable:
            _LOGGER.debug("Home Assistant Cloud is not available; the cloudhook stays")
