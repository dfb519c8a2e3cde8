"""The client-credentials token endpoint and token lifetime."""

from __future__ import annotations

import base64

import aiohttp

from smartcar_simulator import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, Simulator
from smartcar_simulator.clock import ManualClock

from .helpers import Api

GOOD = {
    "grant_type": "client_credentials",
    "client_id": DEMO_CLIENT_ID,
    "client_secret": DEMO_CLIENT_SECRET,
}


async def test_form_body_issues_bearer_token(api: Api, simulator: Simulator) -> None:
    """A form-encoded grant returns a bearer token that the simulator accepts."""
    reply = await api.post("/oauth2/token", auth=False, data=GOOD)
    assert reply.status == 200
    body = reply.json
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 3600
    assert simulator.token_valid(body["access_token"])
    assert reply.headers["Cache-Control"] == "no-store"
    assert reply.headers["SC-Request-Id"]


async def test_json_body_and_custom_lifetime(api: Api, simulator: Simulator) -> None:
    """A JSON body works too, and `expires_in` follows `token_lifetime`."""
    simulator.token_lifetime = 60
    reply = await api.post("/oauth2/token", auth=False, json=GOOD)
    assert reply.status == 200
    assert reply.json["expires_in"] == 60


async def test_basic_auth_credentials(api: Api) -> None:
    """Client id and secret may come in an HTTP Basic header instead of the body."""
    raw = base64.b64encode(f"{DEMO_CLIENT_ID}:{DEMO_CLIENT_SECRET}".encode()).decode()
    reply = await api.post(
        "/oauth2/token",
        auth=False,
        headers={"Authorization": f"Basic {raw}"},
        data={"grant_type": "client_credentials"},
    )
    assert reply.status == 200


async def test_malformed_basic_header_is_invalid_client(api: Api) -> None:
    """A Basic header that does not decode is rejected as invalid_client."""
    reply = await api.post(
        "/oauth2/token",
        auth=False,
        headers={"Authorization": "Basic %%%"},
        data={"grant_type": "client_credentials"},
    )
    assert reply.status == 401
    assert reply.json["error"] == "invalid_client"


async def test_missing_parameters(api: Api) -> None:
    """Missing parameters answer 400 invalid_request naming them."""
    reply = await api.post(
        "/oauth2/token", auth=False, data={"grant_type": "client_credentials"}
    )
    assert reply.status == 400
    assert reply.json["error"] == "invalid_request"
    assert "client_id" in reply.json["error_description"]
    assert "client_secret" in reply.json["error_description"]


async def test_bad_json_bodies(api: Api) -> None:
    """Broken JSON and a JSON array are invalid requests."""
    broken = await api.post(
        "/oauth2/token",
        auth=False,
        data="{not json",
        headers={"Content-Type": "application/json"},
    )
    assert broken.status == 400
    assert broken.json["error"] == "invalid_request"
    array = await api.post("/oauth2/token", auth=False, json=["x"])
    assert array.status == 400
    assert array.json["error"] == "invalid_request"


async def test_non_string_json_values_count_as_missing(api: Api) -> None:
    """A numeric client secret in JSON is ignored, so the parameter is missing."""
    reply = await api.post(
        "/oauth2/token", auth=False, json={**GOOD, "client_secret": 1234}
    )
    assert reply.status == 400
    assert "client_secret" in reply.json["error_description"]


async def test_other_grant_type(api: Api) -> None:
    """Only client_credentials is supported."""
    reply = await api.post(
        "/oauth2/token", auth=False, data={**GOOD, "grant_type": "authorization_code"}
    )
    assert reply.status == 400
    assert reply.json["error"] == "unsupported_grant_type"


async def test_wrong_secret(api: Api) -> None:
    """A wrong secret answers 401 invalid_client."""
    reply = await api.post(
        "/oauth2/token", auth=False, data={**GOOD, "client_secret": "nope"}
    )
    assert reply.status == 401
    assert reply.json["error"] == "invalid_client"


async def test_token_expires_with_the_simulator_clock(
    api: Api, simulator: Simulator, sim_clock: ManualClock, owner: str
) -> None:
    """A token works until `expires_in` seconds of simulator time have passed."""
    simulator.token_lifetime = 600
    headers = {"Authorization": f"Bearer {await api.token()}"}
    assert (await api.get("/v3/connections", auth=False, headers=headers)).status == 200
    sim_clock.advance(599)
    assert (await api.get("/v3/connections", auth=False, headers=headers)).status == 200
    sim_clock.advance(1)
    reply = await api.get("/v3/connections", auth=False, headers=headers)
    assert reply.status == 401
    assert reply.error["type"] == "AUTHENTICATION"
    assert "expired" in reply.error["detail"]


async def test_revoke_tokens(api: Api, simulator: Simulator) -> None:
    """`revoke_tokens` invalidates every issued token."""
    headers = {"Authorization": f"Bearer {await api.token()}"}
    assert (await api.get("/v3/connections", auth=False, headers=headers)).status == 200
    simulator.revoke_tokens()
    assert (await api.get("/v3/connections", auth=False, headers=headers)).status == 401


async def test_default_clock_is_real_time(
    socket_enabled: None, session: aiohttp.ClientSession
) -> None:
    """Without a clock the simulator uses the current UTC time (tokens work)."""
    sim = Simulator()
    await sim.start()
    try:
        api = Api(session, sim)
        assert (await api.get("/v3/connections")).status == 200
    finally:
        await sim.stop()
