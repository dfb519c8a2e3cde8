"""The other makes' account: a Tesla, a Volkswagen and a Jaguar, read as the integration reads them."""

from __future__ import annotations

from typing import Any
import uuid

import aiohttp
from homeassistant.util.location import distance
import pytest

from custom_components.smartcar.api import SmartcarClient, parse_signal
from custom_components.smartcar.api.signals import (
    CATALOGUE as CLIENT_CATALOGUE,
    READ_ERROR_CODE,
    Quantity,
    Signal,
    Tires,
    VehicleSignals,
)
from smartcar_simulator import (
    ID4_ID,
    ID4_VIN,
    IPACE_ID,
    IPACE_VIN,
    MODEL_Y_ID,
    MODEL_Y_VIN,
    OTHER_MAKES_EMAIL,
    OTHER_MAKES_USER_ID,
    TEMPLATES,
    Simulator,
    model_signals_jaguar as jaguar,
)
from smartcar_simulator.permissions import READ_PERMISSIONS
from smartcar_simulator.signals import CATALOGUE
from smartcar_simulator.vehicles import vin_with_check_digit

from .helpers import Api

OTHER_MAKES = (MODEL_Y_ID, ID4_ID, IPACE_ID)

# The errors each car is designed to answer (code -> (type, code)); every other signal reads.
VW_ERRORS = {
    "charge-chargerate": ("VEHICLE_STATE", "NOT_CHARGING"),
    "charge-timetocomplete": ("VEHICLE_STATE", "NOT_CHARGING"),
    "charge-wattage": ("VEHICLE_STATE", "NOT_CHARGING"),
    "closure-fronttrunk": ("PERMISSION", "UNKNOWN"),
    "closure-sunroof": ("COMPATIBILITY", "VEHICLE_NOT_CAPABLE"),
    "internalcombustionengine-range": ("PERMISSION", "UNKNOWN"),
    **dict.fromkeys(
        (
            "connectivitysoftware-currentfirmwareversion",
            "connectivitystatus-isasleep",
            "connectivitystatus-isdigitalkeypaired",
            "connectivitystatus-isonline",
            "internalcombustionengine-amountremaining",
            "internalcombustionengine-fuellevel",
            "vehicleidentification-nickname",
            "vehicleuseraccount-permissions",
            "vehicleuseraccount-role",
        ),
        ("COMPATIBILITY", "VEHICLE_NOT_CAPABLE"),
    ),
}
JAGUAR_ERRORS = {
    **dict.fromkeys(jaguar.NOT_CAPABLE, ("COMPATIBILITY", "VEHICLE_NOT_CAPABLE")),
    **dict.fromkeys(jaguar.PERMISSION, ("PERMISSION", "UNKNOWN")),
    "charge-chargetimers": ("SERVER", "INTERNAL"),
    "lowvoltagebattery-status": ("UPSTREAM", "NO_RESPONSE"),
    "charge-chargerate": ("VEHICLE_STATE", "CHARGING_PLUG_NOT_CONNECTED"),
    "charge-timetocomplete": ("VEHICLE_STATE", "CHARGING_PLUG_NOT_CONNECTED"),
}
# An electric car has no engine: its engine diagnostics answer not capable.
TESLA_ERRORS = dict.fromkeys(
    (
        "diagnostics-emissions",
        "diagnostics-oillife",
        "diagnostics-oilpressure",
        "diagnostics-oiltemperature",
        "diagnostics-waterinfuel",
    ),
    ("COMPATIBILITY", "VEHICLE_NOT_CAPABLE"),
)
DESIGNED_ERRORS: dict[str, dict[str, tuple[str, str]]] = {
    MODEL_Y_ID: TESLA_ERRORS,
    ID4_ID: VW_ERRORS,
    IPACE_ID: JAGUAR_ERRORS,
}


@pytest.fixture
def makes_user(simulator: Simulator) -> str:
    """Connect the other makes' cars with every read permission; return the user id."""
    return simulator.connect(
        OTHER_MAKES_EMAIL, permissions=[*READ_PERMISSIONS, "control_charge"]
    )


async def _elements(api: Api, user: str, vehicle_id: str) -> list[dict[str, Any]]:
    reply = await api.get(f"/v3/vehicles/{vehicle_id}/signals", user=user)
    assert reply.status == 200, reply.text
    elements: list[dict[str, Any]] = reply.json["data"]
    return elements


