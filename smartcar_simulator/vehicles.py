"""The demo fleet: model templates, demo accounts and stable ids.

Three Volvo accounts (the owner's EX30, XC60 and XC90, a second owner's XC40, one without
vehicles) and an account holding other makes: a Tesla Model Y, a Volkswagen ID.4 and a
Jaguar I-PACE, each with the signal set and body shapes the reference records for its make.
Every car's home time zone is US Pacific (the tests' and benchmarks' zone), except the second
owner's XC40, an EU car (Europe/Stockholm).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
import random
from zoneinfo import ZoneInfo

from . import (
    model_signals_jaguar as jaguar,
    model_signals_tesla as tesla,
    model_signals_vw as vw,
)
from .charging import charge_limit, state_of_charge
from .endpoints import SET_DESTINATION
from .model_signals import build_ex30, build_xc40, build_xc60, build_xc90
from .model_signals_jaguar import build_ipace
from .model_signals_tesla import build_model_y, prepare_model_y
from .model_signals_vw import build_id4
from .signals import SignalRecord
from .state import ALL_SCHEDULE_TYPES, ChargeSession, Vehicle, World

DEMO_PASSWORD = "demo"
OWNER_EMAIL = "owner@example.com"
SECOND_EMAIL = "second@example.com"
NO_VEHICLES_EMAIL = "novehicles@example.com"
OTHER_MAKES_EMAIL = "makes@example.com"

OWNER_USER_ID = "0b6f6d7e-3c1a-4f5e-9d2b-7a8c9e0f1a2b"
SECOND_USER_ID = "1c7a7e8f-4d2b-4a6f-8e3c-8b9d0f1a2b3c"
NO_VEHICLES_USER_ID = "2d8b8f9a-5e3c-4b7a-9f4d-9cae1a2b3c4d"
OTHER_MAKES_USER_ID = "3e9c9a0b-6f4d-4c8b-a05e-0dbf2b3c4d5e"

EX30_ID = "6a1e2f3b-7c4d-4e5f-8a6b-0c1d2e3f4a5b"
XC60_ID = "7b2f3a4c-8d5e-4f6a-9b7c-1d2e3f4a5b6c"
XC90_ID = "8c3a4b5d-9e6f-4a7b-8c8d-2e3f4a5b6c7d"
XC40_ID = "9d4b5c6e-af7a-4b8c-9d9e-3f4a5b6c7d8e"
MODEL_Y_ID = "4fad0b1c-7a5e-4d9c-b16f-1ec03c4d5e6f"
ID4_ID = "5abe1c2d-8b6f-4eab-827a-2fd14d5e6f7a"
IPACE_ID = "6bcf2d3e-9c7a-4fbc-938b-3ae25e6f7a8b"

EX30_VIN = "LYVXFEDA8SL012345"
XC60_VIN = "YV4H60DL0R1234567"
XC90_VIN = "YV4062PE9P1098765"
XC40_VIN = "YV1XZEFV8R2345678"
MODEL_Y_VIN = "7SAYGDEE9RF284613"
ID4_VIN = "WVGZZZE21PP071538"
IPACE_VIN = "SADHA2B15M1613902"

EU_HOME_ZONE = ZoneInfo("Europe/Stockholm")
"""The home time zone of the demo's EU car (the XC40); the others' is US Pacific."""

VOLVO_DEMO_EMAILS = (OWNER_EMAIL, SECOND_EMAIL, NO_VEHICLES_EMAIL)
"""The Volvo accounts (what `--connect-all` connects); OTHER_MAKES_EMAIL holds the rest."""

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
    schedule_types: frozenset[str] = ALL_SCHEDULE_TYPES
    """Charge schedule types the car takes (Smartcar: Volvo and Tesla only)."""
    prepare: Callable[[Vehicle, datetime], None] | None = None
    """Sets up what signals alone cannot hold (e.g. stored charge schedules)."""


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
    "MODEL_Y": VehicleTemplate(
        "MODEL_Y",
        "Model Y",
        2024,
        "BEV",
        "7SAYGDEE0RF",
        build_model_y,
        tesla.RANGE_PER_PERCENT,
        tesla.WATTS,
        make="TESLA",
        prepare=prepare_model_y,
    ),
    "ID4": VehicleTemplate(
        "ID4",
        "ID.4",
        2023,
        "BEV",
        "WVGZZZE20PP",
        build_id4,
        vw.RANGE_PER_PERCENT,
        make="VOLKSWAGEN",
        schedule_types=frozenset(),
    ),
    "IPACE": VehicleTemplate(
        "IPACE",
        "I-PACE",
        2021,
        "BEV",
        "SADHA2B10M1",
        build_ipace,
        jaguar.RANGE_PER_PERCENT,
        make="JAGUAR",
        schedule_types=frozenset(),
    ),
}
"""Model templates by key, usable with `Simulator.add_vehicle`."""


DESTINATION_MAKES = frozenset({"VOLKSWAGEN"})
"""Makes whose cars take a destination at Smartcar (Volkswagen US, since 2026-01-20)."""


def instantiate(
    template: VehicleTemplate,
    account_email: str,
    now: datetime,
    *,
    vehicle_id: str,
    vin: str | None = None,
) -> Vehicle:
    """Create a vehicle from a template, starting its charge if the template charges.

    As at Smartcar, a car of a make outside `DESTINATION_MAKES` answers set-destination
    "not capable"; a test about the action's own handling discards that on purpose.
    """
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
        schedule_types=template.schedule_types,
    )
    if template.make not in DESTINATION_MAKES:
        vehicle.unsupported_commands.add(SET_DESTINATION)
    if template.prepare is not None:
        template.prepare(vehicle, now)
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
    """Return the demo world: four accounts, four Volvos and three other makes, no connections."""
    world = World()
    for email, user_id in (
        (OWNER_EMAIL, OWNER_USER_ID),
        (SECOND_EMAIL, SECOND_USER_ID),
        (NO_VEHICLES_EMAIL, NO_VEHICLES_USER_ID),
        (OTHER_MAKES_EMAIL, OTHER_MAKES_USER_ID),
    ):
        world.account(email).user_id = user_id
    for key, email, vehicle_id, vin in (
        ("EX30", OWNER_EMAIL, EX30_ID, EX30_VIN),
        ("XC60", OWNER_EMAIL, XC60_ID, XC60_VIN),
        ("XC90", OWNER_EMAIL, XC90_ID, XC90_VIN),
        ("XC40", SECOND_EMAIL, XC40_ID, XC40_VIN),
        ("MODEL_Y", OTHER_MAKES_EMAIL, MODEL_Y_ID, MODEL_Y_VIN),
        ("ID4", OTHER_MAKES_EMAIL, ID4_ID, ID4_VIN),
        ("IPACE", OTHER_MAKES_EMAIL, IPACE_ID, IPACE_VIN),
    ):
        world.add_vehicle(
            instantiate(TEMPLATES[key], email, now, vehicle_id=vehicle_id, vin=vin)
        )
    world.vehicles[XC40_ID].home_zone = EU_HOME_ZONE
    return world
