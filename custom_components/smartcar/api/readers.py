"""Readers: one per body shape, each refusing what its entry cannot hold (BodyError).

A reader checks types, finite numbers, units and the plausible range its catalogue entry gives;
the caller turns a refusal into a signal read error.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Final

from .bodies import (
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
    Unit,
)
from .parsing import MAX_TEXT, as_bool, as_float, as_int, as_list, as_mapping, as_str

type Reader[B] = Callable[[Mapping[str, Any]], B]

# Lists are cut to what an attribute can show.
MAX_ITEMS: Final = 100
MAX_TIRE_KPA: Final = 1000.0

# Every unit spelling seen in the docs or live (reference 2.3), compared lower-case.
_SPELLINGS: Final[dict[str, Unit]] = {
    spelling: unit
    for unit, spellings in {
        Unit.KILOMETERS: "km|kilometer|kilometers|kilometre|kilometres",
        Unit.MILES: "mi|mile|miles",
        Unit.PERCENT: "%|percent|percentage",
        Unit.WATTS: "w|watt|watts",
        Unit.KILOWATTS: "kw|kilowatt|kilowatts",
        Unit.KILOWATT_HOURS: "kwh|kilowatt-hours|kilowatt_hours|kilowatthours",
        Unit.LITERS: "l|liter|liters|litre|litres",
        Unit.GALLONS: "gal|gallon|gallons",
        Unit.MINUTES: "min|mins|minute|minutes",
        Unit.KILOMETERS_PER_HOUR: "km/h|kph|kmh|kilometers per hour",
        Unit.MILES_PER_HOUR: "mph|mi/h|miles per hour",
        Unit.AMPERES: "a|amp|amps|ampere|amperes",
        Unit.VOLTS: "v|volt|volts",
        Unit.CELSIUS: "c|°c|celsius",
        Unit.FAHRENHEIT: "f|°f|fahrenheit",
        Unit.KILOPASCALS: "kpa|kilopascal|kilopascals",
        Unit.BAR: "bar|bars",
        Unit.PSI: "psi",
        Unit.COUNT: "count",
    }.items()
    for spelling in spellings.split("|")
}
# Live tyre pressures labelled "bar" came as 258 and 699.9: no tyre holds 20 bar, so a larger
# number is kPa whatever its label says (reference 2.3).
_MAX_PLAUSIBLE_BAR: Final = 20.0
_PSI_IN_KPA: Final = 6.894757


class BodyError(ValueError):
    """A signal body lacks what its catalogue entry needs, or holds an impossible value."""


def parse_unit(raw: str | None) -> Unit | None:
    """Return the unit a spelling names, or None for an unknown or missing one."""
    return None if raw is None else _SPELLINGS.get(raw.strip().lower())


def _require[T](value: T | None, what: str) -> T:
    if value is None:
        raise BodyError(f"missing or invalid {what}")
    return value


def _within(value: float, low: float, high: float, what: str) -> float:
    if not low <= value <= high:
        raise BodyError(f"{what} outside {low:g}..{high:g}")
    return value


def _number(body: Mapping[str, Any], key: str, low: float, high: float) -> float:
    """Return the finite number at `key`, which must lie in `low..high`."""
    return _within(_require(as_float(body.get(key)), key), low, high, key)


def _text(value: Any, what: str) -> str:
    text = _require(as_str(value), what)
    if len(text) > MAX_TEXT:
        raise BodyError(f"{what} longer than {MAX_TEXT} characters")
    return text


def _optional_text(value: Any) -> str | None:
    text = as_str(value)
    return text if text is not None and len(text) <= MAX_TEXT else None


def _values(body: Mapping[str, Any]) -> list[Any]:
    """Return the first MAX_ITEMS of the `values` list every list-like body has."""
    values = body.get("values")
    if not isinstance(values, list):
        raise BodyError("missing values")
    return values[:MAX_ITEMS]


def boolean(body: Mapping[str, Any]) -> BooleanValue:
    """Read `{"value": bool}`."""
    return BooleanValue(_require(as_bool(body.get("value")), "value"))


def text(body: Mapping[str, Any]) -> TextValue:
    """Read `{"value": str}` (an open string: unknown values are kept as they came)."""
    return TextValue(_text(body.get("value"), "value"))


def enum(body: Mapping[str, Any]) -> TextValue:
    """Read `{"value": str}` of an enum, upper-case (docs say `GREEN`, cars `green`)."""
    return TextValue(_text(body.get("value"), "value").strip().upper())


def quantity(low: float, high: float, *units: Unit) -> Reader[Quantity]:
    """Read `{value, unit}` with `value` in `low..high` and a known unit among `units`.

    A spelling the unit map does not know is kept raw (unit None); a known unit of another
    quantity (a state of charge in `km`) is refused.
    """

    def read(body: Mapping[str, Any]) -> Quantity:
        unit = parse_unit(_optional_text(body.get("unit")))
        if unit is not None and units and unit not in units:
            raise BodyError(f"unit {unit} where {', '.join(units)} belongs")
        return Quantity(_number(body, "value", low, high), unit)

    return read


def nominal_capacity(high: float) -> Reader[NominalCapacity]:
    """Read TractionBattery.NominalCapacity (its body has `capacity`, not `value`)."""

    def read(body: Mapping[str, Any]) -> NominalCapacity:
        unit = parse_unit(_optional_text(body.get("unit")))
        return NominalCapacity(_number(body, "capacity", 0, high), unit)

    return read


def _condition(value: Any) -> Condition | None:
    if not isinstance(value, Mapping):
        return None
    lat, lon = as_float(value.get("latitude")), as_float(value.get("longitude"))
    if lat is None or lon is None or abs(lat) > 90 or abs(lon) > 180:
        lat = lon = None  # both or neither, in range
    return Condition(
        name=_optional_text(value.get("name")),
        latitude=lat,
        longitude=lon,
        charging_type=_optional_text(value.get("chargingType"))
        or _optional_text(value.get("connectorType")),
    )


def charge_limits(body: Mapping[str, Any]) -> ChargeLimits:
    """Read Charge.ChargeLimits: limits 0-100 %; types upper-case (`global` and `GLOBAL`)."""
    limits = tuple(
        ChargeLimit(
            _text(entry.get("type"), "limit type").upper(),
            _number(entry, "limit", 0, 100),
            _condition(entry.get("condition")),
        )
        for entry in map(as_mapping, _values(body))
    )
    active = None
    if body.get("activeLimit") is not None:
        active = _number(body, "activeLimit", 0, 100)
    return ChargeLimits(limits, active, parse_unit(_optional_text(body.get("unit"))))


def _windows(entries: Any) -> tuple[TimerWindow, ...]:
    return tuple(
        TimerWindow(
            _optional_text(entry.get("start")),
            _optional_text(entry.get("end")),
            tuple(
                day.upper()
                for day in as_list(entry.get("days"))[:7]
                if isinstance(day, str) and len(day) <= 16
            ),
        )
        for entry in map(as_mapping, as_list(entries)[:MAX_ITEMS])
    )


def charge_timers(body: Mapping[str, Any]) -> ChargeTimers:
    """Read Charge.ChargeTimers."""
    return ChargeTimers(
        tuple(
            ChargeTimer(
                type=_text(entry.get("type"), "timer type").upper(),
                condition=_condition(entry.get("condition")),
                windows=_windows(entry.get("schedules")),
                schedule_type=_optional_text(entry.get("scheduleType")),
                schedule_id=_optional_text(entry.get("scheduleId")),
            )
            for entry in map(as_mapping, _values(body))
        )
    )


def _position(entry: Mapping[str, Any], key: str) -> int:
    return int(_within(_require(as_int(entry.get(key)), key), 0, 9, key))


def closures(body: Mapping[str, Any]) -> Closures:
    """Read Closure.Doors or Closure.Windows (a grid: index by row and column, not order)."""
    return Closures(
        tuple(
            Closure(
                _position(entry, "row"),
                _position(entry, "column"),
                as_bool(entry.get("isOpen")),
                as_bool(entry.get("isLocked")),
            )
            for entry in map(as_mapping, _values(body))
        )
    )


def tires(body: Mapping[str, Any]) -> Tires:
    """Read Wheel.Tires: pressures in kPa whatever the label says (258 "bar" is kPa).

    The label is read only where the number fits it: psi, kPa, or bar (also no label) for a
    bar-sized number.
    """
    unit = parse_unit(_optional_text(body.get("unit")))
    # Every conversion keeps the sign and never shrinks a number, so one check on the kPa
    # value refuses whatever a check on the raw number would.
    items = []
    for entry in map(as_mapping, _values(body)):
        kpa = _require(as_float(entry.get("tirePressure")), "tirePressure")
        if unit is Unit.PSI:
            kpa *= _PSI_IN_KPA
        elif unit is not Unit.KILOPASCALS and kpa <= _MAX_PLAUSIBLE_BAR:
            kpa *= 100
        _within(kpa, 0, MAX_TIRE_KPA, "tirePressure")
        items.append(
            TirePressure(_position(entry, "row"), _position(entry, "column"), kpa)
        )
    return Tires(tuple(items))


def flat_closure(body: Mapping[str, Any]) -> FlatClosure:
    """Read `{isOpen, isLocked?}` (either may be null; a body with neither is refused)."""
    if "isOpen" not in body and "isLocked" not in body:
        raise BodyError("missing isOpen and isLocked")
    return FlatClosure(as_bool(body.get("isOpen")), as_bool(body.get("isLocked")))


def system_status(body: Mapping[str, Any]) -> SystemStatus:
    """Read a Diagnostics system body `{status, description?}` (status upper-case)."""
    return SystemStatus(
        _text(body.get("status"), "status").upper(),
        _optional_text(body.get("description")),
    )


def drive_mode(body: Mapping[str, Any]) -> DriveMode:
    """Read Transmission.DriveMode `{canonical, oemDisplayName}`."""
    return DriveMode(
        _text(body.get("canonical"), "canonical").upper(),
        _optional_text(body.get("oemDisplayName")),
    )


def trouble_codes(body: Mapping[str, Any]) -> TroubleCodes:
    """Read Diagnostics.DTCList `values[{code, timestamp?}]` (entries without a code skipped)."""
    codes = (
        _optional_text(entry.get("code")) for entry in map(as_mapping, _values(body))
    )
    return TroubleCodes(tuple(TroubleCode(code) for code in codes if code))


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
        return None if number is None or abs(number) > MAX_RECORD_NUMBER else value
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


def records(body: Mapping[str, Any]) -> Records:
    """Read a `values[]` list of objects, kept as they came but cleaned (at most MAX_ITEMS)."""
    return Records(
        tuple(_clean(entry) for entry in map(as_mapping, _values(body)) if entry)
    )


def text_list(body: Mapping[str, Any]) -> TextList:
    """Read a `values[]` list of strings."""
    return TextList(
        tuple(text for value in _values(body) if (text := _optional_text(value)))
    )


def location(body: Mapping[str, Any]) -> PreciseLocation:
    """Read Location.PreciseLocation: both coordinates, in range, or neither (an error)."""
    heading = as_float(body.get("heading"))
    return PreciseLocation(
        _number(body, "latitude", -90, 90),
        _number(body, "longitude", -180, 180),
        heading if heading is not None and 0 <= heading <= 360 else None,
        _optional_text(body.get("direction")),
        _optional_text(body.get("locationType")),
    )
