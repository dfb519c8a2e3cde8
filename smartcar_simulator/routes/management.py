"""The Management API (`/management/v3`): webhooks and vehicle subscriptions.

Smartcar serves it at `https://management.api.smartcar.com/v3`; the simulator serves
it under `/management/v3` on its one host. Which bearer token it takes is an open
question (see `SimulatorCore.management_auth`): the pipeline checks it.
"""

from __future__ import annotations

import math
from typing import Any
from urllib.parse import urlencode

from aiohttp import web

from smartcar_simulator.clock import iso
from smartcar_simulator.context import simulator_of
from smartcar_simulator.endpoints import MANAGEMENT_PREFIX as PREFIX
from smartcar_simulator.errors import ApiError, not_found, validation_error
from smartcar_simulator.jsonapi import positive_int
from smartcar_simulator.state import VehicleSubscription, World

DEFAULT_PAGE_SIZE = 25
MAX_PAGE_SIZE = 100
WEBHOOKS_PAGE_SIZE = 50
"""The documented default page of `GET /webhooks` (at most MAX_PAGE_SIZE)."""
WEBHOOK_FILTERS = {
    "filter[name]": "name",
    "filter[callbackUri]": "callbackUri",
    "filter[isEnabled]": "isEnabled",
    "filter[autoSubscribe]": "autoSubscribe",
}
"""The documented filters of `GET /webhooks`, by the attribute each compares (exactly)."""


def _subscription_resource(item: VehicleSubscription, world: World) -> dict[str, Any]:
    vehicle = world.vehicles[item.vehicle_id]
    return {
        "id": item.id,
        "type": "subscription",
        "attributes": {
            "vehicle": {
                key: value
                for key, value in vehicle.attributes().items()
                if key in {"make", "model", "year", "mode", "powertrainType"}
            }
        },
        "relationships": {
            "webhook": {"data": {"id": item.webhook_id, "type": "webhook"}},
            "user": {"data": {"id": item.user_id, "type": "user"}},
            "vehicle": {"data": {"id": item.vehicle_id, "type": "vehicle"}},
        },
        "meta": {"createdAt": iso(item.created_at), "updatedAt": iso(item.created_at)},
        "links": {"self": f"{PREFIX}/subscriptions/{item.id}"},
    }


def _required_id(attributes: dict[str, Any], key: str) -> str:
    value = attributes.get(key)
    if not isinstance(value, str) or not value.strip() or len(value) > 200:
        raise validation_error(f"data.attributes.{key}: required string")
    return value.strip()


def _filter_value(value: Any) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def _paged(
    request: web.Request, items: list[dict[str, Any]], default_size: int
) -> web.Response:
    """Answer one page (`page[number]`, `page[size]`) of a listing, keeping its filters."""
    query = request.query
    number = positive_int(query, "page[number]", 1)
    size = positive_int(query, "page[size]", default_size, MAX_PAGE_SIZE)
    last = max(1, math.ceil(len(items) / size))
    filters = [
        (key, value) for key, value in query.items() if key.startswith("filter[")
    ]
    next_query = urlencode(
        [*filters, ("page[number]", str(number + 1)), ("page[size]", str(size))]
    )
    return web.json_response(
        {
            "data": items[(number - 1) * size : number * size],
            "meta": {"totalCount": len(items), "pageSize": size, "pageNumber": number},
            "links": {
                "next": f"{request.path}?{next_query}" if number < last else None
            },
        }
    )


async def list_webhooks(request: web.Request) -> web.Response:
    """List the application's webhooks, filtered by name, callback URI and flags; paged."""
    world = simulator_of(request).world
    wanted = {
        attribute: request.query[key]
        for key, attribute in WEBHOOK_FILTERS.items()
        if key in request.query
    }
    data = [
        resource
        for resource in (webhook.resource() for webhook in world.webhooks.values())
        if all(
            _filter_value(resource["attributes"][attribute]) == value
            for attribute, value in wanted.items()
        )
    ]
    return _paged(request, data, WEBHOOKS_PAGE_SIZE)


async def get_webhook(request: web.Request) -> web.Response:
    """Return one webhook."""
    webhook = simulator_of(request).world.webhooks.get(request.match_info["webhook_id"])
    if webhook is None:
        raise not_found("No such webhook.")
    return web.json_response({"data": webhook.resource()})


async def subscribe(request: web.Request) -> web.Response:
    """Subscribe a user's vehicle to a webhook: 202, or 409 when it already is."""
    sim = simulator_of(request)
    try:
        payload = await request.json()
    except ValueError:
        payload = None
    data = payload.get("data") if isinstance(payload, dict) else None
    attributes = data.get("attributes") if isinstance(data, dict) else None
    if not isinstance(attributes, dict):
        raise validation_error("data.attributes: required object")
    webhook_id = _required_id(attributes, "webhookId")
    user_id = _required_id(attributes, "userId")
    vehicle_id = _required_id(attributes, "vehicleId")
    world = sim.world
    if webhook_id not in world.webhooks:
        raise not_found(f"No webhook {webhook_id}.")
    if world.connection_for(user_id, vehicle_id) is None:
        raise not_found(f"No vehicle {vehicle_id} is connected to user {user_id}.")
    if any(
        (item.webhook_id, item.vehicle_id) == (webhook_id, vehicle_id)
        for item in world.subscriptions.values()
    ):
        raise ApiError(409, "CONFLICT", None, "The vehicle is already subscribed.")
    sim.add_subscription(webhook_id, user_id, vehicle_id)
    return web.json_response(
        {"meta": {"message": "subscription creation in progress"}}, status=202
    )


async def list_subscriptions(request: web.Request) -> web.Response:
    """List subscriptions, filtered by user, webhook, vehicle and vehicle mode; paged."""
    world = simulator_of(request).world
    query = request.query
    wanted = {
        "user_id": query.get("filter[userId]"),
        "webhook_id": query.get("filter[webhookId]"),
        "vehicle_id": query.get("filter[vehicleId]"),
    }
    mode = query.get("filter[vehicle.mode]")
    matching = [
        item
        for item in sorted(world.subscriptions.values(), key=lambda s: s.created_at)
        if all(
            not value or getattr(item, key) == value for key, value in wanted.items()
        )
        and (not mode or world.vehicles[item.vehicle_id].mode == mode)
    ]
    data = [_subscription_resource(item, world) for item in matching]
    return _paged(request, data, DEFAULT_PAGE_SIZE)


async def unsubscribe(request: web.Request) -> web.Response:
    """Delete a subscription: 204, or 404 when there is none."""
    sim = simulator_of(request)
    if sim.world.subscriptions.pop(request.match_info["subscription_id"], None) is None:
        raise not_found("No such subscription.")
    return web.Response(status=204)