async def _by_code(api: Api, user: str, vehicle_id: str) -> dict[str, dict[str, Any]]:
    return {item["id"]: item for item in await _elements(api, user, vehicle_id)}


def _errors(signals: VehicleSignals) -> dict[str, tuple[str, str | None]]:
    return {
        code: (signal.error.type, signal.error.code)
        for code, signal in signals.signals.items()
        if not signal.ok and signal.error is not None
    }


def _check_readable(signal: Signal[Any]) -> None:
    """Check that a signal reads: SUCCESS with a parsed body, its unit known."""
    assert signal.code in CLIENT_CATALOGUE, signal.code
    assert not (signal.error and signal.error.code == READ_ERROR_CODE), signal.code
    if signal.ok:
        assert signal.body is not None, signal.code
    raw_unit = (signal.raw_body or {}).get("unit")
    if isinstance(signal.body, Quantity) and raw_unit is not None:
        assert signal.body.unit is not None, (signal.code, raw_unit)


# -- the account and its cars -----------------------------------------------------------


def test_account_and_cars(simulator: Simulator) -> None:
    """One account with a stable user id holds a Tesla, a Volkswagen and a Jaguar (BEVs)."""
    account = simulator.world.accounts[OTHER_MAKES_EMAIL]
    assert account.user_id == OTHER_MAKES_USER_ID
    assert account.password == "demo"
    assert account.vehicle_ids == list(OTHER_MAKES)
    cars = [simulator.vehicle(vehicle_id) for vehicle_id in OTHER_MAKES]
    assert [(car.make, car.model, car.year, car.powertrain) for car in cars] == [
        ("TESLA", "Model Y", 2024, "BEV"),
        ("VOLKSWAGEN", "ID.4", 2023, "BEV"),
        ("JAGUAR", "I-PACE", 2021, "BEV"),
    ]
    assert [car.vin for car in cars] == [MODEL_Y_VIN, ID4_VIN, IPACE_VIN]
    for value in (OTHER_MAKES_USER_ID, *OTHER_MAKES):
        assert str(uuid.UUID(value)) == value
    for vin in (MODEL_Y_VIN, ID4_VIN, IPACE_VIN):
        assert len(vin) == 17
        assert vin_with_check_digit(vin) == vin


def test_templates_add_more_of_them(simulator: Simulator) -> None:
    """The three templates make fresh cars with well-formed VINs for any account."""
    for key, make in (("MODEL_Y", "TESLA"), ("ID4", "VOLKSWAGEN"), ("IPACE", "JAGUAR")):
        assert TEMPLATES[key].make == make
        vehicle_id = simulator.add_vehicle("fleet@example.com", key)
        car = simulator.vehicle(vehicle_id)
        assert car.make == make
        assert vin_with_check_digit(car.vin) == car.vin
        assert car.vin[:8] == TEMPLATES[key].vin_prefix[:8]
    assert len(simulator.world.accounts["fleet@example.com"].vehicle_ids) == 3


async def test_connections_list_the_three_cars(api: Api, simulator: Simulator) -> None:
    """Once connected, `/connections` of the user lists exactly the three cars."""
    user = simulator.connect(OTHER_MAKES_EMAIL)
    reply = await api.get("/v3/connections", params={"filter[userId]": user})
    assert reply.status == 200
    vehicles = {
        item["relationships"]["vehicle"]["data"]["id"]: item["attributes"]["vehicle"]
        for item in reply.json["data"]
    }
    assert vehicles == {
        MODEL_Y_ID: {
            "make": "TESLA",
            "model": "Model Y",
            "year": 2024,
            "mode": "live",
            "powertrainType": "BEV",
        },
        ID4_ID: {
            "make": "VOLKSWAGEN",
            "model": "ID.4",
            "year": 2023,
            "mode": "live",
            "powertrainType": "BEV",
        },
        IPACE_ID: {
            "make": "JAGUAR",
            "model": "I-PACE",
            "year": 2021,
            "mode": "live",
            "powertrainType": "BEV",
        },
    }


async def test_client_lists_them_by_make(
    client: SmartcarClient, simulator: Simulator
) -> None:
    """The client names the cars by make and model (the devices Home Assistant makes)."""
    simulator.connect(OTHER_MAKES_EMAIL)
    connections = await client.async_get_connections(user_id=OTHER_MAKES_USER_ID)
    assert sorted(item.vehicle.display_name for item in connections) == [
        "Jaguar I-PACE",
        "Tesla Model Y",
        "Volkswagen ID.4",
    ]


