"""Charge schedules per docs/simulator-contract.md, mirrored in charge-chargetimers.

Most tests use the partner page's family (`--schedule-contract seed`), which has a listing;
the documented family's own tests are at the end.
"""

from __future__ import annotations

from typing import Any

import pytest

from smartcar_simulator import EX30_ID, OWNER_EMAIL, XC60_ID, XC90_ID, Simulator
from smartcar_simulator.clock import ManualClock

from .helpers import Api

BASE = f"/v3.0/vehicles/{EX30_ID}/schedules"
DOCS = f"/v3/vehicles/{EX30_ID}/charge-schedules"
LOCATION = {"latitude": 57.7, "longitude": 11.97}
DAILY = {
    "data": {
        "attributes": {"location": LOCATION, "startTime": "01:00", "stopTime": "06:00"}
    }
}
WEEKLY = {
    "data": {
        "attributes": {
            "location": LOCATION,
            "days": {
                "friday": {"startTime": "22:00", "stopTime": "05:00"},
                "monday": {"startTime": "01:00", "stopTime": "06:00"},
            },
        }
    }
}
WORKWEEK = {
    "data": {
        "attributes": {
            "location": LOCATION,
            "weekdays": {"startTime": "01:00", "stopTime": "06:00"},
            "weekends": {"startTime": "09:00", "stopTime": "15:00"},
        }
    }
}


@pytest.fixture(autouse=True)
def seed_contract(simulator: Simulator) -> None:
    """Serve the partner page's family (a test may switch it)."""
    simulator.schedule_contract = "seed"


def _timers(simulator: Simulator) -> list[dict[str, Any]]:
    body = simulator.signal_body(EX30_ID, "charge-chargetimers")
    assert body is not None
    values: list[dict[str, Any]] = body["values"]
    return values


async def test_create_daily(api: Api, simulator: Simulator, owner: str) -> None:
    """A daily create answers a sync SUCCESS execution and stores the schedule."""
    reply = await api.post(f"{BASE}/charge-daily", user=owner, json=DAILY)
    assert reply.status == 200
    data = reply.json["data"]
    assert data["type"] == "charge-schedule-execution"
    attributes = data["attributes"]
    assert attributes["action"] == "create"
    assert attributes["scheduleType"] == "daily"
    assert attributes["status"] == {"value": "SUCCESS"}
    assert attributes["executionMode"] == "sync"
    assert attributes["parameters"] == {
        "location": {"latitude": 57.7, "longitude": 11.97},
        "startTime": "01:00",
        "stopTime": "06:00",
    }
    schedule_id = attributes["scheduleId"]
    assert schedule_id.startswith("sch_")
    assert data["links"]["schedule"] == f"{BASE}/{schedule_id}"
    assert set(data["meta"]) == {"executedAt", "completedAt", "durationInSeconds"}
    [timer] = _timers(simulator)
    assert timer["type"] == "LOCATION"
    assert timer["scheduleType"] == "DAILY"
    assert timer["scheduleId"] == schedule_id
    assert timer["condition"]["latitude"] == 57.7
    assert timer["condition"]["longitude"] == 11.97
    assert timer["schedules"] == [
        {
            "start": "01:00:00",
            "end": "06:00:00",
            "days": [
                "MONDAY",
                "TUESDAY",
                "WEDNESDAY",
                "THURSDAY",
                "FRIDAY",
                "SATURDAY",
                "SUNDAY",
            ],
        }
    ]


async def test_weekly_and_workweek(
    api: Api, simulator: Simulator, sim_clock: ManualClock, owner: str
) -> None:
    """Weekly and workweek schedules are listed and mirrored per day."""
    weekly = await api.post(f"{BASE}/charge-weekly", user=owner, json=WEEKLY)
    assert weekly.status == 200
    sim_clock.advance(60)
    workweek = await api.post(f"{BASE}/charge-workweek", user=owner, json=WORKWEEK)
    assert workweek.status == 200
    listing = (await api.get(BASE, user=owner)).json
    assert listing["meta"] == {"totalCount": 2, "maxCount": 10}
    assert listing["links"] == {"self": BASE}
    first, second = listing["data"]
    assert first["type"] == "charge-schedule"
    assert first["attributes"]["scheduleType"] == "weekly"
    assert list(first["attributes"]["days"]) == ["monday", "friday"]
    assert first["meta"] == {"createdAt": "2026-11-01T10:00:00.000Z"}
    assert second["attributes"]["weekends"] == {
        "startTime": "09:00",
        "stopTime": "15:00",
    }
    weekly_timer, workweek_timer = _timers(simulator)
    assert weekly_timer["scheduleType"] == "WEEKLY"
    assert weekly_timer["schedules"] == [
        {"start": "01:00:00", "end": "06:00:00", "days": ["MONDAY"]},
        {"start": "22:00:00", "end": "05:00:00", "days": ["FRIDAY"]},
    ]
    assert workweek_timer["scheduleType"] == "WORKWEEK"
    assert [entry["days"] for entry in workweek_timer["schedules"]] == [
        ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY"],
        ["SATURDAY", "SUNDAY"],
    ]
    assert [schedule.id for schedule in simulator.schedules(EX30_ID)] == [
        weekly_timer["scheduleId"],
        workweek_timer["scheduleId"],
    ]


