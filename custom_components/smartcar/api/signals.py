"""The signal catalogue: each signal's code, what its body looks like and how to read it.

Adding a signal is one `SignalSpec` entry in `CATALOGUE`. Unknown signals are kept with their
raw body, and a body that does not parse leaves `Signal.body` None with `raw_body` intact.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, Final, cast

from .contract import GROUP_PERMISSIONS
from .errors import ErrorDetail
from .parsing import (
    as_bool,
    as_float,
    as_int,
    as_list,
    as_mapping,
    as_str,
    parse_timestamp,
)
from .units import Unit, parse_unit


class BodyError(ValueError):
    """A signal body lacks what its catalogue entry needs."""


# --- body models -------------------------------------------------------------------------------


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
    raw_unit: str | None = None


@dataclass(frozen=True, slots=True)
class BatteryRange(Quantity):
    """TractionBattery.Range: the best estimate, plus the other estimates by type."""

    range_type: str | None = None
    additional_values: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class NominalCapacity:
    """TractionBattery.NominalCapacity (its body has `capacity`, not `value`)."""

    capacity: float
    unit: Unit | None
    source: str | None
    available_capacities: tuple[tuple[float, str | None], ...] = ()


@dataclass(frozen=True, slots=True)
class Condition:
    """Where a charge limit or timer applies (LOCATION) or to which charging type."""

    name: str | None = None
    address: str | None = None
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
    departure_times: tuple[TimerWindow, ...]
    oem_optimization: bool | None
    schedule_type: str | None
    schedule_id: str | None


@dataclass(frozen=True, slots=True)
class ChargeTimers:
    """Charge.ChargeTimers."""

    timers: tuple[ChargeTimer, ...]


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
    row_count: int | None
    column_count: int | None


@dataclass(frozen=True, slots=True)
class PreciseLocation:
    """Location.PreciseLocation (for Volvo, where the car was last parked)."""

    latitude: float
    longitude: float
    heading: float | None
    direction: str | None
    location_type: str | None


# --- body readers --------------------------------------------------------------------------------


def _require[T](value: T | None, what: str) -> T:
    if value is None:
        raise BodyError(f"missing or invalid {what}")
    return value


def _values(body: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """Return the `values` list every list-like body has (its entries as objects)."""
    values = body.get("values")
    if not isinstance(values, list):
        raise BodyError("missing values")
    return [as_mapping(entry) for entry in values]


def read_boolean(body: Mapping[str, Any]) -> BooleanValue:
    """Read `{"value": bool}`."""
    return BooleanValue(_require(as_bool(body.get("value")), "value"))


def read_text(body: Mapping[str, Any]) -> TextValue:
    """Read `{"value": str}`."""
    return TextValue(_require(as_str(body.get("value")), "value"))


def read_quantity(body: Mapping[str, Any]) -> Quantity:
    """Read `{"value": number, "unit": str}`."""
    raw_unit = as_str(body.get("unit"))
    return Quantity(
        _require(as_float(body.get("value")), "value"), parse_unit(raw_unit), raw_unit
    )


def read_battery_range(body: Mapping[str, Any]) -> BatteryRange:
    """Read TractionBattery.Range."""
    base = read_quantity(body)
    additional = {
        kind: value
        for entry in as_list(body.get("additionalValues"))
        if (kind := as_str(as_mapping(entry).get("type"))) is not None
        and (value := as_float(as_mapping(entry).get("value"))) is not None
    }
    return BatteryRange(
        base.value, base.unit, base.raw_unit, as_str(body.get("type")), additional
    )


def read_nominal_capacity(body: Mapping[str, Any]) -> NominalCapacity:
    """Read TractionBattery.NominalCapacity."""
    available = tuple(
        (capacity, as_str(as_mapping(entry).get("description")))
        for entry in as_list(body.get("availableCapacities"))
        if (capacity := as_float(as_mapping(entry).get("capacity"))) is not None
    )
    return NominalCapacity(
        _require(as_float(body.get("capacity")), "capacity"),
        parse_unit(as_str(body.get("unit"))),
        as_str(body.get("source")),
        available,
    )


def _condition(value: Any) -> Condition | None:
    if not isinstance(value, Mapping):
        return None
    return Condition(
        name=as_str(value.get("name")),
        address=as_str(value.get("address")),
        latitude=as_float(value.get("latitude")),
        longitude=as_float(value.get("longitude")),
        charging_type=as_str(value.get("chargingType"))
        or as_str(value.get("connectorType")),
    )


def _upper(value: Any, what: str) -> str:
    return _require(as_str(value), what).upper()


def read_charge_limits(body: Mapping[str, Any]) -> ChargeLimits:
    """Read Charge.ChargeLimits (types compared upper-case: docs show `global`, cars `GLOBAL`)."""
    limits = tuple(
        ChargeLimit(
            _upper(entry.get("type"), "limit type"),
            _require(as_float(entry.get("limit")), "limit"),
            _condition(entry.get("condition")),
        )
        for entry in _values(body)
    )
    return ChargeLimits(
        limits, as_float(body.get("activeLimit")), parse_unit(as_str(body.get("unit")))
    )


def _windows(
    entries: Any, start_key: str, end_key: str | None
) -> tuple[TimerWindow, ...]:
    return tuple(
        TimerWindow(
            as_str(entry.get(start_key)),
            as_str(entry.get(end_key)) if end_key else None,
            tuple(
                day.upper()
                for day in as_list(entry.get("days"))
                if isinstance(day, str)
            ),
        )
        for entry in map(as_mapping, as_list(entries))
    )


def read_charge_timers(body: Mapping[str, Any]) -> ChargeTimers:
    """Read Charge.ChargeTimers."""
    return ChargeTimers(
        tuple(
            ChargeTimer(
                type=_upper(entry.get("type"), "timer type"),
                condition=_condition(entry.get("condition")),
                windows=_windows(entry.get("schedules"), "start", "end"),
                departure_times=_windows(entry.get("departureTimers"), "time", None),
                oem_optimization=as_bool(entry.get("isOEMOptimizationEnabled")),
                schedule_type=as_str(entry.get("scheduleType")),
                schedule_id=as_str(entry.get("scheduleId")),
            )
            for entry in _values(body)
        )
    )


def read_closures(body: Mapping[str, Any]) -> Closures:
    """Read Closure.Doors or Closure.Windows."""
    return Closures(
        tuple(
            Closure(
                _require(as_int(entry.get("row")), "row"),
                _require(as_int(entry.get("column")), "column"),
                as_bool(entry.get("isOpen")),
                as_bool(entry.get("isLocked")),
            )
            for entry in _values(body)
        ),
        as_int(body.get("rowCount")),
        as_int(body.get("columnCount")),
    )


def read_location(body: Mapping[str, Any]) -> PreciseLocation:
    """Read Location.PreciseLocation."""
    return PreciseLocation(
        _require(as_float(body.get("latitude")), "latitude"),
        _require(as_float(body.get("longitude")), "longitude"),
        as_float(body.get("heading")),
        as_str(body.get("direction")),
        as_str(body.get("locationType")),
    )


# --- the catalogue -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SignalSpec[B]:
    """A known signal: its code, group and name, and how its body reads into `B`."""

    code: str
    group: str
    name: str
    read: Callable[[Mapping[str, Any]], B]

    @property
    def permission(self) -> str:
        """The Smartcar permission that grants this signal."""
        return GROUP_PERMISSIONS[self.group]


def _spec[B](
    group: str, name: str, read: Callable[[Mapping[str, Any]], B]
) -> SignalSpec[B]:
    return SignalSpec(f"{group}-{name}".lower(), group, name, read)


IS_CHARGING_CABLE_CONNECTED: Final = _spec(
    "Charge", "IsChargingCableConnected", read_boolean
)
IS_CHARGING: Final = _spec("Charge", "IsCharging", read_boolean)
DETAILED_CHARGING_STATUS: Final = _spec("Charge", "DetailedChargingStatus", read_text)
CHARGING_CONNECTOR_TYPE: Final = _spec("Charge", "ChargingConnectorType", read_text)
CHARGE_TIMERS: Final = _spec("Charge", "ChargeTimers", read_charge_timers)
CHARGE_LIMITS: Final = _spec("Charge", "ChargeLimits", read_charge_limits)
TIME_TO_COMPLETE: Final = _spec("Charge", "TimeToComplete", read_quantity)
CHARGE_WATTAGE: Final = _spec("Charge", "Wattage", read_quantity)
DOORS: Final = _spec("Closure", "Doors", read_closures)
WINDOWS: Final = _spec("Closure", "Windows", read_closures)
IS_LOCKED: Final = _spec("Closure", "IsLocked", read_boolean)
FUEL_AMOUNT_REMAINING: Final = _spec(
    "InternalCombustionEngine", "AmountRemaining", read_quantity
)
FUEL_LEVEL: Final = _spec("InternalCombustionEngine", "FuelLevel", read_quantity)
FUEL_RANGE: Final = _spec("InternalCombustionEngine", "Range", read_quantity)
STATE_OF_CHARGE: Final = _spec("TractionBattery", "StateOfCharge", read_quantity)
BATTERY_RANGE: Final = _spec("TractionBattery", "Range", read_battery_range)
NOMINAL_CAPACITY: Final = _spec(
    "TractionBattery", "NominalCapacity", read_nominal_capacity
)
PRECISE_LOCATION: Final = _spec("Location", "PreciseLocation", read_location)
TRAVELED_DISTANCE: Final = _spec("Odometer", "TraveledDistance", read_quantity)
VIN: Final = _spec("VehicleIdentification", "VIN", read_text)

CATALOGUE: Final[Mapping[str, SignalSpec[Any]]] = {
    spec.code: spec
    for spec in (
        IS_CHARGING_CABLE_CONNECTED,
        IS_CHARGING,
        DETAILED_CHARGING_STATUS,
        CHARGING_CONNECTOR_TYPE,
        CHARGE_TIMERS,
        CHARGE_LIMITS,
        TIME_TO_COMPLETE,
        CHARGE_WATTAGE,
        DOORS,
        WINDOWS,
        IS_LOCKED,
        FUEL_AMOUNT_REMAINING,
        FUEL_LEVEL,
        FUEL_RANGE,
        STATE_OF_CHARGE,
        BATTERY_RANGE,
        NOMINAL_CAPACITY,
        PRECISE_LOCATION,
        TRAVELED_DISTANCE,
        VIN,
    )
}


class ChargingStatus(StrEnum):
    """Documented values of Charge.DetailedChargingStatus (others are kept as they come)."""

    CHARGING = "CHARGING"
    NOT_CHARGING = "NOT_CHARGING"
    FULLY_CHARGED = "FULLY_CHARGED"


# --- signals as received -------------------------------------------------------------------------


class SignalStatus(StrEnum):
    """A signal's `status.value`."""

    SUCCESS = "SUCCESS"
    ERROR = "ERROR"


