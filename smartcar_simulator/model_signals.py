"""The demo models' signals: what each Volvo reports when it is created."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from .closures import DOORS, IS_LOCKED, WINDOWS, grid
from .model_signals_kit import by_catalogue, capacity_body
from .signals import VIN_CODE, SignalError, SignalRecord, not_charging_error


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


def limits_body(limit: int, *, plugged: bool) -> dict[str, Any]:
    """Return a ChargeLimits body with one GLOBAL limit (active while plugged in)."""
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
        _record("charge-chargelimits", limits_body(limit, plugged=plugged), fresh),
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
            capacity_body(capacity, capacities),
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


def build_ex30(now: datetime, vin: str) -> dict[str, SignalRecord]:
    """EX30 (BEV): plugged in, charging at 11 kW from 45 % to 80 %; observed unit spellings."""
    return by_catalogue(
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
    return by_catalogue(
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
    return by_catalogue(
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
    return by_catalogue(
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
