"""The Jaguar I-PACE's signals: the error-heavy car, as Smartcar's I-PACE deliveries were captured.

Reference O-ipace and O-ipace2 (webhooks, ~80 signals incl. errors) and section 8: every
diagnostics signal and all HVAC answer `PERMISSION` (REAUTHENTICATE) or `VEHICLE_NOT_CAPABLE`
(14 and 9 of the diagnostics), the car cannot report amperage, voltage, wattage, connectivity,
gear, drive mode, IsAtHome, a tailgate or any engine signal, ChargeTimers fails with `SERVER`/`INTERNAL` and the
12 V battery's status with `UPSTREAM` (a stale body along), tyre pressures come labelled `bar`
with kPa-scale values (listed from row 0 column 1), ChargeLimits has no entries but an active
limit, the range no `type`, the location a heading only. Parked unplugged at 76 % in Hilversum.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from .closures import DOORS, IS_LOCKED, WINDOWS, grid
from .model_signals_kit import (
    SignalSet,
    capacity_body,
    not_capable,
    permission_refused,
    server_error,
    upstream_error,
    vehicle_state,
)
from .signals import VIN_CODE, SignalRecord

LATITUDE = 52.2235
LONGITUDE = 5.1763
HEADING = 312.0

SOC = 76
RANGE_PER_PERCENT = 3.8  # km; 76 % reads 289 km

NOT_CAPABLE_DIAGNOSTICS = (
    "dtccount",
    "dtclist",
    "emissions",
    "mil",
    "oillife",
    "oilpressure",
    "oiltemperature",
    "transmission",
    "waterinfuel",
)
"""The 9 diagnostics codes the I-PACE cannot report (the other 14 answer PERMISSION)."""
PERMISSION_DIAGNOSTICS = (
    "abs",
    "activesafety",
    "airbag",
    "brakefluid",
    "driverassistance",
    "evbatteryconditioning",
    "evcharging",
    "evdriveunit",
    "evhvbattery",
    "lighting",
    "telematics",
    "tirepressure",
    "tirepressuremonitoring",
    "washerfluid",
)
NOT_CAPABLE = (
    "charge-amperage",
    "charge-voltage",
    "charge-wattage",
    "closure-tailgate",
    "connectivitystatus-isasleep",
    "connectivitystatus-isdigitalkeypaired",
    "connectivitystatus-isonline",
    "internalcombustionengine-amountremaining",
    "internalcombustionengine-fuellevel",
    "internalcombustionengine-oillife",
    "internalcombustionengine-range",
    "location-isathome",
    "transmission-drivemode",
    "transmission-gearstate",
    *(f"diagnostics-{name}" for name in NOT_CAPABLE_DIAGNOSTICS),
)
PERMISSION = (
    "hvac-cabintargettemperature",
    "hvac-iscabinhvacactive",
    "hvac-isfrontdefrosteractive",
    "hvac-isreardefrosteractive",
    "hvac-issteeringheateractive",
    "vehicleuseraccount-permissions",
    "vehicleuseraccount-role",
    *(f"diagnostics-{name}" for name in PERMISSION_DIAGNOSTICS),
)
SERVER_ERROR = "charge-chargetimers"
UPSTREAM_ERROR = "lowvoltagebattery-status"

_FETCHED = timedelta(minutes=4)


def build_ipace(now: datetime, vin: str) -> dict[str, SignalRecord]:
    """I-PACE EV400 (BEV, 2021): unplugged; 48 of its 69 signals answer errors; live shapes."""
    data = SignalSet(now, "live")
    parked = timedelta(hours=5)
    unplugged = vehicle_state(
        "CHARGING_PLUG_NOT_CONNECTED",
        "The charging cable is not connected, so this value is not current.",
    )
    last_charge = timedelta(days=2)

    for code in NOT_CAPABLE:
        data.held(code, not_capable(), _FETCHED)
    for code in PERMISSION:
        data.held(code, permission_refused(), _FETCHED)
    data.held(SERVER_ERROR, server_error(), _FETCHED)
    data.held(
        UPSTREAM_ERROR,
        upstream_error(),
        timedelta(days=3),
        stale_body={"value": "GOOD"},
    )

    data.value(
        "charge-chargelimits",
        {"values": [], "activeLimit": 100, "unit": "percent"},
        parked,
        retrieved=_FETCHED,
    )
    data.value(
        "charge-chargerate",
        {"value": 35, "unit": "km/h"},
        last_charge,
        error=unplugged,
    )
    data.value(
        "charge-detailedchargingstatus",
        {"value": "NOT_CHARGING"},
        parked,
        retrieved=_FETCHED,
    )
    data.value(
        "charge-energyadded", {"value": 0, "unit": "kWh"}, parked, retrieved=_FETCHED
    )
    data.value("charge-ischarging", {"value": False}, parked, retrieved=_FETCHED)
    data.value(
        "charge-ischargingcableconnected", {"value": False}, parked, retrieved=_FETCHED
    )
    data.value("charge-timetocomplete", {"value": 0}, last_charge, error=unplugged)

    data.value(DOORS, grid(locked=True), parked, retrieved=_FETCHED)
    data.value(WINDOWS, grid(locked=None), parked, retrieved=_FETCHED)
    data.value(IS_LOCKED, {"value": True}, parked, retrieved=_FETCHED)
    data.value("closure-enginecover", {"isOpen": False}, parked, retrieved=_FETCHED)
    data.value(
        "closure-fronttrunk",
        {"isOpen": False, "isLocked": None},
        parked,
        retrieved=_FETCHED,
    )
    data.value(
        "closure-reartrunk",
        {"isOpen": False, "isLocked": True},
        parked,
        retrieved=_FETCHED,
    )
    data.value("closure-sunroof", {"isOpen": False}, parked, retrieved=_FETCHED)

    data.value(
        "connectivitysoftware-currentfirmwareversion",
        {"value": "L8B2-71804-AAB"},
        timedelta(days=40),
        retrieved=_FETCHED,
    )
    data.value(
        "location-preciselocation",
        {"latitude": LATITUDE, "longitude": LONGITUDE, "heading": HEADING},
        parked,
        retrieved=_FETCHED,
    )
    data.value(
        "lowvoltagebattery-stateofcharge",
        {"value": 82, "unit": "percent"},
        parked,
        retrieved=_FETCHED,
    )
    data.value(
        "odometer-traveleddistance",
        {"value": 48_212, "unit": "km"},
        parked,
        retrieved=_FETCHED,
    )
    data.value(
        "tractionbattery-nominalcapacity",
        capacity_body(90, [(90, "BEV:EV400")], source="USER_SELECTED"),
        timedelta(days=60),
        retrieved=_FETCHED,
    )
    data.value(
        "tractionbattery-range",
        {"value": round(SOC * RANGE_PER_PERCENT), "unit": "km", "additionalValues": []},
        parked,
        retrieved=_FETCHED,
    )
    data.value(
        "tractionbattery-stateofcharge",
        {"value": SOC, "unit": "percent"},
        parked,
        retrieved=_FETCHED,
    )
    data.value(VIN_CODE, {"value": vin}, _FETCHED)
    # Tyres in kPa though labelled "bar", listed from the front right as captured.
    data.value(
        "wheel-tires",
        {
            "values": [
                {"row": 0, "column": 1, "tirePressure": 258},
                {"row": 0, "column": 0, "tirePressure": 260},
                {"row": 1, "column": 0, "tirePressure": 255},
                {"row": 1, "column": 1, "tirePressure": 257},
            ],
            "rowCount": 2,
            "columnCount": 2,
            "unit": "bar",
        },
        parked,
        retrieved=_FETCHED,
    )
    return data.result("code")
