"""Bearer token, `sc-user-id` and connection checks on the v3 routes."""

from __future__ import annotations

from smartcar_simulator import EX30_ID, OWNER_USER_ID, SECOND_EMAIL, XC40_ID, Simulator

from .helpers import Api


async def test_missing_token(api: Api, owner: str) -> None:
    """No Authorization header: 401 AUTHENTICATION in the v3 envelope."""
    reply = await api.get(f"/v3/vehicles/{EX30_ID}", auth=False, user=owner)
    assert reply.status == 401
    error = reply.error
    assert error["status"] == "401"
    assert error["type"] == "AUTHENTICATION"
    assert error["code"] is None
    assert error["links"]["about"].startswith("https://smartcar.com/docs/")
    assert set(error) == {
        "status",
        "type",
        "code",
        "title",
        "detail",
        "links",
        "resolution",
        "suggestedUserMessage",
    }
    assert reply.headers["SC-Request-Id"]


async def test_unknown_token_and_wrong_scheme(api: Api, owner: str) -> None:
    """An unknown bearer token and a non-bearer scheme are both rejected."""
    unknown = await api.get(
        "/v3/connections", auth=False, headers={"Authorization": "Bearer nope"}
    )
    assert unknown.status == 401
    assert "invalid" in unknown.error["detail"]
    basic = await api.get(
        "/v3/connections", auth=False, headers={"Authorization": "Basic abc"}
    )
    assert basic.status == 401
    assert "Authorization" in basic.error["detail"]


async def test_missing_user_id(api: Api, owner: str) -> None:
    """Vehicle routes need `sc-user-id`: 400 VALIDATION "missing userId"."""
    reply = await api.get(f"/v3/vehicles/{EX30_ID}/signals")
    assert reply.status == 400
    assert reply.error["type"] == "VALIDATION"
    assert reply.error["detail"] == "missing userId"


async def test_vehicle_of_another_user(
    api: Api, simulator: Simulator, owner: str
) -> None:
    """A vehicle not connected to the user is 404 RESOURCE_NOT_FOUND PATH."""
    simulator.connect(SECOND_EMAIL)
    reply = await api.get(f"/v3/vehicles/{XC40_ID}", user=owner)
    assert reply.status == 404
    assert reply.error["type"] == "RESOURCE_NOT_FOUND"
    assert reply.error["code"] == "PATH"


async def test_not_connected_yet(api: Api) -> None:
    """The owner's own car is 404 until Connect created a connection."""
    reply = await api.get(f"/v3/vehicles/{EX30_ID}", user=OWNER_USER_ID)
    assert reply.status == 404


async def test_unknown_vehicle(api: Api, owner: str) -> None:
    """An unknown vehicle id is 404."""
    reply = await api.get("/v3/vehicles/does-not-exist/signals", user=owner)
    assert reply.status == 404
    assert reply.error["code"] == "PATH"


async def test_unknown_v3_path(api: Api, owner: str) -> None:
    """An unknown path under /v3 answers in the v3 envelope; elsewhere plain 404."""
    reply = await api.get(f"/v3/vehicles/{EX30_ID}/nothing-here", user=owner)
    assert reply.status == 404
    assert reply.error["type"] == "RESOURCE_NOT_FOUND"
    other = await api.get("/elsewhere", auth=False)
    assert other.status == 404
    assert "errors" not in other.text


async def test_unknown_v3_path_needs_a_token(api: Api) -> None:
    """Authentication comes before routing under /v3."""
    reply = await api.get("/v3/unknown", auth=False)
    assert reply.status == 401


async def test_method_not_allowed_keeps_request_id(api: Api, owner: str) -> None:
    """Other HTTP errors keep aiohttp's answer but still carry SC-Request-Id."""
    reply = await api.call("PUT", "/v3/connections")
    assert reply.status == 405
    assert reply.headers["SC-Request-Id"]
