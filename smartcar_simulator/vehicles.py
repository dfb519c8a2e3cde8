"""The demo fleet: Volvo templates, demo accounts and stable ids."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
import random
from typing import Any

from .charging import charge_limit, state_of_charge
from .closures import DOORS, IS_LOCKED, WINDOWS, grid
from .signals import CATALOGUE, VIN_CODE, SignalError, SignalRecord, not_charging_error
from .state import ChargeSession, Vehicle, World

DEMO_PASSWORD = "demo"
OWNER_EMAIL = "owner@example.com"
SECOND_EMAIL = "second@example.com"
NO_VEHICLES_EMAIL = "novehicles@example.com"

OWNER_USER_ID = "0b6f6d7e-3c1a-4f5e-9d2b-7a8c9e0f1a2b"
SECOND_USER_ID = "1c7a7e8f-4d2b-4a6f-8e3c-8b9d0f1a2b3c"
NO_VEHICLES_USER_ID = "2d8b8f9a-5e3c-4b7a-9f4d-9cae1a2b3c4d"

EX30_ID = "6a1e2f3b-7c4d-4e5f-8a6b-0c1d2e3f4a5b"
XC60_ID = "7b2f3a4c-8d5e-4f6a-9b7c-1d2e3f4a5b6c"
XC90_ID = "8c3a4b5d-9e6f-4a7b-8c8d-2e3f4a5b6c7d"
XC40_ID = "9d4b5c6e-af7a-4b8c-9d9e-3f4a5b6c7d8e"

EX30_VIN = "LYVXFEDA8SL012345"
XC60_VIN = "YV4H60DL0R1234567"
XC90_VIN = "YV4062PE9P1098765"
XC40_VIN = "YV1XZEFV8R2345678"

_VIN_VALUES = {
    **{str(digit): digit for digit in range(10)},
    **dict(zip("ABCDEFGH", range(1, 9), strict=True)),
    **dict(zip("JKLMN", range(1, 6), strict=True)),
    "P": 7,
    "R": 9,
    **dict(zip("STUVWXYZ", range(2, 10), strict=True)),
}
_VIN_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)
_VIN_SERIAL_CHARS = "0123456789"


def vin_with_check_digit(vin: str) -> str:
    """Return `vin` with position 9 set to its ISO 3779 / NHTSA check digit."""
    total = sum(
        _VIN_VALUES[char] * weight
        for char, weight in zip(vin, _VIN_WEIGHTS, strict=True)
    )
    remainder = total % 11
    return f"{vin[:8]}{'X' if remainder == 10 else remainder}{vin[9:]}"


def random_vin(prefix: str) -> str:
    """Return a well-formed VIN: 11-character `prefix` (check digit slot included) + serial."""
    serial = "".join(random.choices(_VIN_SERIAL_CHARS, k=6))
    return vin_with_check_digit(prefix + serial)


def compass(heading: float) -> str:
    """Return the 8-point compass direction for a heading in degrees."""
    points = ("N", "NE", "E", "SE", "S", "SW", "W", "NW")
    return points[round(heading % 360 / 45) % 8]


@dataclass(frozen=True, slots=True)
class Place:
    """A parking spot in the Gothenburg area."""

    latitude: float
    longitude: float
    heading: float


@dataclass(frozen=True, slots=True)
class VehicleTemplate:
    """A car model the simulator can instantiate."""

    key: str
    model: str
    year: int
    powertrain: str
    vin_prefix: str
    build: Callable[[datetime, str], dict[str, SignalRecord]]
    range_per_percent: float | None = None
    charging_watts: float | None = None
    make: str = "VOLVO"


def _record(
    code: str, body: dict[str, Any], at: datetime, error: SignalError | None = None
) -> SignalRecord:
    return SignalRecord.known(code, body, at, error)


def _common(
    now: datetime,
    vin: str,
    *,
    place: Place,
    odometer: float,
    distance_unit: str,
    locked: bool,
    open_windows: frozenset[tuple[int, int]] = frozenset(),
) -> list[SignalRecord]:
    parked = now - timedelta(minutes=45)
    return [
        _record(DOORS, grid(locked=locked), now - timedelta(minutes=20)),
        _record(WINDOWS, grid(locked=None, open_at=open_windows), parked),
        _record(IS_LOCKED, {"value": locked}, now - timedelta(minutes=20)),
        _record(
            "location-preciselocation",
            {
                "latitude": place.latitude,
                "longitude": place.longitude,
                "heading": place.heading,
                "direction": compass(place.heading),
                "locationType": "LAST_PARKED",
            },
            parked,
        ),
        _record(
            "odometer-traveleddistance",
            {"value": odometer, "unit": distance_unit},
            parked,
        ),
        _record(VIN_CODE, {"value": vin}, now - timedelta(days=30)),
    ]


def _limits(limit: int, *, plugged: bool) -> dict[str, Any]:
    return {
        "values": [{"type": "GLOBAL", "limit": limit, "condition": None}],
        "activeLimit": limit if plugged else None,
        "unit": "percent",
    }


def _charge(
    now: datetime,
    *,
    plugged: bool,
    charging: bool,
    limit: int,
    watts: int,
    minutes: int,
    minutes_unit: str | None,
) -> list[SignalRecord]:
    stale = now - timedelta(days=3)
    fresh = now if charging else now - timedelta(hours=2)
    time_body: dict[str, Any] = {"value": minutes}
    if minutes_unit:
        time_body["unit"] = minutes_unit
    error = None if charging else not_charging_error()
    return [
        _record("charge-ischargingcableconnected", {"value": plugged}, fresh),
        _record("charge-ischarging", {"value": charging}, fresh),
        _record(
            "charge-detailedchargingstatus",
            {"value": "CHARGING" if charging else "NOT_CHARGING"},
            fresh,
        ),
        _record("charge-chargingconnectortype", {"value": "TYPE_2"}, stale),
        _record("charge-chargetimers", {"values": []}, stale),
        _record("charge-chargelimits", _limits(limit, plugged=plugged), fresh),
        _record(
            "charge-timetocomplete", time_body, fresh if charging else stale, error
        ),
        _record(
            "charge-wattage",
            {"value": watts, "unit": "watts"},
            fresh if charging else stale,
            error,
        ),
    ]


def _battery(
    now: datetime,
    *,
    soc: float,
    range_body: dict[str, Any],
    capacity: float,
    capacities: list[tuple[float, str]],
) -> list[SignalRecord]:
    return [
        _record(
            "tractionbattery-stateofcharge", {"value": soc, "unit": "percent"}, now
        ),
        _record("tractionbattery-range", range_body, now),
        _record(
            "tractionbattery-nominalcapacity",
            {
                "capacity": capacity,
                "unit": "kWh",
                "source": "SMARTCAR",
                "availableCapacities": [
                    {"capacity": size, "description": text} for size, text in capacities
                ],
            },
            now - timedelta(days=30),
        ),
    ]


def _fuel(
    now: datetime,
    *,
    amount: float,
    amount_unit: str,
    level: float,
    fuel_range: float,
    range_unit: str,
) -> list[SignalRecord]:
    at = now - timedelta(minutes=45)
    return [
        _record(
            "internalcombustionengine-amountremaining",
            {"value": amount, "unit": amount_unit},
            at,
        ),
        _record(
            "internalcombustionengine-fuellevel",
            {"value": level, "unit": "percent"},
            at,
        ),
        _record(
            "internalcombustionengine-range",
            {"value": fuel_range, "unit": range_unit},
            at,
        ),
    ]


def _ordered(records: list[SignalRecord]) -> dict[str, SignalRecord]:
    order = list(CATALOGUE)
    return {
        record.code: record
        for record in sorted(records, key=lambda record: order.index(record.code))
    }


def build_ex30(now: datetime, vin: str) -> dict[str, SignalRecord]:
    """EX30 (BEV): plugged in, charging at 11 kW from 45 % to 80 %; observed unit spellings."""
    return _ordered(
        [
            *_charge(
                now,
                plugged=True,
                charging=True,
                limit=80,
                watts=11_000,
                minutes=132,
                minutes_unit=None,
            ),
            *_battery(
                now,
                soc=45,
                range_body={
                    "value": 214,
                    "unit": "km",
                    "type": "DEFAULT",
                    "additionalValues": [],
                },
                capacity=69,
                capacities=[(51, "BEV:Single Motor"), (69, "BEV:Extended Range")],
            ),
            *_common(
                now,
                vin,
                place=Place(57.7196, 11.7805, 270),
                odometer=8412,
                distance_unit="km",
                locked=True,
            ),
        ]
    )


def build_xc60(now: datetime, vin: str) -> dict[str, SignalRecord]:
    """XC60 Recharge T6 (PHEV): parked and plugged but not charging; doc unit spellings."""
    return _ordered(
        [
            *_charge(
                now,
                plugged=True,
                charging=False,
                limit=90,
                watts=3_700,
                minutes=35,
                minutes_unit="minutes",
            ),
            *_battery(
                now,
                soc=62,
                range_body={
                    "value": 48,
                    "unit": "kilometers",
                    "type": "ESTIMATED",
                    "additionalValues": [{"type": "IDEAL_CONDITIONS", "value": 56}],
                },
                capacity=18.8,
                capacities=[(18.8, "PHEV:T6 Recharge")],
            ),
            *_fuel(
                now,
                amount=41.2,
                amount_unit="liters",
                level=58,
                fuel_range=560,
                range_unit="kilometers",
            ),
            *_common(
                now,
                vin,
                place=Place(57.7069, 11.9387, 90),
                odometer=31_250,
                distance_unit="kilometers",
                locked=True,
            ),
        ]
    )


def build_xc90(now: datetime, vin: str) -> dict[str, SignalRecord]:
    """XC90 B5 (ICE, US car): unlocked, rear-left window open; US units."""
    return _ordered(
        [
            *_fuel(
                now,
                amount=9.4,
                amount_unit="gallons",
                level=50,
                fuel_range=235,
                range_unit="miles",
            ),
            *_common(
                now,
                vin,
                place=Place(57.6995, 11.9750, 180),
                odometer=24_870,
                distance_unit="miles",
                locked=False,
                open_windows=frozenset({(1, 0)}),
            ),
        ]
    )


def build_xc40(now: datetime, vin: str) -> dict[str, SignalRecord]:
    """XC40 Recharge (BEV): unplugged at 62 %, locked; observed unit spellings."""
    return _ordered(
        [
            *_charge(
                now,
                plugged=False,
                charging=False,
                limit=90,
                watts=11_000,
                minutes=180,
                minutes_unit=None,
            ),
            *_battery(
                now,
                soc=62,
                range_body={
                    "value": 260,
                    "unit": "km",
                    "type": "DEFAULT",
                    "additionalValues": [],
                },
                capacity=82,
                capacities=[(69, "BEV:Single Motor"), (82, "BEV:Twin Motor")],
            ),
            *_common(
                now,
                vin,
                place=Place(57.6554, 12.0138, 45),
                odometer=19_960,
                distance_unit="km",
                locked=True,
            ),
        ]
    )


TEMPLATES: dict[str, VehicleTemplate] = {
    "EX30": VehicleTemplate(
        "EX30", "EX30", 2025, "BEV", "LYVXFEDA0SL", build_ex30, 4.76, 11_000
    ),
    "XC60": VehicleTemplate(
        "XC60", "XC60 Recharge", 2024, "PHEV", "YV4H60DL0R1", build_xc60, 0.78
    ),
    "XC90": VehicleTemplate("XC90", "XC90", 2023, "ICE", "YV4062PE0P1", build_xc90),
    "XC40": VehicleTemplate(
        "XC40", "XC40 Recharge", 2024, "BEV", "YV1XZEFV0R2", build_xc40, 4.2
    ),
}
"""Model templates by key, usable with `Simulator.add_vehicle`."""


def instantiate(
    template: VehicleTemplate,
    account_email: str,
    now: datetime,
    *,
    vehicle_id: str,
    vin: str | None = None,
) -> Vehicle:
    """Create a vehicle from a template, starting its charge if the template charges."""
    vin = vin or random_vin(template.vin_prefix)
    signals = template.build(now, vin)
    vehicle = Vehicle(
        id=vehicle_id,
        account_email=account_email.strip().lower(),
        make=template.make,
        model=template.model,
        year=template.year,
        powertrain=template.powertrain,
        vin=vin,
        signals=signals,
        range_per_percent=template.range_per_percent,
    )
    if template.charging_watts:
        vehicle.charge_session = ChargeSession(
            started_at=now,
            start_soc=state_of_charge(vehicle),
            watts=template.charging_watts,
            capacity_kwh=float(
                vehicle.body("tractionbattery-nominalcapacity")["capacity"]
            ),
            limit=charge_limit(vehicle),
        )
    return vehicle


def build_demo_world(now: datetime) -> World:
    """Return the demo world: three accounts, four Volvos, no connections yet."""
    world = World()
    for email, user_id in (
        (OWNER_EMAIL, OWNER_USER_ID),
        (SECOND_EMAIL, SECOND_USER_ID),
        (NO_VEHICLES_EMAIL, NO_VEHICLES_USER_ID),
    ):
        world.account(email).user_id = user_id
    for key, email, vehicle_id, vin in (
        ("EX30", OWNER_EMAIL, EX30_ID, EX30_VIN),
        ("XC60", OWNER_EMAIL, XC60_ID, XC60_VIN),
        ("XC90", OWNER_EMAIL, XC90_ID, XC90_VIN),
        ("XC40", SECOND_EMAIL, XC40_ID, XC40_VIN),
    ):
        world.add_vehicle(
            instantiate(TEMPLATES[key], email, now, vehicle_id=vehicle_id, vin=vin)
        )
    return world
