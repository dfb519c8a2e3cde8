"""Smartcar webhooks: verified, signed pushes of vehicle signals and errors.

The webhook is registered while the entry is set up (or retrying its set-up) and unregistered
when it unloads, as core `withings` does; Home Assistant then answers for the unknown id. The
handler only checks and applies what arrived (no network I/O), so Smartcar always gets its
answer well within its 15 s limit. Smartcar's wire format is read in `api.delivery`.
Smartcar retries a delivery not answered 2xx at 0, 25, 50 and 100 s, then drops it (it ignores
`Retry-After`): a verified delivery while the entry sets up is held and applied once it loads.
"""

from __future__ import annotations

from collections import OrderedDict, deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from http import HTTPStatus
import logging
import time
from typing import Any, Final

from aiohttp import web
from aiohttp.hdrs import METH_POST
from homeassistant.components import webhook
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant, callback
from homeassistant.util.hass_dict import HassKey

from .api import Signal, VehicleSignals
from .api.contract import DELIVERY_SIGNATURE_FAILURES
from .api.delivery import (
    SIGNATURE_HEADER,
    EventType,
    VehicleError,
    WebhookEvent,
    WebhookPayloadError,
    parse_event,
    signature_valid,
    verify_answer,
)
from .const import (
    CONF_CLOUDHOOK_URL,
    CONF_MANAGEMENT_TOKEN,
    CONF_WEBHOOK_ID,
    CONF_WEBHOOK_VERIFIED,
    DOMAIN,
)
from .coordinator import SmartcarConfigEntry, SmartcarVehicleCoordinator
from .issues import async_set_entry_issue

_LOGGER = logging.getLogger(__name__)

# Smartcar retries a delivery with the same eventId; remember this many to apply each once.
SEEN_EVENTS: Final = 1000
# Smartcar sends a VERIFY when a webhook is created, its URL changes or "Verify" is pressed:
# a handful an hour at most. More than this a minute is someone else.
VERIFY_PER_MINUTE: Final = 5
# Signed deliveries failing their signature in a row, once the entry answered a VERIFY, before
# a repair says so (api.contract): each attempt and its retries 25 and 50 s later carry
# Smartcar's signature of the same bytes, so three rule out one stray forged request, or one
# racing the reload after the owner changed the token, and still tell within a minute.
SIGNATURE_FAILURES: Final = DELIVERY_SIGNATURE_FAILURES
SIGNATURE_ISSUE: Final = "webhook_signature_failing"
# While the entry sets up, verified deliveries are held for at most this many vehicles (the
# application's other users' vehicles are signed alike), with at most HELD_ERRORS open errors
# each, and HELD_BYTES of bodies in all; beyond, a delivery gets 503 (Smartcar retries it).
HELD_VEHICLES: Final = 25
HELD_ERRORS: Final = 20
HELD_BYTES: Final = 4 * 1024 * 1024
_LOADED: Final = ConfigEntryState.LOADED
# The states in which a verified delivery is held for the set-up to come.
_SETTING_UP: Final = frozenset(
    {ConfigEntryState.SETUP_IN_PROGRESS, ConfigEntryState.SETUP_RETRY}
)
# The entry states in which the webhook is registered (Home Assistant answers in the others).
_SERVING: Final = _SETTING_UP | {_LOADED, ConfigEntryState.UNLOAD_IN_PROGRESS}
# Each entry's handler, kept across set-up attempts (its state listener is added once).
_HANDLERS: HassKey[dict[str, SmartcarWebhookHandler]] = HassKey(f"{DOMAIN}_webhooks")


def _answer(http_status: HTTPStatus, **body: str) -> web.Response:
    return web.json_response(body, status=http_status)


