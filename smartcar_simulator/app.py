"""The aiohttp application: route table and middleware."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiohttp import web

from . import endpoints as ep
from .context import SIMULATOR
from .pipeline import build_pipeline
from .routes import (
    admin,
    commands,
    connect,
    connections,
    management,
    schedules,
    token,
    vehicles,
)

if TYPE_CHECKING:
    from .simulator import SimulatorCore

VEHICLE = "/v3/vehicles/{vehicle_id}"
PARTNER_VEHICLE = "/v3.0/vehicles/{vehicle_id}"

BASE_ROUTES = (
    ("POST", "/oauth2/token", ep.TOKEN, token.issue_token),
    ("GET", "/oauth/authorize", ep.CONNECT, connect.show_login),
    ("POST", "/oauth/authorize", ep.CONNECT, connect.submit),
    ("GET", "/v3/connections", ep.CONNECTIONS, connections.list_connections),
    ("GET", VEHICLE, ep.VEHICLE, vehicles.get_vehicle),
    ("GET", f"{VEHICLE}/signals", ep.SIGNALS, vehicles.list_signals),
    ("GET", f"{VEHICLE}/signals/{{code}}", ep.SIGNAL, vehicles.get_signal),
    ("POST", f"{VEHICLE}/commands/security/lock", ep.LOCK, commands.lock),
    ("POST", f"{VEHICLE}/commands/security/unlock", ep.UNLOCK, commands.unlock),
    (
        "POST",
        f"{VEHICLE}/commands/charge/start",
        ep.CHARGE_START,
        commands.start_charge,
    ),
    ("POST", f"{VEHICLE}/commands/charge/stop", ep.CHARGE_STOP, commands.stop_charge),
    (
        "POST",
        f"{VEHICLE}/commands/charge/set-limit",
        ep.CHARGE_SET_LIMIT,
        commands.set_charge_limit,
    ),
    (
        "POST",
        f"{VEHICLE}/commands/navigation/set-destination",
        ep.SET_DESTINATION,
        commands.set_destination,
    ),
)

SCHEDULE_ROUTES = (
    (
        "POST",
        f"{VEHICLE}/charge-schedules/{{kind:daily|weekly|workweek}}",
        ep.SCHEDULE_CREATE,
        schedules.create_schedule,
    ),
    (
        "DELETE",
        f"{VEHICLE}/charge-schedules/{{schedule_id}}",
        ep.SCHEDULE_DELETE,
        schedules.delete_schedule,
    ),
    (
        "POST",
        f"{PARTNER_VEHICLE}/schedules/{{kind:charge-(?:daily|weekly|workweek)}}",
        ep.SCHEDULE_CREATE,
        schedules.create_schedule,
    ),
    ("GET", f"{PARTNER_VEHICLE}/schedules", ep.SCHEDULE_LIST, schedules.list_schedules),
    (
        "DELETE",
        f"{PARTNER_VEHICLE}/schedules/{{schedule_id}}",
        ep.SCHEDULE_DELETE,
        schedules.delete_schedule,
    ),
)
"""The charge-schedule routes: Smartcar's documented family and the partner page's (`/v3.0`).

Both are routed; the handlers answer the documented 404 RESOURCE_NOT_FOUND PATH for the
family `schedule_contract` (`--schedule-contract docs|seed|both`) does not serve.
"""

MANAGEMENT = ep.MANAGEMENT_PREFIX

MANAGEMENT_ROUTES = (
    ("GET", f"{MANAGEMENT}/webhooks", ep.WEBHOOKS, management.list_webhooks),
    (
        "GET",
        f"{MANAGEMENT}/webhooks/{{webhook_id}}",
        ep.WEBHOOKS,
        management.get_webhook,
    ),
    ("POST", f"{MANAGEMENT}/subscriptions", ep.SUBSCRIBE, management.subscribe),
    (
        "GET",
        f"{MANAGEMENT}/subscriptions",
        ep.SUBSCRIPTIONS,
        management.list_subscriptions,
    ),
    (
        "DELETE",
        f"{MANAGEMENT}/subscriptions/{{subscription_id}}",
        ep.UNSUBSCRIBE,
        management.unsubscribe,
    ),
)
"""Webhooks and vehicle subscriptions of the Management API."""

API_ROUTES = BASE_ROUTES + SCHEDULE_ROUTES + MANAGEMENT_ROUTES
"""(method, path, endpoint name, handler) of every simulated Smartcar route."""


def build_app(sim: SimulatorCore) -> web.Application:
    """Return an application serving `sim`."""
    names: dict[web.AbstractRoute, str] = {}
    app = web.Application(middlewares=[build_pipeline(sim, names)])
    app[SIMULATOR] = sim
    for method, path, endpoint, handler in API_ROUTES:
        names[app.router.add_route(method, path, handler)] = endpoint
    app.router.add_get("/_simulator/counters", admin.get_counters)
    app.router.add_post("/_simulator/faults", admin.post_faults)
    app.router.add_post("/_simulator/reset", admin.post_reset)
    app.router.add_get(
        "/_simulator/vehicles/{vehicle_id}/state", admin.get_vehicle_state
    )
    return app
