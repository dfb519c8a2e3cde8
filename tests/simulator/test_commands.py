"""Lock and unlock commands, including async (202) executions."""

from __future__ import annotations

from smartcar_simulator import EX30_ID, OWNER_EMAIL, XC90_ID, Simulator
from smartcar_simulator.clock import ManualClock

from .helpers import Api

LOCK = f"/v3/vehicles/{XC90_ID}/commands/security/lock"
UNLOCK = f"/v3/vehicles/{EX30_ID}/commands/security/unlock"


def _locked(simulator: Simulator, vehicle_id: str) -> tuple[bool, list[bool]]:
    vehicle = simulator.vehicle(vehicle_id)
    doors = [door["isLocked"] for door in vehicle.body("closure-doors")["values"]]
    return vehicle.body("closure-islocked")["value"], doors


async def test_lock(api: Api, simulator: Simulator, owner: str) -> None:
    """Lock answers a sync SUCCESS execution and locks the car and every door."""
    assert _locked(simulator, XC90_ID) == (False, [False] * 4)
    reply = await api.post(LOCK, user=owner)
    assert reply.status == 200
    data = reply.json["data"]
    assert data["id"].startswith("exec_")
    assert data["type"] == "command-execution"
    assert data["attributes"] == {
        "commandType": "security-lock",
        "status": {"value": "SUCCESS"},
        "executionMode": "sync",
        "parameters": {},
    }
    assert data["meta"] == {
        "executedAt": "2026-11-01T10:00:00.000Z",
        "completedAt": "2026-11-01T10:00:00.000Z",
        "durationInSeconds": 0,
    }
    assert _locked(simulator, XC90_ID) == (True, [True] * 4)


async def test_unlock(api: Api, simulator: Simulator, owner: str) -> None:
    """Unlock unlocks the car and its doors."""
    reply = await api.post(UNLOCK, user=owner)
    assert reply.status == 200
    assert reply.json["data"]["attributes"]["commandType"] == "security-unlock"
    assert _locked(simulator, EX30_ID) == (False, [False] * 4)


async def test_lock_with_open_door(api: Api, simulator: Simulator, owner: str) -> None:
    """An open door blocks locking with 409 VEHICLE_STATE DOOR_OPEN."""
    simulator.open_door(XC90_ID, 1, 1)
    reply = await api.post(LOCK, user=owner)
    assert reply.status == 409
    assert (reply.error["type"], reply.error["code"]) == ("VEHICLE_STATE", "DOOR_OPEN")
    assert reply.error["resolution"] == {"type": "RETRY_LATER"}
    simulator.close_door(XC90_ID, 1, 1)
    assert (await api.post(LOCK, user=owner)).status == 200


async def test_missing_permission(api: Api, simulator: Simulator) -> None:
    """Without control_security the command is 403 PERMISSION."""
    user = simulator.connect(OWNER_EMAIL, [XC90_ID], ["read_security"])
    reply = await api.post(LOCK, user=user)
    assert reply.status == 403
    assert reply.error["type"] == "PERMISSION"
    assert "control_security" in reply.error["detail"]
    assert _locked(simulator, XC90_ID)[0] is False


async def test_async_success(api: Api, simulator: Simulator, owner: str) -> None:
    """An async SUCCESS answers 202 and applies the change at once."""
    simulator.faults.async_commands()
    reply = await api.post(LOCK, user=owner)
    assert reply.status == 202
    attributes = reply.json["data"]["attributes"]
    assert attributes["executionMode"] == "async"
    assert attributes["status"] == {"value": "SUCCESS"}
    assert _locked(simulator, XC90_ID)[0] is True
    # Only `count` commands are async.
    assert (await api.post(LOCK, user=owner)).status == 200


async def test_async_pending_lands_after_the_delay(
    api: Api, simulator: Simulator, sim_clock: ManualClock, owner: str
) -> None:
    """PENDING: 202 now, the lock lands once `command_delay` seconds have passed."""
    simulator.command_delay = 20
    simulator.faults.async_commands(count=2, final_status="PENDING")
    reply = await api.post(LOCK, user=owner)
    assert reply.status == 202
    assert reply.json["data"]["attributes"]["status"] == {"value": "PENDING"}
    assert reply.json["data"]["meta"]["completedAt"] is None
    assert reply.json["data"]["meta"]["durationInSeconds"] is None
    sim_clock.advance(19)
    assert _locked(simulator, XC90_ID)[0] is False
    sim_clock.advance(1)
    signal = await api.get(
        f"/v3/vehicles/{XC90_ID}/signals/closure-islocked", user=owner
    )
    assert signal.json["data"]["attributes"]["body"] == {"value": True}
    assert signal.json["data"]["meta"]["oemUpdatedAt"] == "2026-11-01T10:00:20.000Z"
    second = await api.post(UNLOCK, user=owner)
    assert second.status == 202


async def test_async_failure_changes_nothing(
    api: Api, simulator: Simulator, sim_clock: ManualClock, owner: str
) -> None:
    """FAILURE: 202 with status FAILURE and no state change, ever."""
    simulator.faults.async_commands(final_status="FAILURE")
    reply = await api.post(LOCK, user=owner)
    assert reply.status == 202
    status = reply.json["data"]["attributes"]["status"]
    assert status["value"] == "FAILURE"
    assert status["error"]["type"] == "VEHICLE_STATE"
    sim_clock.advance(3600)
    assert _locked(simulator, XC90_ID)[0] is False
