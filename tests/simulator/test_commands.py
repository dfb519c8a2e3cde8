"""Vehicle commands (lock, charging, charge limit, destination), including 202 executions."""

from __future__ import annotations

import aiohttp
import pytest

from smartcar_simulator import (
    EX30_ID,
    ID4_ID,
    IPACE_ID,
    MODEL_Y_ID,
    OTHER_MAKES_EMAIL,
    OWNER_EMAIL,
    XC60_ID,
    XC90_ID,
    Simulator,
    __main__ as cli,
)
from smartcar_simulator.clock import ManualClock
from smartcar_simulator.endpoints import CHARGE_STOP, SET_DESTINATION

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


# -- charging, charge limit and destination ------------------------------------------------

EX30_COMMANDS = f"/v3/vehicles/{EX30_ID}/commands"
XC60_COMMANDS = f"/v3/vehicles/{XC60_ID}/commands"
XC90_COMMANDS = f"/v3/vehicles/{XC90_ID}/commands"
# The Volkswagen: the only make that takes a destination at Smartcar (and in the simulator).
ID4_COMMANDS = f"/v3/vehicles/{ID4_ID}/commands"


def _limit(percent: object) -> dict[str, object]:
    return {"data": {"attributes": {"percent": percent}}}


def _charging(simulator: Simulator, vehicle_id: str) -> tuple[bool, str]:
    vehicle = simulator.vehicle(vehicle_id)
    return (
        vehicle.body("charge-ischarging")["value"],
        vehicle.body("charge-detailedchargingstatus")["value"],
    )


async def test_stop_then_start_charge(
    api: Api, simulator: Simulator, owner: str
) -> None:
    """Stop ends the EX30's charge, start begins a new one; both answer a sync SUCCESS."""
    assert _charging(simulator, EX30_ID) == (True, "CHARGING")
    reply = await api.post(f"{EX30_COMMANDS}/charge/stop", user=owner)
    assert reply.status == 200
    assert reply.json["data"]["attributes"]["commandType"] == "charge-stop"
    assert _charging(simulator, EX30_ID) == (False, "NOT_CHARGING")
    assert simulator.vehicle(EX30_ID).charge_session is None
    reply = await api.post(f"{EX30_COMMANDS}/charge/start", user=owner)
    assert reply.status == 200
    assert reply.json["data"]["attributes"]["commandType"] == "charge-start"
    assert _charging(simulator, EX30_ID) == (True, "CHARGING")
    assert simulator.vehicle(EX30_ID).charge_session is not None
    # Starting a car that charges already: SUCCESS, it goes on charging.
    assert (await api.post(f"{EX30_COMMANDS}/charge/start", user=owner)).status == 200


async def test_charge_refusals(api: Api, simulator: Simulator, owner: str) -> None:
    """409: stop when not charging, start unplugged, start at the limit."""
    reply = await api.post(f"{XC60_COMMANDS}/charge/stop", user=owner)
    assert (reply.status, reply.error["code"]) == (409, "NOT_CHARGING")
    simulator.set_signal(XC60_ID, "tractionbattery-stateofcharge", {"value": 95})
    reply = await api.post(f"{XC60_COMMANDS}/charge/start", user=owner)
    assert (reply.status, reply.error["code"]) == (409, "FULLY_CHARGED")
    simulator.unplug(XC60_ID)
    reply = await api.post(f"{XC60_COMMANDS}/charge/start", user=owner)
    assert (reply.status, reply.error["type"], reply.error["code"]) == (
        409,
        "VEHICLE_STATE",
        "CHARGING_PLUG_NOT_CONNECTED",
    )
    assert _charging(simulator, XC60_ID) == (False, "NOT_CHARGING")


async def test_charge_commands_on_a_petrol_car(api: Api, owner: str) -> None:
    """The XC90 has no traction battery: 501 COMPATIBILITY VEHICLE_NOT_CAPABLE."""
    for path in ("charge/start", "charge/stop"):
        reply = await api.post(f"{XC90_COMMANDS}/{path}", user=owner)
        assert (reply.status, reply.error["type"], reply.error["code"]) == (
            501,
            "COMPATIBILITY",
            "VEHICLE_NOT_CAPABLE",
        )
    reply = await api.post(
        f"{XC90_COMMANDS}/charge/set-limit", user=owner, json=_limit(80)
    )
    assert reply.status == 501