async def test_delete(api: Api, simulator: Simulator, owner: str) -> None:
    """Delete answers an execution with action delete; other timers stay."""
    simulator.set_signal(
        EX30_ID,
        "charge-chargetimers",
        {"values": [{"type": "GLOBAL", "condition": None, "schedules": []}]},
    )
    kept = await api.post(f"{BASE}/charge-workweek", user=owner, json=WORKWEEK)
    kept_id = kept.json["data"]["attributes"]["scheduleId"]
    created = await api.post(f"{BASE}/charge-daily", user=owner, json=DAILY)
    schedule_id = created.json["data"]["attributes"]["scheduleId"]
    assert len(_timers(simulator)) == 3
    reply = await api.delete(f"{BASE}/{schedule_id}", user=owner)
    assert reply.status == 200
    assert reply.json["data"]["attributes"]["action"] == "delete"
    assert reply.json["data"]["attributes"]["scheduleId"] == schedule_id
    timers = _timers(simulator)
    assert timers[0] == {"type": "GLOBAL", "condition": None, "schedules": []}
    assert [timer.get("scheduleId") for timer in timers] == [None, kept_id]
    assert [schedule.id for schedule in simulator.schedules(EX30_ID)] == [kept_id]
    missing = await api.delete(f"{BASE}/{schedule_id}", user=owner)
    assert missing.status == 404
    assert missing.error["type"] == "RESOURCE_NOT_FOUND"


async def test_ten_schedule_limit(api: Api, simulator: Simulator, owner: str) -> None:
    """The 11th schedule is 400 VALIDATION PARAMETER naming the limit."""
    for _ in range(10):
        assert (
            await api.post(f"{BASE}/charge-daily", user=owner, json=DAILY)
        ).status == 200
    reply = await api.post(f"{BASE}/charge-workweek", user=owner, json=WORKWEEK)
    assert reply.status == 400
    assert (reply.error["type"], reply.error["code"]) == ("VALIDATION", "PARAMETER")
    assert "10" in reply.error["detail"]
    assert len(simulator.schedules(EX30_ID)) == 10
    assert len(_timers(simulator)) == 10


def _daily(**attributes: Any) -> dict[str, Any]:
    return {"data": {"attributes": {**DAILY["data"]["attributes"], **attributes}}}


async def test_validation_errors(api: Api, owner: str) -> None:
    """Bad bodies are 400 VALIDATION PARAMETER whose detail starts with the field."""
    cases: list[tuple[str, Any, str]] = [
        ("charge-daily", {"data": {}}, "data.attributes"),
        ("charge-daily", ["not", "an", "object"], "data.attributes"),
        ("charge-daily", _daily(startTime="25:00"), "startTime"),
        ("charge-daily", _daily(stopTime="6:00"), "stopTime"),
        ("charge-daily", _daily(stopTime="01:00"), "stopTime"),
        ("charge-daily", _daily(location=None), "location"),
        (
            "charge-daily",
            _daily(location={"latitude": 91, "longitude": 0}),
            "location.latitude",
        ),
        (
            "charge-daily",
            _daily(location={"latitude": 1, "longitude": "x"}),
            "location.longitude",
        ),
        (
            "charge-daily",
            _daily(location={"latitude": True, "longitude": 1}),
            "location.latitude",
        ),
        (
            "charge-weekly",
            {"data": {"attributes": {"location": LOCATION, "days": {}}}},
            "days",
        ),
        (
            "charge-weekly",
            {"data": {"attributes": {"location": LOCATION, "days": {"funday": {}}}}},
            "days.funday",
        ),
        (
            "charge-weekly",
            {
                "data": {
                    "attributes": {"location": LOCATION, "days": {"monday": "01:00"}}
                }
            },
            "days.monday",
        ),
        (
            "charge-weekly",
            {
                "data": {
                    "attributes": {
                        "location": LOCATION,
                        "days": {"monday": {"startTime": "01:00", "stopTime": "xx"}},
                    }
                }
            },
            "days.monday.stopTime",
        ),
        (
            "charge-workweek",
            {
                "data": {
                    "attributes": {
                        "location": LOCATION,
                        "weekdays": WORKWEEK["data"]["attributes"]["weekdays"],
                    }
                }
            },
            "weekends",
        ),
    ]
    for kind, body, field in cases:
        reply = await api.post(f"{BASE}/{kind}", user=owner, json=body)
        assert reply.status == 400, (kind, body)
        assert (reply.error["type"], reply.error["code"]) == ("VALIDATION", "PARAMETER")
        assert reply.error["detail"].startswith(field), (reply.error["detail"], field)


async def test_body_must_be_json(api: Api, owner: str) -> None:
    """A non-JSON body is a validation error."""
    reply = await api.post(f"{BASE}/charge-daily", user=owner, data="nope")
    assert reply.status == 400
    assert reply.error["detail"].startswith("data")