@dataclass(frozen=True, slots=True)
class Signal:
    """One signal as received: status, error, parsed body (None if absent or unreadable)."""

    code: str
    name: str | None
    group: str | None
    status: str
    error: ErrorDetail | None
    body: object | None
    raw_body: Mapping[str, Any] | None
    oem_updated_at: datetime | None = None
    retrieved_at: datetime | None = None

    @property
    def ok(self) -> bool:
        """Whether Smartcar reports the value as current (`SUCCESS`)."""
        return self.status == SignalStatus.SUCCESS


def parse_signal(element: Mapping[str, Any]) -> Signal | None:
    """Read a signal from a REST element (`attributes`) or a webhook's flat form.

    Returns None when the element names no code at all.
    """
    attributes = as_mapping(element.get("attributes")) or element
    code = as_str(attributes.get("code")) or as_str(element.get("id"))
    if not code:
        return None
    status = as_mapping(attributes.get("status"))
    status_value = (as_str(status.get("value")) or SignalStatus.SUCCESS).upper()
    error = status.get("error")
    raw_body = attributes.get("body")
    raw_body = raw_body if isinstance(raw_body, Mapping) else None
    meta = as_mapping(element.get("meta")) or as_mapping(attributes.get("meta"))
    return Signal(
        code=code.lower(),
        name=as_str(attributes.get("name")),
        group=as_str(attributes.get("group")),
        status=status_value,
        error=ErrorDetail.from_json(error, "UNKNOWN")
        if isinstance(error, Mapping)
        else None,
        body=_read_body(code.lower(), raw_body),
        raw_body=raw_body,
        oem_updated_at=parse_timestamp(meta.get("oemUpdatedAt")),
        retrieved_at=parse_timestamp(meta.get("retrievedAt")),
    )


