"""Pushes Smartcar sends on its own: after state-changing API calls, and periodically."""

from __future__ import annotations

import asyncio
from functools import partial
from typing import TYPE_CHECKING, Final

from aiohttp import web
from aiohttp.typedefs import Handler, Middleware

from .app import API_ROUTES
from .charging import IS_CHARGING, LIMITS, STATUS
from .closures import DOORS, IS_LOCKED
from .endpoints import (
    CHARGE_SET_LIMIT,
    CHARGE_START,
    CHARGE_STOP,
    LOCK,
    SCHEDULE_CREATE,
    SCHEDULE_DELETE,
    UNLOCK,
)
from .schedules import TIMERS
from .webhook_delivery import logged

if TYPE_CHECKING:
    from .simulator import SimulatorCore

PUSH_TRIGGERS: Final[dict[str, tuple[str, ...]]] = {
    LOCK: (IS_LOCKED, DOORS),
    UNLOCK: (IS_LOCKED, DOORS),
    CHARGE_START: (IS_CHARGING, STATUS),
    CHARGE_STOP: (IS_CHARGING, STATUS),
    CHARGE_SET_LIMIT: (LIMITS,),
    SCHEDULE_CREATE: (TIMERS,),
    SCHEDULE_DELETE: (TIMERS,),
}
"""Endpoints whose 2xx answer pushes the vehicle's state, and the signals they trigger."""


def push_after_changes(sim: SimulatorCore) -> Middleware:
    """Return a middleware that pushes the vehicle's state after a successful change.

    It sits inside the request pipeline, so it only sees requests that passed
    authentication and fault injection; nothing happens without a subscription.
    """
    triggers_by_handler: dict[Handler, tuple[str, ...]] = {
        handler: PUSH_TRIGGERS[endpoint]
        for _, _, endpoint, handler in API_ROUTES
        if endpoint in PUSH_TRIGGERS
    }

    @web.middleware
    async def push_after_change(
        request: web.Request, handler: Handler
    ) -> web.StreamResponse:
        response = await handler(request)
        trigger_codes = triggers_by_handler.get(request.match_info.handler)
        if trigger_codes is not None and 200 <= response.status < 300:
            sim.push_soon(
                request.match_info["vehicle_id"],
                user_id=request.headers["sc-user-id"].strip(),
                trigger_codes=trigger_codes,
            )
        return response

    return push_after_change


async def push_periodically(sim: SimulatorCore, every: float) -> None:
    """Every `every` seconds, push the state of each connected vehicle; run until cancelled.

    A connection's first successful push is a `FIRST_DELIVERY`; failures are
    logged and retried on the next round.
    """
    delivered: set[str] = set()
    while True:
        await asyncio.sleep(every)
        for connection in sim.connections():
            vehicle_id, user_id = connection.vehicle_id, connection.user_id
            delivery = await logged(
                partial(
                    sim.push,
                    vehicle_id,
                    user_id=user_id,
                    first_delivery=connection.id not in delivered,
                ),
                f"of vehicle {vehicle_id}",
            )
            if delivery is not None and delivery.ok:
                delivered.add(connection.id)