async def test_ice_vehicle_not_capable(api: Api, owner: str) -> None:
    """An ICE car answers 501 COMPATIBILITY VEHICLE_NOT_CAPABLE."""
    reply = await api.post(
        f"/v3.0/vehicles/{XC90_ID}/schedules/charge-daily", user=owner, json=DAILY
    )
    assert reply.status == 501
    assert (reply.error["type"], reply.error["code"]) == (
        "COMPATIBILITY",
        "VEHICLE_NOT_CAPABLE",
    )
    listing = await api.get(f"/v3.0/vehicles/{XC90_ID}/schedules", user=owner)
    assert listing.status == 501


async def test_missing_control_charge(api: Api, simulator: Simulator) -> None:
    """Without control_charge every schedule route is 403 PERMISSION."""
    user = simulator.connect(OWNER_EMAIL, [XC60_ID], ["read_charge"])
    base = f"/v3.0/vehicles/{XC60_ID}/schedules"
    for reply in (
        await api.post(f"{base}/charge-daily", user=user, json=DAILY),
        await api.get(base, user=user),
        await api.delete(f"{base}/sch_x", user=user),
    ):
        assert reply.status == 403
        assert reply.error["type"] == "PERMISSION"


async def test_unknown_schedule_type(api: Api, owner: str) -> None:
    """Only charge-daily, charge-weekly and charge-workweek can be created."""
    reply = await api.post(f"{BASE}/charge-monthly", user=owner, json=DAILY)
    assert reply.status == 405


async def test_timers_signal_missing_is_tolerated(
    api: Api, simulator: Simulator, owner: str
) -> None:
    """A car without the ChargeTimers signal still stores schedules."""
    simulator.remove_signal(EX30_ID, "charge-chargetimers")
    reply = await api.post(f"{BASE}/charge-daily", user=owner, json=DAILY)
    assert reply.status == 200
    assert len(simulator.schedules(EX30_ID)) == 1


async def test_documented_family(api: Api, simulator: Simulator, owner: str) -> None:
    """The default: create and delete on /charge-schedules, read back from ChargeTimers."""
    simulator.schedule_contract = "docs"
    for kind, body in (("daily", DAILY), ("weekly", WEEKLY), ("workweek", WORKWEEK)):
        reply = await api.post(f"{DOCS}/{kind}", user=owner, json=body)
        assert reply.status == 200
        attributes = reply.json["data"]["attributes"]
        assert attributes["scheduleType"] == kind
        schedule_id = attributes["scheduleId"]
        assert reply.json["data"]["links"]["schedule"] == (
            f"/vehicles/{EX30_ID}/charge-schedules/{schedule_id}"
        )
    ids = [timer["scheduleId"] for timer in _timers(simulator)]
    assert ids == [schedule.id for schedule in simulator.schedules(EX30_ID)]
    assert len(ids) == 3
    assert (await api.delete(f"{DOCS}/{ids[0]}", user=owner)).status == 200
    assert [timer["scheduleId"] for timer in _timers(simulator)] == ids[1:]
    missing = await api.delete(f"{DOCS}/{ids[0]}", user=owner)
    assert missing.status == 404
    assert missing.error["type"] == "RESOURCE_NOT_FOUND"
    assert missing.error["code"] is None  # the route exists, the schedule does not


@pytest.mark.parametrize("contract", ["docs", "seed"])
async def test_other_family_is_an_unknown_route(
    api: Api, simulator: Simulator, owner: str, contract: str
) -> None:
    """The family not served answers the documented 404 RESOURCE_NOT_FOUND PATH."""
    simulator.schedule_contract = contract
    served, unknown = (DOCS, BASE) if contract == "docs" else (BASE, DOCS)
    kind = "daily" if served == DOCS else "charge-daily"
    other = "charge-daily" if served == DOCS else "daily"
    assert (await api.post(f"{served}/{kind}", user=owner, json=DAILY)).status == 200
    for reply in (
        await api.post(f"{unknown}/{other}", user=owner, json=DAILY),
        await api.delete(f"{unknown}/sch_1", user=owner),
        await api.get(DOCS, user=owner),
    ):
        assert reply.status == 404
        assert (reply.error["type"], reply.error["code"]) == (
            "RESOURCE_NOT_FOUND",
            "PATH",
        )
    assert len(simulator.schedules(EX30_ID)) == 1


async def test_both_families(api: Api, simulator: Simulator, owner: str) -> None:
    """`both`: one store behind the two families."""
    simulator.schedule_contract = "both"
    created = await api.post(f"{DOCS}/daily", user=owner, json=DAILY)
    schedule_id = created.json["data"]["attributes"]["scheduleId"]
    listing = (await api.get(BASE, user=owner)).json
    assert [item["id"] for item in listing["data"]] == [schedule_id]
    assert (await api.delete(f"{BASE}/{schedule_id}", user=owner)).status == 200
    assert simulator.schedules(EX30_ID) == []
