"""`GET /v3/vehicles/{id}`, `.../signals` and `.../signals/{code}`."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from typing import Any

from aiohttp import web

from smartcar_simulator.context import VehicleContext, vehicle_context
from smartcar_simulator.errors import ApiError, not_found
from smartcar_simulator.jsonapi import positive_int
from smartcar_simulator.signals import SignalRecord, render_signal
from smartcar_simulator.state import is_granted

DEFAULT_PAGE_SIZE = 10
MAX_PAGE_SIZE = 100


STALE_AGE = timedelta(days=1)
"""How old the values of an unsubscribed vehicle with the `stale` answer look."""


def _unsubscribed() -> ApiError:
    # What Smartcar's 404 body says here is not known; no `PATH` code, the route exists.
    return ApiError(
        404,
        "RESOURCE_NOT_FOUND",
        None,
        "No signals: the vehicle is not subscribed to a webhook.",
    )


def _readable(context: VehicleContext) -> list[SignalRecord]:
    """Return the records `/signals` shows, by the vehicle's subscription state."""
    answer = context.sim.world.signals_answer(context.vehicle)
    records = list(context.vehicle.signals.values())
    if answer == "404":
        raise _unsubscribed()
    if answer == "empty":
        return []
    if answer == "stale":
        cutoff = context.sim.now() - STALE_AGE
        return [
            dataclasses.replace(
                record,
                oem_updated_at=min(record.oem_updated_at, cutoff),
                retrieved_at=min(record.retrieved_at, cutoff),
            )
            for record in records
        ]
    return records


def _element(context: VehicleContext, record: SignalRecord) -> dict[str, Any]:
    return render_signal(
        record,
        vehicle_id=context.vehicle.id,
        granted=is_granted(record, context.connection),
        timestamp_format=context.sim.timestamp_format,
    )


async def get_vehicle(request: web.Request) -> web.Response:
    """Return the vehicle resource."""
    context = vehicle_context(request)
    return web.json_response({"data": context.vehicle.resource()})


async def list_signals(request: web.Request) -> web.Response:
    """Return every signal in one page, or paged with `page`/`pageSize`."""
    context = vehicle_context(request)
    query = request.query
    configured = context.sim.signals_page_size
    elements = [_element(context, record) for record in _readable(context)]
    total = len(elements)
    path = f"/v3/vehicles/{context.vehicle.id}/signals"
    if "page" in query or "pageSize" in query or configured is not None:
        size = positive_int(
            query, "pageSize", configured or DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE
        )
        number = positive_int(query, "page", 1)
        chunk = elements[(number - 1) * size : number * size]
        links = {
            "self": f"{path}?page={number}&pageSize={size}",
            "next": (
                f"{path}?page={number + 1}&pageSize={size}"
                if number * size < total
                else None
            ),
        }
    else:
        size, number, chunk = total, 1, elements
        links = {"self": path, "next": None}
    return web.json_response(
        {
            "data": chunk,
            "meta": {"totalCount": total, "pageSize": size, "pageNumber": number},
            "links": links,
            "included": {"vehicle": context.vehicle.resource()},
        }
    )


async def get_signal(request: web.Request) -> web.Response:
    """Return one signal; an unknown code answers 404.

    Wrapped in `data` (the live capture), or the resource alone (`signal_form = "bare"`: the
    docs and the Node SDK's example).
    """
    context = vehicle_context(request)
    code = request.match_info["code"]
    record = next((item for item in _readable(context) if item.code == code), None)
    if record is None:
        raise not_found(f"Signal {code} was not found on this vehicle.")
    if context.sim.signal_form == "bare":
        return web.json_response(_element(context, record))
    return web.json_response(
        {
            "data": _element(context, record),
            "included": {"vehicle": context.vehicle.resource()},
        }
    )
