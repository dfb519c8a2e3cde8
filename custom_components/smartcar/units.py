"""Smartcar units as Home Assistant units, so Home Assistant converts them for the user."""

from __future__ import annotations

from homeassistant.const import (
    PERCENTAGE,
    UnitOfElectricCurrent,
    UnitOfElectricPotential,
    UnitOfEnergy,
    UnitOfLength,
    UnitOfPower,
    UnitOfPressure,
    UnitOfSpeed,
    UnitOfTemperature,
    UnitOfTime,
    UnitOfVolume,
)

from .api import Unit

# Unit.COUNT has no Home Assistant unit: counts are shown without one.
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
    Unit.KILOMETERS_PER_HOUR: UnitOfSpeed.KILOMETERS_PER_HOUR,
    Unit.MILES_PER_HOUR: UnitOfSpeed.MILES_PER_HOUR,
    Unit.AMPERES: UnitOfElectricCurrent.AMPERE,
    Unit.VOLTS: UnitOfElectricPotential.VOLT,
    Unit.CELSIUS: UnitOfTemperature.CELSIUS,
    Unit.FAHRENHEIT: UnitOfTemperature.FAHRENHEIT,
    Unit.KILOPASCALS: UnitOfPressure.KPA,
    Unit.BAR: UnitOfPressure.BAR,
    Unit.PSI: UnitOfPressure.PSI,
}


def ha_unit(unit: Unit | None, default: str) -> str:
    """Return the Home Assistant unit for a Smartcar unit (`default` when it sent none)."""
    return HA_UNITS.get(unit, default) if unit is not None else default