def _read_body(code: str, raw_body: Mapping[str, Any] | None) -> object | None:
    spec = CATALOGUE.get(code)
    if spec is None or raw_body is None:
        return None
    try:
        return cast(object, spec.read(raw_body))
    except BodyError:
        return None


def current_signal(
    spec: SignalSpec[Any], raw_body: Mapping[str, Any], at: datetime
) -> Signal:
    """Return a catalogue signal with a value known to be current at `at`."""
    return Signal(
        code=spec.code,
        name=spec.name,
        group=spec.group,
        status=SignalStatus.SUCCESS,
        error=None,
        body=spec.read(raw_body),
        raw_body=raw_body,
        oem_updated_at=at,
        retrieved_at=at,
    )


def lock_state(locked: bool, at: datetime) -> Signal:
    """Return the IsLocked signal a lock or unlock command that succeeded implies."""
    return current_signal(IS_LOCKED, {"value": locked}, at)


@dataclass(frozen=True, slots=True)
class VehicleSignals:
    """Every signal of one vehicle, by code."""

    signals: Mapping[str, Signal] = field(default_factory=dict)

    def get(self, spec: SignalSpec[Any]) -> Signal | None:
        """Return the signal of a catalogue entry, if the vehicle reported it."""
        return self.signals.get(spec.code)

    def body[B](self, spec: SignalSpec[B]) -> B | None:
        """Return the parsed body of a catalogue entry (also a stale one on ERROR), or None."""
        signal = self.signals.get(spec.code)
        return (
            cast(B, signal.body)
            if signal is not None and signal.body is not None
            else None
        )

    def updated(
        self, spec: SignalSpec[Any], raw_body: Mapping[str, Any], at: datetime
    ) -> VehicleSignals:
        """Return a copy where a catalogue signal has a new value, known to be current at `at`."""
        return self.merged((current_signal(spec, raw_body, at),))

    def merged(self, updates: Iterable[Signal]) -> VehicleSignals:
        """Return a copy with `updates` applied, except those older than what is held.

        Deliveries can arrive out of order, so a signal whose `oem_updated_at` is before the
        held one's is ignored; one without a timestamp always applies.
        """
        merged = dict(self.signals)
        for signal in updates:
            held = merged.get(signal.code)
            if (
                held is not None
                and held.oem_updated_at is not None
                and signal.oem_updated_at is not None
                and signal.oem_updated_at < held.oem_updated_at
            ):
                continue
            merged[signal.code] = signal
        return VehicleSignals(merged)

    def __contains__(self, spec: object) -> bool:
        """Whether the vehicle reported the signal of a catalogue entry."""
        return isinstance(spec, SignalSpec) and spec.code in self.signals
