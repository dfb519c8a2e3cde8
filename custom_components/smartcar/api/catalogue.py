"""The catalogue: every v3 signal (reference section 3) as code, group, name, reader, permission.

Each entry's plausible range sits on its line, next to its reader: a value outside it is a read
error, never shown. Ranges hold in metric and imperial units alike. The entries are constants,
typed by their reader (`SignalSpec[Quantity]` ...).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from . import readers as read
from .bodies import SystemStatus, Unit
from .contract import GROUP_PERMISSIONS, SIGNAL_PERMISSIONS
from .readers import Reader, quantity


@dataclass(frozen=True, slots=True)
class SignalSpec[B]:
    """A known signal: its code, group and name, how its body reads into `B`, its permission."""

    code: str
    group: str
    name: str
    read: Reader[B]
    permission: str


def _spec[B](signal: str, reader: Reader[B]) -> SignalSpec[B]:
    group, name = signal.split(".")
    code = f"{group}-{name}".lower()
    permission = SIGNAL_PERMISSIONS.get(code) or GROUP_PERMISSIONS[group]
    return SignalSpec(code, group, name, reader, permission)


_DISTANCE: Final = (Unit.KILOMETERS, Unit.MILES)
_SPEED: Final = (Unit.KILOMETERS_PER_HOUR, Unit.MILES_PER_HOUR)
_TEMPERATURE: Final = (Unit.CELSIUS, Unit.FAHRENHEIT)
_POWER: Final = (Unit.WATTS, Unit.KILOWATTS)
_CURRENT: Final = (Unit.AMPERES,)
_MAX_RANGE: Final = 3000.0  # km or mi on one charge or tank
_MAX_ODOMETER: Final = 3_000_000.0  # beyond the highest mileage ever recorded
_TWO_WEEKS: Final = 14 * 24 * 60  # minutes: a week of slow charging, doubled
_MAX_POWER_W: Final = 1_000_000.0  # megawatt chargers; negative for discharging (V2G)
_PERCENTAGE: Final = quantity(0, 100, Unit.PERCENT)

# --- Charge (21) ---------------------------------------------------------------------------------
AMPERAGE = _spec("Charge.Amperage", quantity(-1000, 1000, *_CURRENT))
AMPERAGE_MAX = _spec("Charge.AmperageMax", quantity(0, 1000, *_CURRENT))
AMPERAGE_REQUESTED = _spec("Charge.AmperageRequested", quantity(0, 1000, *_CURRENT))
CHARGE_LIMITS = _spec("Charge.ChargeLimits", read.charge_limits)
CHARGE_PORT_STATUS_COLOR = _spec("Charge.ChargePortStatusColor", read.enum)
CHARGE_RATE = _spec("Charge.ChargeRate", quantity(0, 5000, *_SPEED))
CHARGE_RECORDS = _spec("Charge.ChargeRecords", read.records)
CHARGER_PHASES = _spec("Charge.ChargerPhases", quantity(0, 3))
CHARGE_TIMERS = _spec("Charge.ChargeTimers", read.charge_timers)
CHARGING_CONNECTOR_TYPE = _spec("Charge.ChargingConnectorType", read.text)
DETAILED_CHARGING_STATUS = _spec("Charge.DetailedChargingStatus", read.text)
ENERGY_ADDED = _spec("Charge.EnergyAdded", quantity(0, 1000, Unit.KILOWATT_HOURS))
FAST_CHARGER_TYPE = _spec("Charge.FastChargerType", read.text)
IS_CHARGING = _spec("Charge.IsCharging", read.boolean)
IS_CHARGING_CABLE_CONNECTED = _spec("Charge.IsChargingCableConnected", read.boolean)
IS_CHARGING_CABLE_LATCHED = _spec("Charge.IsChargingCableLatched", read.boolean)
IS_CHARGING_PORT_FLAP_OPEN = _spec("Charge.IsChargingPortFlapOpen", read.boolean)
IS_FAST_CHARGER_PRESENT = _spec("Charge.IsFastChargerPresent", read.boolean)
TIME_TO_COMPLETE = _spec("Charge.TimeToComplete", quantity(0, _TWO_WEEKS, Unit.MINUTES))
CHARGE_VOLTAGE = _spec("Charge.Voltage", quantity(0, 1500, Unit.VOLTS))
CHARGE_WATTAGE = _spec("Charge.Wattage", quantity(-_MAX_POWER_W, _MAX_POWER_W, *_POWER))

# --- Climate (2), HVAC (5) -----------------------------------------------------------------------
EXTERNAL_TEMPERATURE = _spec(
    "Climate.ExternalTemperature", quantity(-80, 150, *_TEMPERATURE)
)
INTERNAL_TEMPERATURE = _spec(
    "Climate.InternalTemperature", quantity(-80, 200, *_TEMPERATURE)
)
CABIN_TARGET_TEMPERATURE = _spec(
    "HVAC.CabinTargetTemperature", quantity(0, 100, *_TEMPERATURE)
)
IS_CABIN_HVAC_ACTIVE = _spec("HVAC.IsCabinHVACActive", read.boolean)
IS_FRONT_DEFROSTER_ACTIVE = _spec("HVAC.IsFrontDefrosterActive", read.boolean)
IS_REAR_DEFROSTER_ACTIVE = _spec("HVAC.IsRearDefrosterActive", read.boolean)
IS_STEERING_HEATER_ACTIVE = _spec("HVAC.IsSteeringHeaterActive", read.boolean)

# --- Closure (8) ---------------------------------------------------------------------------------
DOORS = _spec("Closure.Doors", read.closures)
ENGINE_COVER = _spec("Closure.EngineCover", read.flat_closure)
FRONT_TRUNK = _spec("Closure.FrontTrunk", read.flat_closure)
IS_LOCKED = _spec("Closure.IsLocked", read.boolean)
REAR_TRUNK = _spec("Closure.RearTrunk", read.flat_closure)
SUNROOF = _spec("Closure.Sunroof", read.flat_closure)
TAILGATE = _spec("Closure.Tailgate", read.flat_closure)
WINDOWS = _spec("Closure.Windows", read.closures)

# --- ConnectivitySoftware (1), ConnectivityStatus (3) ---------------------------------------------
FIRMWARE_VERSION = _spec("ConnectivitySoftware.CurrentFirmwareVersion", read.text)
IS_ASLEEP = _spec("ConnectivityStatus.IsAsleep", read.boolean)
IS_DIGITAL_KEY_PAIRED = _spec("ConnectivityStatus.IsDigitalKeyPaired", read.boolean)
IS_ONLINE = _spec("ConnectivityStatus.IsOnline", read.boolean)

# --- Diagnostics (23) ----------------------------------------------------------------------------
# The systems Diagnostics reports on, each a signal of its own.
_SYSTEMS: Final = (
    "ABS ActiveSafety Airbag BrakeFluid DriverAssistance Emissions "
    "EVBatteryConditioning EVCharging EVDriveUnit EVHVBattery Lighting MIL OilLife "
    "OilPressure OilTemperature Telematics TirePressure TirePressureMonitoring "
    "Transmission WasherFluid WaterInFuel"
)
DIAGNOSTIC_SYSTEMS: Final[tuple[SignalSpec[SystemStatus], ...]] = tuple(
    _spec(f"Diagnostics.{name}", read.system_status) for name in _SYSTEMS.split()
)
DTC_COUNT = _spec("Diagnostics.DTCCount", quantity(0, 10_000, Unit.COUNT))
DTC_LIST = _spec("Diagnostics.DTCList", read.trouble_codes)

# --- InternalCombustionEngine (4) ----------------------------------------------------------------
FUEL_AMOUNT_REMAINING = _spec(
    "InternalCombustionEngine.AmountRemaining",
    quantity(0, 2000, Unit.LITERS, Unit.GALLONS),
)
# 0-100; a dashboard TEST delivery sent 0.77, which reads as 0.77 % (reference 2.3).
FUEL_LEVEL = _spec("InternalCombustionEngine.FuelLevel", _PERCENTAGE)
OIL_LIFE = _spec("InternalCombustionEngine.OilLife", _PERCENTAGE)
FUEL_RANGE = _spec(
    "InternalCombustionEngine.Range", quantity(0, _MAX_RANGE, *_DISTANCE)
)

# --- Location (2), Motion (1), Odometer (1) ------------------------------------------------------
IS_AT_HOME = _spec("Location.IsAtHome", read.boolean)
PRECISE_LOCATION = _spec("Location.PreciseLocation", read.location)
CURRENT_SPEED = _spec("Motion.CurrentSpeed", quantity(0, 500, *_SPEED))
TRAVELED_DISTANCE = _spec(
    "Odometer.TraveledDistance", quantity(0, _MAX_ODOMETER, *_DISTANCE)
)

# --- LowVoltageBattery (2) -----------------------------------------------------------------------
LOW_VOLTAGE_STATE_OF_CHARGE = _spec("LowVoltageBattery.StateOfCharge", _PERCENTAGE)
LOW_VOLTAGE_STATUS = _spec("LowVoltageBattery.Status", read.enum)

# --- Service (2), Surveillance (2) ---------------------------------------------------------------
IS_IN_SERVICE = _spec("Service.IsInService", read.boolean)
SERVICE_RECORDS = _spec("Service.Records", read.records)
SURVEILLANCE_ENABLED = _spec("Surveillance.IsEnabled", read.boolean)
SURVEILLANCE_BRAND = _spec("Surveillance.Brand", read.text)

# --- TractionBattery (5) -------------------------------------------------------------------------
BATTERY_HEATER_ACTIVE = _spec("TractionBattery.IsHeaterActive", read.boolean)
MAX_RANGE_CHARGE_COUNTER = _spec(
    "TractionBattery.MaxRangeChargeCounter", quantity(0, 1_000_000)
)
NOMINAL_CAPACITY = _spec("TractionBattery.NominalCapacity", read.nominal_capacity(500))
BATTERY_RANGE = _spec("TractionBattery.Range", quantity(0, _MAX_RANGE, *_DISTANCE))
STATE_OF_CHARGE = _spec("TractionBattery.StateOfCharge", _PERCENTAGE)

# --- Transmission (2) ----------------------------------------------------------------------------
GEAR_STATE = _spec("Transmission.GearState", read.enum)
DRIVE_MODE = _spec("Transmission.DriveMode", read.drive_mode)

# --- VehicleIdentification (5), VehicleUserAccount (2), Wheel (2) ---------------------------------
VIN = _spec("VehicleIdentification.VIN", read.text)
NICKNAME = _spec("VehicleIdentification.Nickname", read.text)
EXTERIOR_COLOR = _spec("VehicleIdentification.ExteriorColor", read.text)
PACKAGES = _spec("VehicleIdentification.Packages", read.text_list)
TRIM = _spec("VehicleIdentification.Trim", read.text)
ACCOUNT_PERMISSIONS = _spec("VehicleUserAccount.Permissions", read.text_list)
ACCOUNT_ROLE = _spec("VehicleUserAccount.Role", read.text)
TIRES = _spec("Wheel.Tires", read.tires)
WHEEL_STYLE = _spec("Wheel.Style", read.text)

# Every entry above, in the order defined (the diagnostics systems where their tuple stands).
CATALOGUE: Final[Mapping[str, SignalSpec[Any]]] = {
    spec.code: spec
    for value in tuple(globals().values())
    for spec in (value if isinstance(value, tuple) else (value,))
    if isinstance(spec, SignalSpec)
}


def permissions_for(specs: Iterable[SignalSpec[Any]], *extra: str) -> tuple[str, ...]:
    """Return the permissions that reading `specs` (and doing `extra`) needs, once each."""
    return tuple(sorted({spec.permission for spec in specs} | set(extra)))