@dataclass(slots=True)
class _Held:
    """A vehicle's deliveries held while the entry sets up.

    The newest signal per code (the one merge rule) and the latest word on each error: one per
    vehicle, bounded by the catalogue and HELD_ERRORS, whatever the number of deliveries.
    """

    signals: VehicleSignals | None = None  # None: no VEHICLE_STATE held
    errors: dict[object, VehicleError] = field(default_factory=dict)

    def take(self, event: WebhookEvent) -> None:
        """Keep what a verified delivery brought, over what was held."""
        if event.type is EventType.VEHICLE_STATE:
            self.signals = (self.signals or VehicleSignals()).merged(
                event.read_signals()
            )
        for error in event.read_errors():
            self.errors.pop(error.key, None)
            self.errors[error.key] = error
            if len(self.errors) > HELD_ERRORS:
                del self.errors[next(iter(self.errors))]

    def apply(self, coordinator: SmartcarVehicleCoordinator) -> None:
        """Apply it to the vehicle, as a delivery to the loaded entry."""
        signals = self.signals.signals.values() if self.signals is not None else None
        _deliver(coordinator, signals, self.errors.values())


@callback
def _deliver(
    coordinator: SmartcarVehicleCoordinator,
    signals: Iterable[Signal[Any]] | None,
    errors: Iterable[VehicleError],
) -> None:
    """Apply verified signals (None: no VEHICLE_STATE) and errors: the one merge path."""
    if signals is not None:  # newer signal wins, and deliveries count as delivering
        coordinator.async_push(signals)
    for error in errors:
        # Each error is its own problem; its RESOLVED clears only that one.
        coordinator.async_set_problem(
            error.key, None if error.resolved else error.detail, error.permissions
        )


