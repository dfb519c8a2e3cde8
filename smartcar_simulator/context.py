"""Per-application and per-request lookups shared by the route handlers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from aiohttp import web

from .dynamics import advance
from .errors import ApiError, not_found

if TYPE_CHECKING:
    from .simulator import SimulatorCore
    from .state import Connection, Vehicle

SIMULATOR: web.AppKey[SimulatorCore] = web.AppKey("smartcar_simulator")


def simulator_of(request: web.Request) -> SimulatorCore:
    """Return the simulator serving a request."""
    return request.app[SIMULATOR]


@dataclass(slots=True)
class VehicleContext:
    """The simulator, the vehicle (advanced to now) and the user's connection to it."""

    sim: SimulatorCore
    vehicle: Vehicle
    connection: Connection


def resolve_vehicle(
    sim: SimulatorCore, request: web.Request
) -> tuple[Vehicle, Connection]:
    """Check `sc-user-id` and the user's connection to the path's vehicle.

    Raises 400 VALIDATION without the header and 404 RESOURCE_NOT_FOUND when the
    vehicle is unknown or not connected to that user.
    """
    user_id = request.headers.get("sc-user-id", "").strip()
    if not user_id:
        raise ApiError(400, "VALIDATION", "MISSING_PARAMETER", "missing userId")
    vehicle_id = request.match_info["vehicle_id"]
    vehicle = sim.world.vehicles.get(vehicle_id)
    connection = sim.world.connection_for(user_id, vehicle_id)
    if vehicle is None or connection is None:
        raise not_found(f"No vehicle {vehicle_id} is connected to this user.")
    return vehicle, connection


def vehicle_context(request: web.Request) -> VehicleContext:
    """Resolve the vehicle of a request and bring its state up to simulator time."""
    sim = simulator_of(request)
    vehicle, connection = resolve_vehicle(sim, request)
    advance(vehicle, sim.now())
    return VehicleContext(sim, vehicle, connection)
