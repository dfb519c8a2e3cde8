"""The simulator's webhook side: signed events, pushes, and the Management API's subscriptions.

A mixin of `SimulatorCore` (same layer): it reads the world, the clock and the vehicles
through the core.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import datetime
from typing import Any, Unpack
import uuid

from . import webhook_events
from .credentials import DEMO_MANAGEMENT_TOKEN
from .state import (
    Connection,
    UnsubscribedAnswer,
    Vehicle,
    VehicleSubscription,
    Webhook,
    World,
)
from .webhook_delivery import (
    AUTO_SIGNATURE,
    DELIVERY_TIMEOUT,
    Delivery,
    Subscription,
    WebhookSender,
)
from .webhook_events import (
    WEBHOOK_ID,
    WEBHOOK_NAME,
    ErrorState,
    EventMode,
    StateEventOptions,
)


class WebhookSide:
    """Smartcar's webhook side: events, deliveries, pushes, webhooks and subscriptions."""

    world: World
    webhooks: WebhookSender

    def now(self) -> datetime:
        """Return the simulator time (the core provides it)."""
        raise NotImplementedError

    def vehicle(self, vehicle_id: str) -> Vehicle:
        """Return a vehicle brought up to simulator time (the core provides it)."""
        raise NotImplementedError

    def connections(self, user_id: str | None = None) -> list[Connection]:
        """Return the connections (the core provides them)."""
        raise NotImplementedError

    # -- webhook subscriptions (Management API) -----------------------------------------

    def add_webhook(
        self,
        callback_uri: str,
        *,
        webhook_id: str | None = None,
        name: str = WEBHOOK_NAME,
        enabled: bool = True,
        auto_subscribe: bool = False,
        error_callback_uri: str | None = None,
    ) -> str:
        """Register a webhook of the application (as the dashboard does); return its id."""
        webhook = Webhook(
            webhook_id or str(uuid.uuid4()),
            name,
            callback_uri,
            enabled,
            auto_subscribe,
            error_callback_uri,
        )
        self.world.webhooks[webhook.id] = webhook
        return webhook.id

    def set_unsubscribed(
        self, vehicle_id: str, answer: UnsubscribedAnswer | None = "404"
    ) -> None:
        """Make a vehicle serve data only while subscribed; `answer` is what it serves until then.

        None serves data whatever the subscriptions (the default: as if auto-subscribed).
        """
        self.world.vehicles[vehicle_id].unsubscribed_answer = answer

    def add_subscription(self, webhook_id: str, user_id: str, vehicle_id: str) -> str:
        """Subscribe a vehicle to a webhook; return the subscription id.

        As Smartcar does, the vehicle's state then goes to the webhook as a
        `FIRST_DELIVERY` when the webhook is where pushes go.
        """
        subscription = VehicleSubscription(
            str(uuid.uuid4()), webhook_id, user_id, vehicle_id, self.now()
        )
        self.world.subscriptions[subscription.id] = subscription
        target = self.webhooks.subscription
        webhook = self.world.webhooks.get(webhook_id)
        if (
            target is not None
            and webhook is not None
            and webhook.callback_uri == target.url
        ):
            self.push_soon(vehicle_id, user_id=user_id, first_delivery=True)
        return subscription.id

    def subscriptions(self, vehicle_id: str | None = None) -> list[VehicleSubscription]:
        """Return the webhook subscriptions, optionally of one vehicle."""
        return [
            item
            for item in self.world.subscriptions.values()
            if vehicle_id is None or item.vehicle_id == vehicle_id
        ]

    # -- webhooks ----------------------------------------------------------------------

    def _webhook_target(
        self, vehicle_id: str, user_id: str | None
    ) -> tuple[Vehicle, Connection]:
        vehicle = self.vehicle(vehicle_id)
        for connection in self.connections(user_id):
            if connection.vehicle_id == vehicle_id:
                return vehicle, connection
        raise ValueError(
            f"vehicle {vehicle_id} is not connected"
            + ("" if user_id is None else f" to user {user_id}")
        )

    def verify_event(
        self, challenge: str | None = None, *, legacy: bool = False
    ) -> dict[str, Any]:
        """Return a `VERIFY` event (v4.0, or the v2.0 form with `legacy`)."""
        return webhook_events.verify_event(self.now(), challenge, legacy=legacy)

    def vehicle_state_event(
        self,
        vehicle_id: str,
        *,
        user_id: str | None = None,
        event_id: str | None = None,
        trigger_codes: Sequence[str] | None = None,
        first_delivery: bool = False,
        triggers_in_data: bool = False,
        mode: EventMode = "LIVE",
        codes: Sequence[str] | None = None,
    ) -> dict[str, Any]:
        """Return a `VEHICLE_STATE` event with the vehicle's state at simulator time.

        It carries every signal (or those in `codes`) that the user's connection
        grants; `user_id` defaults to the user connected to the vehicle. Triggers
        default to every carried signal (see `webhook_events.vehicle_state_event`).
        """
        vehicle, connection = self._webhook_target(vehicle_id, user_id)
        return webhook_events.vehicle_state_event(
            vehicle,
            connection,
            self.now(),
            event_id=event_id,
            trigger_codes=trigger_codes,
            first_delivery=first_delivery,
            triggers_in_data=triggers_in_data,
            mode=mode,
            codes=codes,
        )

    def vehicle_error_event(
        self,
        vehicle_id: str,
        error_type: str,
        code: str | None,
        *,
        state: ErrorState = "ERROR",
        resolution: str | None = None,
        description: str | None = None,
        signal_codes: Sequence[str] | None = None,
        event_id: str | None = None,
        user_id: str | None = None,
        mode: EventMode = "LIVE",
    ) -> dict[str, Any]:
        """Return a `VEHICLE_ERROR` event (`state` `ERROR`, or `RESOLVED` once it clears)."""
        vehicle, connection = self._webhook_target(vehicle_id, user_id)
        return webhook_events.vehicle_error_event(
            vehicle,
            connection.user_id,
            self.now(),
            error_type,
            code,
            state=state,
            resolution=resolution,
            description=description,
            signal_codes=signal_codes,
            event_id=event_id,
            mode=mode,
        )

    async def deliver(
        self,
        url: str,
        event: dict[str, Any],
        *,
        management_token: str = DEMO_MANAGEMENT_TOKEN,
        signature: str | None = AUTO_SIGNATURE,
        timeout: float = DELIVERY_TIMEOUT,  # noqa: ASYNC109 - the delivery contract's limit
    ) -> Delivery:
        """POST an event to `url` as Smartcar does; return the receiver's answer.

        The body is signed with `management_token` (VERIFY is not signed); pass a
        `signature` to send that instead, or None to send no `SC-Signature`.
        """
        return await self.webhooks.deliver(
            url,
            event,
            management_token=management_token,
            signature=signature,
            timeout=timeout,
        )

    @property
    def subscription(self) -> Subscription | None:
        """Return where pushes go, if anywhere."""
        return self.webhooks.subscription

    def subscribe(
        self, url: str, management_token: str = DEMO_MANAGEMENT_TOKEN
    ) -> None:
        """Send pushes to `url`, signed with `management_token` (replaces any earlier).

        `url` is also the callback URI of the application's webhook `WEBHOOK_ID`.
        """
        self.webhooks.subscription = Subscription(url, management_token)
        self.add_webhook(url, webhook_id=WEBHOOK_ID)

    def unsubscribe(self) -> None:
        """Stop pushing."""
        self.webhooks.subscription = None

    async def push(
        self, vehicle_id: str, **options: Unpack[StateEventOptions]
    ) -> Delivery | None:
        """Deliver a vehicle's `VEHICLE_STATE` to the subscription; None when unsubscribed.

        A vehicle that serves data only while subscribed gets no push until it is.
        """
        subscription = self.webhooks.subscription
        if subscription is None or self.world.signals_answer(
            self.world.vehicles[vehicle_id]
        ):
            return None
        return await self.deliver(
            subscription.url,
            self.vehicle_state_event(vehicle_id, **options),
            management_token=subscription.management_token,
        )

    def push_soon(
        self, vehicle_id: str, **options: Unpack[StateEventOptions]
    ) -> asyncio.Task[Delivery | None] | None:
        """Push in the background (failures are logged); None when unsubscribed."""
        if self.webhooks.subscription is None:
            return None
        return self.webhooks.push_in_background(
            lambda: self.push(vehicle_id, **options), f"of vehicle {vehicle_id}"
        )
