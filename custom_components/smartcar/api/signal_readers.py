"""Readers: one per body shape, each refusing what its entry cannot hold (BodyError).

A reader checks types, finite numbers, units and the plausible range its catalogue entry gives;
the caller turns a refusal into a signal read error.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Final

from .parsing import (
    as_bool,
    as_float,
    as_int,
    as_latitude,
    as_list,
    as_longitude,
    as_mapping,
    as_str,
)
from .signal_bodies import (
    BatteryRange,
    BooleanValue,
    ChargeLimit,
    ChargeLimits,
    ChargeTimer,
    ChargeTimers,
    Closure,
    Closures,
    Condition,
    DriveMode,
    FlatClosure,
    NominalCapacity,
    PreciseLocation,
    Quantity,
    Records,
    SystemStatus,
    TextList,
    TextValue,
    TimerWindow,
    TirePressure,
    Tires,
    TroubleCode,
    TroubleCodes,
)
from .units import Unit, parse_unit, tire_pressure_kpa

type Reader[B] = Callable[[Mapping[str, Any]], B]

# A Home Assistant state holds 255 characters; lists are cut to what an attribute can show.
MAX_TEXT: Final = 255
MAX_ITEMS: Final = 100
MAX_TIRE_KPA: Final = 1000.0


class BodyError(ValueError):
    """A signal body lacks what its catalogue entry needs, or holds an impossible value."""


def _require[T](value: T | None, what: str) -> T:
    if value is None:
        raise BodyError(f"missing or invalid {what}")
    return value


def _within(value: float, low: float, high: float, what: str) -> float:
    if not low <= value <= high:
        raise BodyError(f"{what} outside {low:g}..{high:g}")
    return value


def _text(value: Any, what: str) -> str:
    text = _require(as_str(value), what)
    if len(text) > MAX_TEXT:
        raise BodyError(f"{what} longer than {MAX_TEXT} characters")
    return text


def _optional_text(value: Any) -> str | None:
    text = as_str(value)
    return text if text is not None and len(text) <= MAX_TEXT else None


def _raw_values(body: Mapping[str, Any]) -> list[Any]:
    """Return the first MAX_ITEMS of the `values` list every list-like body has."""
    values = body.get("values")
    if not isinstance(values, list):
        raise BodyError("missing values")
    return values[:MAX_ITEMS]


def _values(body: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """Return the `values` list every list-like body has (its entries as objects)."""
    return [as_mapping(entry) for entry in _raw_values(body)]


def read_boolean(body: Mapping[str, Any]) -> BooleanValue:
    """Read `{"value": bool}`."""
    return BooleanValue(_require(as_bool(body.get("value")), "value"))


def read_text(body: Mapping[str, Any]) -> TextValue:
    """Read `{"value": str}` (an open string: unknown values are kept as they came)."""
    return TextValue(_text(body.get("value"), "value"))


def read_enum(body: Mapping[str, Any]) -> TextValue:
    """Read `{"value": str}` of an enum, upper-case (docs say `GREEN`, cars `green`)."""
    return TextValue(_text(body.get("value"), "value").strip().upper())


def quantity(low: float, high: float, *units: Unit) -> Reader[Quantity]:
    """Read `{value, unit}` with `value` in `low..high` and a known unit among `units`.

    A spelling the unit map does not know is kept raw (unit None); a known unit of another
    quantity (a state of charge in `km`) is refused.
    """

    def read(body: Mapping[str, Any]) -> Quantity:
        raw_unit = _optional_text(body.get("unit"))
        unit = parse_unit(raw_unit)
        if unit is not None and units and unit not in units:
            raise BodyError(f"unit {unit} where {', '.join(units)} belongs")
        value = _within(
            _require(as_float(body.get("value")), "value"), low, high, "value"
        )
        return Quantity(value, unit, raw_unit)

    return read


def battery_range(low: float, high: float, *units: Unit) -> Reader[BatteryRange]:
    """Read TractionBattery.Range: `type` (live `DEFAULT`) and `additionalValues` by type.

    The docs put `DEFAULT` under `unit`; such a unit reads as unknown, never as an error.
    """
    read_base = quantity(low, high, *units)

    def read(body: Mapping[str, Any]) -> BatteryRange:
        base = read_base(body)
        additional = {
            kind: value
            for entry in map(
                as_mapping, as_list(body.get("additionalValues"))[:MAX_ITEMS]
            )
            if (kind := _optional_text(entry.get("type"))) is not None
            and (value := as_float(entry.get("value"))) is not None
            and low <= value <= high
        }
        return BatteryRange(
            base.value,
            base.unit,
            base.raw_unit,
            _optional_text(body.get("type")),
            additional,
        )

    return read


def nominal_capacity(high: float) -> Reader[NominalCapacity]:
    """Read TractionBattery.NominalCapacity (its body has `capacity`, not `value`)."""

    def read(body: Mapping[str, Any]) -> NominalCapacity:
        available = tuple(
            (capacity, _optional_text(entry.get("description")))
            for entry in map(
                as_mapping, as_list(body.get("availableCapacities"))[:MAX_ITEMS]
            )
            if (capacity := as_float(entry.get("capacity"))) is not None
            and 0 < capacity <= high
        )
        capacity = _require(as_float(body.get("capacity")), "capacity")
        return NominalCapacity(
            _within(capacity, 0, high, "capacity"),
            parse_unit(_optional_text(body.get("unit"))),
            _optional_text(body.get("source")),
            available,
        )

    return read


def _condition(value: Any) -> Condition | None:
    if not isinstance(value, Mapping):
        return None
    latitude = as_latitude(value.get("latitude"))
    longitude = as_longitude(value.get("longitude"))
    if latitude is None or longitude is None:
        latitude = longitude = None  # both or neither
    return Condition(
        name=_optional_text(value.get("name")),
        address=_optional_text(value.get("address")),
        latitude=latitude,
        longitude=longitude,
        charging_type=_optional_text(value.get("chargingType"))
        or _optional_text(value.get("connectorType")),
    )


def _upper(value: Any, what: str) -> str:
    return _text(value, what).upper()


def read_charge_limits(body: Mapping[str, Any]) -> ChargeLimits:
    """Read Charge.ChargeLimits: limits 0-100 %; types upper-case (`global` and `GLOBAL`)."""
    limits = tuple(
        ChargeLimit(
            _upper(entry.get("type"), "limit type"),
            _within(_require(as_float(entry.get("limit")), "limit"), 0, 100, "limit"),
            _condition(entry.get("condition")),
        )
        for entry in _values(body)
    )
    active = as_float(body.get("activeLimit"))
    if body.get("activeLimit") is not None:
        active = _within(_require(active, "activeLimit"), 0, 100, "activeLimit")
    return ChargeLimits(limits, active, parse_unit(_optional_text(body.get("unit"))))


def _windows(
    entries: Any, start_key: str, end_key: str | None
) -> tuple[TimerWindow, ...]:
    return tuple(
        TimerWindow(
            _optional_text(entry.get(start_key)),
            _optional_text(entry.get(end_key)) if end_key else None,
            tuple(
                day.upper()
                for day in as_list(entry.get("days"))[:7]
                if isinstance(day, str) and len(day) <= 16
            ),
        )
        for entry in map(as_mapping, as_list(entries)[:MAX_ITEMS])
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
                schedule_type=_optional_text(entry.get("scheduleType")),
                schedule_id=_optional_text(entry.get("scheduleId")),
            )
            for entry in _values(body)
        )
    )


def _position(entry: Mapping[str, Any], key: str) -> int:
    return int(_within(_require(as_int(entry.get(key)), key), 0, 9, key))


def read_closures(body: Mapping[str, Any]) -> Closures:
    """Read Closure.Doors or Closure.Windows (a grid: index by row and column, not order)."""
    return Closures(
        tuple(
            Closure(
                _position(entry, "row"),
                _position(entry, "column"),
                as_bool(entry.get("isOpen")),
                as_bool(entry.get("isLocked")),
            )
            for entry in _values(body)
        ),
        as_int(body.get("rowCount")),
        as_int(body.get("columnCount")),
    )


def read_tires(body: Mapping[str, Any]) -> Tires:
    """Read Wheel.Tires: pressures in kPa whatever the label says (258 "bar" is kPa)."""
    unit = parse_unit(_optional_text(body.get("unit")))
    items = []
    for entry in _values(body):
        pressure = _require(as_float(entry.get("tirePressure")), "tirePressure")
        # Every conversion keeps the sign and never shrinks a number, so one check on the
        # kPa value refuses whatever a check on the raw number would.
        kpa = tire_pressure_kpa(pressure, unit)
        items.append(
            TirePressure(
                _position(entry, "row"),
                _position(entry, "column"),
                _within(kpa, 0, MAX_TIRE_KPA, "tirePressure"),
            )
        )
    return Tires(
        tuple(items), as_int(body.get("rowCount")), as_int(body.get("columnCount"))
    )


def read_flat_closure(body: Mapping[str, Any]) -> FlatClosure:
    """Read `{isOpen, isLocked?}` (either may be null; a body with neither is refused)."""
    if "isOpen" not in body and "isLocked" not in body:
        raise BodyError("missing isOpen and isLocked")
    return FlatClosure(as_bool(body.get("isOpen")), as_bool(body.get("isLocked")))


def read_system_status(body: Mapping[str, Any]) -> SystemStatus:
    """Read a Diagnostics system body `{status, description?}` (status upper-case)."""
    return SystemStatus(
        _upper(body.get("status"), "status"), _optional_text(body.get("description"))
    )


def read_drive_mode(body: Mapping[str, Any]) -> DriveMode:
    """Read Transmission.DriveMode `{canonical, oemDisplayName}`."""
    return DriveMode(
        _upper(body.get("canonical"), "canonical"),
        _optional_text(body.get("oemDisplayName")),
    )


def read_trouble_codes(body: Mapping[str, Any]) -> TroubleCodes:
    """Read Diagnostics.DTCList `values[{code, timestamp?}]` (entries without a code skipped)."""
    return TroubleCodes(
        tuple(
            TroubleCode(code, _optional_text(entry.get("timestamp")))
            for entry in _values(body)
            if (code := _optional_text(entry.get("code")))
        )
    )


# Records are kept as they came, cleaned: finite numbers of plausible size, short texts, and
# no deeper than a record of lists of objects.
MAX_RECORD_NUMBER: Final = 1e15
MAX_RECORD_DEPTH: Final = 4
MAX_RECORD_KEYS: Final = 50


def _clean(value: Any, depth: int = 0) -> Any:
    """Return JSON `value` with impossible numbers, long texts and deep nesting dropped."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        number = as_float(value)
        return (
            value if number is not None and abs(number) <= MAX_RECORD_NUMBER else None
        )
    if isinstance(value, str):
        return value[:MAX_TEXT]
    if depth >= MAX_RECORD_DEPTH:
        return None
    if isinstance(value, Mapping):
        return {
            str(key)[:MAX_TEXT]: _clean(item, depth + 1)
            for key, item in list(value.items())[:MAX_RECORD_KEYS]
        }
    if isinstance(value, list):
        return [_clean(item, depth + 1) for item in value[:MAX_ITEMS]]
    return None


def read_records(body: Mapping[str, Any]) -> Records:
    """Read a `values[]` list of objects, kept as they came but cleaned (at most MAX_ITEMS)."""
    return Records(tuple(_clean(entry) for entry in _values(body) if entry))


def read_text_list(body: Mapping[str, Any]) -> TextList:
    """Read a `values[]` list of strings."""
    return TextList(
        tuple(text for value in _raw_values(body) if (text := _optional_text(value)))
    )


def read_location(body: Mapping[str, Any]) -> PreciseLocation:
    """Read Location.PreciseLocation: both coordinates, in range, or neither (an error)."""
    latitude = _within(
        _require(as_float(body.get("latitude")), "latitude"), -90, 90, "latitude"
    )
    longitude = _within(
        _require(as_float(body.get("longitude")), "longitude"), -180, 180, "longitude"
    )
    heading = as_float(body.get("heading"))
    direction = _optional_text(body.get("direction"))
    location_type = _optional_text(body.get("locationType"))
    return PreciseLocation(
        latitude,
        longitude,
        heading if heading is not None and 0 <= heading <= 360 else None,
        direction,
        location_type,
    )
