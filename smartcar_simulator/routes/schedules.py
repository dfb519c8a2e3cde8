"""Charge schedules on the documented and on the partner page's paths.

Documented: create and delete under `/v3/vehicles/{id}/charge-schedules`. Partner page: create,
list and delete under `/v3.0/vehicles/{id}/schedules`. A create answers 200 with `scheduleId`,
or (`schedule_create_answer = "202"`) 202 PENDING without it; a delete answers 200 with an
execution, or (`schedule_delete_answer = "204"`) 204 No Content.
"""

from __future__ import annotations

from datetime import datetime
import secrets
from typing import Any

from aiohttp import web

from smartcar_simulator.context import VehicleContext, simulator_of, vehicle_context
from smartcar_simulator.errors import (
    ApiError,
    not_capable,
    not_found,
    permission_error,
    validation_error,
)
from smartcar_simulator.jsonapi import execution_id, execution_meta, request_attributes
from smartcar_simulator.schedules import (
    MAX_SCHEDULES,
    PARTNER_PREFIX,
    SCHEDULE_TYPES,
    parse_schedule,
    sync_charge_timers,
)
from smartcar_simulator.state import ChargeSchedule


def _family(request: web.Request) -> str:
    return "seed" if request.path.startswith(PARTNER_PREFIX) else "docs"


def _context(request: web.Request) -> VehicleContext:
    served = simulator_of(request).schedule_contract
    if served not in (_family(request), "both"):
        # As for any unknown route: the documented 404 RESOURCE_NOT_FOUND PATH.
        raise not_found(f"No route for {request.path}.")
    context = vehicle_context(request)
    if not context.vehicle.is_electric or not context.vehicle.schedule_types:
        raise not_capable("This vehicle does not support charge schedules.")
    if "control_charge" not in context.connection.permissions:
        raise permission_error("control_charge")
    return context


def _execution(
    request: web.Request, action: str, schedule: ChargeSchedule, now: datetime
) -> dict[str, Any]:
    vehicle_id = request.match_info["vehicle_id"]
    link = (
        f"/v3.0/vehicles/{vehicle_id}/schedules/{schedule.id}"
        if _family(request) == "seed"
        else f"/vehicles/{vehicle_id}/charge-schedules/{schedule.id}"
    )
    return {
        "data": {
            "id": execution_id(),
            "type": "charge-schedule-execution",
            "attributes": {
                "action": action,
                "scheduleType": schedule.schedule_type,
                "status": {"value": "SUCCESS"},
                "executionMode": "sync",
                "scheduleId": schedule.id,
                "parameters": schedule.attributes,
            },
            "links": {"schedule": link},
            "meta": execution_meta(now, now),
        }
    }


async def create_schedule(request: web.Request) -> web.Response:
    """Create a daily, weekly or workweek charge schedule (at most 10 per vehicle)."""
    context = _context(request)
    schedule_type = SCHEDULE_TYPES[request.match_info["kind"]]
    if schedule_type not in context.vehicle.schedule_types:
        raise not_capable(f"This vehicle does not support {schedule_type} schedules.")
    attributes = parse_schedule(schedule_type, await request_attributes(request))
    vehicle = context.vehicle
    if len(vehicle.schedules) >= MAX_SCHEDULES:
        raise validation_error(
            f"schedules: a vehicle can have at most {MAX_SCHEDULES} charge schedules"
        )
    now = context.sim.now()
    schedule = ChargeSchedule(
        id=f"sch_{secrets.token_hex(8)}",
        schedule_type=schedule_type,
        attributes=attributes,
        created_at=now,
    )
    vehicle.schedules.append(schedule)
    sync_charge_timers(vehicle, now)
    answer = _execution(request, "create", schedule, now)
    if context.sim.schedule_create_answer == "202":
        # Long-running: Smartcar took it; the id shows in Charge.ChargeTimers only.
        data = answer["data"]
        data.pop("links")
        attributes = data["attributes"]
        del attributes["scheduleId"]
        attributes |= {"status": {"value": "PENDING"}, "executionMode": "async"}
        return web.json_response(answer, status=202)
    return web.json_response(answer)


async def list_schedules(request: web.Request) -> web.Response:
    """List the stored schedules, oldest first."""
    context = _context(request)
    vehicle = context.vehicle
    return web.json_response(
        {
            "data": [schedule.resource() for schedule in vehicle.schedules],
            "meta": {"totalCount": len(vehicle.schedules), "maxCount": MAX_SCHEDULES},
            "links": {"self": f"/v3.0/vehicles/{vehicle.id}/schedules"},
        }
    )


async def delete_schedule(request: web.Request) -> web.Response:
    """Delete one schedule; an unknown id answers 404."""
    context = _context(request)
    vehicle = context.vehicle
    schedule_id = request.match_info["schedule_id"]
    for schedule in vehicle.schedules:
        if schedule.id == schedule_id:
            break
    else:
        # Not PATH: the route exists, the schedule does not.
        raise ApiError(
            404,
            "RESOURCE_NOT_FOUND",
            None,
            "No schedule with this id was found on this vehicle.",
        )
    vehicle.schedules.remove(schedule)
    now = context.sim.now()
    sync_charge_timers(vehicle, now, dropped=schedule_id)
    if context.sim.schedule_delete_answer == "204":
        return web.Response(status=204)
    return web.json_response(_execution(request, "delete", schedule, now))