# -- every body reads with the integration's readers ------------------------------------


def test_simulator_catalogue_is_the_clients() -> None:
    """The simulator knows the 93 signals of the client's catalogue, with its permissions."""
    assert len(CATALOGUE) == 93
    assert {code: spec.permission for code, spec in CATALOGUE.items()} == {
        code: spec.permission for code, spec in CLIENT_CATALOGUE.items()
    }
    for code, spec in CATALOGUE.items():
        assert (spec.group, spec.name) == (
            CLIENT_CATALOGUE[code].group,
            CLIENT_CATALOGUE[code].name,
        )


@pytest.mark.parametrize("vehicle_id", OTHER_MAKES)
async def test_signals_read_through_the_client(
    client: SmartcarClient, makes_user: str, vehicle_id: str
) -> None:
    """Every signal reads with the client's parser; errors are only the designed ones.

    A value outside its catalogue range, a body that does not read or an unknown unit
    would be a read error (or an unparsed unit) here.
    """
    signals = await client.vehicle(vehicle_id, makes_user).async_get_signals()
    for signal in signals.signals.values():
        _check_readable(signal)
    assert _errors(signals) == DESIGNED_ERRORS[vehicle_id]


@pytest.mark.parametrize("vehicle_id", OTHER_MAKES)
async def test_webhook_signals_read_through_the_client(
    simulator: Simulator, makes_user: str, vehicle_id: str
) -> None:
    """The webhook form of every signal reads too, with the same errors.

    Deliveries carry a live PERMISSION error without its code (REST: `UNKNOWN`).
    """
    event = simulator.vehicle_state_event(vehicle_id)
    signals = VehicleSignals().merged(
        signal
        for entry in event["data"]["signals"]
        if (signal := parse_signal(entry)) is not None
    )
    assert len(signals.signals) == len(simulator.vehicle(vehicle_id).signals)
    for signal in signals.signals.values():
        _check_readable(signal)
    assert _errors(signals) == {
        code: (kind, None if kind == "PERMISSION" else error_code)
        for code, (kind, error_code) in DESIGNED_ERRORS[vehicle_id].items()
    }


async def test_the_three_cover_the_catalogue(api: Api, makes_user: str) -> None:
    """Together the three report all 93 signals; 83 of them with a value somewhere."""
    reported: set[str] = set()
    with_value: set[str] = set()
    for vehicle_id in OTHER_MAKES:
        for code, element in (await _by_code(api, makes_user, vehicle_id)).items():
            reported.add(code)
            if element["attributes"]["status"]["value"] == "SUCCESS":
                with_value.add(code)
    assert reported == set(CATALOGUE)
    assert set(CATALOGUE) - with_value == {
        *TESLA_ERRORS,
        "closure-tailgate",
        "internalcombustionengine-amountremaining",
        "internalcombustionengine-fuellevel",
        "internalcombustionengine-oillife",
        "internalcombustionengine-range",
    }


async def test_default_grant_refuses_the_extra_permissions(
    api: Api, simulator: Simulator
) -> None:
    """With Connect's default permissions, Tesla signals of other scopes answer PERMISSION."""
    user = simulator.connect(OTHER_MAKES_EMAIL)
    signals = await _by_code(api, user, MODEL_Y_ID)
    for code in ("hvac-iscabinhvacactive", "diagnostics-abs", "wheel-tires"):
        status = signals[code]["attributes"]["status"]
        assert status["error"]["type"] == "PERMISSION"
        assert "body" not in signals[code]["attributes"]
    assert signals["tractionbattery-stateofcharge"]["attributes"]["status"] == {
        "value": "SUCCESS"
    }


# -- the Tesla ------------------------------------------------------------------------


