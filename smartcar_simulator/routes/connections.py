"""`GET /v3/connections`: the app's user-vehicle connections, paged."""

from __future__ import annotations

import math
from typing import Any
from urllib.parse import urlencode

from aiohttp import web

from smartcar_simulator.clock import iso
from smartcar_simulator.context import simulator_of
from smartcar_simulator.jsonapi import positive_int
from smartcar_simulator.state import Connection, World

MAX_PAGE_SIZE = 100


def render_connection(connection: Connection, world: World) -> dict[str, Any]:
    """Return the JSON:API `connection` resource."""
    vehicle = world.vehicles[connection.vehicle_id]
    return {
        "id": connection.id,
        "type": "connection",
        "attributes": {
            "permissions": list(connection.permissions),
            "vehicle": vehicle.attributes(),
            "user": {"id": connection.user_id},
        },
        "relationships": {
            "vehicle": {"data": {"id": vehicle.id, "type": "vehicle"}},
            "user": {"data": {"id": connection.user_id, "type": "user"}},
        },
        "meta": {
            "createdAt": iso(connection.created_at),
            "updatedAt": iso(connection.updated_at),
        },
    }


async def list_connections(request: web.Request) -> web.Response:
    """List connections filtered by user, vehicle and mode; newest first."""
    sim = simulator_of(request)
    query = request.query
    number = positive_int(query, "page[number]", 1)
    size = positive_int(query, "page[size]", 10, MAX_PAGE_SIZE)
    user_id = query.get("filter[userId]") or request.headers.get("sc-user-id")
    vehicle_id = query.get("filter[vehicleId]")
    # Smartcar's default: without the filter only live vehicles are listed.
    mode = query.get("filter[vehicle.mode]") or "live"
    matching = [
        connection
        for connection in sim.world.sorted_connections()
        if (not user_id or connection.user_id == user_id)
        and (not vehicle_id or connection.vehicle_id == vehicle_id)
        and sim.world.vehicles[connection.vehicle_id].mode == mode
    ]
    total = len(matching)
    last = max(1, math.ceil(total / size))
    page = matching[(number - 1) * size : number * size]

    filters = [
        (key, value)
        for key, value in query.items()
        if key.startswith("filter[") and key != "filter[vehicle.mode]"
    ]
    filters.append(("filter[vehicle.mode]", mode))
    base = f"{request.url.origin()}{request.path}"

    def link(page_number: int) -> str:
        params = [
            *filters,
            ("page[number]", str(page_number)),
            ("page[size]", str(size)),
        ]
        return f"{base}?{urlencode(params)}"

    return web.json_response(
        {
            "data": [render_connection(item, sim.world) for item in page],
            "meta": {
                "pageNumber": number,
                "pageSize": size,
                "totalCount": total,
                "orderBy": "createdAt",
                "orderDirection": "DESC",
            },
            "links": {
                "self": link(number),
                "first": link(1),
                "last": link(last),
                "next": link(number + 1) if number < last else None,
                "prev": link(min(number - 1, last)) if number > 1 else None,
            },
        }
    )
