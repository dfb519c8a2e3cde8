"""`POST /v3/vehicles/{id}/commands/security/lock|unlock`."""

from __future__ import annotations

from datetime import timedelta

from aiohttp import web

from smartcar_simulator.closures import any_door_open, set_locked
from smartcar_simulator.context import vehicle_context
from smartcar_simulator.endpoints import LOCK, UNLOCK
from smartcar_simulator.errors import ApiError, permission_error
from smartcar_simulator.jsonapi import command_execution
from smartcar_simulator.state import PendingChange


async def lock(request: web.Request) -> web.Response:
    """Lock the doors (409 DOOR_OPEN while a door is open)."""
    return _security(request, locked=True)


async def unlock(request: web.Request) -> web.Response:
    """Unlock the doors."""
    return _security(request, locked=False)


def _security(request: web.Request, *, locked: bool) -> web.Response:
    context = vehicle_context(request)
    sim, vehicle = context.sim, context.vehicle
    if "control_security" not in context.connection.permissions:
        raise permission_error("control_security")
    if locked and any_door_open(vehicle):
        raise ApiError(
            409,
            "VEHICLE_STATE",
            "DOOR_OPEN",
            "A door is open; close all doors before locking.",
        )

    final = sim.faults.take_async_command(LOCK if locked else UNLOCK)
    now = sim.now()
    if final in (None, "SUCCESS"):
        set_locked(vehicle, locked, now)
    elif final == "PENDING":
        vehicle.pending.append(
            PendingChange(
                now + timedelta(seconds=sim.command_delay),
                lambda target, at: set_locked(target, locked, at),
            )
        )
    body = command_execution(
        "security-lock" if locked else "security-unlock",
        final or "SUCCESS",
        asynchronous=final is not None,
        now=now,
    )
    return web.json_response(body, status=200 if final is None else 202)