async def test_tesla_bodies(api: Api, makes_user: str) -> None:
    """Model Y: imperial units, GLOBAL limit, psi tyres, Sentry Mode, diagnostics."""
    signals = {
        code: element["attributes"]
        for code, element in (await _by_code(api, makes_user, MODEL_Y_ID)).items()
    }
    assert len(signals) == 87
    failing = {
        code for code, item in signals.items() if item["status"]["value"] != "SUCCESS"
    }
    assert failing == set(TESLA_ERRORS)
    body = {code: item["body"] for code, item in signals.items() if code not in failing}
    assert body["charge-chargelimits"] == {
        "values": [{"type": "GLOBAL", "limit": 80, "condition": None}],
        "activeLimit": 80,
        "unit": "percent",
    }
    assert body["charge-wattage"] == {"value": 11520, "unit": "watts"}
    assert body["charge-amperage"] == {"value": 48, "unit": "ampere"}
    assert body["charge-voltage"] == {"value": 240, "unit": "volts"}
    assert body["charge-chargingconnectortype"] == {"value": "NACS"}
    assert body["charge-ischargingportflapopen"] == {"value": True}
    assert body["tractionbattery-range"] == {
        "value": 148,
        "unit": "miles",
        "additionalValues": [
            {"type": "ESTIMATED", "value": 148},
            {"type": "IDEAL_CONDITIONS", "value": 172},
            {"type": "RATED", "value": 161},
        ],
    }
    assert body["wheel-tires"]["unit"] == "psi"
    assert sorted(item["tirePressure"] for item in body["wheel-tires"]["values"]) == [
        36,
        41,
        42,
        42,
    ]
    assert body["lowvoltagebattery-stateofcharge"] == {"value": 92, "unit": "percent"}
    assert body["lowvoltagebattery-status"] == {"value": "GOOD"}
    assert body["surveillance-isenabled"] == {"value": True}
    assert body["surveillance-brand"] == {"value": "Sentry Mode"}
    assert body["connectivitystatus-isonline"] == {"value": True}
    assert body["connectivitystatus-isasleep"] == {"value": False}
    assert body["connectivitysoftware-currentfirmwareversion"] == {
        "value": "2024.44.25"
    }
    assert body["hvac-cabintargettemperature"] == {"value": 70, "unit": "fahrenheit"}
    assert body["climate-externaltemperature"]["unit"] == "fahrenheit"
    assert body["motion-currentspeed"] == {"value": 0, "unit": "mph"}
    assert body["transmission-gearstate"] == {"value": "PARK"}
    assert body["transmission-drivemode"] == {
        "canonical": "NORMAL",
        "oemDisplayName": "Standard",
    }
    assert body["closure-sunroof"] == {"isOpen": None}
    assert body["closure-fronttrunk"] == {"isOpen": False, "isLocked": True}
    assert body["vehicleuseraccount-role"] == {"value": "Owner"}
    assert "vehicle_cmds" in body["vehicleuseraccount-permissions"]["values"]
    assert body["vehicleidentification-trim"] == {"value": "Long Range AWD"}
    assert body["wheel-style"] == {"value": "20in Induction"}
    systems = [code for code in body if code.startswith("diagnostics-")]
    assert len(systems) == 18  # 23 but the 5 of an engine
    alerts = {
        code: item["description"]
        for code, item in body.items()
        if code.startswith("diagnostics-") and item.get("status") == "ALERT"
    }
    assert alerts == {
        "diagnostics-tirepressure": "Rear left tire pressure low",
        "diagnostics-washerfluid": "Washer fluid low",
    }
    assert body["diagnostics-dtccount"] == {"value": 2, "unit": "count"}
    assert [item["code"] for item in body["diagnostics-dtclist"]["values"]] == [
        "C0750",
        "B1C02",
    ]
    [home, supercharger] = body["charge-chargerecords"]["values"]
    assert (home["chargingType"], supercharger["chargingType"]) == ("AC", "DC")
    assert supercharger["isPublicCharger"] is True
    assert body["service-records"]["values"][0]["cost"] == {
        "amount": 89.0,
        "currency": "EUR",
    }


