"""Every error of Smartcar's taxonomy, both envelopes, and network failures, as typed errors."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import aiohttp
import pytest

from custom_components.smartcar.api import (
    SmartcarClient,
    SmartcarSettings,
    signals as sig,
)
from custom_components.smartcar.api.errors import (
    SmartcarApiError,
    SmartcarAuthenticationError,
    SmartcarBillingError,
    SmartcarCompatibilityError,
    SmartcarConnectionError,
    SmartcarNotFoundError,
    SmartcarPermissionError,
    SmartcarRateLimitError,
    SmartcarResponseError,
    SmartcarServerError,
    SmartcarValidationError,
    SmartcarVehicleStateError,
    error_from_response,
    parse_retry_after,
)
from smartcar_simulator import Simulator
from smartcar_simulator.clock import ManualClock
from smartcar_simulator.vehicles import EX30_ID, OWNER_EMAIL

from .fakes import MintingAuth

TAXONOMY = [
    (401, "AUTHENTICATION", None, SmartcarAuthenticationError),
    (430, "BILLING", "VEHICLE_REQUEST_LIMIT", SmartcarBillingError),
    (501, "COMPATIBILITY", "MAKE_NOT_COMPATIBLE", SmartcarCompatibilityError),
    # A type without a class of its own (the integration reads it from `error.type`).
    (400, "CONNECTED_SERVICES_ACCOUNT", "ACCOUNT_ISSUE", SmartcarApiError),
    (403, "PERMISSION", None, SmartcarPermissionError),
    (429, "RATE_LIMIT", "SMARTCAR_API", SmartcarRateLimitError),
    (404, "RESOURCE_NOT_FOUND", "PATH", SmartcarNotFoundError),
    (500, "SERVER", "INTERNAL", SmartcarServerError),
    (502, "UPSTREAM", "NO_RESPONSE", SmartcarApiError),
    (400, "VALIDATION", "PARAMETER", SmartcarValidationError),
    (409, "VEHICLE_STATE", "ASLEEP", SmartcarVehicleStateError),
]


@pytest.mark.parametrize("envelope", ["v3", "v2"])
@pytest.mark.parametrize(("status", "error_type", "code", "error_class"), TAXONOMY)
async def test_every_error_type(
    client: SmartcarClient,
    simulator: Simulator,
    *,
    envelope: str,
    status: int,
    error_type: str,
    code: str | None,
    error_class: type[SmartcarApiError],
) -> None:
    """Each type, in the v3 errors[] envelope or the v2 flat body, raises its class."""
    user_id = simulator.connect(OWNER_EMAIL)
    # AUTHENTICATION is retried once with a new token, so it must fail twice to surface.
    simulator.faults.fail_next(
        "signals",
        status=status,
        error_type=error_type,
        code=code,
        count=2,
        envelope="v3" if envelope == "v3" else "v2",
        resolution="RETRY_LATER",
    )
    with pytest.raises(error_class) as err:
        await client.vehicle(EX30_ID, user_id).async_get_signals()
    assert err.value.status == status
    assert err.value.error.type == error_type
    assert err.value.code == code
    assert err.value.error.resolution == "RETRY_LATER"


async def test_rate_limit_carries_retry_after(
    client: SmartcarClient, simulator: Simulator, sim_clock: ManualClock
) -> None:
    """A vehicle's 429 says how long to wait; after that the vehicle answers again."""
    user_id = simulator.connect(OWNER_EMAIL)
    simulator.faults.rate_limit_vehicle(EX30_ID, retry_after=120)
    vehicle = client.vehicle(EX30_ID, user_id)
    with pytest.raises(SmartcarRateLimitError) as err:
        await vehicle.async_get_signals()
    assert err.value.code == "VEHICLE"
    assert err.value.retry_after == 120
    sim_clock.advance(121)
    assert (await vehicle.async_get_signals()).signals


