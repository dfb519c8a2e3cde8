"""Vehicle commands: lock and unlock, charge start and stop, charge limit, destination.

Every command checks its permission (403 PERMISSION), then whether the car can run it
(`Vehicle.unsupported_commands`, and charging on a car without a traction battery: 501
COMPATIBILITY VEHICLE_NOT_CAPABLE), then its body (400 VALIDATION) and the car's state (409
VEHICLE_STATE). `Faults.async_commands` turns the answer into a 202 whose change lands at once
(SUCCESS), after `command_delay` (PENDING) or never (FAILURE).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
import math
from typing import Any, Final

from aiohttp import web

from smartcar_simulator import charging
from smartcar_simulator.closures import any_door_open, set_locked
from smartcar_simulator.context import VehicleContext, vehicle_context
from smartcar_simulator.endpoints import (
    CHARGE_SET_LIMIT,
    CHARGE_START,
    CHARGE_STOP,
    LOCK,
    SET_DESTINATION,
    UNLOCK,
)
from smartcar_simulator.errors import (
    ApiError,
    not_capable,
    permission_error,
    validation_error,
)
from smartcar_simulator.jsonapi import command_execution, request_attributes
from smartcar_simulator.state import Destination, PendingChange, Vehicle

# `commandType` of each execution: Smartcar's for lock, unlock and set-limit, by pattern for
# the others (the reference marks them UNCONFIRMED).
COMMAND_TYPES: Final = {
    LOCK: "security-lock",
    UNLOCK: "security-unlock",
    CHARGE_START: "charge-start",
    CHARGE_STOP: "charge-stop",
    CHARGE_SET_LIMIT: "charge-set-limit",
    SET_DESTINATION: "navigation-set-destination",
}
PERMISSIONS: Final = {
    LOCK: "control_security",
    UNLOCK: "control_security",
    CHARGE_START: "control_charge",
    CHARGE_STOP: "control_charge",
    CHARGE_SET_LIMIT: "control_charge",
    SET_DESTINATION: "control_navigation",
}
CHARGE_COMMANDS: Final = frozenset({CHARGE_START, CHARGE_STOP, CHARGE_SET_LIMIT})
CHARGE_LIMIT_RANGE: Final = (50, 100)
DESTINATION_NAME_MAX_LENGTH: Final = 100

type Change = Callable[[Vehicle, datetime], None]


def _vehicle_state(code: str, detail: str) -> ApiError:
    return ApiError(409, "VEHICLE_STATE", code, detail)


def _context(request: web.Request, endpoint: str) -> VehicleContext:
    """Resolve the vehicle; check the permission and that the car can run the command."""
    context = vehicle_context(request)
    permission = PERMISSIONS[endpoint]
    if permission not in context.connection.permissions:
        raise permission_error(permission)
    vehicle = context.vehicle
    if endpoint in vehicle.unsupported_commands or (
        endpoint in CHARGE_COMMANDS and not vehicle.is_electric
    ):
        raise not_capable("This vehicle does not support this command.")
    return context


def _execute(
    context: VehicleContext,
    endpoint: str,
    change: Change,
    parameters: dict[str, Any] | None = None,
) -> web.Response:
    """Apply a command's change (now, later or never) and answer its execution."""
    sim, vehicle = context.sim, context.vehicle
    final = sim.faults.take_async_command(endpoint)
    now = sim.now()
    if final in (None, "SUCCESS"):
        change(vehicle, now)
    elif final == "PENDING":
        vehicle.pending.append(
            PendingChange(now + timedelta(seconds=sim.command_delay), change)
        )
    body = command_execution(
        COMMAND_TYPES[endpoint],
        final or "SUCCESS",
        asynchronous=final is not None,
        now=now,
        parameters=parameters,
    )
    return web.json_response(body, status=200 if final is None else 202)


async def lock(request: web.Request) -> web.Response:
    """Lock the doors (409 DOOR_OPEN while a door is open)."""
    return _security(request, locked=True)


