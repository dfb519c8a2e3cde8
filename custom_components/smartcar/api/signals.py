"""The signal catalogue: each signal's code, what its body looks like and how to read it.

Adding a signal is one `SignalSpec` entry in `catalogue.py`. Unknown signals are kept (bounded)
with their raw body; a known body that does not read, or holds an impossible value, becomes a
read error with no body (`received.py`).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from enum import StrEnum
from typing import Any

from . import catalogue
from .catalogue import *  # noqa: F403  (every entry, by name)
from .catalogue import (
    CATALOGUE,
    CHARGE_LIMITS,
    DETAILED_CHARGING_STATUS,
    DIAGNOSTIC_SYSTEMS,
    IS_CHARGING,
    IS_LOCKED,
    SignalSpec,
    permissions_for,
)
from .parsing import as_list, as_mapping
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


def lock_state(locked: bool, at: datetime) -> Signal[Any]:
    """Return the IsLocked signal a lock or unlock command that succeeded implies."""
    return current_signal(IS_LOCKED, {"value": locked}, at)


class ChargingStatus(StrEnum):
    """Documented values of Charge.DetailedChargingStatus (others are kept as they come)."""

    CHARGING = "CHARGING"
    NOT_CHARGING = "NOT_CHARGING"
    FULLY_CHARGED = "FULLY_CHARGED"


def charging_state(charging: bool, at: datetime) -> list[Signal[Any]]:
    """Return what a start or stop command that succeeded implies: IsCharging and the status."""
    status = ChargingStatus.CHARGING if charging else ChargingStatus.NOT_CHARGING
    return [
        current_signal(IS_CHARGING, {"value": charging}, at),
        current_signal(DETAILED_CHARGING_STATUS, {"value": status.value}, at),
    ]


def charge_limit_state(
    held: Signal[Any] | None, percent: int, at: datetime
) -> Signal[Any]:
    """Return the ChargeLimits a set-limit command that succeeded implies.

    The GLOBAL entry takes the new limit (one is added when the car listed none); the other
    entries stay as they came. The active limit follows when it was the GLOBAL one (a car
    plugged in where no location limit applies); unknown (unplugged) it stays unknown.
    """
    raw: dict[str, Any] = dict(held.raw_body) if held and held.raw_body else {}
    body = held.body if held is not None else None
    limits = body if isinstance(body, ChargeLimits) else None
    entries: list[Mapping[str, Any]] = [
        as_mapping(entry) for entry in as_list(raw.get("values"))
    ]
    found = any(str(entry.get("type", "")).upper() == "GLOBAL" for entry in entries)
    raw["values"] = [
        {**entry, "limit": percent}
        if str(entry.get("type", "")).upper() == "GLOBAL"
        else dict(entry)
        for entry in entries
    ] + ([] if found else [{"type": "GLOBAL", "limit": percent, "condition": None}])
    active = limits.active_limit if limits else None
    if (
        active is not None
        and limits is not None
        and limits.global_limit in (None, active)
    ):
        raw["activeLimit"] = percent
    raw.setdefault("activeLimit", None)
    raw.setdefault("unit", "percent")
    return current_signal(CHARGE_LIMITS, raw, at)


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
    "charge_limit_state",
    "charging_state",
    "current_signal",
    "lock_state",
    "parse_signal",
    "permissions_for",
]
__all__ += catalogue.__all__