async def test_set_charge_limit(api: Api, simulator: Simulator, owner: str) -> None:
    """The GLOBAL limit and the active one (plugged in) take the new value."""
    reply = await api.post(
        f"{XC60_COMMANDS}/charge/set-limit", user=owner, json=_limit(70)
    )
    assert reply.status == 200
    attributes = reply.json["data"]["attributes"]
    assert attributes["commandType"] == "charge-set-limit"
    assert attributes["parameters"] == {"percent": 70}
    limits = simulator.vehicle(XC60_ID).body("charge-chargelimits")
    assert limits["values"] == [{"type": "GLOBAL", "limit": 70, "condition": None}]
    assert limits["activeLimit"] == 70
    # Unplugged, the active limit is unknown; a car that listed no GLOBAL limit gets one.
    simulator.unplug(XC60_ID)
    simulator.set_signal(
        XC60_ID, "charge-chargelimits", {"values": [], "activeLimit": None}
    )
    reply = await api.post(
        f"{XC60_COMMANDS}/charge/set-limit", user=owner, json=_limit(55)
    )
    assert reply.status == 200
    limits = simulator.vehicle(XC60_ID).body("charge-chargelimits")
    assert limits["values"] == [{"type": "GLOBAL", "limit": 55, "condition": None}]
    assert limits["activeLimit"] is None


async def test_lower_limit_while_charging(
    api: Api, simulator: Simulator, sim_clock: ManualClock, owner: str
) -> None:
    """A running charge goes on towards the new limit; below the battery it ends at once."""
    sim_clock.advance(3600)
    soc = simulator.vehicle(EX30_ID).body("tractionbattery-stateofcharge")["value"]
    reply = await api.post(
        f"{EX30_COMMANDS}/charge/set-limit", user=owner, json=_limit(90)
    )
    assert reply.status == 200
    session = simulator.vehicle(EX30_ID).charge_session
    assert session is not None
    assert (session.limit, session.start_soc) == (90, soc)
    reply = await api.post(
        f"{EX30_COMMANDS}/charge/set-limit", user=owner, json=_limit(50)
    )
    assert reply.status == 200
    assert _charging(simulator, EX30_ID) == (False, "FULLY_CHARGED")


@pytest.mark.parametrize(
    "body",
    [_limit(49), _limit(101), _limit(80.5), _limit(True), _limit("80"), {"data": {}}],
)
async def test_set_charge_limit_validation(
    api: Api, simulator: Simulator, owner: str, body: dict[str, object]
) -> None:
    """Anything but a whole percentage from 50 to 100 is 400 VALIDATION; nothing changes."""
    reply = await api.post(f"{XC60_COMMANDS}/charge/set-limit", user=owner, json=body)
    assert (reply.status, reply.error["type"]) == (400, "VALIDATION")
    assert simulator.vehicle(XC60_ID).body("charge-chargelimits")["activeLimit"] == 90


async def test_set_charge_limit_body_not_json(api: Api, owner: str) -> None:
    """A body that is not JSON is 400 VALIDATION."""
    reply = await api.post(
        f"{XC60_COMMANDS}/charge/set-limit", user=owner, data=b"percent=80"
    )
    assert (reply.status, reply.error["type"]) == (400, "VALIDATION")