class SmartcarWebhookHandler:
    """Receives the deliveries for one config entry's webhook URL; holds the entry's state."""

    def __init__(self, hass: HomeAssistant, entry: SmartcarConfigEntry) -> None:
        """Bind the entry whose management token signs the deliveries; follow its state."""
        self._hass = hass
        self._entry = entry
        self._seen: OrderedDict[str, None] = OrderedDict()
        self._verify_times: deque[float] = deque(maxlen=VERIFY_PER_MINUTE)
        self._next_refusal_log = 0.0
        # Signed deliveries in a row whose signature failed, and whether the repair shows.
        self._signature_failures = 0
        self._signature_issue = False
        self._held: dict[str, _Held] = {}
        self._held_bytes = 0  # the size of the bodies held (what they keep is smaller)
        self.registered = False
        entry.async_on_state_change(self.async_follow_entry)

    @callback
    def async_follow_entry(self) -> None:
        """Register the webhook while the entry is in a serving state, else unregister it.

        Loaded, the entry gets the deliveries held while it set up; a failed set-up (retry or
        error) or an unload drops them.
        """
        if (state := self._entry.state) is not ConfigEntryState.SETUP_IN_PROGRESS:
            held, self._held, self._held_bytes = self._held, {}, 0
            loaded = state is _LOADED
            coordinators = self._entry.runtime_data.coordinators if loaded else {}
            for vehicle_id, kept in held.items():
                if coordinator := coordinators.get(vehicle_id):
                    kept.apply(coordinator)
        serving = state in _SERVING
        if serving and not self.registered:
            webhook.async_register(
                self._hass,
                DOMAIN,
                "Smartcar",
                self._entry.data[CONF_WEBHOOK_ID],
                self.async_handle,
                allowed_methods=[METH_POST],
            )
        elif self.registered and not serving:
            webhook.async_unregister(self._hass, self._entry.data[CONF_WEBHOOK_ID])
        self.registered = serving

    async def async_handle(
        self, hass: HomeAssistant, webhook_id: str, request: web.Request
    ) -> web.Response:
        """Check and apply one delivery: the signature on the raw bytes, then the JSON."""
        signature = request.headers.get(SIGNATURE_HEADER)
        # An unsigned body can only be a VERIFY (a challenge of at most 256 characters): a
        # larger one is refused unread, a smaller one is the only body parsed unsigned.
        limit = 1024 * 1024 if signature is not None else 8 * 1024
        body = b""  # the raw bytes: the signature covers these
        while len(body) <= limit and (chunk := await request.content.read(64 * 1024)):
            body += chunk
        if not (token := self._entry.options.get(CONF_MANAGEMENT_TOKEN)):
            return self._refuse(
                "no Application Management Token is set in the integration's options, so "
                "it cannot be checked",
                error="management token not configured",
            )
        if len(body) > limit:
            if signature is None:
                return self._refuse("it is not signed")
            return _answer(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, error="body too large")
        if signature is not None:
            passed = signature_valid(token, body, signature)
            self._note_signature(passed=passed)
            if not passed:
                return self._refuse("its signature is wrong")
        try:
            event = parse_event(body)
        except WebhookPayloadError as err:
            return _answer(HTTPStatus.BAD_REQUEST, error=str(err))
        if event.type is EventType.VERIFY:  # Smartcar does not sign VERIFY
            return self._verify(event, token)
        if signature is None:
            return self._refuse("it is not signed")
        return self._apply(event, len(body))

    def _note_signature(self, *, passed: bool) -> None:
        """Count signed deliveries failing in a row: the repair while they fail, once verified."""
        self._signature_failures = 0 if passed else self._signature_failures + 1
        failing = self._signature_failures >= SIGNATURE_FAILURES and bool(
            self._entry.data.get(CONF_WEBHOOK_VERIFIED)
        )
        if failing != self._signature_issue:
            self._signature_issue = failing
            async_set_entry_issue(
                self._hass, SIGNATURE_ISSUE, self._entry, raised=failing
            )

    def _refuse(
        self,
        reason: str,
        status: HTTPStatus = HTTPStatus.UNAUTHORIZED,
        error: str = "invalid signature",
    ) -> web.Response:
        """Refuse a delivery; log it at most once a minute (anyone can send them)."""
        if (now := time.monotonic()) >= self._next_refusal_log:
            self._next_refusal_log = now + 60
            _LOGGER.warning(
                "Refused a Smartcar webhook delivery: %s (further refusals are not logged "
                "for a minute)",
                reason,
            )
        return _answer(status, error=error)

    def _verify(self, event: WebhookEvent, token: str) -> web.Response:
        if (answer := verify_answer(token, event.challenge)) is None:
            return self._refuse(
                "its challenge is missing, too long, or holds a brace, quote, backslash "
                "or control character: someone may be trying to make Home Assistant "
                "sign a forged delivery",
                HTTPStatus.BAD_REQUEST,
                "challenge refused",
            )
        now = time.monotonic()
        if (
            len(self._verify_times) == VERIFY_PER_MINUTE
            and now - self._verify_times[0] < 60
        ):
            return _answer(HTTPStatus.TOO_MANY_REQUESTS, error="too many verifications")
        self._verify_times.append(now)
        _LOGGER.info("Answered Smartcar's webhook verification")
        if not self._entry.data.get(CONF_WEBHOOK_VERIFIED):
            data = {**self._entry.data, CONF_WEBHOOK_VERIFIED: True}
            self._hass.config_entries.async_update_entry(self._entry, data=data)
        return web.json_response(answer)

    def _apply(self, event: WebhookEvent, size: int) -> web.Response:
        if event.event_id is not None and event.event_id in self._seen:
            return _answer(HTTPStatus.OK, status="duplicate")
        if event.type is EventType.TEST:
            _LOGGER.info("Received Smartcar's test webhook delivery (not applied)")
            return _answer(HTTPStatus.OK, status="test")
        vehicle_id, loaded = event.vehicle_id or "", self._entry.state is _LOADED
        if not loaded and (
            self._entry.state not in _SETTING_UP
            or (vehicle_id not in self._held and len(self._held) >= HELD_VEHICLES)
            or self._held_bytes + size > HELD_BYTES
        ):
            # Unloading, or too much held: Smartcar retries a non-2xx answer.
            return _answer(HTTPStatus.SERVICE_UNAVAILABLE, error="not ready")
        # Only this entry's vehicles: the token that signed is this entry's.
        coordinators = self._entry.runtime_data.coordinators if loaded else {}
        coordinator = coordinators.get(vehicle_id)
        if (
            event.type is EventType.UNKNOWN
            or not vehicle_id
            or (loaded and not coordinator)
        ):
            _LOGGER.debug(
                "Ignored a Smartcar %s delivery for a vehicle not set up here",
                event.type,
            )
            return _answer(HTTPStatus.OK, status="ignored")
        if coordinator is not None:
            pushed = event.type is EventType.VEHICLE_STATE
            signals = event.read_signals() if pushed else None
            _deliver(coordinator, signals, event.read_errors())
        else:  # answered 2xx: Smartcar would drop it 100 s into a slow set-up
            self._held.setdefault(vehicle_id, _Held()).take(event)
            self._held_bytes += size
        if event.event_id is not None:
            self._seen[event.event_id] = None
            if len(self._seen) > SEEN_EVENTS:
                self._seen.popitem(last=False)
        return _answer(HTTPStatus.OK, status="applied" if coordinator else "held")


