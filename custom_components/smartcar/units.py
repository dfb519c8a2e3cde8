"""Smartcar units as Home Assistant units, so Home Assistant converts them for the user."""

from __future__ import annotations

from homeassistant.const import (
    PERCENTAGE,
    UnitOfEnergy,
    UnitOfLength,
    UnitOfPower,
    UnitOfTime,
    UnitOfVolume,
)

from .api import Unit

HA_UNITS: dict[Unit, str] = {
    Unit.KILOMETERS: UnitOfLength.KILOMETERS,
    Unit.MILES: UnitOfLength.MILES,
    Unit.PERCENT: PERCENTAGE,
    Unit.WATTS: UnitOfPower.WATT,
    Unit.KILOWATTS: UnitOfPower.KILO_WATT,
    Unit.KILOWATT_HOURS: UnitOfEnergy.KILO_WATT_HOUR,
    Unit.LITERS: UnitOfVolume.LITERS,
    Unit.GALLONS: UnitOfVolume.GALLONS,
    Unit.MINUTES: UnitOfTime.MINUTES,
}


def ha_unit(unit: Unit | None, default: str) -> str:
    """Return the Home Assistant unit for a Smartcar unit (`default` when it sent none)."""
    return HA_UNITS.get(unit, default) if unit is not None else default
