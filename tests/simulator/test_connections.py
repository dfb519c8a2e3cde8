"""`GET /v3/connections`: shape, filters, ordering and paging."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from smartcar_simulator import (
    EX30_ID,
    OWNER_EMAIL,
    OWNER_USER_ID,
    SECOND_EMAIL,
    SECOND_USER_ID,
    XC40_ID,
    Simulator,
)
from smartcar_simulator.clock import ManualClock

from .helpers import Api


def _query_of(link: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(link).query)


async def test_shape(api: Api, simulator: Simulator) -> None:
    """One connection has every documented field."""
    simulator.connect(SECOND_EMAIL, permissions=["read_battery", "read_vin"])
    reply = await api.get("/v3/connections")
    assert reply.status == 200
    body = reply.json
    [item] = body["data"]
    assert item["type"] == "connection"
    assert item["attributes"] == {
        "permissions": ["read_battery", "read_vin"],
        "vehicle": {
            "make": "VOLVO",
            "model": "XC40 Recharge",
            "year": 2024,
            "mode": "live",
            "powertrainType": "BEV",
        },
        "user": {"id": SECOND_USER_ID},
    }
    assert item["relationships"]["vehicle"]["data"]["id"] == XC40_ID
    assert item["relationships"]["user"]["data"]["id"] == SECOND_USER_ID
    assert item["meta"] == {
        "createdAt": "2026-11-01T10:00:00.000Z",
        "updatedAt": "2026-11-01T10:00:00.000Z",
    }
    assert body["meta"] == {
        "pageNumber": 1,
        "pageSize": 10,
        "totalCount": 1,
        "orderBy": "createdAt",
        "orderDirection": "DESC",
    }
    assert body["links"]["next"] is None
    assert body["links"]["prev"] is None
    assert body["links"]["self"].startswith(simulator.url + "/v3/connections?")


async def test_newest_first_and_filters(
    api: Api, simulator: Simulator, sim_clock: ManualClock
) -> None:
    """Connections are ordered by createdAt DESC; userId/vehicleId/mode filter."""
    simulator.connect(OWNER_EMAIL)
    sim_clock.advance(60)
    simulator.connect(SECOND_EMAIL)
    everything = (await api.get("/v3/connections")).json["data"]
    assert [item["relationships"]["vehicle"]["data"]["id"] for item in everything][
        0
    ] == XC40_ID
    assert len(everything) == 4
    owners = await api.get("/v3/connections", params={"filter[userId]": OWNER_USER_ID})
    assert owners.json["meta"]["totalCount"] == 3
    one = await api.get("/v3/connections", params={"filter[vehicleId]": EX30_ID})
    assert [
        item["relationships"]["vehicle"]["data"]["id"] for item in one.json["data"]
    ] == [EX30_ID]
    simulated = await api.get(
        "/v3/connections", params={"filter[vehicle.mode]": "simulated"}
    )
    assert simulated.json["data"] == []
    by_header = await api.get("/v3/connections", user=SECOND_USER_ID)
    assert by_header.json["meta"]["totalCount"] == 1


async def test_paging_keeps_filters(api: Api, simulator: Simulator) -> None:
    """A fleet of 12 pages by 5; next/prev links keep the filters."""
    for _ in range(9):
        simulator.add_vehicle(OWNER_EMAIL, "XC40")
    user_id = simulator.connect(OWNER_EMAIL)
    params = {"filter[userId]": user_id, "page[size]": "5"}
    first = (await api.get("/v3/connections", params=params)).json
    assert first["meta"]["totalCount"] == 12
    assert len(first["data"]) == 5
    assert first["links"]["prev"] is None
    next_query = _query_of(first["links"]["next"])
    assert next_query == {
        "filter[userId]": [user_id],
        "filter[vehicle.mode]": ["live"],
        "page[number]": ["2"],
        "page[size]": ["5"],
    }
    assert _query_of(first["links"]["last"])["page[number]"] == ["3"]
    seen = [item["id"] for item in first["data"]]
    link = first["links"]["next"]
    while link:
        async with api.session.get(
            link, headers={"Authorization": f"Bearer {await api.token()}"}
        ) as response:
            page = await response.json()
        seen += [item["id"] for item in page["data"]]
        link = page["links"]["next"]
    assert len(seen) == len(set(seen)) == 12
    assert _query_of(page["links"]["prev"])["page[number]"] == ["2"]


async def test_page_past_the_end(api: Api, owner: str) -> None:
    """A page beyond the last is empty and points back to the last page."""
    reply = await api.get("/v3/connections", params={"page[number]": "7"})
    body = reply.json
    assert body["data"] == []
    assert body["links"]["next"] is None
    assert _query_of(body["links"]["prev"])["page[number]"] == ["1"]


async def test_bad_paging_parameters(api: Api) -> None:
    """Non-positive or oversized paging values are 400 VALIDATION naming the field."""
    for params, field in (
        ({"page[number]": "0"}, "page[number]"),
        ({"page[size]": "abc"}, "page[size]"),
        ({"page[size]": "101"}, "page[size]"),
    ):
        reply = await api.get("/v3/connections", params=params)
        assert reply.status == 400
        assert reply.error["type"] == "VALIDATION"
        assert reply.error["code"] == "PARAMETER"
        assert reply.error["detail"].startswith(field)


async def test_simulated_vehicles_only_when_asked(
    api: Api, simulator: Simulator
) -> None:
    """Without `filter[vehicle.mode]` only live vehicles are listed, as Smartcar does."""
    simulated = simulator.add_vehicle(
        "sim@example.com", "EX30", permissions=["read_battery"], mode="simulated"
    )
    live_user = simulator.connect(OWNER_EMAIL)
    default = (await api.get("/v3/connections")).json
    assert {item["attributes"]["vehicle"]["mode"] for item in default["data"]} == {
        "live"
    }
    assert default["meta"]["totalCount"] == 3
    assert _query_of(default["links"]["self"])["filter[vehicle.mode]"] == ["live"]
    asked = (
        await api.get("/v3/connections", params={"filter[vehicle.mode]": "simulated"})
    ).json
    assert [
        item["relationships"]["vehicle"]["data"]["id"] for item in asked["data"]
    ] == [simulated]
    assert asked["data"][0]["attributes"]["vehicle"]["mode"] == "simulated"
    assert _query_of(asked["links"]["self"])["filter[vehicle.mode]"] == ["simulated"]
    mine = await api.get(
        "/v3/connections",
        params={"filter[vehicle.mode]": "simulated", "filter[userId]": live_user},
    )
    assert mine.json["data"] == []
