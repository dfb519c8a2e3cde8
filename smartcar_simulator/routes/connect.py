"""`GET/POST /oauth/authorize`: the simulated Smartcar Connect flow."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
import secrets
from typing import TYPE_CHECKING, Any, NoReturn

from aiohttp import web
from multidict import MultiDictProxy
from yarl import URL

from smartcar_simulator.connect_pages import error_page, login_page, vehicles_page
from smartcar_simulator.context import simulator_of
from smartcar_simulator.credentials import DEMO_APPLICATION_ID
from smartcar_simulator.permissions import parse_scope
from smartcar_simulator.state import ConnectSession

if TYPE_CHECKING:
    from smartcar_simulator.simulator import SimulatorCore

type Form = MultiDictProxy[Any]

OAUTH_FIELDS = ("client_id", "redirect_uri", "response_type", "scope", "state", "mode")
MODES = frozenset({"live", "simulated", "test"})


class _BadRequest(Exception):
    """The Connect request itself is invalid: show an error page."""


@dataclass(frozen=True, slots=True)
class OAuthRequest:
    """The validated OAuth parameters of a Connect request."""

    fields: dict[str, str]
    redirect_uri: str
    state: str | None
    permissions: list[str]


def _parse(params: Mapping[str, Any]) -> OAuthRequest:
    fields = {
        name: params[name] for name in OAUTH_FIELDS if isinstance(params.get(name), str)
    }
    if fields.get("client_id") != DEMO_APPLICATION_ID:
        raise _BadRequest("Invalid parameter client_id")
    redirect_uri = fields.get("redirect_uri", "")
    if not redirect_uri:
        raise _BadRequest("Missing parameter redirect_uri")
    parsed = URL(redirect_uri)
    if parsed.scheme not in {"http", "https"} or not parsed.host:
        raise _BadRequest("Invalid parameter redirect_uri")
    if fields.get("response_type") != "code":
        raise _BadRequest("Invalid parameter response_type")
    if fields.get("mode", "live") not in MODES:
        raise _BadRequest("Invalid parameter mode")
    try:
        permissions = parse_scope(fields.get("scope"))
    except ValueError as err:
        raise _BadRequest(f"Invalid parameter scope: unknown permission {err}") from err
    return OAuthRequest(fields, redirect_uri, fields.get("state"), permissions)


def _html(text: str, status: int = 200) -> web.Response:
    return web.Response(text=text, status=status, content_type="text/html")


def _redirect(redirect_uri: str, params: dict[str, str | None]) -> NoReturn:
    query = {key: value for key, value in params.items() if value is not None}
    raise web.HTTPFound(location=str(URL(redirect_uri).update_query(query)))


async def show_login(request: web.Request) -> web.Response:
    """Step 1: validate the Connect URL and show the login form."""
    try:
        oauth = _parse(request.query)
    except _BadRequest as err:
        return _html(error_page(str(err)), 400)
    return _html(login_page(oauth.fields))


async def submit(request: web.Request) -> web.Response:
    """Handle a posted login form or consent form."""
    sim = simulator_of(request)
    form = await request.post()
    try:
        if "session" in form:
            return _consent(sim, form)
        return _login(sim, form)
    except _BadRequest as err:
        return _html(error_page(str(err)), 400)


def _login(sim: SimulatorCore, form: Form) -> web.Response:
    oauth = _parse(form)
    email = str(form.get("email", "")).strip().lower()
    account = sim.world.accounts.get(email)
    if account is None or form.get("password") != account.password:
        return _html(login_page(oauth.fields, "Incorrect email or password."))
    if not account.vehicle_ids:
        _redirect(
            oauth.redirect_uri,
            {
                "error": "no_vehicles",
                "error_description": "No vehicles were found on this account.",
                "state": oauth.state,
            },
        )
    session = secrets.token_urlsafe(16)
    sim.world.connect_sessions[session] = ConnectSession(
        email=account.email,
        redirect_uri=oauth.redirect_uri,
        state=oauth.state,
        permissions=oauth.permissions,
    )
    vehicles = [sim.world.vehicles[vehicle_id] for vehicle_id in account.vehicle_ids]
    return _html(vehicles_page(session, vehicles, oauth.permissions))


def _consent(sim: SimulatorCore, form: Form) -> web.Response:
    key = str(form["session"])
    session = sim.world.connect_sessions.get(key)
    if session is None:
        raise _BadRequest("This Connect session has expired; please start again.")
    account = sim.world.accounts[session.email]
    action = form.get("action")
    if action == "deny":
        del sim.world.connect_sessions[key]
        _redirect(
            session.redirect_uri,
            {
                "error": "access_denied",
                "error_description": "The user denied access to their vehicles.",
                "state": session.state,
            },
        )
    if action != "approve":
        raise _BadRequest("Invalid parameter action")
    chosen = [
        vehicle_id
        for vehicle_id in form.getall("vehicle", [])
        if vehicle_id in account.vehicle_ids
    ]
    if not chosen:
        vehicles = [
            sim.world.vehicles[vehicle_id] for vehicle_id in account.vehicle_ids
        ]
        return _html(
            vehicles_page(
                key, vehicles, session.permissions, "Select at least one vehicle."
            )
        )
    del sim.world.connect_sessions[key]
    sim.connect(account.email, chosen, session.permissions)
    # The documented redirect carries the user id and state; `--connect-redirect code` adds a
    # code, which is never exchanged in v3.
    code = secrets.token_urlsafe(24) if sim.connect_redirect == "code" else None
    _redirect(
        session.redirect_uri,
        {"code": code, "user_id": account.user_id, "state": session.state},
    )
