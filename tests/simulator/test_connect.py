"""The simulated Smartcar Connect flow (login, consent, redirects, error pages)."""

from __future__ import annotations

import re

import pytest
from yarl import URL

from smartcar_simulator import (
    DEMO_APPLICATION_ID,
    EX30_ID,
    NO_VEHICLES_EMAIL,
    OWNER_EMAIL,
    OWNER_USER_ID,
    XC60_ID,
    XC90_ID,
    Simulator,
)
from smartcar_simulator.clock import ManualClock

from .helpers import Api, Reply

REDIRECT = "https://my.home-assistant.io/redirect/oauth"
PARAMS = {
    "client_id": DEMO_APPLICATION_ID,
    "redirect_uri": REDIRECT,
    "response_type": "code",
    "scope": "required:read_battery read_vin control_security read_battery",
    "state": "state-123",
    "mode": "live",
}


def _session_of(page: str) -> str:
    match = re.search(r"name='session' value='([^']+)'", page)
    assert match, page
    return match.group(1)


def _hidden_fields(page: str) -> dict[str, str]:
    return dict(re.findall(r"type='hidden' name='([^']+)' value='([^']*)'", page))


async def _login(api: Api, email: str = OWNER_EMAIL, password: str = "demo") -> Reply:
    page = await api.get("/oauth/authorize", auth=False, params=PARAMS)
    assert page.status == 200
    form = {**_hidden_fields(page.text), "email": email, "password": password}
    return await api.post(
        "/oauth/authorize", auth=False, data=form, allow_redirects=False
    )


def _query(reply: Reply) -> dict[str, str]:
    assert reply.status == 302, reply.text
    location = URL(reply.headers["Location"])
    assert str(location.with_query(None)) == REDIRECT
    return dict(location.query)


async def test_login_page_carries_oauth_params(api: Api) -> None:
    """Step 1 is a login form posting back to /oauth/authorize with hidden OAuth fields."""
    page = await api.get("/oauth/authorize", auth=False, params=PARAMS)
    assert page.status == 200
    assert page.headers["Content-Type"].startswith("text/html")
    assert "<form method='post' action='/oauth/authorize'>" in page.text
    assert "name='email'" in page.text
    assert "name='password'" in page.text
    assert _hidden_fields(page.text) == PARAMS


@pytest.mark.parametrize("redirect", ["docs", "code"])
async def test_approve_creates_connections(
    api: Api, simulator: Simulator, sim_clock: ManualClock, redirect: str
) -> None:
    """Approving redirects with user_id and state: the docs' redirect by default, a code on demand."""
    simulator.connect_redirect = redirect
    page = await _login(api)
    assert page.status == 200
    for vehicle_id in (EX30_ID, XC60_ID, XC90_ID):
        assert f"name='vehicle' value='{vehicle_id}' checked" in page.text
    assert "read_battery" in page.text
    assert "control_security" in page.text
    session = _session_of(page.text)
    reply = await api.post(
        "/oauth/authorize",
        auth=False,
        data=[
            ("session", session),
            ("vehicle", EX30_ID),
            ("vehicle", XC90_ID),
            ("action", "approve"),
        ],
        allow_redirects=False,
    )
    query = _query(reply)
    assert query["state"] == "state-123"
    assert query["user_id"] == OWNER_USER_ID
    if redirect == "code":
        assert len(query["code"]) > 20
    else:
        assert set(query) == {"user_id", "state"}
    connections = simulator.connections(OWNER_USER_ID)
    assert {item.vehicle_id for item in connections} == {EX30_ID, XC90_ID}
    assert connections[0].permissions == [
        "read_battery",
        "read_vin",
        "control_security",
    ]
    # The session is single use.
    again = await api.post(
        "/oauth/authorize",
        auth=False,
        data={"session": session, "action": "approve", "vehicle": EX30_ID},
    )
    assert again.status == 400
    assert "expired" in again.text


async def test_reconnect_updates_permissions(
    api: Api, simulator: Simulator, sim_clock: ManualClock
) -> None:
    """Running Connect again updates permissions and updatedAt, not createdAt."""
    simulator.connect(OWNER_EMAIL, [EX30_ID], ["read_battery"])
    created = simulator.connections(OWNER_USER_ID)[0]
    sim_clock.advance(3600)
    page = await _login(api)
    reply = await api.post(
        "/oauth/authorize",
        auth=False,
        data={
            "session": _session_of(page.text),
            "vehicle": EX30_ID,
            "action": "approve",
        },
        allow_redirects=False,
    )
    assert reply.status == 302
    [connection] = simulator.connections(OWNER_USER_ID)
    assert connection.id == created.id
    assert connection.permissions == ["read_battery", "read_vin", "control_security"]
    assert connection.updated_at == sim_clock()
    assert connection.created_at != connection.updated_at


