"""Fault injection: scripted failures, latency, rate and billing limits, broken JSON."""

from __future__ import annotations

import asyncio
import json
import time

import pytest

from smartcar_simulator import EX30_ID, XC60_ID, XC90_ID, Simulator
from smartcar_simulator.clock import ManualClock

from .helpers import Api

SIGNALS = f"/v3/vehicles/{EX30_ID}/signals"


async def test_fail_next_v3(api: Api, simulator: Simulator, owner: str) -> None:
    """`fail_next` answers the next `count` requests with the v3 envelope, then recovers."""
    simulator.faults.fail_next(
        "signals", status=502, error_type="UPSTREAM", code="NO_RESPONSE", count=2
    )
    for _ in range(2):
        reply = await api.get(SIGNALS, user=owner)
        assert reply.status == 502
        error = reply.error
        assert error["status"] == "502"
        assert (error["type"], error["code"]) == ("UPSTREAM", "NO_RESPONSE")
        assert error["resolution"] == {"type": "RETRY_LATER"}
        assert error["title"]
        assert error["suggestedUserMessage"]
    assert (await api.get(SIGNALS, user=owner)).status == 200
    assert "Retry-After" not in reply.headers


async def test_injected_429_always_has_retry_after(
    api: Api, simulator: Simulator, owner: str
) -> None:
    """A 429 injected without `retry_after` still sends `Retry-After: 60`."""
    simulator.faults.fail_next(
        "signals", status=429, error_type="RATE_LIMIT", code="SMARTCAR_API"
    )
    reply = await api.get(SIGNALS, user=owner)
    assert reply.status == 429
    assert reply.headers["Retry-After"] == "60"
    assert reply.error["resolution"] == {"type": "RETRY_LATER"}


async def test_fail_next_v2_with_retry_after(
    api: Api, simulator: Simulator, owner: str
) -> None:
    """The v2 flat error form carries statusCode (int), requestId and Retry-After."""
    simulator.faults.fail_next(
        "signals",
        status=429,
        error_type="RATE_LIMIT",
        code="SMARTCAR_API",
        envelope="v2",
        retry_after=42,
        resolution="CONTACT_SUPPORT",
        detail="Slow down.",
    )
    reply = await api.get(SIGNALS, user=owner)
    assert reply.status == 429
    assert reply.headers["Retry-After"] == "42"
    body = reply.json
    assert body["statusCode"] == 429
    assert body["type"] == "RATE_LIMIT"
    assert body["code"] == "SMARTCAR_API"
    assert body["description"] == "Slow down."
    assert body["requestId"] == reply.headers["SC-Request-Id"]
    assert body["docURL"].endswith("rate-limit-errors#smartcar-api")
    assert body["resolution"] == {"type": "CONTACT_SUPPORT"}
    assert body["suggestedUserMessage"]


async def test_fail_next_filters_vehicle_and_page(
    api: Api, simulator: Simulator, owner: str
) -> None:
    """`vehicle_id` and `page` narrow which request fails."""
    simulator.faults.fail_next(
        "signals", status=500, error_type="SERVER", vehicle_id=XC60_ID
    )
    simulator.faults.fail_next("signals", status=500, error_type="SERVER", page=2)
    assert (await api.get(SIGNALS, user=owner)).status == 200
    assert (
        await api.get(SIGNALS, user=owner, params={"page": "1", "pageSize": "5"})
    ).status == 200
    assert (
        await api.get(SIGNALS, user=owner, params={"page": "2", "pageSize": "5"})
    ).status == 500
    assert (await api.get(f"/v3/vehicles/{XC60_ID}/signals", user=owner)).status == 500
    assert (await api.get(f"/v3/vehicles/{XC60_ID}/signals", user=owner)).status == 200


async def test_fail_next_on_token_and_connections(
    api: Api, simulator: Simulator
) -> None:
    """Non-vehicle endpoints can fail too; connection paging uses page[number]."""
    simulator.faults.fail_next(
        "token", status=500, error_type="SERVER", code="INTERNAL"
    )
    reply = await api.post(
        "/oauth2/token", auth=False, data={"grant_type": "client_credentials"}
    )
    assert reply.status == 500
    assert reply.error["code"] == "INTERNAL"
    simulator.faults.fail_next("connections", status=503, error_type="SERVER", page=2)
    assert (await api.get("/v3/connections")).status == 200
    assert (
        await api.get("/v3/connections", params={"page[number]": "2"})
    ).status == 503


async def test_unknown_error_type_gets_generic_texts(
    api: Api, simulator: Simulator, owner: str
) -> None:
    """An error type without defaults still renders title and message."""
    simulator.faults.fail_next(
        "vehicle", status=400, error_type="CONNECTED_SERVICES_ACCOUNT"
    )
    reply = await api.get(f"/v3/vehicles/{EX30_ID}", user=owner)
    assert reply.error["title"] == "Connected services account issue"
    assert reply.error["resolution"] == {"type": "REAUTHENTICATE"}
    simulator.faults.fail_next("vehicle", status=418, error_type="TEAPOT_STATE")
    reply = await api.get(f"/v3/vehicles/{EX30_ID}", user=owner)
    assert reply.error["title"] == "Teapot state"
    assert reply.error["resolution"] == {"type": None}