async def test_monthly_budget_gives_430(
    client: SmartcarClient, simulator: Simulator
) -> None:
    """Past the plan's monthly requests, the vehicle answers 430 BILLING."""
    user_id = simulator.connect(OWNER_EMAIL)
    simulator.faults.monthly_request_limit = 2
    vehicle = client.vehicle(EX30_ID, user_id)
    await vehicle.async_get_signals()
    await vehicle.async_get_signal(sig.VIN)
    with pytest.raises(SmartcarBillingError) as err:
        await vehicle.async_get_signals()
    assert err.value.code == "VEHICLE_REQUEST_LIMIT"


async def test_malformed_json(client: SmartcarClient, simulator: Simulator) -> None:
    """A 200 whose body is not JSON is a SmartcarResponseError, not a bare exception."""
    user_id = simulator.connect(OWNER_EMAIL)
    simulator.faults.malformed_json("signals")
    with pytest.raises(SmartcarResponseError):
        await client.vehicle(EX30_ID, user_id).async_get_signals()


async def test_page_failing_mid_listing(
    client: SmartcarClient, simulator: Simulator
) -> None:
    """When page 2 of the signals fails, the whole read fails with that error."""
    user_id = simulator.connect(OWNER_EMAIL)
    simulator.signals_page_size = 5
    simulator.faults.fail_next(
        "signals", status=502, error_type="UPSTREAM", code="NO_RESPONSE", page=2
    )
    with pytest.raises(SmartcarApiError) as err:
        await client.vehicle(EX30_ID, user_id).async_get_signals()
    assert err.value.error.type == "UPSTREAM"
    assert simulator.counters.count("signals") == 2


async def test_timeout(
    http_session: aiohttp.ClientSession, simulator: Simulator
) -> None:
    """No answer within the request timeout is a SmartcarConnectionError that says so."""
    user_id = simulator.connect(OWNER_EMAIL)
    settings = SmartcarSettings(
        token_url=f"{simulator.url}/oauth2/token",
        vehicle_api_url=f"{simulator.url}/v3",
        request_timeout=0.2,
    )
    auth = MintingAuth(http_session, settings)
    await auth.async_get_access_token()
    simulator.faults.latency = 1.0
    client = SmartcarClient(http_session, auth, settings)
    with pytest.raises(
        SmartcarConnectionError, match="did not answer GET within 0.2 s"
    ):
        await client.vehicle(EX30_ID, user_id).async_get_signals()


async def test_connection_refused(
    http_session: aiohttp.ClientSession, socket_enabled: None
) -> None:
    """Nothing listening is a SmartcarConnectionError."""
    sim = Simulator()
    url = await sim.start("127.0.0.1", 0)
    await sim.stop()
    settings = SmartcarSettings.at(url)
    auth = MintingAuth(http_session, settings)
    with pytest.raises(SmartcarConnectionError, match="Could not reach Smartcar"):
        await auth.async_get_access_token()


def test_error_without_body_is_typed_by_status() -> None:
    """A bare status (no JSON) still maps onto the taxonomy."""
    assert error_from_response(503, "").error.type == "UPSTREAM"
    assert isinstance(error_from_response(418, "<html>"), SmartcarValidationError)
    unknown = error_from_response(
        400, '{"errors": [{"type": "SOMETHING_NEW", "code": "X"}]}'
    )
    assert type(unknown) is SmartcarApiError
    assert str(unknown) == "400 SOMETHING_NEW:X"


def test_oauth_error_body() -> None:
    """The token endpoint's OAuth body gives the code and the detail."""
    body = '{"error": "invalid_client", "error_description": "Unknown client"}'
    error = error_from_response(401, body)
    assert isinstance(error, SmartcarAuthenticationError)
    assert str(error) == "401 AUTHENTICATION:invalid_client - Unknown client"


def test_retry_after_forms() -> None:
    """Retry-After in seconds or as an HTTP date."""
    now = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
    assert parse_retry_after("30") == 30
    assert (
        parse_retry_after(
            format_datetime(now + timedelta(seconds=90), usegmt=True), now
        )
        == 90
    )
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None
