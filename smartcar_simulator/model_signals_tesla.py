"""The Tesla Model Y's signals: nearly the whole catalogue, as Smartcar documents the bodies.

A US-spec Model Y Long Range (imperial units: miles, mph, °F, psi) parked and charging at its
owner's home in Amsterdam: 48 A at 240 V (11.52 kW) from 52 % to its 80 % limit, Sentry Mode
on, a low rear-left tyre (Diagnostics.TirePressure ALERT, one of its two trouble codes) and
charge timers of every kind: the car's own off-peak window and departure times, and one
location schedule each of the daily, weekly and workweek types. Its engine-only diagnostics
(oil, emissions, water in fuel) answer not capable, as an electric car's do.

Home is where Home Assistant's onboarding puts home by default (Amsterdam), so a newcomer's
"Parked location" agrees with the car's own "At home" (both Home).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from .closures import DOORS, IS_LOCKED, WINDOWS, grid
from .model_signals import compass, limits_body
from .model_signals_kit import WEEK, SignalSet, capacity_body, not_capable
from .schedules import sync_charge_timers
from .signals import DIAGNOSTIC_SYSTEMS, VIN_CODE, SignalRecord
from .state import ChargeSchedule, Vehicle

HOME_LATITUDE = 52.37312
HOME_LONGITUDE = 4.89033
HEADING = 135.0

SOC = 52
LIMIT = 80
CAPACITY_KWH = 75
AMPS = 48
VOLTS = 240
WATTS = AMPS * VOLTS  # 11 520 W
RANGE_PER_PERCENT = 2.85  # miles of estimated range per percent
MINUTES_TO_LIMIT = 110  # (80 - 52) % of 75 kWh at 11.52 kW, rounded up
MILES_PER_HOUR_CHARGED = 44  # 11.52 kW / 75 kWh = 15.36 %/h, x 2.85 mi

ALERTS = {
    "TirePressure": "Rear left tire pressure low",
    "WasherFluid": "Washer fluid low",
}
"""Diagnostics systems in ALERT (every other one is OK)."""
ENGINE_SYSTEMS = frozenset(
    {"Emissions", "OilLife", "OilPressure", "OilTemperature", "WaterInFuel"}
)
"""Diagnostics systems of a combustion engine: not capable on an electric car."""

SCHEDULE_IDS = {
    "daily": "sch_7a41c2e09b5d4f18",
    "weekly": "sch_2e9d60b4c71a4a53",
    "workweek": "sch_c05b3f7d8e214e96",
}


def _charging(data: SignalSet) -> None:
    data.value("charge-amperage", {"value": AMPS, "unit": "ampere"})
    data.value(
        "charge-amperagemax", {"value": AMPS, "unit": "ampere"}, timedelta(days=2)
    )
    data.value("charge-amperagerequested", {"value": AMPS, "unit": "ampere"})
    data.value("charge-chargelimits", limits_body(LIMIT, plugged=True))
    data.value("charge-chargeportstatuscolor", {"value": "GREEN"})
    data.value("charge-chargerate", {"value": MILES_PER_HOUR_CHARGED, "unit": "mph"})
    data.value("charge-chargerphases", {"value": 1})
    data.value("charge-chargingconnectortype", {"value": "NACS"}, timedelta(days=5))
    data.value("charge-detailedchargingstatus", {"value": "CHARGING"})
    data.value("charge-energyadded", {"value": 0, "unit": "kWh"})
    # The last fast charger the car saw (the Supercharger of its charge records).
    data.value("charge-fastchargertype", {"value": "NACS"}, timedelta(days=5))
    data.value("charge-ischarging", {"value": True})
    data.value("charge-ischargingcableconnected", {"value": True})
    data.value("charge-ischargingcablelatched", {"value": True})
    data.value("charge-ischargingportflapopen", {"value": True})
    data.value("charge-isfastchargerpresent", {"value": False})
    data.value("charge-timetocomplete", {"value": MINUTES_TO_LIMIT, "unit": "minutes"})
    data.value("charge-voltage", {"value": VOLTS, "unit": "volts"})
    data.value("charge-wattage", {"value": WATTS, "unit": "watts"})
    data.value(
        "charge-chargetimers",
        {
            "values": [
                {
                    "type": "GLOBAL",
                    "condition": None,
                    "schedules": [
                        {"start": "00:30:00", "end": "06:30:00", "days": list(WEEK)}
                    ],
                    "departureTimers": [{"time": "07:45:00", "days": list(WEEK[:5])}],
                    "isOEMOptimizationEnabled": True,
                }
            ]
        },
        timedelta(days=3),
    )
    data.value("charge-chargerecords", _charge_records(data.now), timedelta(days=1))


def _charge_records(now: datetime) -> dict[str, Any]:
    def at(days: float, hour: int, minute: int = 0) -> str:
        moment = (now - timedelta(days=days)).replace(
            hour=hour, minute=minute, second=0, microsecond=0
        )
        return moment.isoformat().replace("+00:00", "Z")

    return {
        "values": [
            {
                "id": "chg_5d0c1a7e3f",
                "cost": {"currency": "EUR", "energyAmount": 3.41, "otherAmount": 0},
                "startTime": at(2, 0, 30),
                "endTime": at(2, 3, 10),
                "location": {
                    "name": "Home",
                    "address": None,
                    "latitude": HOME_LATITUDE,
                    "longitude": HOME_LONGITUDE,
                },
                "energyAdded": 28.4,
                "chargingType": "AC",
                "isPublicCharger": False,
                "startStateOfCharge": 38,
                "endStateOfCharge": 76,
            },
            {
                "id": "chg_91b4e6d2a8",
                "cost": {"currency": "EUR", "energyAmount": 16.28, "otherAmount": 0.5},
                "startTime": at(5, 14, 5),
                "endTime": at(5, 14, 31),
                "location": {
                    "name": "Supercharger Nieuwegein",
                    "address": "Nieuwegein, Netherlands",
                    "latitude": 52.0319,
                    "longitude": 5.0944,
                },
                "energyAdded": 37.0,
                "chargingType": "DC",
                "isPublicCharger": True,
                "startStateOfCharge": 21,
                "endStateOfCharge": 70,
            },
        ]
    }


def _diagnostics(data: SignalSet) -> None:
    for system in DIAGNOSTIC_SYSTEMS:
        if system in ENGINE_SYSTEMS:
            data.held(f"diagnostics-{system.lower()}", not_capable())
            continue
        alert = ALERTS.get(system)
        body = (
            {"status": "ALERT", "description": alert}
            if alert
            else {"status": "OK", "description": None}
        )
        data.value(f"diagnostics-{system.lower()}", body, timedelta(hours=6))
    codes = [
        {"code": "C0750", "timestamp": (data.now - timedelta(days=1)).isoformat()},
        {"code": "B1C02", "timestamp": (data.now - timedelta(days=4)).isoformat()},
    ]
    data.value(
        "diagnostics-dtccount",
        {"value": len(codes), "unit": "count"},
        timedelta(hours=6),
    )
    data.value("diagnostics-dtclist", {"values": codes}, timedelta(hours=6))


def _body_and_cabin(data: SignalSet, vin: str) -> None:
    parked = timedelta(hours=3)
    data.value(DOORS, grid(locked=True), parked)
    data.value(WINDOWS, grid(locked=None), parked)
    data.value(IS_LOCKED, {"value": True}, parked)
    data.value("closure-fronttrunk", {"isOpen": False, "isLocked": True}, parked)
    data.value("closure-reartrunk", {"isOpen": False, "isLocked": True}, parked)
    # The fixed glass roof: a sunroof that never opens reports null.
    data.value("closure-sunroof", {"isOpen": None}, timedelta(days=30))
    data.value(
        "climate-externaltemperature", {"value": 46, "unit": "fahrenheit"}, parked
    )
    data.value("climate-internaltemperature", {"value": 64, "unit": "fahrenheit"})
    data.value(
        "hvac-cabintargettemperature", {"value": 70, "unit": "fahrenheit"}, parked
    )
    for name in (
        "iscabinhvacactive",
        "isfrontdefrosteractive",
        "isreardefrosteractive",
        "issteeringheateractive",
    ):
        data.value(f"hvac-{name}", {"value": False}, parked)
    data.value("surveillance-isenabled", {"value": True}, parked)
    data.value("surveillance-brand", {"value": "Sentry Mode"}, timedelta(days=30))
    data.value(
        "location-preciselocation",
        {
            "latitude": HOME_LATITUDE,
            "longitude": HOME_LONGITUDE,
            "heading": HEADING,
            "direction": compass(HEADING),
            "locationType": "CURRENT",
        },
        parked,
    )
    data.value("location-isathome", {"value": True}, parked)
    data.value("motion-currentspeed", {"value": 0, "unit": "mph"}, parked)
    data.value("transmission-gearstate", {"value": "PARK"}, parked)
    data.value(
        "transmission-drivemode",
        {"canonical": "NORMAL", "oemDisplayName": "Standard"},
        parked,
    )
    data.value(
        "odometer-traveleddistance", {"value": 18_240.6, "unit": "miles"}, parked
    )
    data.value(VIN_CODE, {"value": vin}, timedelta(days=30))


def _battery_and_car(data: SignalSet) -> None:
    static = timedelta(days=30)
    data.value("tractionbattery-stateofcharge", {"value": SOC, "unit": "percent"})
    estimated = round(SOC * RANGE_PER_PERCENT)
    data.value(
        "tractionbattery-range",
        {
            "value": estimated,
            "unit": "miles",
            "additionalValues": [
                {"type": "ESTIMATED", "value": estimated},
                {"type": "IDEAL_CONDITIONS", "value": round(SOC * 3.3)},
                {"type": "RATED", "value": round(SOC * 3.1)},
            ],
        },
    )
    data.value(
        "tractionbattery-nominalcapacity",
        capacity_body(
            CAPACITY_KWH,
            [(60, "BEV:Standard Range"), (CAPACITY_KWH, "BEV:Long Range")],
        ),
        static,
    )
    data.value("tractionbattery-isheateractive", {"value": False})
    data.value("tractionbattery-maxrangechargecounter", {"value": 3}, timedelta(days=9))
    data.value("lowvoltagebattery-stateofcharge", {"value": 92, "unit": "percent"})
    data.value("lowvoltagebattery-status", {"value": "GOOD"})
    data.value("connectivitystatus-isonline", {"value": True})
    data.value("connectivitystatus-isasleep", {"value": False})
    data.value("connectivitystatus-isdigitalkeypaired", {"value": True}, static)
    data.value(
        "connectivitysoftware-currentfirmwareversion",
        {"value": "2024.44.25"},
        timedelta(days=12),
    )
    data.value("vehicleidentification-nickname", {"value": "Stella"}, static)
    data.value(
        "vehicleidentification-exteriorcolor",
        {"value": "Pearl White Multi-Coat"},
        static,
    )
    data.value(
        "vehicleidentification-packages",
        {"values": ["Long Range", "Enhanced Autopilot", "Premium Connectivity"]},
        static,
    )
    data.value("vehicleidentification-trim", {"value": "Long Range AWD"}, static)
    data.value(
        "vehicleuseraccount-permissions",
        {
            "values": [
                "vehicle_device_data",
                "vehicle_location",
                "vehicle_cmds",
                "vehicle_charging_cmds",
            ]
        },
        static,
    )
    data.value("vehicleuseraccount-role", {"value": "Owner"}, static)
    data.value(
        "wheel-tires",
        {
            "values": [
                {"row": 0, "column": 0, "tirePressure": 42},
                {"row": 0, "column": 1, "tirePressure": 42},
                {"row": 1, "column": 0, "tirePressure": 36},
                {"row": 1, "column": 1, "tirePressure": 41},
            ],
            "rowCount": 2,
            "columnCount": 2,
            "unit": "psi",
        },
        timedelta(hours=3),
    )
    data.value("wheel-style", {"value": "20in Induction"}, static)
    data.value("service-isinservice", {"value": False}, timedelta(days=1))
    data.value("service-records", _service_records(data.now), timedelta(days=40))


def _service_records(now: datetime) -> dict[str, Any]:
    return {
        "values": [
            {
                "id": "svc_3f82a1",
                "cost": {"amount": 89.0, "currency": "EUR"},
                "time": (now - timedelta(days=41)).isoformat(),
                "tasks": [
                    {"id": "t1", "description": "Tire rotation"},
                    {"id": "t2", "description": "Cabin air filter replacement"},
                ],
                "details": [{"id": "d1", "description": "Mobile service visit"}],
                "odometer": 16_502,
            },
            {
                "id": "svc_0c19d7",
                "cost": {"amount": 0.0, "currency": "EUR"},
                "time": (now - timedelta(days=300)).isoformat(),
                "tasks": [{"id": "t1", "description": "Brake fluid check"}],
                "details": [],
                "odometer": 9_875,
            },
        ]
    }


def build_model_y(now: datetime, vin: str) -> dict[str, SignalRecord]:
    """Model Y Long Range (BEV, US spec): charging at home, docs-shaped, 87 signals."""
    data = SignalSet(now, "docs")
    _charging(data)
    _diagnostics(data)
    _body_and_cabin(data, vin)
    _battery_and_car(data)
    return data.result("catalogue")


def model_y_schedules(now: datetime) -> list[ChargeSchedule]:
    """Return the Model Y's location schedules at home: daily, weekly and workweek."""
    home = {"latitude": HOME_LATITUDE, "longitude": HOME_LONGITUDE}
    created = now - timedelta(days=20)
    return [
        ChargeSchedule(
            SCHEDULE_IDS["daily"],
            "daily",
            {"location": home, "startTime": "01:00", "stopTime": "06:00"},
            created,
        ),
        ChargeSchedule(
            SCHEDULE_IDS["weekly"],
            "weekly",
            {
                "location": home,
                "days": {
                    "saturday": {"startTime": "10:00", "stopTime": "14:00"},
                    "sunday": {"startTime": "11:00", "stopTime": "15:00"},
                },
            },
            created,
        ),
        ChargeSchedule(
            SCHEDULE_IDS["workweek"],
            "workweek",
            {
                "location": home,
                "weekdays": {"startTime": "22:00", "stopTime": "05:00"},
                "weekends": {"startTime": "23:00", "stopTime": "07:00"},
            },
            created,
        ),
    ]


def prepare_model_y(vehicle: Vehicle, now: datetime) -> None:
    """Store the Model Y's location schedules and mirror them into its ChargeTimers."""
    vehicle.schedules = model_y_schedules(now)
    timers = vehicle.signals["charge-chargetimers"]
    sync_charge_timers(vehicle, timers.oem_updated_at)
