"""Units as Smartcar spells them (`km` and `kilometers` both occur) mapped to one name each."""

from __future__ import annotations

from enum import StrEnum


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


# Every spelling seen in the docs or live (reference 2.3), compared lower-case.
_SPELLINGS: dict[str, Unit] = {
    spelling: unit
    for unit, spellings in {
        Unit.KILOMETERS: ("km", "kilometer", "kilometers", "kilometre", "kilometres"),
        Unit.MILES: ("mi", "mile", "miles"),
        Unit.PERCENT: ("%", "percent", "percentage"),
        Unit.WATTS: ("w", "watt", "watts"),
        Unit.KILOWATTS: ("kw", "kilowatt", "kilowatts"),
        Unit.KILOWATT_HOURS: (
            "kwh",
            "kilowatt-hours",
            "kilowatt_hours",
            "kilowatthours",
        ),
        Unit.LITERS: ("l", "liter", "liters", "litre", "litres"),
        Unit.GALLONS: ("gal", "gallon", "gallons"),
        Unit.MINUTES: ("min", "mins", "minute", "minutes"),
        Unit.KILOMETERS_PER_HOUR: ("km/h", "kph", "kmh", "kilometers per hour"),
        Unit.MILES_PER_HOUR: ("mph", "mi/h", "miles per hour"),
        Unit.AMPERES: ("a", "amp", "amps", "ampere", "amperes"),
        Unit.VOLTS: ("v", "volt", "volts"),
        Unit.CELSIUS: ("c", "°c", "celsius"),
        Unit.FAHRENHEIT: ("f", "°f", "fahrenheit"),
        Unit.KILOPASCALS: ("kpa", "kilopascal", "kilopascals"),
        Unit.BAR: ("bar", "bars"),
        Unit.PSI: ("psi",),
        Unit.COUNT: ("count",),
    }.items()
    for spelling in spellings
}


def parse_unit(raw: str | None) -> Unit | None:
    """Return the unit a spelling names, or None for an unknown or missing one."""
    if raw is None:
        return None
    return _SPELLINGS.get(raw.strip().lower())


# Live tyre pressures labelled "bar" came as 258 and 699.9: no tyre holds 20 bar, so a larger
# number is kPa whatever its label says (reference 2.3).
_MAX_PLAUSIBLE_BAR = 20.0
_PSI_IN_KPA = 6.894757


def tire_pressure_kpa(value: float, unit: Unit | None) -> float:
    """Return a tyre pressure in kPa, reading the label only where the number fits it."""
    if unit is Unit.PSI:
        return value * _PSI_IN_KPA
    if unit is Unit.KILOPASCALS or value > _MAX_PLAUSIBLE_BAR:
        return value
    return value * 100  # bar, or no label with a bar-sized number
