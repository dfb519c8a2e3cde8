"""`POST /oauth2/token`: the client-credentials grant."""

from __future__ import annotations

from typing import Any

from aiohttp import BasicAuth, web

from smartcar_simulator.context import simulator_of
from smartcar_simulator.credentials import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET
from smartcar_simulator.errors import oauth_error


class _BadBody(Exception):
    """The request body could not be read."""


async def _read_params(request: web.Request) -> dict[str, str]:
    if request.content_type == "application/json":
        try:
            data: Any = await request.json()
        except ValueError as err:
            raise _BadBody from err
        if not isinstance(data, dict):
            raise _BadBody
        return {key: value for key, value in data.items() if isinstance(value, str)}
    form = await request.post()
    return {key: value for key, value in form.items() if isinstance(value, str)}


async def issue_token(request: web.Request) -> web.Response:
    """Mint an application token for valid client credentials."""
    sim = simulator_of(request)
    try:
        params = await _read_params(request)
    except _BadBody:
        return oauth_error(400, "invalid_request", "The body is not a JSON object.")
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("basic "):
        try:
            basic = BasicAuth.decode(header)
        except ValueError:
            return oauth_error(401, "invalid_client", "Malformed Basic credentials.")
        params.setdefault("client_id", basic.login)
        params.setdefault("client_secret", basic.password)
    missing = [
        name
        for name in ("grant_type", "client_id", "client_secret")
        if not params.get(name)
    ]
    if missing:
        return oauth_error(
            400, "invalid_request", f"Missing parameter(s): {', '.join(missing)}."
        )
    if params["grant_type"] != "client_credentials":
        return oauth_error(
            400,
            "unsupported_grant_type",
            f"Grant type {params['grant_type']!r} is not supported.",
        )
    if (params["client_id"], params["client_secret"]) != (
        DEMO_CLIENT_ID,
        DEMO_CLIENT_SECRET,
    ):
        return oauth_error(401, "invalid_client", "Unknown client or wrong secret.")
    return web.json_response(
        {
            "access_token": sim.issue_token(),
            "token_type": "Bearer",
            "expires_in": sim.token_lifetime,
        },
        headers={"Cache-Control": "no-store", "Pragma": "no-cache"},
    )
