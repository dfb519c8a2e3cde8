"""The demo fleet: accounts, signal sets per powertrain and realistic values."""

from __future__ import annotations

import re
from typing import Any
import uuid

import pytest

from smartcar_simulator import (
    DEMO_APPLICATION_ID,
    DEMO_CLIENT_ID,
    DEMO_CLIENT_SECRET,
    DEMO_MANAGEMENT_TOKEN,
    EX30_ID,
    EX30_VIN,
    NO_VEHICLES_EMAIL,
    NO_VEHICLES_USER_ID,
    OWNER_EMAIL,
    OWNER_USER_ID,
    SECOND_EMAIL,
    SECOND_USER_ID,
    TEMPLATES,
    XC40_ID,
    XC40_VIN,
    XC60_ID,
    XC60_VIN,
    XC90_ID,
    XC90_VIN,
    Simulator,
)
from smartcar_simulator.model_signals import compass
from smartcar_simulator.vehicles import random_vin, vin_with_check_digit

from .helpers import Api

CHARGE = {
    "charge-ischargingcableconnected",
    "charge-ischarging",
    "charge-detailedchargingstatus",
    "charge-chargingconnectortype",
    "charge-chargetimers",
    "charge-chargelimits",
    "charge-timetocomplete",
    "charge-wattage",
}
CLOSURE = {"closure-doors", "closure-windows", "closure-islocked"}
FUEL = {
    "internalcombustionengine-amountremaining",
    "internalcombustionengine-fuellevel",
    "internalcombustionengine-range",
}
BATTERY = {
    "tractionbattery-stateofcharge",
    "tractionbattery-range",
    "tractionbattery-nominalcapacity",
}
COMMON = {
    "location-preciselocation",
    "odometer-traveleddistance",
    "vehicleidentification-vin",
}
VIN_PATTERN = re.compile(r"^[A-HJ-NPR-Z0-9]{17}$")


async def _signals(api: Api, user: str, vehicle_id: str) -> dict[str, dict[str, Any]]:
    reply = await api.get(f"/v3/vehicles/{vehicle_id}/signals", user=user)
    assert reply.status == 200
    return {element["id"]: element["attributes"] for element in reply.json["data"]}


def test_accounts(simulator: Simulator) -> None:
    """Three demo accounts with stable user ids and their cars."""
    accounts = simulator.world.accounts
    assert accounts[OWNER_EMAIL].user_id == OWNER_USER_ID
    assert accounts[OWNER_EMAIL].vehicle_ids == [EX30_ID, XC60_ID, XC90_ID]
    assert accounts[SECOND_EMAIL].user_id == SECOND_USER_ID
    assert accounts[SECOND_EMAIL].vehicle_ids == [XC40_ID]
    assert accounts[NO_VEHICLES_EMAIL].user_id == NO_VEHICLES_USER_ID
    assert accounts[NO_VEHICLES_EMAIL].vehicle_ids == []
    assert {account.password for account in accounts.values()} == {"demo"}
    assert simulator.user_id(OWNER_EMAIL.upper()) == OWNER_USER_ID


def test_ids_are_uuids() -> None:
    """Application, user and vehicle ids are UUIDs; the API client id starts `client_`."""
    for value in (
        DEMO_APPLICATION_ID,
        OWNER_USER_ID,
        SECOND_USER_ID,
        NO_VEHICLES_USER_ID,
        EX30_ID,
        XC60_ID,
        XC90_ID,
        XC40_ID,
    ):
        assert str(uuid.UUID(value)) == value
    assert DEMO_CLIENT_ID.startswith("client_")
    assert DEMO_CLIENT_SECRET != DEMO_MANAGEMENT_TOKEN


def test_vins_are_well_formed() -> None:
    """Demo and generated VINs are 17 characters with a valid check digit."""
    for vin in (EX30_VIN, XC60_VIN, XC90_VIN, XC40_VIN, random_vin("YV1XZEFV0R2")):
        assert VIN_PATTERN.match(vin)
        assert vin_with_check_digit(vin) == vin
    assert vin_with_check_digit("1M8GDM9A0KP042788")[8] == "X"


def test_compass() -> None:
    """Headings map to 8 compass points."""
    assert [compass(angle) for angle in (0, 44, 90, 180, 270, 337.5, 359)] == [
        "N",
        "NE",
        "E",
        "S",
        "W",
        "N",
        "N",
    ]


async def test_signal_sets_per_powertrain(
    api: Api, simulator: Simulator, owner: str
) -> None:
    """BEV: charge, closures, battery; PHEV: all 19; ICE: closures and fuel (+ common)."""
    second = simulator.connect(SECOND_EMAIL)
    assert (
        set(await _signals(api, owner, EX30_ID)) == CHARGE | CLOSURE | BATTERY | COMMON
    )
    assert (
        set(await _signals(api, second, XC40_ID)) == CHARGE | CLOSURE | BATTERY | COMMON
    )
    assert (
        set(await _signals(api, owner, XC60_ID))
        == CHARGE | CLOSURE | FUEL | BATTERY | COMMON
    )
    assert set(await _signals(api, owner, XC90_ID)) == CLOSURE | FUEL | COMMON


