"""The `/_simulator/` admin routes for out-of-process control."""

from __future__ import annotations

from typing import Any

from smartcar_simulator import EX30_ID, Simulator

from .helpers import Api, Reply


async def _fault(api: Api, **body: Any) -> Reply:
    return await api.post("/_simulator/faults", auth=False, json=body)


def _monthly_limit(simulator: Simulator) -> int | None:
    return simulator.faults.monthly_request_limit


async def test_counters_route(api: Api, simulator: Simulator, owner: str) -> None:
    """GET counters returns totals and a filtered count; admin calls are not counted."""
    await api.get(f"/v3/vehicles/{EX30_ID}/signals", user=owner)
    reply = await api.get(
        "/_simulator/counters",
        auth=False,
        params={"endpoint": "signals", "vehicle_id": EX30_ID},
    )
    assert reply.status == 200
    body = reply.json
    assert body["total"] == 2
    assert body["count"] == 1
    assert body["endpoints"] == {"token": 1, "signals": 1}
    assert body["maxConcurrentFor"] == 1
    assert body["maxConcurrentTotal"] == 1
    assert simulator.counters.count() == 2


async def test_fault_actions(api: Api, simulator: Simulator, owner: str) -> None:
    """Every action of POST faults reaches `sim.faults`."""
    reply = await _fault(
        api, action="fail_next", endpoint="signals", status=500, error_type="SERVER"
    )
    assert reply.status == 200
    assert reply.json == {"ok": True, "action": "fail_next"}
    assert (await api.get(f"/v3/vehicles/{EX30_ID}/signals", user=owner)).status == 500
    assert (await _fault(api, action="latency", seconds=0.25)).status == 200
    assert (
        await _fault(api, action="latency", seconds=0.5, endpoint="lock")
    ).status == 200
    assert simulator.faults.latency == 0.25
    assert simulator.faults.endpoint_latency == {"lock": 0.5}
    assert (
        await _fault(api, action="malformed_json", endpoint="vehicle")
    ).status == 200
    assert (
        await _fault(api, action="async_commands", final_status="PENDING")
    ).status == 200
    assert (
        await _fault(
            api, action="rate_limit_vehicle", vehicle_id=EX30_ID, retry_after=5
        )
    ).status == 200
    assert (await _fault(api, action="monthly_request_limit", limit=7)).status == 200
    assert _monthly_limit(simulator) == 7
    assert (await _fault(api, action="monthly_request_limit", limit=None)).status == 200
    assert _monthly_limit(simulator) is None
    assert (await _fault(api, action="clear")).status == 200
    assert simulator.faults.latency == 0
    assert simulator.faults.take_async_command("lock") is None


async def test_fault_errors(api: Api) -> None:
    """Bad admin bodies are answered with 400 and a message."""
    cases: list[dict[str, Any]] = [
        {"action": "explode"},
        {"endpoint": "signals"},
        {"action": "fail_next", "endpoint": "signals"},
        {"action": "fail_next", "endpoint": "nope", "status": 500, "error_type": "X"},
        {"action": "latency"},
        {"action": "latency", "seconds": 1, "endpoint": "nope"},
        {"action": "latency", "seconds": 1, "extra": True},
        {"action": "monthly_request_limit", "limit": "many"},
        {"action": "monthly_request_limit", "limit": True},
        {"action": "monthly_request_limit", "limit": 1, "extra": 1},
    ]
    for body in cases:
        reply = await _fault(api, **body)
        assert reply.status == 400, body
        assert "error" in reply.json
    not_json = await api.post(
        "/_simulator/faults",
        auth=False,
        data="nope",
        headers={"Content-Type": "application/json"},
    )
    assert not_json.status == 400
    array = await api.post("/_simulator/faults", auth=False, json=[1])
    assert array.status == 400
    assert array.json == {"error": "body must be a JSON object"}


async def test_reset(api: Api, simulator: Simulator, owner: str) -> None:
    """POST reset clears faults and counters; `world: true` rebuilds the demo world."""
    await api.get("/v3/connections")
    simulator.faults.latency = 1
    reply = await api.post("/_simulator/reset", auth=False)
    assert reply.json == {"ok": True, "world": False}
    assert simulator.faults.latency == 0
    assert simulator.counters.count() == 0
    assert simulator.connections()
    reply = await api.post("/_simulator/reset", auth=False, json={"world": True})
    assert reply.json == {"ok": True, "world": True}
    assert simulator.connections() == []