async def test_tesla_charge_timers_hold_every_type(
    api: Api, simulator: Simulator, makes_user: str
) -> None:
    """ChargeTimers: the car's window and departures, and every location schedule type.

    The daily, weekly and workweek timers are the stored (deletable) schedules.
    """
    signals = await _by_code(api, makes_user, MODEL_Y_ID)
    timers = signals["charge-chargetimers"]["attributes"]["body"]["values"]
    assert [(item["type"], item.get("scheduleType")) for item in timers] == [
        ("GLOBAL", None),
        ("LOCATION", "DAILY"),
        ("LOCATION", "WEEKLY"),
        ("LOCATION", "WORKWEEK"),
    ]
    assert timers[0]["departureTimers"] == [
        {
            "time": "07:45:00",
            "days": ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY"],
        }
    ]
    assert timers[0]["isOEMOptimizationEnabled"] is True
    stored = [item.id for item in simulator.schedules(MODEL_Y_ID)]
    assert [item["scheduleId"] for item in timers[1:]] == stored
    assert timers[3]["schedules"][1] == {
        "start": "23:00:00",
        "end": "07:00:00",
        "days": ["SATURDAY", "SUNDAY"],
    }
    reply = await api.delete(
        f"/v3/vehicles/{MODEL_Y_ID}/charge-schedules/{stored[1]}", user=makes_user
    )
    assert reply.status == 200, reply.text
    signals = await _by_code(api, makes_user, MODEL_Y_ID)
    timers = signals["charge-chargetimers"]["attributes"]["body"]["values"]
    assert [item.get("scheduleType") for item in timers] == [None, "DAILY", "WORKWEEK"]


# -- the Volkswagen, as captured live -----------------------------------------------------


async def test_vw_lists_signals_as_captured(api: Api, makes_user: str) -> None:
    """The ID.4 lists 33 signals sorted by code, each with `ingestedAt` first in meta."""
    elements = await _elements(api, makes_user, ID4_ID)
    codes = [item["id"] for item in elements]
    assert codes == sorted(codes)
    assert len(codes) == 33
    assert all(next(iter(item["meta"])) == "ingestedAt" for item in elements)


async def test_vw_raw_bodies(api: Api, makes_user: str) -> None:
    """A few ID.4 elements exactly as the live capture has them (values are our own)."""
    signals = await _by_code(api, makes_user, ID4_ID)
    assert signals["charge-chargelimits"] == {
        "id": "charge-chargelimits",
        "type": "signal",
        "attributes": {
            "code": "charge-chargelimits",
            "name": "ChargeLimits",
            "group": "Charge",
            "status": {"value": "SUCCESS"},
            "body": {
                "values": [
                    {"type": "GLOBAL", "limit": 80},
                    {
                        "type": "CHARGING_TYPE",
                        "limit": 80,
                        "condition": {"chargingType": "AC"},
                    },
                    {
                        "type": "CHARGING_TYPE",
                        "limit": 90,
                        "condition": {"chargingType": "DC"},
                    },
                ],
                "activeLimit": 80,
                "unit": "percent",
            },
        },
        "meta": {
            "ingestedAt": "2026-11-01T09:58:00.000Z",
            "retrievedAt": "2026-11-01T09:58:00.000Z",
            "oemUpdatedAt": "2026-11-01T09:50:00.000Z",
        },
        "links": {"self": f"/v3/vehicles/{ID4_ID}/signals/charge-chargelimits"},
    }
    assert signals["closure-fronttrunk"]["attributes"]["status"] == {
        "value": "ERROR",
        "error": {
            "type": "PERMISSION",
            "code": "UNKNOWN",
            "title": "Unknown",
            "detail": "Your application has insufficient permissions to access the"
            " requested resource. Please prompt the user to re-authenticate using"
            " Smartcar Connect.",
            "description": "Deprecated. Use detail",
            "resolution": {"type": "REAUTHENTICATE"},
        },
    }
    assert "body" not in signals["closure-fronttrunk"]["attributes"]
    assert signals["closure-fronttrunk"]["meta"] == {
        "ingestedAt": "2026-07-19T10:00:00.000Z"
    }
    sunroof = signals["closure-sunroof"]["attributes"]
    assert sunroof["body"] == {"isOpen": None}
    assert sunroof["status"]["error"] == {
        "type": "COMPATIBILITY",
        "code": "VEHICLE_NOT_CAPABLE",
        "title": "Vehicle Not Capable",
        "detail": "The vehicle is incapable of performing your request.",
        "description": "Deprecated. Use detail",
        "resolution": {"type": "UNKNOWN_RESOLUTION_TYPE"},
    }
    wattage = signals["charge-wattage"]["attributes"]
    assert wattage["body"] == {"value": 8000, "unit": "watts"}
    assert wattage["status"]["error"]["title"] == "Not Charging"
    assert signals["charge-wattage"]["meta"] == {
        "ingestedAt": "2026-10-31T09:52:00.000Z",
        "retrievedAt": "2026-10-31T09:52:00.000Z",
        "oemUpdatedAt": "2026-10-31T09:50:00.000Z",
    }
    bodies = {code: item["attributes"].get("body") for code, item in signals.items()}
    assert bodies["tractionbattery-range"] == {
        "value": 268,
        "type": "DEFAULT",
        "additionalValues": [],
        "unit": "km",
    }
    assert bodies["tractionbattery-stateofcharge"] == {"value": 64, "unit": "percent"}
    assert bodies["odometer-traveleddistance"] == {"value": 41327, "unit": "km"}
    assert bodies["charge-chargingconnectortype"] == {"value": "invalid"}
    assert bodies["charge-chargeportstatuscolor"] == {"value": "green"}
    assert bodies["closure-enginecover"] == {"isOpen": False}
    assert bodies["closure-reartrunk"] == {"isOpen": False, "isLocked": True}
    assert bodies["closure-doors"]["values"][0] == {
        "row": 0,
        "column": 0,
        "isOpen": False,
        "isLocked": True,
    }
    assert bodies["location-preciselocation"] == {
        "latitude": 52.1561,
        "longitude": 5.3878,
        "locationType": "LAST_PARKED",
    }
    assert signals["vehicleidentification-vin"]["meta"] == {
        "ingestedAt": "2026-11-01T09:58:00.000Z"
    }
    not_capable = signals["connectivitystatus-isonline"]
    assert "body" not in not_capable["attributes"]
    assert set(not_capable["meta"]) == {"ingestedAt"}


