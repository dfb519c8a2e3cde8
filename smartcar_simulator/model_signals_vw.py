"""The Volkswagen ID.4's signals, shaped as Smartcar's live answer for an ID.4 was captured.

Reference O-vw4 (REST, 31 signals) with O-id7 and the changelog: elements sorted by code, REST
meta led by `ingestedAt` (alone for signals without a value), units `km`/`percent`/`watts`,
TractionBattery.Range with `type: "DEFAULT"`, ChargeLimits with `CHARGING_TYPE` entries (AC and
DC), ChargingConnectorType `"invalid"`, ChargePortStatusColor lower-case, flat closures, and
errors inside the successful list: NOT_CHARGING with stale bodies, VEHICLE_NOT_CAPABLE (with a
null sunroof body, or none), PERMISSION where the maker refuses. Values and place are this
simulator's own: parked unplugged at 64 % in Amersfoort.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from .closures import DOORS, IS_LOCKED, WINDOWS, grid
from .model_signals_kit import SignalSet, capacity_body, not_capable, permission_refused
from .signals import VIN_CODE, SignalRecord, not_charging_error

LATITUDE = 52.1561
LONGITUDE = 5.3878

SOC = 64
RANGE_PER_PERCENT = 4.19  # km; 64 % reads 268 km
LIMIT = 80

_FETCHED = timedelta(minutes=2)
"""When Smartcar last fetched the car (every current value's `retrievedAt`)."""


def build_id4(now: datetime, vin: str) -> dict[str, SignalRecord]:
    """ID.4 (BEV, 2023): unplugged, not charging, locked; live shapes, 33 signals."""
    data = SignalSet(now, "live")
    charged = timedelta(minutes=10)
    closed = timedelta(minutes=19)
    last_charge = timedelta(days=1, minutes=10)
    stale = not_charging_error()

    data.value(
        "charge-chargelimits",
        {
            "values": [
                {"type": "GLOBAL", "limit": LIMIT},
                {
                    "type": "CHARGING_TYPE",
                    "limit": LIMIT,
                    "condition": {"chargingType": "AC"},
                },
                {
                    "type": "CHARGING_TYPE",
                    "limit": 90,
                    "condition": {"chargingType": "DC"},
                },
            ],
            # As captured: the limit stays active while the cable is out.
            "activeLimit": LIMIT,
            "unit": "percent",
        },
        charged,
        retrieved=_FETCHED,
    )
    data.value(
        "charge-chargeportstatuscolor",
        {"value": "green"},
        last_charge,
        retrieved=last_charge - _FETCHED,
    )
    data.value(
        "charge-chargerate",
        {"value": 53, "unit": "km/h"},
        last_charge,
        error=stale,
        retrieved=last_charge - _FETCHED,
    )
    data.value(
        "charge-chargingconnectortype",
        {"value": "invalid"},
        charged,
        retrieved=_FETCHED,
    )
    data.value(
        "charge-detailedchargingstatus",
        {"value": "NOT_CHARGING"},
        charged,
        retrieved=_FETCHED,
    )
    for code in (
        "charge-ischarging",
        "charge-ischargingcableconnected",
        "charge-ischargingcablelatched",
    ):
        data.value(code, {"value": False}, charged, retrieved=_FETCHED)
    data.value(
        "charge-timetocomplete",
        {"value": 5},
        last_charge,
        error=stale,
        retrieved=last_charge - _FETCHED,
    )
    data.value(
        "charge-wattage",
        {"value": 8000, "unit": "watts"},
        last_charge,
        error=stale,
        retrieved=last_charge - _FETCHED,
    )

    data.value(DOORS, grid(locked=True), closed, retrieved=_FETCHED)
    data.value("closure-enginecover", {"isOpen": False}, closed, retrieved=_FETCHED)
    data.held("closure-fronttrunk", permission_refused(), timedelta(days=105))
    data.value(IS_LOCKED, {"value": True}, closed, retrieved=_FETCHED)
    data.value(
        "closure-reartrunk",
        {"isOpen": False, "isLocked": True},
        closed,
        retrieved=_FETCHED,
    )
    data.held(
        "closure-sunroof",
        not_capable(),
        timedelta(days=26),
        stale_body={"isOpen": None},
    )
    data.value(WINDOWS, grid(locked=None), closed, retrieved=_FETCHED)

    for code in (
        "connectivitysoftware-currentfirmwareversion",
        "connectivitystatus-isasleep",
        "connectivitystatus-isdigitalkeypaired",
        "connectivitystatus-isonline",
        "internalcombustionengine-amountremaining",
        "internalcombustionengine-fuellevel",
        "vehicleidentification-nickname",
        "vehicleuseraccount-permissions",
        "vehicleuseraccount-role",
    ):
        data.held(code, not_capable(), _FETCHED)
    data.held("internalcombustionengine-range", permission_refused(), _FETCHED)

    data.value(
        "location-preciselocation",
        {"latitude": LATITUDE, "longitude": LONGITUDE, "locationType": "LAST_PARKED"},
        closed,
        retrieved=_FETCHED,
    )
    data.value(
        "odometer-traveleddistance",
        {"value": 41_327, "unit": "km"},
        closed,
        retrieved=_FETCHED,
    )
    data.value(
        "tractionbattery-nominalcapacity",
        capacity_body(77, [(52, "BEV:Pure"), (77, "BEV:Pro")]),
        timedelta(days=30),
        retrieved=_FETCHED,
    )
    data.value(
        "tractionbattery-range",
        {
            "value": round(SOC * RANGE_PER_PERCENT),
            "type": "DEFAULT",
            "additionalValues": [],
            "unit": "km",
        },
        charged,
        retrieved=_FETCHED,
    )
    data.value(
        "tractionbattery-stateofcharge",
        {"value": SOC, "unit": "percent"},
        charged,
        retrieved=_FETCHED,
    )
    data.value(VIN_CODE, {"value": vin}, _FETCHED)
    return data.result("code")
