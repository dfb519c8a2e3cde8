"""The request pipeline every API request passes: count, delay, check, inject, serve."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING
import uuid

from aiohttp import web
from aiohttp.typedefs import Handler, Middleware

from .context import resolve_vehicle
from .endpoints import MANAGEMENT_PREFIX, VEHICLE_ENDPOINTS
from .errors import ApiError, not_found

if TYPE_CHECKING:
    from .simulator import SimulatorCore

ADMIN_PREFIX = "/_simulator/"
MALFORMED_BODY = (
    '{"data": [{"id": "charge-ischarging", "type": "signal", "attributes": {'
)


def _is_api(path: str) -> bool:
    return path == "/v3" or path.startswith(("/v3/", "/v3.0/"))


def _is_management(path: str) -> bool:
    return path.startswith(MANAGEMENT_PREFIX + "/")


def _page_of(request: web.Request) -> int:
    raw = request.query.get("page") or request.query.get("page[number]") or "1"
    return int(raw) if raw.isdigit() else 1


def authenticate(
    sim: SimulatorCore, request: web.Request, *, management: bool = False
) -> None:
    """Raise 401 AUTHENTICATION unless the request has a valid, unexpired bearer token.

    The Management API takes the token `sim.management_auth` names.
    """
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiError(
            401, "AUTHENTICATION", None, "Missing or malformed Authorization header."
        )
    valid = sim.management_token_valid if management else sim.token_valid
    if not valid(token.strip()):
        raise ApiError(
            401, "AUTHENTICATION", None, "The access token is invalid or has expired."
        )


async def _serve(
    sim: SimulatorCore,
    request: web.Request,
    handler: Handler,
    endpoint: str | None,
    vehicle_id: str | None,
) -> web.StreamResponse:
    if _is_api(request.path):
        authenticate(sim, request)
    elif _is_management(request.path):
        authenticate(sim, request, management=True)
    if vehicle_id is not None and endpoint in VEHICLE_ENDPOINTS:
        resolve_vehicle(sim, request)
    if _is_api(request.path) and sim.app_limit is not None:
        retry = sim.app_limit.admit()
        if retry is not None:
            raise ApiError(
                429,
                "RATE_LIMIT",
                "SMARTCAR_API",
                "The application's request bucket is empty.",
                retry_after=retry,
            )
    failure = sim.faults.take_failure(endpoint, vehicle_id, _page_of(request))
    if failure is not None:
        raise failure
    if vehicle_id is not None and endpoint in VEHICLE_ENDPOINTS:
        sim.faults.check_rate_limit(vehicle_id)
        sim.faults.check_monthly_limit(vehicle_id)
    if sim.faults.take_malformed(endpoint, vehicle_id):
        return web.Response(text=MALFORMED_BODY, content_type="application/json")
    return await handler(request)


def build_pipeline(
    sim: SimulatorCore, endpoints: dict[web.AbstractRoute, str]
) -> Middleware:
    """Return the middleware; `endpoints` maps each route to its endpoint name."""

    @web.middleware
    async def pipeline(request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.path.startswith(ADMIN_PREFIX):
            return await handler(request)
        request_id = str(uuid.uuid4())
        endpoint = endpoints.get(request.match_info.route)
        vehicle_id = request.match_info.get("vehicle_id")
        with sim.counters.track(endpoint, vehicle_id):
            delay = sim.faults.delay_for(endpoint)
            if delay > 0:
                # Take the whole request in first: a client that gives up during the delay
                # must not make the late handler fail reading a body from a closed socket.
                await request.read()
                await asyncio.sleep(delay)
            try:
                response = await _serve(sim, request, handler, endpoint, vehicle_id)
            except ApiError as err:
                response = err.response(request_id)
            except web.HTTPNotFound:
                if not _is_api(request.path) and not _is_management(request.path):
                    raise
                response = not_found(f"No route for {request.path}.").response(
                    request_id
                )
            except web.HTTPException as exc:
                exc.headers["SC-Request-Id"] = request_id
                raise
        response.headers["SC-Request-Id"] = request_id
        return response

    return pipeline
