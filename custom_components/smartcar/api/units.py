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
    }.items()
    for spelling in spellings
}


def parse_unit(raw: str | None) -> Unit | None:
    """Return the unit a spelling names, or None for an unknown or missing one."""
    if raw is None:
        return None
    return _SPELLINGS.get(raw.strip().lower())
