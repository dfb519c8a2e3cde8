"""`/_simulator/...`: JSON admin routes mirroring `sim.counters` and `sim.faults`."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from aiohttp import web

from smartcar_simulator.clock import iso
from smartcar_simulator.context import simulator_of
from smartcar_simulator.endpoints import ALL_ENDPOINTS, COMMAND_ENDPOINTS

if TYPE_CHECKING:
    from smartcar_simulator.simulator import SimulatorCore


def _latency(sim: SimulatorCore, args: dict[str, Any]) -> None:
    seconds = float(args.pop("seconds"))
    endpoint = args.pop("endpoint", None)
    if args:
        raise TypeError(f"unexpected fields {sorted(args)}")
    if endpoint is None:
        sim.faults.latency = seconds
    elif endpoint in ALL_ENDPOINTS:
        sim.faults.endpoint_latency[endpoint] = seconds
    else:
        raise ValueError(f"unknown endpoint {endpoint!r}")


def _monthly_limit(sim: SimulatorCore, args: dict[str, Any]) -> None:
    limit = args.pop("limit")
    if args:
        raise TypeError(f"unexpected fields {sorted(args)}")
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int)):
        raise ValueError("limit must be an integer or null")
    sim.faults.monthly_request_limit = limit


def _not_capable(sim: SimulatorCore, args: dict[str, Any]) -> None:
    vehicle_id = args.pop("vehicle_id")
    endpoint = args.pop("endpoint")
    capable = args.pop("capable", False)
    if args:
        raise TypeError(f"unexpected fields {sorted(args)}")
    if endpoint not in COMMAND_ENDPOINTS:
        raise ValueError(f"{endpoint!r} is not a command")
    commands = sim.world.vehicles[vehicle_id].unsupported_commands
    if capable:
        commands.discard(endpoint)
    else:
        commands.add(endpoint)


def _clear(sim: SimulatorCore, args: dict[str, Any]) -> None:
    sim.faults.clear()


ACTIONS: dict[str, Callable[[SimulatorCore, dict[str, Any]], None]] = {
    "latency": _latency,
    "fail_next": lambda sim, args: sim.faults.fail_next(**args),
    "malformed_json": lambda sim, args: sim.faults.malformed_json(**args),
    "async_commands": lambda sim, args: sim.faults.async_commands(**args),
    "rate_limit_vehicle": lambda sim, args: sim.faults.rate_limit_vehicle(**args),
    "monthly_request_limit": _monthly_limit,
    "not_capable": _not_capable,
    "clear": _clear,
}
"""`action` values of `POST /_simulator/faults`; other body fields are the keyword
arguments of the `Faults` method of the same name."""


async def _json_object(request: web.Request) -> dict[str, Any]:
    if not request.can_read_body:
        return {}
    try:
        data: Any = await request.json()
    except ValueError as err:
        raise web.HTTPBadRequest(
            text='{"error": "body must be JSON"}', content_type="application/json"
        ) from err
    if not isinstance(data, dict):
        raise web.HTTPBadRequest(
            text='{"error": "body must be a JSON object"}',
            content_type="application/json",
        )
    return data


async def get_counters(request: web.Request) -> web.Response:
    """Return all counters, plus `count`/`maxConcurrentFor` for the query's filter."""
    sim = simulator_of(request)
    endpoint = request.query.get("endpoint")
    vehicle_id = request.query.get("vehicle_id")
    data = sim.counters.snapshot()
    data["count"] = sim.counters.count(endpoint, vehicle_id)
    data["maxConcurrentFor"] = sim.counters.max_concurrent(endpoint)
    return web.json_response(data)


async def post_faults(request: web.Request) -> web.Response:
    """Inject a fault: `{"action": "fail_next", "endpoint": "signals", ...}`."""
    sim = simulator_of(request)
    args = await _json_object(request)
    action = args.pop("action", None)
    handler = ACTIONS.get(action) if isinstance(action, str) else None
    if handler is None:
        return web.json_response(
            {"error": f"action must be one of {sorted(ACTIONS)}"}, status=400
        )
    try:
        handler(sim, args)
    except (TypeError, ValueError, KeyError) as err:
        return web.json_response({"error": f"{action}: {err}"}, status=400)
    return web.json_response({"ok": True, "action": action})


async def get_vehicle_state(request: web.Request) -> web.Response:
    """Return what commands left on a vehicle: destinations sent, commands it cannot run."""
    sim = simulator_of(request)
    vehicle = sim.world.vehicles.get(request.match_info["vehicle_id"])
    if vehicle is None:
        return web.json_response({"error": "unknown vehicle"}, status=404)
    return web.json_response(
        {
            "destinations": [
                {
                    "latitude": item.latitude,
                    "longitude": item.longitude,
                    "name": item.name,
                    "sentAt": iso(item.sent_at),
                }
                for item in vehicle.destinations
            ],
            "unsupportedCommands": sorted(vehicle.unsupported_commands),
        }
    )


async def post_reset(request: web.Request) -> web.Response:
    """Clear faults and counters; with `{"world": true}` also rebuild the demo world."""
    sim = simulator_of(request)
    args = await _json_object(request)
    sim.faults.clear()
    sim.counters.reset()
    if args.get("world"):
        sim.reset_world()
    return web.json_response({"ok": True, "world": bool(args.get("world"))})