async def test_wrong_password_shows_login_again(api: Api) -> None:
    """A wrong password or unknown email shows the login form with an error."""
    for email, password in ((OWNER_EMAIL, "wrong"), ("nobody@example.com", "demo")):
        reply = await _login(api, email, password)
        assert reply.status == 200
        assert "Incorrect email or password." in reply.text
        assert "name='password'" in reply.text
        assert _hidden_fields(reply.text)["state"] == "state-123"


async def test_deny(api: Api, simulator: Simulator) -> None:
    """Deny redirects with access_denied and creates nothing."""
    page = await _login(api)
    reply = await api.post(
        "/oauth/authorize",
        auth=False,
        data={"session": _session_of(page.text), "action": "deny"},
        allow_redirects=False,
    )
    query = _query(reply)
    assert query["error"] == "access_denied"
    assert query["error_description"]
    assert query["state"] == "state-123"
    assert simulator.connections() == []


async def test_no_vehicles(api: Api) -> None:
    """An account without vehicles is redirected with error=no_vehicles."""
    reply = await _login(api, NO_VEHICLES_EMAIL)
    query = _query(reply)
    assert query["error"] == "no_vehicles"
    assert query["state"] == "state-123"


async def test_approve_with_nothing_ticked(api: Api, simulator: Simulator) -> None:
    """Approving no vehicle shows the vehicle page again with an error."""
    page = await _login(api)
    session = _session_of(page.text)
    reply = await api.post(
        "/oauth/authorize",
        auth=False,
        data={"session": session, "action": "approve", "vehicle": "not-mine"},
    )
    assert reply.status == 200
    assert "Select at least one vehicle." in reply.text
    assert _session_of(reply.text) == session
    assert simulator.connections() == []


async def test_unknown_action(api: Api) -> None:
    """An action other than approve/deny is a 400 page."""
    page = await _login(api)
    reply = await api.post(
        "/oauth/authorize",
        auth=False,
        data={"session": _session_of(page.text), "action": "maybe"},
    )
    assert reply.status == 400
    assert "Invalid parameter action" in reply.text


async def test_no_scope_grants_default_permissions(
    api: Api, simulator: Simulator
) -> None:
    """Without `scope`, the default permission set is requested; no state is echoed."""
    params = {
        key: value for key, value in PARAMS.items() if key not in {"scope", "state"}
    }
    page = await api.get("/oauth/authorize", auth=False, params=params)
    form = {**_hidden_fields(page.text), "email": OWNER_EMAIL, "password": "demo"}
    consent = await api.post("/oauth/authorize", auth=False, data=form)
    reply = await api.post(
        "/oauth/authorize",
        auth=False,
        data={
            "session": _session_of(consent.text),
            "vehicle": EX30_ID,
            "action": "approve",
        },
        allow_redirects=False,
    )
    query = _query(reply)
    assert "state" not in query
    permissions = simulator.connections()[0].permissions
    assert "control_charge" in permissions
    assert "read_location" in permissions


async def test_bad_requests_show_error_pages(api: Api) -> None:
    """Invalid Connect URLs get a 400 HTML page naming the parameter."""
    cases = {
        "Invalid parameter client_id": {**PARAMS, "client_id": "client_abc"},
        "Missing parameter redirect_uri": {
            key: value for key, value in PARAMS.items() if key != "redirect_uri"
        },
        "Invalid parameter redirect_uri": {**PARAMS, "redirect_uri": "not a url"},
        "Invalid parameter response_type": {**PARAMS, "response_type": "token"},
        "Invalid parameter mode": {**PARAMS, "mode": "banana"},
        "Invalid parameter scope": {**PARAMS, "scope": "read_everything"},
    }
    for message, params in cases.items():
        reply = await api.get("/oauth/authorize", auth=False, params=params)
        assert reply.status == 400, message
        assert message in reply.text
        assert reply.headers["Content-Type"].startswith("text/html")


async def test_tampered_login_post_is_rejected(api: Api) -> None:
    """The posted login form is validated again."""
    reply = await api.post(
        "/oauth/authorize",
        auth=False,
        data={**PARAMS, "client_id": "other", "email": OWNER_EMAIL, "password": "demo"},
    )
    assert reply.status == 400
    assert "Invalid parameter client_id" in reply.text


async def test_redirect_keeps_existing_query(api: Api) -> None:
    """Parameters are appended to a redirect URI that already has a query."""
    params = {**PARAMS, "redirect_uri": "http://localhost:8123/cb?flow=1"}
    page = await api.get("/oauth/authorize", auth=False, params=params)
    form = {**_hidden_fields(page.text), "email": NO_VEHICLES_EMAIL, "password": "demo"}
    reply = await api.post(
        "/oauth/authorize", auth=False, data=form, allow_redirects=False
    )
    location = URL(reply.headers["Location"])
    assert location.query["flow"] == "1"
    assert location.query["error"] == "no_vehicles"


async def test_connect_is_counted(api: Api, simulator: Simulator) -> None:
    """GET and POST of /oauth/authorize both count as `connect`."""
    await _login(api)
    assert simulator.counters.count("connect") == 2
