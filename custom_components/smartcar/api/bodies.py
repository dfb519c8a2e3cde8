"""What each signal body reads into: its units, small frozen dataclasses, one per body shape.

The record lists (Charge.ChargeRecords, Service.Records) are kept as they came (cleaned); their
typed views name the fields the reference documents and leave everything else out, coordinates
included.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol

from .parsing import as_bool, as_float, as_list, as_mapping, as_str, parse_timestamp


class Unit(StrEnum):
    """A unit a signal body can carry."""

    KILOMETERS = "km"
    MILES = "mi"
    PERCENT = "%"
    WATTS = "W"
    KILOWATTS = "kW"
    KILOWATT_HOURS = "kWh"
    LITERS = "L"
    GALLONS = "gal"
    MINUTES = "min"
    KILOMETERS_PER_HOUR = "km/h"
    MILES_PER_HOUR = "mph"
    AMPERES = "A"
    VOLTS = "V"
    CELSIUS = "°C"
    FAHRENHEIT = "°F"
    KILOPASCALS = "kPa"
    BAR = "bar"
    PSI = "psi"
    COUNT = "count"


@dataclass(frozen=True, slots=True)
class BooleanValue:
    """`{"value": true}`."""

    value: bool


@dataclass(frozen=True, slots=True)
class TextValue:
    """`{"value": "CHARGING"}`: an open string (unknown values are kept as they came)."""

    value: str


@dataclass(frozen=True, slots=True)
class Quantity:
    """`{"value": 57, "unit": "percent"}`; `unit` None when missing or not a known spelling."""

    value: float
    unit: Unit | None = None


@dataclass(frozen=True, slots=True)
class NominalCapacity:
    """TractionBattery.NominalCapacity (its body has `capacity`, not `value`)."""

    capacity: float
    unit: Unit | None


@dataclass(frozen=True, slots=True)
class Condition:
    """Where a charge limit or timer applies (LOCATION) or to which charging type."""

    name: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    charging_type: str | None = None


@dataclass(frozen=True, slots=True)
class ChargeLimit:
    """One charge limit and where it applies."""

    type: str
    limit: float
    condition: Condition | None = None


@dataclass(frozen=True, slots=True)
class ChargeLimits:
    """Charge.ChargeLimits: every configured limit and the one in force."""

    limits: tuple[ChargeLimit, ...]
    active_limit: float | None
    unit: Unit | None

    @property
    def global_limit(self) -> float | None:
        """The GLOBAL limit (what a set-limit command sets), if the car reports one."""
        return next((lim.limit for lim in self.limits if lim.type == "GLOBAL"), None)


@dataclass(frozen=True, slots=True)
class TimerWindow:
    """A charging window of a timer: `start`/`end` as `HH:MM:SS`, on `days`."""

    start: str | None
    end: str | None
    days: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ChargeTimer:
    """One timer configuration; LOCATION timers made by the API carry `schedule_id`."""

    type: str
    condition: Condition | None
    windows: tuple[TimerWindow, ...]
    schedule_type: str | None
    schedule_id: str | None


@dataclass(frozen=True, slots=True)
class ChargeTimers:
    """Charge.ChargeTimers."""

    timers: tuple[ChargeTimer, ...]

    @property
    def location_timers(self) -> tuple[ChargeTimer, ...]:
        """The LOCATION timers: the location-based schedules (those the API made have an id)."""
        return tuple(timer for timer in self.timers if timer.type == "LOCATION")


@dataclass(frozen=True, slots=True)
class Closure:
    """One door or window: row 0 is the front, column 0 the left."""

    row: int
    column: int
    is_open: bool | None
    is_locked: bool | None = None


@dataclass(frozen=True, slots=True)
class Closures:
    """Closure.Doors or Closure.Windows."""

    items: tuple[Closure, ...]


@dataclass(frozen=True, slots=True)
class PreciseLocation:
    """Location.PreciseLocation (for Volvo, where the car was last parked)."""

    latitude: float
    longitude: float
    heading: float | None
    direction: str | None
    location_type: str | None


@dataclass(frozen=True, slots=True)
class FlatClosure:
    """`{isOpen, isLocked?}` of a trunk, frunk, sunroof, engine cover or tailgate (null kept)."""

    is_open: bool | None
    is_locked: bool | None


@dataclass(frozen=True, slots=True)
class SystemStatus:
    """`{status: ALERT|OK, description?}` of a Diagnostics system signal."""

    status: str
    description: str | None

    @property
    def alert(self) -> bool:
        """Whether the car reports a problem with this system."""
        return self.status == "ALERT"


@dataclass(frozen=True, slots=True)
class DriveMode:
    """Transmission.DriveMode: Smartcar's canonical mode and the make's own label."""

    canonical: str
    oem_display_name: str | None


@dataclass(frozen=True, slots=True)
class TirePressure:
    """One tyre: row 0 is the front, column 0 the left; pressure always in kPa."""

    row: int
    column: int
    pressure_kpa: float


@dataclass(frozen=True, slots=True)
class Tires:
    """Wheel.Tires."""

    items: tuple[TirePressure, ...]


@dataclass(frozen=True, slots=True)
class TroubleCode:
    """One diagnostic trouble code, e.g. `P0300`."""

    code: str


@dataclass(frozen=True, slots=True)
class TroubleCodes:
    """Diagnostics.DTCList."""

    codes: tuple[TroubleCode, ...]


@dataclass(frozen=True, slots=True)
class Records:
    """A `values[]` list of objects kept as they came (ChargeRecords, Service.Records)."""

    items: tuple[Mapping[str, Any], ...]


@dataclass(frozen=True, slots=True)
class TextList:
    """A `values[]` list of strings (Packages, VehicleUserAccount.Permissions)."""

    values: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ChargeSession:
    """One charging session of Charge.ChargeRecords (energy in kWh, states of charge in %)."""

    start: datetime | None
    end: datetime | None
    energy_added: float | None
    start_state_of_charge: float | None
    end_state_of_charge: float | None
    charging_type: str | None
    public_charger: bool | None
    location_name: str | None
    currency: str | None
    energy_cost: float | None
    other_cost: float | None

    @property
    def at(self) -> datetime | None:
        """When the session ended (or started, while no end is known)."""
        return self.end or self.start

    @classmethod
    def from_json(cls, record: Mapping[str, Any]) -> ChargeSession:
        """Read `{startTime, endTime, energyAdded, cost{...}, location{name}, ...}`."""
        cost = as_mapping(record.get("cost"))
        return cls(
            start=parse_timestamp(record.get("startTime")),
            end=parse_timestamp(record.get("endTime")),
            energy_added=as_float(record.get("energyAdded")),
            start_state_of_charge=as_float(record.get("startStateOfCharge")),
            end_state_of_charge=as_float(record.get("endStateOfCharge")),
            # `chargingType` since 2026-01-28, `connectorType` before (reference 9.8).
            charging_type=as_str(record.get("chargingType"))
            or as_str(record.get("connectorType")),
            public_charger=as_bool(record.get("isPublicCharger")),
            location_name=as_str(as_mapping(record.get("location")).get("name")),
            currency=as_str(cost.get("currency")),
            energy_cost=as_float(cost.get("energyAmount")),
            other_cost=as_float(cost.get("otherAmount")),
        )


@dataclass(frozen=True, slots=True)
class ServiceVisit:
    """One entry of Service.Records: when, at what mileage, what was done, what it cost."""

    at: datetime | None
    odometer: float | None
    tasks: tuple[str, ...]
    details: tuple[str, ...]
    cost: float | None
    currency: str | None

    @classmethod
    def from_json(cls, record: Mapping[str, Any]) -> ServiceVisit:
        """Read `{time, odometer, tasks[{description}], details[{description}], cost{...}}`."""
        cost = as_mapping(record.get("cost"))
        return cls(
            at=parse_timestamp(record.get("time")),
            odometer=as_float(record.get("odometer")),
            tasks=_descriptions(record.get("tasks")),
            details=_descriptions(record.get("details")),
            cost=as_float(cost.get("amount")),
            currency=as_str(cost.get("currency")),
        )


def _descriptions(entries: Any) -> tuple[str, ...]:
    return tuple(
        text
        for entry in as_list(entries)
        if (text := as_str(as_mapping(entry).get("description")))
    )


class DatedRecord(Protocol):
    """A record with a time: a charging session or a service visit."""

    @property
    def at(self) -> datetime | None:
        """When it took place."""
        ...


def _latest[T: DatedRecord](items: Iterable[T]) -> T | None:
    dated = [(when, item) for item in items if (when := item.at) is not None]
    return max(dated, key=lambda pair: pair[0])[1] if dated else None


def last_charge_session(records: Records) -> ChargeSession | None:
    """Return the session that ended last (records without any time are skipped)."""
    return _latest(map(ChargeSession.from_json, records.items))


def last_service_visit(records: Records) -> ServiceVisit | None:
    """Return the most recent service visit (records without a time are skipped)."""
    return _latest(map(ServiceVisit.from_json, records.items))
