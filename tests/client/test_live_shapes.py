"""The client on payload shapes seen live (reference 2.2, 2.3, 3.x), and a reader per body shape."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
import json
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web
import pytest

from custom_components.smartcar.api import (
    SmartcarClient,
    Unit,
    VehicleSignals,
    parse_signal,
    signals as sig,
)
from custom_components.smartcar.api.signals import (
    ChargeLimits,
    Closures,
    DriveMode,
    FlatClosure,
    NominalCapacity,
    PreciseLocation,
    Quantity,
    Records,
    SystemStatus,
    TextList,
    TextValue,
    Tires,
    TroubleCode,
    TroubleCodes,
)

from .fakes import Handler, StaticAuth

LIVE = json.loads(
    (Path(__file__).parent / "examples" / "live_signals.json").read_text()
)


@pytest.fixture
async def live(
    fake_smartcar: Callable[[Handler], Any], http_session: aiohttp.ClientSession
) -> VehicleSignals:
    """Return what the client reads from the live-shaped `/signals` answer."""
    settings = await fake_smartcar(lambda request: web.json_response(LIVE))
    client = SmartcarClient(http_session, StaticAuth(), settings)
    return await client.vehicle("v", "u").async_get_signals()


def _body(signals: VehicleSignals, spec: sig.SignalSpec[Any]) -> Any:
    signal = signals.get(spec)
    assert signal is not None
    return signal.body


def test_meta_beside_attributes_with_iso_times(live: VehicleSignals) -> None:
    """`meta` sits beside `attributes`; ISO times with and without milliseconds are read."""
    soc = live.get(sig.STATE_OF_CHARGE)
    assert soc is not None
    assert soc.oem_updated_at == datetime(2026, 6, 14, 9, 30, tzinfo=UTC)
    assert soc.retrieved_at == datetime(2026, 6, 14, 9, 31, 2, 123000, tzinfo=UTC)
    # A static attribute dated 0 has no time rather than 1970.
    capacity = live.get(sig.NOMINAL_CAPACITY)
    assert capacity is not None
    assert capacity.oem_updated_at is None


def test_units_as_spelled_live(live: VehicleSignals) -> None:
    """km, kilometers, percent, watts, ampere, volts, km/h and a missing unit."""
    assert _body(live, sig.STATE_OF_CHARGE) == Quantity(57, Unit.PERCENT)
    assert _body(live, sig.TRAVELED_DISTANCE) == Quantity(42506.3, Unit.KILOMETERS)
    assert _body(live, sig.FUEL_RANGE) == Quantity(410, Unit.KILOMETERS)
    assert _body(live, sig.CHARGE_WATTAGE) == Quantity(4683, Unit.WATTS)
    assert _body(live, sig.AMPERAGE) == Quantity(7, Unit.AMPERES)
    assert _body(live, sig.CHARGE_VOLTAGE) == Quantity(223, Unit.VOLTS)
    assert _body(live, sig.CHARGE_RATE).unit is Unit.KILOMETERS_PER_HOUR
    assert _body(live, sig.TIME_TO_COMPLETE) == Quantity(95, None)
    assert _body(live, sig.LOW_VOLTAGE_STATE_OF_CHARGE).value == 82


@pytest.mark.parametrize(
    ("raw", "unit"),
    [
        ("watt", Unit.WATTS),
        ("watts", Unit.WATTS),
        ("W", Unit.WATTS),
        ("kW", Unit.KILOWATTS),
    ],
)
def test_watt_spellings(raw: str, unit: Unit) -> None:
    """`watt` (ID. Buzz) and `watts` (docs, ID.7) are one unit."""
    signal = parse_signal(
        {"code": "charge-wattage", "body": {"value": 11, "unit": raw}}
    )
    assert signal is not None
    assert signal.body == Quantity(11, unit)


def test_minute_unit_of_time_to_complete() -> None:
    """`minute` (ID. Buzz) reads as minutes; a unit of another quantity is a read error."""
    minute = parse_signal(
        {"code": "charge-timetocomplete", "body": {"value": 30, "unit": "minute"}}
    )
    assert minute is not None
    assert minute.body == Quantity(30, Unit.MINUTES)
    wrong = parse_signal(
        {"code": "charge-timetocomplete", "body": {"value": 30, "unit": "km"}}
    )
    assert wrong is not None
    assert not wrong.ok
    assert wrong.body is None


def test_battery_range_with_default_in_type(live: VehicleSignals) -> None:
    """`DEFAULT` comes in `type` (docs put it under `unit`, an unknown unit); both read."""
    assert _body(live, sig.BATTERY_RANGE) == Quantity(243.5, Unit.KILOMETERS)
    docs = parse_signal(
        {
            "code": "tractionbattery-range",
            "body": {"value": 300, "unit": "DEFAULT", "additionalValues": []},
        }
    )
    assert docs is not None
    assert docs.body == Quantity(300, None)


def test_charge_limits_casing_and_charging_type(live: VehicleSignals) -> None:
    """`global` reads GLOBAL; CHARGING_TYPE (AC/DC) and the older CONNECTOR both read."""
    limits = _body(live, sig.CHARGE_LIMITS)
    assert isinstance(limits, ChargeLimits)
    assert limits.active_limit == 80
    assert [(limit.type, limit.limit) for limit in limits.limits] == [
        ("GLOBAL", 80),
        ("CHARGING_TYPE", 90),
        ("CONNECTOR", 70),
    ]
    assert [
        limit.condition.charging_type if limit.condition else None
        for limit in limits.limits
    ] == [None, "DC", "AC"]


def test_enum_casing_and_unknown_values_kept(live: VehicleSignals) -> None:
    """Enums compare upper-case (`green` is GREEN); an unexpected string is kept as it came."""
    assert _body(live, sig.CHARGE_PORT_STATUS_COLOR) == TextValue("GREEN")
    assert _body(live, sig.CHARGING_CONNECTOR_TYPE) == TextValue("invalid")
    gear = parse_signal({"code": "transmission-gearstate", "body": {"value": "sport"}})
    assert gear is not None
    assert gear.body == TextValue("SPORT")


def test_errors_without_body(live: VehicleSignals) -> None:
    """An ERROR element with only `meta.ingestedAt` keeps its error and has no body."""
    status = live.get(sig.DETAILED_CHARGING_STATUS)
    assert status is not None
    assert not status.ok
    assert status.error is not None
    assert status.error.code == "NOT_CHARGING"
    assert status.body is None
    role = live.get(sig.ACCOUNT_ROLE)
    assert role is not None
    assert role.error is not None
    assert role.error.needs_reauthentication


def test_grids_and_flat_closures(live: VehicleSignals) -> None:
    """Doors by (row, column) whatever their order; flat closures keep null as unknown."""
    doors = _body(live, sig.DOORS)
    assert isinstance(doors, Closures)
    by_place = {(door.row, door.column): door for door in doors.items}
    assert by_place[(0, 0)].is_open is True
    assert by_place[(1, 1)].is_locked is True
    assert _body(live, sig.FRONT_TRUNK) == FlatClosure(False, None)
    assert _body(live, sig.SUNROOF) == FlatClosure(None, None)
    empty = parse_signal({"code": "closure-reartrunk", "body": {}})
    assert empty is not None
    assert empty.body is None
    assert not empty.ok


def test_tire_pressures_labelled_bar_are_kpa(live: VehicleSignals) -> None:
    """258 and 699.9 "bar" are kPa; 2.7 bar is 270 kPa."""
    tires = _body(live, sig.TIRES)
    assert isinstance(tires, Tires)
    by_place = {(tire.row, tire.column): tire.pressure_kpa for tire in tires.items}
    assert by_place == pytest.approx(
        {(0, 1): 258, (0, 0): 260, (1, 0): 270, (1, 1): 699.9}
    )
    psi = parse_signal(
        {
            "code": "wheel-tires",
            "body": {
                "unit": "psi",
                "values": [{"row": 0, "column": 0, "tirePressure": 36}],
            },
        }
    )
    assert psi is not None
    assert isinstance(psi.body, Tires)
    assert psi.body.items[0].pressure_kpa == pytest.approx(248.2, abs=0.1)


def test_capacity_location_and_lists(live: VehicleSignals) -> None:
    """NominalCapacity reads `capacity`; location both coordinates; string lists."""
    assert _body(live, sig.NOMINAL_CAPACITY) == NominalCapacity(86, Unit.KILOWATT_HOURS)
    assert _body(live, sig.PRECISE_LOCATION) == PreciseLocation(
        52.0, 5.0, 270, None, "LAST_PARKED"
    )
    assert _body(live, sig.PACKAGES) == TextList(("Performance", "Pilot", "Plus"))
    assert _body(live, sig.FIRMWARE_VERSION) == TextValue("L8B2-70712-AAE")


def test_docs_shaped_bodies_without_a_live_capture() -> None:
    """Diagnostics `{status, description}`, DTCs, drive mode and records (docs shapes)."""
    bodies: dict[str, tuple[dict[str, Any], object]] = {
        "diagnostics-abs": (
            {"status": "alert", "description": "Service soon"},
            SystemStatus("ALERT", "Service soon"),
        ),
        "diagnostics-dtclist": (
            {
                "values": [
                    {"code": "P0300", "timestamp": "2026-06-01T00:00:00Z"},
                    {"x": 1},
                ]
            },
            TroubleCodes((TroubleCode("P0300"),)),
        ),
        "diagnostics-dtccount": (
            {"value": 1, "unit": "count"},
            Quantity(1, Unit.COUNT),
        ),
        "transmission-drivemode": (
            {"canonical": "normal", "oemDisplayName": "everyday"},
            DriveMode("NORMAL", "everyday"),
        ),
        "service-records": (
            {"values": [{"id": "s1", "odometer": 1200}]},
            Records(({"id": "s1", "odometer": 1200},)),
        ),
        "vehicleuseraccount-permissions": (
            {"values": ["vehicle_cmds", 3, "vehicle_device_data"]},
            TextList(("vehicle_cmds", "vehicle_device_data")),
        ),
    }
    for code, (body, expected) in bodies.items():
        signal = parse_signal({"code": code, "body": body})
        assert signal is not None
        assert signal.body == expected, code
    assert SystemStatus("ALERT", None).alert
    assert not SystemStatus("OK", None).alert


def test_webhook_flat_form_with_epoch_milliseconds() -> None:
    """A webhook signal is flat (no `attributes`) with epoch-millisecond times."""
    signal = parse_signal(
        {
            "code": "tractionbattery-stateofcharge",
            "name": "StateOfCharge",
            "group": "TractionBattery",
            "body": {"value": 80, "unit": "percent"},
            "status": {"value": "SUCCESS"},
            "meta": {"oemUpdatedAt": 1781430600000, "retrievedAt": 1781430660000},
        },
        received_at=datetime(2026, 6, 14, 12, tzinfo=UTC),
    )
    assert signal is not None
    assert signal.body == Quantity(80, Unit.PERCENT)
    assert signal.oem_updated_at == datetime(2026, 6, 14, 9, 50, tzinfo=UTC)


def test_catalogue_covers_every_group_of_the_reference() -> None:
    """93 entries in 19 groups, codes `group-name` lower-case, each with a permission."""
    counts: dict[str, int] = {}
    for code, spec in sig.CATALOGUE.items():
        assert code == f"{spec.group}-{spec.name}".lower()
        assert spec.permission.startswith("read_")
        counts[spec.group] = counts.get(spec.group, 0) + 1
    assert counts == {
        "Charge": 21,
        "Climate": 2,
        "Closure": 8,
        "ConnectivitySoftware": 1,
        "ConnectivityStatus": 3,
        "Diagnostics": 23,
        "HVAC": 5,
        "InternalCombustionEngine": 4,
        "Location": 2,
        "LowVoltageBattery": 2,
        "Motion": 1,
        "Odometer": 1,
        "Service": 2,
        "Surveillance": 2,
        "TractionBattery": 5,
        "Transmission": 2,
        "VehicleIdentification": 5,
        "VehicleUserAccount": 2,
        "Wheel": 2,
    }
    assert sig.VIN.permission == "read_vin"
    assert sig.OIL_LIFE.permission == "read_engine_oil"
    assert sig.CHARGE_RECORDS.permission == "read_charge_records"
