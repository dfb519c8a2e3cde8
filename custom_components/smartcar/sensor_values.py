"""How an entity reads its signal: one function per body family, shared by the descriptions."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Any, Final

from .api import Signal
from .api.records import ChargeSession, DatedRecord, ServiceVisit
from .api.signals import (
    BooleanValue,
    ChargeLimits,
    ChargeTimers,
    DriveMode,
    NominalCapacity,
    Quantity,
    Records,
    TextList,
    TextValue,
    TroubleCodes,
)

# A Home Assistant state holds 255 characters.
MAX_STATE: Final = 255


def boolean(signal: Signal[Any]) -> bool | None:
    """Return the value of a `{value: bool}` body."""
    return signal.body.value if isinstance(signal.body, BooleanValue) else None


def quantity(signal: Signal[Any]) -> float | None:
    """Return the value of a `{value, unit}` body."""
    return signal.body.value if isinstance(signal.body, Quantity) else None


def count(signal: Signal[Any]) -> int | None:
    """Return a `{value}` count as a whole number (the DTC list's length for the list)."""
    body = signal.body
    if isinstance(body, TroubleCodes):
        return len(body.codes)
    return round(body.value) if isinstance(body, Quantity) else None


def text(signal: Signal[Any]) -> str | None:
    """Return an open string as the car sent it."""
    return signal.body.value if isinstance(signal.body, TextValue) else None


def joined(signal: Signal[Any]) -> str | None:
    """Return a list of strings as one text (cut to what a state holds)."""
    if not isinstance(signal.body, TextList):
        return None
    value = ", ".join(signal.body.values)
    return value if len(value) <= MAX_STATE else f"{value[: MAX_STATE - 1]}…"


def listed(name: str) -> Callable[[Signal[Any]], Mapping[str, Any]]:
    """Return the attributes function that lists a list's strings under `name`."""

    def attributes(signal: Signal[Any]) -> Mapping[str, Any]:
        body = signal.body
        return {name: list(body.values)} if isinstance(body, TextList) else {}

    return attributes


def option(value: str) -> str:
    """Turn an enum value as Smartcar sends it (`NOT_CHARGING`, `Type 2`) into an option key."""
    return value.strip().lower().replace("-", "_").replace(" ", "_")


def enum(options: list[str]) -> Callable[[Signal[Any]], str | None]:
    """Return the value function of an enum: one of `options`, None for any other value."""

    def value(signal: Signal[Any]) -> str | None:
        body = signal.body
        raw = (
            body.value
            if isinstance(body, TextValue)
            else body.canonical
            if isinstance(body, DriveMode)
            else None
        )
        return key if raw is not None and (key := option(raw)) in options else None

    return value


def drive_mode_attributes(signal: Signal[Any]) -> Mapping[str, Any]:
    """Return the carmaker's own name of the drive mode (kept whatever the canonical mode)."""
    body = signal.body
    if isinstance(body, DriveMode) and body.oem_display_name:
        return {"oem_name": body.oem_display_name}
    return {}


def active_charge_limit(signal: Signal[Any]) -> float | None:
    """Return the limit in force, else the global limit."""
    body = signal.body
    if not isinstance(body, ChargeLimits):
        return None
    return body.active_limit if body.active_limit is not None else body.global_limit


def charge_limit_attributes(signal: Signal[Any]) -> Mapping[str, Any]:
    """Every configured limit (locations by name only: no coordinates in attributes)."""
    body = signal.body
    if not isinstance(body, ChargeLimits):
        return {}
    return {
        "limits": [
            {
                "type": limit.type.lower(),
                "limit": limit.limit,
                **(
                    {"location": limit.condition.name}
                    if limit.condition and limit.condition.name
                    else {}
                ),
                **(
                    {"charging_type": limit.condition.charging_type}
                    if limit.condition and limit.condition.charging_type
                    else {}
                ),
            }
            for limit in body.limits
        ]
    }


def charging_end(signal: Signal[Any]) -> datetime | None:
    """When charging reaches its limit: the reading's time plus the minutes left."""
    minutes = quantity(signal)
    measured_at = signal.oem_updated_at or signal.retrieved_at
    if minutes is None or measured_at is None or not signal.ok:
        return None
    return measured_at + timedelta(minutes=minutes)


def nominal_capacity(signal: Signal[Any]) -> float | None:
    """Return the battery's nominal capacity."""
    return signal.body.capacity if isinstance(signal.body, NominalCapacity) else None


def schedule_timers(signal: Signal[Any]) -> list[dict[str, Any]]:
    """List the location-based charge schedules among the car's charge timers."""
    body = signal.body
    if not isinstance(body, ChargeTimers):
        return []
    return [
        {
            "schedule_id": timer.schedule_id,
            "type": (timer.schedule_type or "").lower() or None,
            "location": timer.condition.name if timer.condition else None,
            "windows": [
                {
                    "start": window.start,
                    "end": window.end,
                    "days": [d.lower() for d in window.days],
                }
                for window in timer.windows
            ],
        }
        for timer in body.location_timers
    ]


def schedule_count(signal: Signal[Any]) -> int | None:
    """How many location-based charge schedules the car has."""
    body = signal.body
    return len(body.location_timers) if isinstance(body, ChargeTimers) else None


def trouble_codes(signal: Signal[Any]) -> Mapping[str, Any]:
    """List the diagnostic trouble codes the car reports (e.g. `P0300`)."""
    body = signal.body
    if not isinstance(body, TroubleCodes):
        return {}
    return {"codes": [code.code for code in body.codes]}


def _present(values: Mapping[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in values.items() if value not in (None, [])}


def record_time[R: DatedRecord](
    latest: Callable[[Records], R | None],
) -> Callable[[Signal[Any]], datetime | None]:
    """Return the value function of a record list: when its latest record took place."""

    def value(signal: Signal[Any]) -> datetime | None:
        body = signal.body
        record = latest(body) if isinstance(body, Records) else None
        return record.at if record else None

    return value


def record_attributes[R: DatedRecord](
    latest: Callable[[Records], R | None],
    details: Callable[[R], Mapping[str, Any]],
    count_name: str,
) -> Callable[[Signal[Any]], Mapping[str, Any]]:
    """Return the attributes function of a record list: the latest's details, and how many."""

    def attributes(signal: Signal[Any]) -> Mapping[str, Any]:
        body = signal.body
        if not isinstance(body, Records) or (record := latest(body)) is None:
            return {}
        return _present({**details(record), count_name: len(body.items)})

    return attributes


def session_details(session: ChargeSession) -> Mapping[str, Any]:
    """Describe a charging session: energy, states of charge, cost, where (by name only)."""
    return {
        "started": session.start.isoformat() if session.start else None,
        "ended": session.end.isoformat() if session.end else None,
        "energy_added": session.energy_added,
        "start_state_of_charge": session.start_state_of_charge,
        "end_state_of_charge": session.end_state_of_charge,
        "charging_type": session.charging_type,
        "public_charger": session.public_charger,
        "location": session.location_name,
        "energy_cost": session.energy_cost,
        "other_cost": session.other_cost,
        "currency": session.currency,
    }


def visit_details(visit: ServiceVisit) -> Mapping[str, Any]:
    """Describe a service visit: tasks, details, mileage and cost."""
    return {
        "tasks": list(visit.tasks),
        "details": list(visit.details),
        "odometer": visit.odometer,
        "cost": visit.cost,
        "currency": visit.currency,
    }