async def test_set_destination(
    api: Api, simulator: Simulator, session: aiohttp.ClientSession
) -> None:
    """Destinations are recorded in order and shown by the admin state route."""
    owner = simulator.connect(OTHER_MAKES_EMAIL)
    path = f"{ID4_COMMANDS}/navigation/set-destination"
    first = {"data": {"attributes": {"latitude": 57.7, "longitude": 11.97}}}
    reply = await api.post(path, user=owner, json=first)
    assert reply.status == 200
    attributes = reply.json["data"]["attributes"]
    assert attributes["commandType"] == "navigation-set-destination"
    assert attributes["parameters"] == {"latitude": 57.7, "longitude": 11.97}
    second = {
        "data": {"attributes": {"latitude": -33, "longitude": 151, "name": "Opera"}}
    }
    assert (await api.post(path, user=owner, json=second)).status == 200
    vehicle = simulator.vehicle(ID4_ID)
    assert vehicle.last_destination is not None
    assert vehicle.last_destination.name == "Opera"
    async with session.get(
        f"{simulator.url}/_simulator/vehicles/{ID4_ID}/state"
    ) as response:
        state = await response.json()
    assert state == {
        "destinations": [
            {
                "latitude": 57.7,
                "longitude": 11.97,
                "name": None,
                "sentAt": "2026-11-01T10:00:00.000Z",
            },
            {
                "latitude": -33.0,
                "longitude": 151.0,
                "name": "Opera",
                "sentAt": "2026-11-01T10:00:00.000Z",
            },
        ],
        "unsupportedCommands": [],
    }
    async with session.get(
        f"{simulator.url}/_simulator/vehicles/nope/state"
    ) as response:
        assert response.status == 404


@pytest.mark.parametrize(
    "attributes",
    [
        {"latitude": 91, "longitude": 0},
        {"latitude": 0, "longitude": -181},
        {"latitude": "1", "longitude": 0},
        {"latitude": True, "longitude": 0},
        {"longitude": 0},
        {"latitude": 0, "longitude": 0, "name": 7},
        {"latitude": 0, "longitude": 0, "name": "x" * 101},
    ],
)
async def test_set_destination_validation(
    api: Api, simulator: Simulator, attributes: dict[str, object]
) -> None:
    """Coordinates out of range or not numbers, or a bad name: 400; nothing recorded."""
    reply = await api.post(
        f"{ID4_COMMANDS}/navigation/set-destination",
        user=simulator.connect(OTHER_MAKES_EMAIL),
        json={"data": {"attributes": attributes}},
    )
    assert (reply.status, reply.error["type"]) == (400, "VALIDATION")
    assert simulator.vehicle(ID4_ID).destinations == []


@pytest.mark.parametrize(
    ("path", "body", "permission"),
    [
        ("charge/start", None, "control_charge"),
        ("charge/stop", None, "control_charge"),
        ("charge/set-limit", _limit(80), "control_charge"),
        (
            "navigation/set-destination",
            {"data": {"attributes": {"latitude": 1, "longitude": 2}}},
            "control_navigation",
        ),
    ],
)
async def test_command_permissions(
    api: Api,
    simulator: Simulator,
    path: str,
    body: dict[str, object] | None,
    permission: str,
) -> None:
    """Each command needs its control permission: 403 PERMISSION naming it."""
    user = simulator.connect(OWNER_EMAIL, [EX30_ID], ["read_charge"])
    reply = await api.post(f"{EX30_COMMANDS}/{path}", user=user, json=body)
    assert (reply.status, reply.error["type"]) == (403, "PERMISSION")
    assert permission in reply.error["detail"]
    assert _charging(simulator, EX30_ID) == (True, "CHARGING")


async def test_unsupported_commands(
    api: Api, simulator: Simulator, owner: str, session: aiohttp.ClientSession
) -> None:
    """A command in the car's unsupported set answers 501; the admin action sets it."""
    async with session.post(
        f"{simulator.url}/_simulator/faults",
        json={
            "action": "not_capable",
            "vehicle_id": EX30_ID,
            "endpoint": "charge_stop",
        },
    ) as response:
        assert response.status == 200
    reply = await api.post(f"{EX30_COMMANDS}/charge/stop", user=owner)
    assert (reply.status, reply.error["code"]) == (501, "VEHICLE_NOT_CAPABLE")
    assert simulator.vehicle(EX30_ID).unsupported_commands == {
        CHARGE_STOP,
        SET_DESTINATION,  # a Volvo's from the start, as at Smartcar
    }
    async with session.post(
        f"{simulator.url}/_simulator/faults",
        json={
            "action": "not_capable",
            "vehicle_id": EX30_ID,
            "endpoint": "charge_stop",
            "capable": True,
        },
    ) as response:
        assert response.status == 200
    assert (await api.post(f"{EX30_COMMANDS}/charge/stop", user=owner)).status == 200
    for wrong in (
        {"vehicle_id": EX30_ID, "endpoint": "signals"},
        {"vehicle_id": EX30_ID, "endpoint": "lock", "extra": 1},
    ):
        async with session.post(
            f"{simulator.url}/_simulator/faults",
            json={"action": "not_capable", **wrong},
        ) as response:
            assert response.status == 400