async def test_ex30_is_charging(api: Api, owner: str) -> None:
    """EX30: plugged in, CHARGING at 11 kW from 45 % to 80 %, observed units."""
    signals = await _signals(api, owner, EX30_ID)
    assert signals["charge-ischargingcableconnected"]["body"] == {"value": True}
    assert signals["charge-ischarging"]["body"] == {"value": True}
    assert signals["charge-detailedchargingstatus"]["body"] == {"value": "CHARGING"}
    assert signals["charge-wattage"]["body"] == {"value": 11000, "unit": "watts"}
    assert signals["charge-timetocomplete"]["body"] == {"value": 132}
    assert signals["charge-chargelimits"]["body"] == {
        "values": [{"type": "GLOBAL", "limit": 80, "condition": None}],
        "activeLimit": 80,
        "unit": "percent",
    }
    assert signals["tractionbattery-range"]["body"]["unit"] == "km"
    assert signals["odometer-traveleddistance"]["body"]["unit"] == "km"
    capacity = signals["tractionbattery-nominalcapacity"]["body"]
    assert capacity["capacity"] == 69
    assert "value" not in capacity
    assert capacity["unit"] == "kWh"
    assert capacity["availableCapacities"][1] == {
        "capacity": 69,
        "description": "BEV:Extended Range",
    }
    location = signals["location-preciselocation"]["body"]
    assert location["locationType"] == "LAST_PARKED"
    assert 57.5 < location["latitude"] < 57.9
    assert 11.6 < location["longitude"] < 12.2
    assert location["direction"] == "W"
    assert signals["closure-islocked"]["body"] == {"value": True}


async def test_xc60_plugged_not_charging(api: Api, owner: str) -> None:
    """XC60: plugged but NOT_CHARGING, wattage and time-to-complete stale ERROR."""
    signals = await _signals(api, owner, XC60_ID)
    assert signals["charge-ischargingcableconnected"]["body"] == {"value": True}
    assert signals["charge-detailedchargingstatus"]["body"] == {"value": "NOT_CHARGING"}
    for code in ("charge-wattage", "charge-timetocomplete"):
        status = signals[code]["status"]
        assert status["value"] == "ERROR"
        assert (status["error"]["type"], status["error"]["code"]) == (
            "VEHICLE_STATE",
            "NOT_CHARGING",
        )
        assert signals[code]["body"]["value"] > 0
    assert (
        signals["internalcombustionengine-amountremaining"]["body"]["unit"] == "liters"
    )
    assert signals["internalcombustionengine-range"]["body"]["unit"] == "kilometers"
    assert signals["odometer-traveleddistance"]["body"]["unit"] == "kilometers"


async def test_xc60_stale_values_are_old(api: Api, owner: str) -> None:
    """The stale wattage body keeps its old oemUpdatedAt."""
    reply = await api.get(f"/v3/vehicles/{XC60_ID}/signals/charge-wattage", user=owner)
    meta = reply.json["data"]["meta"]
    assert meta["oemUpdatedAt"] == "2026-10-29T10:00:00.000Z"


async def test_xc90_us_car(api: Api, owner: str) -> None:
    """XC90: US units, unlocked, rear-left window open."""
    signals = await _signals(api, owner, XC90_ID)
    assert (
        signals["internalcombustionengine-amountremaining"]["body"]["unit"] == "gallons"
    )
    assert signals["internalcombustionengine-range"]["body"]["unit"] == "miles"
    assert signals["odometer-traveleddistance"]["body"]["unit"] == "miles"
    assert signals["closure-islocked"]["body"] == {"value": False}
    doors = signals["closure-doors"]["body"]
    assert (doors["rowCount"], doors["columnCount"]) == (2, 2)
    assert all(not door["isLocked"] and not door["isOpen"] for door in doors["values"])
    windows = signals["closure-windows"]["body"]["values"]
    open_windows = [(item["row"], item["column"]) for item in windows if item["isOpen"]]
    assert open_windows == [(1, 0)]
    assert all("isLocked" not in item for item in windows)


async def test_xc40_unplugged(api: Api, simulator: Simulator) -> None:
    """XC40: unplugged, activeLimit null."""
    user = simulator.connect(SECOND_EMAIL)
    signals = await _signals(api, user, XC40_ID)
    assert signals["charge-ischargingcableconnected"]["body"] == {"value": False}
    assert signals["charge-chargelimits"]["body"]["activeLimit"] is None
    assert signals["tractionbattery-stateofcharge"]["body"]["value"] == 62


def test_add_vehicle_fleet(simulator: Simulator) -> None:
    """`add_vehicle` makes extra cars (new accounts included) from templates."""
    ids = [simulator.add_vehicle("fleet@example.com", "XC90") for _ in range(10)]
    assert len(set(ids)) == 10
    account = simulator.world.accounts["fleet@example.com"]
    assert account.vehicle_ids == ids
    vins = {simulator.vehicle(vehicle_id).vin for vehicle_id in ids}
    assert all(VIN_PATTERN.match(vin) for vin in vins)
    assert simulator.connections() == []
    fixed = simulator.add_vehicle(
        OWNER_EMAIL,
        TEMPLATES["XC40"],
        vehicle_id="fixed-id",
        vin=XC40_VIN,
        permissions=["read_vin"],
    )
    assert fixed == "fixed-id"
    assert simulator.connections()[0].permissions == ["read_vin"]


def test_connect_rejects_foreign_vehicle(simulator: Simulator) -> None:
    """`connect` refuses a vehicle of another account."""
    with pytest.raises(ValueError, match=XC40_ID):
        simulator.connect(OWNER_EMAIL, [XC40_ID])