async def unlock(request: web.Request) -> web.Response:
    """Unlock the doors."""
    return _security(request, locked=False)


def _security(request: web.Request, *, locked: bool) -> web.Response:
    endpoint = LOCK if locked else UNLOCK
    context = _context(request, endpoint)
    if locked and any_door_open(context.vehicle):
        raise _vehicle_state(
            "DOOR_OPEN", "A door is open; close all doors before locking."
        )
    return _execute(
        context, endpoint, lambda target, at: set_locked(target, locked, at)
    )


def _start_later(vehicle: Vehicle, at: datetime) -> None:
    # A start that lands later finds the car as it is then: unplugged, nothing happens.
    if charging.is_plugged(vehicle) and vehicle.charge_session is None:
        charging.start_charging(vehicle, at)


async def start_charge(request: web.Request) -> web.Response:
    """Start charging: 409 CHARGING_PLUG_NOT_CONNECTED unplugged, FULLY_CHARGED at the limit.

    A car already charging answers SUCCESS and goes on charging.
    """
    context = _context(request, CHARGE_START)
    vehicle = context.vehicle
    if not charging.is_plugged(vehicle):
        raise _vehicle_state(
            "CHARGING_PLUG_NOT_CONNECTED",
            "The charging cable is not connected; plug the car in first.",
        )
    if vehicle.charge_session is None and charging.state_of_charge(
        vehicle
    ) >= charging.charge_limit(vehicle):
        raise _vehicle_state(
            "FULLY_CHARGED", "The battery is already charged to its limit."
        )
    return _execute(context, CHARGE_START, _start_later)


async def stop_charge(request: web.Request) -> web.Response:
    """Stop charging: 409 NOT_CHARGING when the car is not charging."""
    context = _context(request, CHARGE_STOP)
    if context.vehicle.charge_session is None:
        raise _vehicle_state("NOT_CHARGING", "The vehicle is not charging.")
    return _execute(context, CHARGE_STOP, charging.stop_charging)


async def set_charge_limit(request: web.Request) -> web.Response:
    """Set the GLOBAL charge limit: a whole percentage from 50 to 100 (400 otherwise)."""
    context = _context(request, CHARGE_SET_LIMIT)
    percent = (await request_attributes(request)).get("percent")
    low, high = CHARGE_LIMIT_RANGE
    if (
        isinstance(percent, bool)
        or not isinstance(percent, int)
        or not low <= percent <= high
    ):
        raise validation_error(f"percent: must be an integer from {low} to {high}")
    return _execute(
        context,
        CHARGE_SET_LIMIT,
        lambda target, at: charging.set_charge_limit(target, percent, at),
        {"percent": percent},
    )


def _coordinate(value: Any, limit: float, name: str) -> float:
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not math.isfinite(value)
        or not -limit <= value <= limit
    ):
        raise validation_error(f"{name}: must be a number from {-limit} to {limit}")
    return float(value)


async def set_destination(request: web.Request) -> web.Response:
    """Send a destination to the navigation (recorded in `Vehicle.destinations`)."""
    context = _context(request, SET_DESTINATION)
    attributes = await request_attributes(request)
    latitude = _coordinate(attributes.get("latitude"), 90, "latitude")
    longitude = _coordinate(attributes.get("longitude"), 180, "longitude")
    name = attributes.get("name")
    if name is not None and (
        not isinstance(name, str) or len(name) > DESTINATION_NAME_MAX_LENGTH
    ):
        raise validation_error(
            f"name: must be text of at most {DESTINATION_NAME_MAX_LENGTH} characters"
        )

    def navigate(target: Vehicle, at: datetime) -> None:
        target.destinations.append(Destination(latitude, longitude, name, at))

    parameters: dict[str, Any] = {"latitude": latitude, "longitude": longitude}
    if name is not None:
        parameters["name"] = name
    return _execute(context, SET_DESTINATION, navigate, parameters)