async def test_charge_commands_async(
    api: Api, simulator: Simulator, sim_clock: ManualClock, owner: str
) -> None:
    """202 PENDING: a stop and a limit land after `command_delay`.

    A start that lands when the car was unplugged meanwhile does nothing.
    """
    simulator.command_delay = 20
    simulator.faults.async_commands(count=3, final_status="PENDING")
    stop = await api.post(f"{EX30_COMMANDS}/charge/stop", user=owner)
    assert stop.status == 202
    limit = await api.post(
        f"{XC60_COMMANDS}/charge/set-limit", user=owner, json=_limit(60)
    )
    assert limit.json["data"]["attributes"]["status"] == {"value": "PENDING"}
    start = await api.post(f"{XC60_COMMANDS}/charge/start", user=owner)
    assert start.status == 202
    simulator.unplug(XC60_ID)
    assert _charging(simulator, EX30_ID)[0] is True
    sim_clock.advance(20)
    assert _charging(simulator, EX30_ID) == (False, "NOT_CHARGING")
    assert (
        simulator.vehicle(XC60_ID).body("charge-chargelimits")["values"][0]["limit"]
        == 60
    )
    assert _charging(simulator, XC60_ID)[0] is False


async def test_charge_start_async_lands(
    api: Api, simulator: Simulator, sim_clock: ManualClock, owner: str
) -> None:
    """A start still running begins the charge after `command_delay`."""
    simulator.faults.async_commands(final_status="PENDING")
    assert (await api.post(f"{XC60_COMMANDS}/charge/start", user=owner)).status == 202
    assert _charging(simulator, XC60_ID)[0] is False
    sim_clock.advance(simulator.command_delay)
    assert _charging(simulator, XC60_ID) == (True, "CHARGING")


async def test_destinations_as_at_smartcar(api: Api, simulator: Simulator) -> None:
    """By default only the Volkswagen takes a destination (README, reference).

    So do the command line's world and cars added later.
    """
    assert (
        SET_DESTINATION
        in cli.configure(cli.parse_args([])).vehicle(EX30_ID).unsupported_commands
    )
    added_volvo = simulator.add_vehicle(OWNER_EMAIL, "XC40")
    added_vw = simulator.add_vehicle(OTHER_MAKES_EMAIL, "ID4")
    body = {"data": {"attributes": {"latitude": 52.1, "longitude": 5.3}}}
    answers = {}
    for email, vehicle_ids in (
        (OWNER_EMAIL, (EX30_ID, XC60_ID, XC90_ID, added_volvo)),
        (OTHER_MAKES_EMAIL, (MODEL_Y_ID, ID4_ID, IPACE_ID, added_vw)),
    ):
        user = simulator.connect(email)
        for vehicle_id in vehicle_ids:
            reply = await api.post(
                f"/v3/vehicles/{vehicle_id}/commands/navigation/set-destination",
                user=user,
                json=body,
            )
            answers[vehicle_id] = (
                reply.status,
                reply.error["code"] if reply.status != 200 else None,
            )
    refused = (501, "VEHICLE_NOT_CAPABLE")
    assert answers == {
        EX30_ID: refused,
        XC60_ID: refused,
        XC90_ID: refused,
        MODEL_Y_ID: refused,
        IPACE_ID: refused,
        added_volvo: refused,
        ID4_ID: (200, None),
        added_vw: (200, None),
    }
    assert [d.latitude for d in simulator.vehicle(ID4_ID).destinations] == [52.1]
    assert simulator.vehicle(EX30_ID).destinations == []
