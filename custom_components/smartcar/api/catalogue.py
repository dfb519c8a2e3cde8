"""The catalogue: every v3 signal (reference section 3) as code, group, name, reader, permission.

Each entry's plausible range sits on its line, next to its reader: a value outside it is a read
error, never shown. Ranges hold in metric and imperial units alike.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from .contract import GROUP_PERMISSIONS, SIGNAL_PERMISSIONS
from .signal_bodies import SystemStatus
from .signal_readers import (
    Reader,
    battery_range,
    nominal_capacity,
    quantity,
    read_boolean,
    read_charge_limits,
    read_charge_timers,
    read_closures,
    read_drive_mode,
    read_enum,
    read_flat_closure,
    read_location,
    read_records,
    read_system_status,
    read_text,
    read_text_list,
    read_tires,
    read_trouble_codes,
)
from .units import Unit


@dataclass(frozen=True, slots=True)
class SignalSpec[B]:
    """A known signal: its code, group and name, how its body reads into `B`, its permission."""

    code: str
    group: str
    name: str
    read: Reader[B]
    permission: str


def _spec[B](group: str, name: str, read: Reader[B]) -> SignalSpec[B]:
    code = f"{group}-{name}".lower()
    permission = SIGNAL_PERMISSIONS.get(code) or GROUP_PERMISSIONS[group]
    return SignalSpec(code, group, name, read, permission)


_DISTANCE: Final = (Unit.KILOMETERS, Unit.MILES)
_PERCENT: Final = (Unit.PERCENT,)
_TEMPERATURE: Final = (Unit.CELSIUS, Unit.FAHRENHEIT)
_POWER: Final = (Unit.WATTS, Unit.KILOWATTS)
_CURRENT: Final = (Unit.AMPERES,)
_MAX_RANGE: Final = 3000.0  # km or mi on one charge or tank
_MAX_ODOMETER: Final = 3_000_000.0  # beyond the highest mileage ever recorded
_MAX_CHARGE_MINUTES: Final = 14 * 24 * 60  # a week of slow charging, doubled
_MAX_POWER_W: Final = 1_000_000.0  # megawatt chargers; negative for discharging (V2G)

# --- Charge (21) ---------------------------------------------------------------------------------
AMPERAGE: Final = _spec("Charge", "Amperage", quantity(-1000, 1000, *_CURRENT))
AMPERAGE_MAX: Final = _spec("Charge", "AmperageMax", quantity(0, 1000, *_CURRENT))
AMPERAGE_REQUESTED: Final = _spec(
    "Charge", "AmperageRequested", quantity(0, 1000, *_CURRENT)
)
CHARGE_LIMITS: Final = _spec("Charge", "ChargeLimits", read_charge_limits)
CHARGE_PORT_STATUS_COLOR: Final = _spec("Charge", "ChargePortStatusColor", read_enum)
CHARGE_RATE: Final = _spec(
    "Charge",
    "ChargeRate",
    quantity(0, 5000, Unit.KILOMETERS_PER_HOUR, Unit.MILES_PER_HOUR),
)
CHARGE_RECORDS: Final = _spec("Charge", "ChargeRecords", read_records)
CHARGER_PHASES: Final = _spec("Charge", "ChargerPhases", quantity(0, 3))
CHARGE_TIMERS: Final = _spec("Charge", "ChargeTimers", read_charge_timers)
CHARGING_CONNECTOR_TYPE: Final = _spec("Charge", "ChargingConnectorType", read_text)
DETAILED_CHARGING_STATUS: Final = _spec("Charge", "DetailedChargingStatus", read_text)
ENERGY_ADDED: Final = _spec(
    "Charge", "EnergyAdded", quantity(0, 1000, Unit.KILOWATT_HOURS)
)
FAST_CHARGER_TYPE: Final = _spec("Charge", "FastChargerType", read_text)
IS_CHARGING: Final = _spec("Charge", "IsCharging", read_boolean)
IS_CHARGING_CABLE_CONNECTED: Final = _spec(
    "Charge", "IsChargingCableConnected", read_boolean
)
IS_CHARGING_CABLE_LATCHED: Final = _spec(
    "Charge", "IsChargingCableLatched", read_boolean
)
IS_CHARGING_PORT_FLAP_OPEN: Final = _spec(
    "Charge", "IsChargingPortFlapOpen", read_boolean
)
IS_FAST_CHARGER_PRESENT: Final = _spec("Charge", "IsFastChargerPresent", read_boolean)
TIME_TO_COMPLETE: Final = _spec(
    "Charge", "TimeToComplete", quantity(0, _MAX_CHARGE_MINUTES, Unit.MINUTES)
)
CHARGE_VOLTAGE: Final = _spec("Charge", "Voltage", quantity(0, 1500, Unit.VOLTS))
CHARGE_WATTAGE: Final = _spec(
    "Charge", "Wattage", quantity(-_MAX_POWER_W, _MAX_POWER_W, *_POWER)
)

# --- Climate (2), HVAC (5) -----------------------------------------------------------------------
EXTERNAL_TEMPERATURE: Final = _spec(
    "Climate", "ExternalTemperature", quantity(-80, 150, *_TEMPERATURE)
)
INTERNAL_TEMPERATURE: Final = _spec(
    "Climate", "InternalTemperature", quantity(-80, 200, *_TEMPERATURE)
)
CABIN_TARGET_TEMPERATURE: Final = _spec(
    "HVAC", "CabinTargetTemperature", quantity(0, 100, *_TEMPERATURE)
)
IS_CABIN_HVAC_ACTIVE: Final = _spec("HVAC", "IsCabinHVACActive", read_boolean)
IS_FRONT_DEFROSTER_ACTIVE: Final = _spec("HVAC", "IsFrontDefrosterActive", read_boolean)
IS_REAR_DEFROSTER_ACTIVE: Final = _spec("HVAC", "IsRearDefrosterActive", read_boolean)
IS_STEERING_HEATER_ACTIVE: Final = _spec("HVAC", "IsSteeringHeaterActive", read_boolean)

# --- Closure (8) ---------------------------------------------------------------------------------
DOORS: Final = _spec("Closure", "Doors", read_closures)
ENGINE_COVER: Final = _spec("Closure", "EngineCover", read_flat_closure)
FRONT_TRUNK: Final = _spec("Closure", "FrontTrunk", read_flat_closure)
IS_LOCKED: Final = _spec("Closure", "IsLocked", read_boolean)
REAR_TRUNK: Final = _spec("Closure", "RearTrunk", read_flat_closure)
SUNROOF: Final = _spec("Closure", "Sunroof", read_flat_closure)
TAILGATE: Final = _spec("Closure", "Tailgate", read_flat_closure)
WINDOWS: Final = _spec("Closure", "Windows", read_closures)

# --- ConnectivitySoftware (1), ConnectivityStatus (3) ---------------------------------------------
FIRMWARE_VERSION: Final = _spec(
    "ConnectivitySoftware", "CurrentFirmwareVersion", read_text
)
IS_ASLEEP: Final = _spec("ConnectivityStatus", "IsAsleep", read_boolean)
IS_DIGITAL_KEY_PAIRED: Final = _spec(
    "ConnectivityStatus", "IsDigitalKeyPaired", read_boolean
)
IS_ONLINE: Final = _spec("ConnectivityStatus", "IsOnline", read_boolean)

# --- Diagnostics (23) ----------------------------------------------------------------------------
DIAGNOSTIC_SYSTEMS: Final[tuple[SignalSpec[SystemStatus], ...]] = tuple(
    _spec("Diagnostics", name, read_system_status)
    for name in (
        "ABS",
        "ActiveSafety",
        "Airbag",
        "BrakeFluid",
        "DriverAssistance",
        "Emissions",
        "EVBatteryConditioning",
        "EVCharging",
        "EVDriveUnit",
        "EVHVBattery",
        "Lighting",
        "MIL",
        "OilLife",
        "OilPressure",
        "OilTemperature",
        "Telematics",
        "TirePressure",
        "TirePressureMonitoring",
        "Transmission",
        "WasherFluid",
        "WaterInFuel",
    )
)
DTC_COUNT: Final = _spec("Diagnostics", "DTCCount", quantity(0, 10_000, Unit.COUNT))
DTC_LIST: Final = _spec("Diagnostics", "DTCList", read_trouble_codes)

# --- InternalCombustionEngine (4) ----------------------------------------------------------------
FUEL_AMOUNT_REMAINING: Final = _spec(
    "InternalCombustionEngine",
    "AmountRemaining",
    quantity(0, 2000, Unit.LITERS, Unit.GALLONS),
)
# 0-100; a dashboard TEST delivery sent 0.77, which reads as 0.77 % (reference 2.3).
FUEL_LEVEL: Final = _spec(
    "InternalCombustionEngine", "FuelLevel", quantity(0, 100, *_PERCENT)
)
OIL_LIFE: Final = _spec(
    "InternalCombustionEngine", "OilLife", quantity(0, 100, *_PERCENT)
)
FUEL_RANGE: Final = _spec(
    "InternalCombustionEngine", "Range", quantity(0, _MAX_RANGE, *_DISTANCE)
)

# --- Location (2), Motion (1), Odometer (1) ------------------------------------------------------
IS_AT_HOME: Final = _spec("Location", "IsAtHome", read_boolean)
PRECISE_LOCATION: Final = _spec("Location", "PreciseLocation", read_location)
CURRENT_SPEED: Final = _spec(
    "Motion",
    "CurrentSpeed",
    quantity(0, 500, Unit.KILOMETERS_PER_HOUR, Unit.MILES_PER_HOUR),
)
TRAVELED_DISTANCE: Final = _spec(
    "Odometer", "TraveledDistance", quantity(0, _MAX_ODOMETER, *_DISTANCE)
)

# --- LowVoltageBattery (2) -----------------------------------------------------------------------
LOW_VOLTAGE_STATE_OF_CHARGE: Final = _spec(
    "LowVoltageBattery", "StateOfCharge", quantity(0, 100, *_PERCENT)
)
LOW_VOLTAGE_STATUS: Final = _spec("LowVoltageBattery", "Status", read_enum)

# --- Service (2), Surveillance (2) ---------------------------------------------------------------
IS_IN_SERVICE: Final = _spec("Service", "IsInService", read_boolean)
SERVICE_RECORDS: Final = _spec("Service", "Records", read_records)
SURVEILLANCE_ENABLED: Final = _spec("Surveillance", "IsEnabled", read_boolean)
SURVEILLANCE_BRAND: Final = _spec("Surveillance", "Brand", read_text)

# --- TractionBattery (5) -------------------------------------------------------------------------
BATTERY_HEATER_ACTIVE: Final = _spec("TractionBattery", "IsHeaterActive", read_boolean)
MAX_RANGE_CHARGE_COUNTER: Final = _spec(
    "TractionBattery", "MaxRangeChargeCounter", quantity(0, 1_000_000)
)
NOMINAL_CAPACITY: Final = _spec(
    "TractionBattery", "NominalCapacity", nominal_capacity(500)
)
BATTERY_RANGE: Final = _spec(
    "TractionBattery", "Range", battery_range(0, _MAX_RANGE, *_DISTANCE)
)
STATE_OF_CHARGE: Final = _spec(
    "TractionBattery", "StateOfCharge", quantity(0, 100, *_PERCENT)
)

# --- Transmission (2) ----------------------------------------------------------------------------
GEAR_STATE: Final = _spec("Transmission", "GearState", read_enum)
DRIVE_MODE: Final = _spec("Transmission", "DriveMode", read_drive_mode)

# --- VehicleIdentification (5), VehicleUserAccount (2), Wheel (2) ---------------------------------
VIN: Final = _spec("VehicleIdentification", "VIN", read_text)
NICKNAME: Final = _spec("VehicleIdentification", "Nickname", read_text)
EXTERIOR_COLOR: Final = _spec("VehicleIdentification", "ExteriorColor", read_text)
PACKAGES: Final = _spec("VehicleIdentification", "Packages", read_text_list)
TRIM: Final = _spec("VehicleIdentification", "Trim", read_text)
ACCOUNT_PERMISSIONS: Final = _spec("VehicleUserAccount", "Permissions", read_text_list)
ACCOUNT_ROLE: Final = _spec("VehicleUserAccount", "Role", read_text)
TIRES: Final = _spec("Wheel", "Tires", read_tires)
WHEEL_STYLE: Final = _spec("Wheel", "Style", read_text)

# Every entry above, in the order defined (the diagnostics systems where their tuple stands).
_ALL: Final[tuple[SignalSpec[Any], ...]] = tuple(
    spec
    for value in tuple(globals().values())
    for spec in (value if isinstance(value, tuple) else (value,))
    if isinstance(spec, SignalSpec)
)
CATALOGUE: Final[Mapping[str, SignalSpec[Any]]] = {spec.code: spec for spec in _ALL}


__all__ = [
    "ACCOUNT_PERMISSIONS",
    "ACCOUNT_ROLE",
    "AMPERAGE",
    "AMPERAGE_MAX",
    "AMPERAGE_REQUESTED",
    "BATTERY_HEATER_ACTIVE",
    "BATTERY_RANGE",
    "CABIN_TARGET_TEMPERATURE",
    "CATALOGUE",
    "CHARGER_PHASES",
    "CHARGE_LIMITS",
    "CHARGE_PORT_STATUS_COLOR",
    "CHARGE_RATE",
    "CHARGE_RECORDS",
    "CHARGE_TIMERS",
    "CHARGE_VOLTAGE",
    "CHARGE_WATTAGE",
    "CHARGING_CONNECTOR_TYPE",
    "CURRENT_SPEED",
    "DETAILED_CHARGING_STATUS",
    "DIAGNOSTIC_SYSTEMS",
    "DOORS",
    "DRIVE_MODE",
    "DTC_COUNT",
    "DTC_LIST",
    "ENERGY_ADDED",
    "ENGINE_COVER",
    "EXTERIOR_COLOR",
    "EXTERNAL_TEMPERATURE",
    "FAST_CHARGER_TYPE",
    "FIRMWARE_VERSION",
    "FRONT_TRUNK",
    "FUEL_AMOUNT_REMAINING",
    "FUEL_LEVEL",
    "FUEL_RANGE",
    "GEAR_STATE",
    "INTERNAL_TEMPERATURE",
    "IS_ASLEEP",
    "IS_AT_HOME",
    "IS_CABIN_HVAC_ACTIVE",
    "IS_CHARGING",
    "IS_CHARGING_CABLE_CONNECTED",
    "IS_CHARGING_CABLE_LATCHED",
    "IS_CHARGING_PORT_FLAP_OPEN",
    "IS_DIGITAL_KEY_PAIRED",
    "IS_FAST_CHARGER_PRESENT",
    "IS_FRONT_DEFROSTER_ACTIVE",
    "IS_IN_SERVICE",
    "IS_LOCKED",
    "IS_ONLINE",
    "IS_REAR_DEFROSTER_ACTIVE",
    "IS_STEERING_HEATER_ACTIVE",
    "LOW_VOLTAGE_STATE_OF_CHARGE",
    "LOW_VOLTAGE_STATUS",
    "MAX_RANGE_CHARGE_COUNTER",
    "NICKNAME",
    "NOMINAL_CAPACITY",
    "OIL_LIFE",
    "PACKAGES",
    "PRECISE_LOCATION",
    "REAR_TRUNK",
    "SERVICE_RECORDS",
    "STATE_OF_CHARGE",
    "SUNROOF",
    "SURVEILLANCE_BRAND",
    "SURVEILLANCE_ENABLED",
    "TAILGATE",
    "TIME_TO_COMPLETE",
    "TIRES",
    "TRAVELED_DISTANCE",
    "TRIM",
    "VIN",
    "WHEEL_STYLE",
    "WINDOWS",
    "SignalSpec",
]


def permissions_for(specs: Iterable[SignalSpec[Any]], *extra: str) -> tuple[str, ...]:
    """Return the permissions that reading `specs` (and doing `extra`) needs, once each."""
    return tuple(sorted({spec.permission for spec in specs} | set(extra)))