async def async_setup_webhook(hass: HomeAssistant, entry: SmartcarConfigEntry) -> None:
    """Register the entry's webhook (and its cloudhook when Home Assistant Cloud is active).

    Call it first in set-up: the webhook stays registered while set-up retries and goes
    when the entry unloads or its retry is cancelled (disabled, removed).
    """
    if CONF_WEBHOOK_ID not in entry.data:
        hass.config_entries.async_update_entry(
            entry, data={**entry.data, CONF_WEBHOOK_ID: webhook.async_generate_id()}
        )
    handlers = hass.data.setdefault(_HANDLERS, {})
    if (handler := handlers.get(entry.entry_id)) is None:
        handler = handlers[entry.entry_id] = SmartcarWebhookHandler(hass, entry)
    handler.async_follow_entry()
    if not _cloud_active(hass):
        return
    from homeassistant.components import cloud  # noqa: PLC0415

    # The cloudhook is created now if Cloud is connected, else as soon as it connects; until
    # then the local URL is the one to use (as core `withings` does).
    async def create(state: cloud.CloudConnectionState) -> None:
        if (
            state is not cloud.CloudConnectionState.CLOUD_CONNECTED
            or CONF_CLOUDHOOK_URL in entry.data
        ):
            return
        try:
            url = await cloud.async_create_cloudhook(hass, entry.data[CONF_WEBHOOK_ID])
        except cloud.CloudNotAvailable:
            _LOGGER.info(
                "Home Assistant Cloud is not connected; the local webhook URL is used "
                "until it is"
            )
            return
        data = {**entry.data, CONF_CLOUDHOOK_URL: url}
        hass.config_entries.async_update_entry(entry, data=data)

    entry.async_on_unload(cloud.async_listen_connection_change(hass, create))
    if cloud.async_is_connected(hass):
        await create(cloud.CloudConnectionState.CLOUD_CONNECTED)


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


async def async_remove_webhook(hass: HomeAssistant, entry: SmartcarConfigEntry) -> None:
    """Forget the removed entry's handler and its repair, and delete its cloudhook.

    The webhook itself went when the entry unloaded.
    """
    hass.data.get(_HANDLERS, {}).pop(entry.entry_id, None)
    async_set_entry_issue(hass, SIGNATURE_ISSUE, entry, raised=False)
    if CONF_CLOUDHOOK_URL in entry.data and _cloud_active(hass):
        from homeassistant.components import cloud  # noqa: PLC0415

        try:
            await cloud.async_delete_cloudhook(hass, entry.data[CONF_WEBHOOK_ID])
        except cloud.CloudNotAvailable:
            _LOGGER.debug("Home Assistant Cloud is not available; the cloudhook stays")