async def test_vw_epoch_meta(api: Api, simulator: Simulator, makes_user: str) -> None:
    """With epoch timestamps the live meta keeps its keys, in seconds."""
    simulator.timestamp_format = "epoch"
    signals = await _by_code(api, makes_user, ID4_ID)
    assert signals["charge-chargelimits"]["meta"] == {
        "ingestedAt": 1793527080,
        "retrievedAt": 1793527080,
        "oemUpdatedAt": 1793526600,
    }
    assert signals["closure-fronttrunk"]["meta"] == {"ingestedAt": 1784455200}


async def test_vw_permission_not_granted_is_worded_live(
    api: Api, simulator: Simulator
) -> None:
    """A scope the connection lacks answers PERMISSION in the captured wording."""
    user = simulator.connect(OTHER_MAKES_EMAIL, permissions=["read_vin"])
    signals = await _by_code(api, user, ID4_ID)
    soc = signals["tractionbattery-stateofcharge"]
    assert soc["attributes"]["status"]["error"]["title"] == "Unknown"
    assert soc["attributes"]["status"]["error"]["resolution"] == {
        "type": "REAUTHENTICATE"
    }
    assert set(soc["meta"]) == {"ingestedAt"}
    assert signals["vehicleidentification-vin"]["attributes"]["status"] == {
        "value": "SUCCESS"
    }


# -- the Jaguar: errors inside a successful list -------------------------------------------


async def test_jaguar_errors_as_smartcar_renders_them(
    api: Api, makes_user: str
) -> None:
    """PERMISSION with REAUTHENTICATE, not capable, SERVER and UPSTREAM: status ERROR."""
    signals = await _by_code(api, makes_user, IPACE_ID)
    assert len(signals) == 69

    def status(code: str) -> dict[str, Any]:
        result: dict[str, Any] = signals[code]["attributes"]["status"]
        return result

    for code in jaguar.PERMISSION:
        assert status(code)["value"] == "ERROR"
        error = status(code)["error"]
        assert (error["type"], error["code"], error["resolution"]) == (
            "PERMISSION",
            "UNKNOWN",
            {"type": "REAUTHENTICATE"},
        )
        assert "body" not in signals[code]["attributes"]
    assert len([code for code in jaguar.PERMISSION if "diagnostics" in code]) == 14
    assert len([code for code in jaguar.NOT_CAPABLE if "diagnostics" in code]) == 9
    assert all(code.startswith("hvac-") for code in jaguar.PERMISSION[:5])
    for code in jaguar.NOT_CAPABLE:
        error = status(code)["error"]
        assert (error["type"], error["code"]) == (
            "COMPATIBILITY",
            "VEHICLE_NOT_CAPABLE",
        )
    assert status("closure-tailgate")["error"]["code"] == "VEHICLE_NOT_CAPABLE"
    assert status("charge-chargetimers")["error"] == {
        "type": "SERVER",
        "code": "INTERNAL",
        "title": "Internal",
        "detail": "Smartcar ran into an unexpected issue while processing this signal."
        " Please retry later.",
        "description": "Deprecated. Use detail",
        "resolution": {"type": "RETRY_LATER"},
    }
    upstream = signals["lowvoltagebattery-status"]
    assert upstream["attributes"]["status"]["error"]["type"] == "UPSTREAM"
    assert upstream["attributes"]["body"] == {"value": "GOOD"}
    assert upstream["meta"]["oemUpdatedAt"] == "2026-10-29T10:00:00.000Z"
    rate = signals["charge-chargerate"]["attributes"]
    assert rate["status"]["error"]["code"] == "CHARGING_PLUG_NOT_CONNECTED"
    assert rate["body"] == {"value": 35, "unit": "km/h"}


