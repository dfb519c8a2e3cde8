"""The signal catalogue: each signal's code, what its body looks like and how to read it.

Adding a signal is one `SignalSpec` entry in `catalogue.py`. Unknown signals are kept (bounded)
with their raw body; a known body that does not read, or holds an impossible value, becomes a
read error with no body (`received.py`).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from . import catalogue
from .catalogue import *  # noqa: F403  (every entry, by name)
from .catalogue import (
    CATALOGUE,
    DIAGNOSTIC_SYSTEMS,
    IS_LOCKED,
    SignalSpec,
    permissions_for,
)
from .received import (
    FUTURE_TOLERANCE,
    MAX_UNKNOWN_BODY_CHARS,
    MAX_UNKNOWN_SIGNALS,
    READ_ERROR_CODE,
    Signal,
    SignalStatus,
    VehicleSignals,
    current_signal,
    parse_signal,
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
from .signal_readers import BodyError, Reader


def lock_state(locked: bool, at: datetime) -> Signal:
    """Return the IsLocked signal a lock or unlock command that succeeded implies."""
    return current_signal(IS_LOCKED, {"value": locked}, at)


class ChargingStatus(StrEnum):
    """Documented values of Charge.DetailedChargingStatus (others are kept as they come)."""

    CHARGING = "CHARGING"
    NOT_CHARGING = "NOT_CHARGING"
    FULLY_CHARGED = "FULLY_CHARGED"


__all__ = [
    "CATALOGUE",
    "DIAGNOSTIC_SYSTEMS",
    "FUTURE_TOLERANCE",
    "MAX_UNKNOWN_BODY_CHARS",
    "MAX_UNKNOWN_SIGNALS",
    "READ_ERROR_CODE",
    "BatteryRange",
    "BodyError",
    "BooleanValue",
    "ChargeLimit",
    "ChargeLimits",
    "ChargeTimer",
    "ChargeTimers",
    "ChargingStatus",
    "Closure",
    "Closures",
    "Condition",
    "DriveMode",
    "FlatClosure",
    "NominalCapacity",
    "PreciseLocation",
    "Quantity",
    "Reader",
    "Records",
    "Signal",
    "SignalSpec",
    "SignalStatus",
    "SystemStatus",
    "TextList",
    "TextValue",
    "TimerWindow",
    "TirePressure",
    "Tires",
    "TroubleCode",
    "TroubleCodes",
    "VehicleSignals",
    "current_signal",
    "lock_state",
    "parse_signal",
    "permissions_for",
]
__all__ += catalogue.__all__
