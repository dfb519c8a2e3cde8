"""Sending webhook deliveries: signing, the HTTP POST and background pushes."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
import hashlib
import hmac
import json
import logging
import time
from typing import Any, Final

import aiohttp

from .counters import Counters
from .webhook_events import is_verify

_LOGGER = logging.getLogger(__name__)

WEBHOOK_ENDPOINT: Final = "webhook"
"""Endpoint name under which `sim.counters` counts deliveries."""
USER_AGENT: Final = "Smartcar/1.0"
SIGNATURE_HEADER: Final = "SC-Signature"
AUTO_SIGNATURE: Final = "auto"
"""`signature` value meaning: sign the body, except for `VERIFY` (never signed)."""
DELIVERY_TIMEOUT: Final = 15.0
"""Seconds Smartcar waits for an answer before counting a delivery as failed."""


def sign(body: bytes, key: str) -> str:
    """Return the `SC-Signature` of a body: hex HMAC-SHA256 keyed with the management token."""
    return hmac.new(key.encode(), body, hashlib.sha256).hexdigest()


@dataclass(frozen=True, slots=True)
class Delivery:
    """The receiver's answer to one delivery (`elapsed` in wall-clock seconds)."""

    status: int
    body: str
    json: Any | None
    elapsed: float

    @property
    def ok(self) -> bool:
        """Return whether Smartcar would count the delivery as successful (2xx)."""
        return 200 <= self.status < 300


@dataclass(frozen=True, slots=True)
class Subscription:
    """The callback URL that receives pushes, and the token that signs them."""

    url: str
    management_token: str


def _parse_json(text: str) -> Any | None:
    try:
        return json.loads(text)
    except ValueError:
        return None


async def logged(
    make_delivery: Callable[[], Awaitable[Delivery | None]], label: str
) -> Delivery | None:
    """Run a delivery, logging (never raising) a failure; return None when it raised."""
    try:
        delivery = await make_delivery()
    except Exception:
        _LOGGER.exception("Webhook push %s failed", label)
        return None
    if delivery is not None and not delivery.ok:
        _LOGGER.warning(
            "Webhook push %s was answered with HTTP %s", label, delivery.status
        )
    return delivery


class WebhookSender:
    """Posts signed events with one lazily created client session.

    Also holds the subscription and the background pushes, so that `close` can
    cancel what is still running.
    """

    def __init__(self, counters: Counters) -> None:
        """Count every delivery in `counters` under `WEBHOOK_ENDPOINT`."""
        self._counters = counters
        self._session: aiohttp.ClientSession | None = None
        self._pushes: set[asyncio.Task[Delivery | None]] = set()
        self.subscription: Subscription | None = None

    @property
    def session_open(self) -> bool:
        """Return whether the client session exists and is open."""
        return self._session is not None and not self._session.closed

    @property
    def pending_pushes(self) -> int:
        """Return how many background pushes are still running."""
        return len(self._pushes)

    async def deliver(
        self,
        url: str,
        event: Mapping[str, Any],
        *,
        management_token: str,
        signature: str | None = AUTO_SIGNATURE,
        timeout: float = DELIVERY_TIMEOUT,  # noqa: ASYNC109 - the delivery contract's limit
    ) -> Delivery:
        """POST `event` as JSON; sign exactly the sent bytes unless told otherwise.

        `signature="auto"` signs every event but `VERIFY`; another string is sent
        as is; None sends no `SC-Signature`. Network errors and timeouts raise.
        """
        body = json.dumps(event, separators=(",", ":")).encode()
        headers = {"Content-Type": "application/json", "User-Agent": USER_AGENT}
        if signature == AUTO_SIGNATURE:
            if not is_verify(event):
                headers[SIGNATURE_HEADER] = sign(body, management_token)
        elif signature is not None:
            headers[SIGNATURE_HEADER] = signature
        vehicle_id = event.get("vehicleId")
        if self._session is None:
            self._session = aiohttp.ClientSession()
        with self._counters.track(WEBHOOK_ENDPOINT, vehicle_id):
            started = time.monotonic()
            async with self._session.post(
                url,
                data=body,
                headers=headers,
                timeout=aiohttp.ClientTimeout(total=timeout),
            ) as response:
                text = await response.text()
            elapsed = time.monotonic() - started
        return Delivery(response.status, text, _parse_json(text), elapsed)

    def push_in_background(
        self, make_delivery: Callable[[], Awaitable[Delivery | None]], label: str
    ) -> asyncio.Task[Delivery | None]:
        """Run a delivery as a referenced task whose failure is logged, not raised."""
        task = asyncio.create_task(logged(make_delivery, label))
        self._pushes.add(task)
        task.add_done_callback(self._pushes.discard)
        return task

    async def drain(self) -> None:
        """Wait until every background push has finished."""
        while self._pushes:
            await asyncio.wait(list(self._pushes))

    async def close(self) -> None:
        """Cancel the background pushes and close the client session."""
        pushes = list(self._pushes)
        for task in pushes:
            task.cancel()
        await asyncio.gather(*pushes, return_exceptions=True)
        if self._session is not None:
            session, self._session = self._session, None
            await session.close()