async def test_jaguar_bodies(api: Api, client: SmartcarClient, makes_user: str) -> None:
    """Tyres labelled bar in kPa (258 first, at row 0 column 1); range without type."""
    signals = await _by_code(api, makes_user, IPACE_ID)
    tires = signals["wheel-tires"]["attributes"]["body"]
    assert tires["unit"] == "bar"
    assert tires["values"][0] == {"row": 0, "column": 1, "tirePressure": 258}
    assert signals["tractionbattery-range"]["attributes"]["body"] == {
        "value": 289,
        "unit": "km",
        "additionalValues": [],
    }
    assert signals["charge-chargelimits"]["attributes"]["body"] == {
        "values": [],
        "activeLimit": 100,
        "unit": "percent",
    }
    assert signals["location-preciselocation"]["attributes"]["body"] == {
        "latitude": 52.2235,
        "longitude": 5.1763,
        "heading": 312.0,
    }
    assert signals["tractionbattery-nominalcapacity"]["attributes"]["body"][
        "source"
    ] == ("USER_SELECTED")
    read = await client.vehicle(IPACE_ID, makes_user).async_get_signals()
    pressures = read.signals["wheel-tires"].body
    assert isinstance(pressures, Tires)
    assert sorted(item.pressure_kpa for item in pressures.items) == [
        255,
        257,
        258,
        260,
    ]


async def test_jaguar_webhook_errors_are_short(
    simulator: Simulator, makes_user: str
) -> None:
    """In deliveries a live error carries type and code only; PERMISSION's code is null."""
    event = simulator.vehicle_state_event(IPACE_ID)
    entries = {entry["code"]: entry for entry in event["data"]["signals"]}
    assert entries["hvac-iscabinhvacactive"]["status"] == {
        "value": "ERROR",
        "error": {"type": "PERMISSION", "code": None},
    }
    assert entries["closure-tailgate"]["status"]["error"] == {
        "type": "COMPATIBILITY",
        "code": "VEHICLE_NOT_CAPABLE",
    }
    assert "body" not in entries["closure-tailgate"]
    assert entries["lowvoltagebattery-status"]["body"] == {"value": "GOOD"}
    assert event["data"]["vehicle"]["make"] == "JAGUAR"


async def test_tesla_webhook_errors_keep_the_documented_form(
    session: aiohttp.ClientSession, simulator: Simulator, makes_user: str
) -> None:
    """The docs-shaped Tesla keeps the full error object in deliveries."""
    simulator.stop_charging(MODEL_Y_ID)
    event = simulator.vehicle_state_event(MODEL_Y_ID, codes=["charge-wattage"])
    [entry] = event["data"]["signals"]
    assert entry["status"]["error"]["code"] == "NOT_CHARGING"
    assert entry["status"]["error"]["title"] == "Vehicle not charging"
    assert entry["body"] == {"value": 11520, "unit": "watts"}


async def test_tesla_parked_at_home_in_home_assistants_home(
    api: Api, makes_user: str
) -> None:
    """The Model Y, at home by its own account, is parked in Home Assistant's home zone.

    Home is where Home Assistant's onboarding puts it by default (its 100 m zone), so
    "Parked location" agrees with "At home" in the development set-up.
    """
    signals = await _by_code(api, makes_user, MODEL_Y_ID)
    assert signals["location-isathome"]["attributes"]["body"] == {"value": True}
    parked = signals["location-preciselocation"]["attributes"]["body"]
    onboarding_home = (52.3731339, 4.8903147)
    metres = distance(*onboarding_home, parked["latitude"], parked["longitude"])
    assert metres is not None
    assert metres < 100
