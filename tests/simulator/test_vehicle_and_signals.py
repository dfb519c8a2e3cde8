"""`/v3/vehicles/{id}`, `.../signals` and `.../signals/{code}`."""

from __future__ import annotations

from typing import Any

from smartcar_simulator import (
    EX30_ID,
    EX30_VIN,
    OWNER_EMAIL,
    XC60_ID,
    XC90_ID,
    Simulator,
)

from .helpers import Api


def _by_code(elements: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {element["id"]: element for element in elements}


async def test_vehicle(api: Api, owner: str) -> None:
    """The vehicle resource has make VOLVO, model, year, powertrain and mode."""
    reply = await api.get(f"/v3/vehicles/{EX30_ID}", user=owner)
    assert reply.status == 200
    assert reply.json == {
        "data": {
            "id": EX30_ID,
            "type": "vehicle",
            "attributes": {
                "make": "VOLVO",
                "model": "EX30",
                "year": 2025,
                "powertrainType": "BEV",
                "mode": "live",
            },
            "links": {"self": f"/v3/vehicles/{EX30_ID}"},
        }
    }


async def test_all_signals_in_one_page(api: Api, owner: str) -> None:
    """By default all signals come in one page with included.vehicle."""
    reply = await api.get(f"/v3/vehicles/{EX30_ID}/signals", user=owner)
    assert reply.status == 200
    body = reply.json
    assert body["meta"] == {"totalCount": 17, "pageSize": 17, "pageNumber": 1}
    assert body["links"] == {"self": f"/v3/vehicles/{EX30_ID}/signals", "next": None}
    assert body["included"]["vehicle"]["id"] == EX30_ID
    assert body["included"]["vehicle"]["attributes"]["make"] == "VOLVO"
    element = _by_code(body["data"])["tractionbattery-stateofcharge"]
    assert element["type"] == "signal"
    assert element["attributes"] == {
        "code": "tractionbattery-stateofcharge",
        "name": "StateOfCharge",
        "group": "TractionBattery",
        "status": {"value": "SUCCESS"},
        "body": {"value": 45, "unit": "percent"},
    }
    assert element["meta"] == {
        "retrievedAt": "2026-11-01T10:00:00.000Z",
        "oemUpdatedAt": "2026-11-01T10:00:00.000Z",
    }
    assert element["links"]["self"].endswith("/signals/tractionbattery-stateofcharge")


async def test_paging_by_query(api: Api, owner: str) -> None:
    """`page`/`pageSize` page the list; links.next is a relative path+query."""
    path = f"/v3/vehicles/{XC60_ID}/signals"
    first = (await api.get(path, user=owner, params={"pageSize": "5"})).json
    assert first["meta"] == {"totalCount": 20, "pageSize": 5, "pageNumber": 1}
    assert first["links"]["next"] == f"{path}?page=2&pageSize=5"
    codes = [element["id"] for element in first["data"]]
    link = first["links"]["next"]
    while link:
        page = (await api.get(link, user=owner)).json
        codes += [element["id"] for element in page["data"]]
        link = page["links"]["next"]
    assert len(codes) == len(set(codes)) == 20
    assert page["meta"]["pageNumber"] == 4
    only_page = (await api.get(path, user=owner, params={"page": "2"})).json
    assert only_page["meta"]["pageSize"] == 10
    assert only_page["links"]["next"] is None


async def test_paging_by_setting(api: Api, simulator: Simulator, owner: str) -> None:
    """`signals_page_size` pages a plain request."""
    simulator.signals_page_size = 4
    body = (await api.get(f"/v3/vehicles/{XC90_ID}/signals", user=owner)).json
    assert body["meta"] == {"totalCount": 9, "pageSize": 4, "pageNumber": 1}
    assert body["links"]["next"] == f"/v3/vehicles/{XC90_ID}/signals?page=2&pageSize=4"


async def test_bad_signal_paging(api: Api, owner: str) -> None:
    """A bad page number is 400 VALIDATION naming `page`."""
    reply = await api.get(
        f"/v3/vehicles/{EX30_ID}/signals", user=owner, params={"page": "-1"}
    )
    assert reply.status == 400
    assert reply.error["detail"].startswith("page")


async def test_epoch_timestamps(api: Api, simulator: Simulator, owner: str) -> None:
    """`timestamp_format = "epoch"` renders meta times as epoch seconds."""
    simulator.timestamp_format = "epoch"
    body = (await api.get(f"/v3/vehicles/{EX30_ID}/signals", user=owner)).json
    meta = _by_code(body["data"])["charge-ischarging"]["meta"]
    assert meta == {"retrievedAt": 1793527200, "oemUpdatedAt": 1793527200}


async def test_permission_errors(api: Api, simulator: Simulator) -> None:
    """Signals whose permission was not granted are ERROR PERMISSION without body."""
    user = simulator.connect(OWNER_EMAIL, [EX30_ID], ["read_battery"])
    body = (await api.get(f"/v3/vehicles/{EX30_ID}/signals", user=user)).json
    elements = _by_code(body["data"])
    assert elements["tractionbattery-stateofcharge"]["attributes"]["status"] == {
        "value": "SUCCESS"
    }
    vin = elements["vehicleidentification-vin"]["attributes"]
    assert "body" not in vin
    assert vin["status"]["value"] == "ERROR"
    assert vin["status"]["error"]["type"] == "PERMISSION"
    assert "read_vin" in vin["status"]["error"]["detail"]
    assert vin["status"]["error"]["resolution"] == {"type": "REAUTHENTICATE"}
    denied = [
        code
        for code, element in elements.items()
        if element["attributes"]["status"]["value"] == "ERROR"
    ]
    assert len(denied) == 14


async def test_single_signal(api: Api, owner: str) -> None:
    """One signal comes wrapped in `data` with `included.vehicle`."""
    reply = await api.get(
        f"/v3/vehicles/{EX30_ID}/signals/vehicleidentification-vin", user=owner
    )
    assert reply.status == 200
    assert reply.json["data"]["attributes"]["body"] == {"value": EX30_VIN}
    assert reply.json["data"]["attributes"]["name"] == "VIN"
    assert reply.json["included"]["vehicle"]["id"] == EX30_ID


async def test_unknown_signal(api: Api, owner: str) -> None:
    """An unknown code is 404 (an ICE car has no battery signals)."""
    reply = await api.get(
        f"/v3/vehicles/{XC90_ID}/signals/tractionbattery-stateofcharge", user=owner
    )
    assert reply.status == 404
    assert reply.error["type"] == "RESOURCE_NOT_FOUND"


async def test_raw_signal_helpers(api: Api, simulator: Simulator, owner: str) -> None:
    """Extra, overwritten, failing and removed signals show up as set."""
    simulator.add_raw_signal(
        EX30_ID, "climate-cabintemperature", {"value": 21.5, "unit": "celsius"}
    )
    simulator.set_signal(
        EX30_ID, "odometer-traveleddistance", {"value": 1, "unit": "km"}
    )
    simulator.set_signal_error(
        EX30_ID, "location-preciselocation", "VEHICLE_STATE", "ASLEEP", "asleep"
    )
    simulator.remove_signal(EX30_ID, "charge-chargingconnectortype")
    body = (await api.get(f"/v3/vehicles/{EX30_ID}/signals", user=owner)).json
    elements = _by_code(body["data"])
    extra = elements["climate-cabintemperature"]["attributes"]
    assert (extra["group"], extra["name"]) == ("Climate", "Cabintemperature")
    assert extra["status"] == {"value": "SUCCESS"}
    assert body["data"][-1]["id"] == "climate-cabintemperature"
    assert elements["odometer-traveleddistance"]["attributes"]["body"]["value"] == 1
    location = elements["location-preciselocation"]["attributes"]
    assert location["status"]["error"]["code"] == "ASLEEP"
    assert location["body"]["locationType"] == "LAST_PARKED"
    assert "charge-chargingconnectortype" not in elements
    assert body["meta"]["totalCount"] == 17