def test_fault_arguments_are_checked(simulator: Simulator) -> None:
    """Unknown endpoints, bad counts, statuses and envelopes are refused."""
    faults = simulator.faults
    with pytest.raises(ValueError, match="unknown endpoint"):
        faults.fail_next("nope", status=500, error_type="SERVER")
    with pytest.raises(ValueError, match="count"):
        faults.fail_next("signals", status=500, error_type="SERVER", count=0)
    with pytest.raises(ValueError, match="status"):
        faults.fail_next("signals", status=200, error_type="SERVER")
    with pytest.raises(ValueError, match="envelope"):
        faults.fail_next("signals", status=500, error_type="SERVER", envelope="v1")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="unknown endpoint"):
        faults.malformed_json("nope")
    with pytest.raises(ValueError, match="final_status"):
        faults.async_commands(final_status="MAYBE")  # type: ignore[arg-type]


async def test_rate_limit_vehicle(
    api: Api, simulator: Simulator, sim_clock: ManualClock, owner: str
) -> None:
    """429 RATE_LIMIT VEHICLE with Retry-After until the simulator time passed."""
    simulator.faults.rate_limit_vehicle(EX30_ID, retry_after=90)
    reply = await api.get(SIGNALS, user=owner)
    assert reply.status == 429
    assert (reply.error["type"], reply.error["code"]) == ("RATE_LIMIT", "VEHICLE")
    assert reply.headers["Retry-After"] == "90"
    assert (await api.get(f"/v3/vehicles/{XC90_ID}", user=owner)).status == 200
    sim_clock.advance(30.5)
    assert (await api.get(SIGNALS, user=owner)).headers["Retry-After"] == "60"
    sim_clock.advance(59.5)
    assert (await api.get(SIGNALS, user=owner)).status == 200


async def test_monthly_request_limit(
    api: Api, simulator: Simulator, sim_clock: ManualClock, owner: str
) -> None:
    """Requests beyond the monthly limit get 430 BILLING until the next month."""
    simulator.faults.monthly_request_limit = 3
    for _ in range(3):
        assert (await api.get(SIGNALS, user=owner)).status == 200
    reply = await api.get(f"/v3/vehicles/{EX30_ID}", user=owner)
    assert reply.status == 430
    assert (reply.error["type"], reply.error["code"]) == (
        "BILLING",
        "VEHICLE_REQUEST_LIMIT",
    )
    assert simulator.faults.monthly_usage(EX30_ID) == 4
    assert (await api.get(f"/v3/vehicles/{XC90_ID}", user=owner)).status == 200
    assert (await api.get("/v3/connections")).status == 200
    sim_clock.advance(days=30)  # 2026-12-01
    assert simulator.faults.monthly_usage(EX30_ID) == 0
    assert (await api.get(SIGNALS, user=owner)).status == 200


async def test_malformed_json(api: Api, simulator: Simulator, owner: str) -> None:
    """`malformed_json` answers 200 with a body that does not parse."""
    simulator.faults.malformed_json("signals", count=1, vehicle_id=EX30_ID)
    assert (await api.get(f"/v3/vehicles/{XC60_ID}/signals", user=owner)).status == 200
    reply = await api.get(SIGNALS, user=owner)
    assert reply.status == 200
    assert reply.headers["Content-Type"].startswith("application/json")
    with pytest.raises(json.JSONDecodeError):
        json.loads(reply.text)
    assert (await api.get(SIGNALS, user=owner)).json["data"]


async def test_malformed_json_keeps_running(
    api: Api, simulator: Simulator, owner: str
) -> None:
    """A rule with count 2 stays until used twice."""
    simulator.faults.malformed_json("vehicle", count=2)
    for _ in range(2):
        with pytest.raises(json.JSONDecodeError):
            json.loads((await api.get(f"/v3/vehicles/{EX30_ID}", user=owner)).text)
    assert (await api.get(f"/v3/vehicles/{EX30_ID}", user=owner)).json["data"]


async def test_latency_and_concurrency(
    api: Api, simulator: Simulator, owner: str
) -> None:
    """Latency delays requests; concurrent requests overlap and are counted."""
    simulator.faults.latency = 0.05
    simulator.faults.endpoint_latency["signals"] = 0.05
    await api.token()
    started = time.monotonic()
    replies = await asyncio.gather(
        *(
            api.get(f"/v3/vehicles/{vid}/signals", user=owner)
            for vid in (EX30_ID, XC60_ID, XC90_ID)
        )
    )
    elapsed = time.monotonic() - started
    assert [reply.status for reply in replies] == [200, 200, 200]
    assert 0.1 <= elapsed < 0.3
    assert simulator.counters.max_concurrent("signals") == 3
    assert simulator.counters.in_flight() == 0
    simulator.faults.clear()
    assert simulator.faults.delay_for("signals") == 0


async def test_clear(api: Api, simulator: Simulator, owner: str) -> None:
    """`clear` removes every kind of fault."""
    faults = simulator.faults
    faults.fail_next("signals", status=500, error_type="SERVER")
    faults.malformed_json("signals")
    faults.async_commands()
    faults.rate_limit_vehicle(EX30_ID, 60)
    faults.monthly_request_limit = 0
    faults.clear()
    assert (await api.get(SIGNALS, user=owner)).status == 200
    lock = await api.post(f"/v3/vehicles/{EX30_ID}/commands/security/lock", user=owner)
    assert lock.status == 200
