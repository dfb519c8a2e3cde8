"""Charging physics: state of charge moves with the simulator clock, computed lazily."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from .signals import not_charging_error
from .state import ChargeSession, Vehicle

DEFAULT_CHARGE_WATTS = 11_000.0

SOC = "tractionbattery-stateofcharge"
RANGE = "tractionbattery-range"
CAPACITY = "tractionbattery-nominalcapacity"
CABLE = "charge-ischargingcableconnected"
IS_CHARGING = "charge-ischarging"
STATUS = "charge-detailedchargingstatus"
LIMITS = "charge-chargelimits"
TIME_TO_COMPLETE = "charge-timetocomplete"
WATTAGE = "charge-wattage"
CHARGE_RATE = "charge-chargerate"
ENERGY_ADDED = "charge-energyadded"
AMPERAGE = "charge-amperage"
VOLTAGE = "charge-voltage"

SESSION_INPUTS = frozenset({SOC, CAPACITY, LIMITS, WATTAGE})
"""Signals a running charge is computed from; overwriting one restarts the session."""
SESSION_READINGS = (AMPERAGE, VOLTAGE)
"""Readings of the charger some cars report: current while charging, stale between charges."""


def _require_battery(vehicle: Vehicle) -> None:
    if not vehicle.is_electric:
        raise ValueError(f"vehicle {vehicle.id} has no traction battery")


def charge_limit(vehicle: Vehicle) -> float:
    """Return the active charge limit, else the GLOBAL one, else 100."""
    active = vehicle.body(LIMITS).get("activeLimit")
    if active is not None:
        return float(active)
    limit = global_limit(vehicle)
    return 100.0 if limit is None else limit


def global_limit(vehicle: Vehicle) -> float | None:
    """Return the GLOBAL limit entry of ChargeLimits, if any."""
    for entry in vehicle.body(LIMITS).get("values", []):
        if str(entry.get("type", "")).upper() == "GLOBAL":
            return float(entry["limit"])
    return None


def state_of_charge(vehicle: Vehicle) -> float:
    """Return the stored state of charge in percent."""
    return float(vehicle.body(SOC)["value"])


def is_plugged(vehicle: Vehicle) -> bool:
    """Return whether the charging cable is connected."""
    return bool(vehicle.body(CABLE)["value"])


def _number(value: float) -> float | int:
    rounded = round(value, 1)
    return int(rounded) if rounded.is_integer() else rounded


def _write_soc(vehicle: Vehicle, soc: float, at: datetime) -> None:
    vehicle.set_body(SOC, {**vehicle.body(SOC), "value": _number(soc)}, at)
    if vehicle.range_per_percent is None or RANGE not in vehicle.signals:
        return
    old: dict[str, Any] = vehicle.body(RANGE)
    new_value = round(soc * vehicle.range_per_percent)
    old_value = float(old.get("value") or 0)
    extras = [
        {**item, "value": round(float(item["value"]) * new_value / old_value)}
        if old_value
        else dict(item)
        for item in old.get("additionalValues", [])
    ]
    vehicle.set_body(RANGE, {**old, "value": new_value, "additionalValues": extras}, at)


def _present(vehicle: Vehicle, *codes: str) -> list[str]:
    return [code for code in codes if code in vehicle.signals]


def _write_not_charging(vehicle: Vehicle, status: str, at: datetime) -> None:
    vehicle.set_body(IS_CHARGING, {"value": False}, at)
    vehicle.set_body(STATUS, {"value": status}, at)
    for code in (
        WATTAGE,
        TIME_TO_COMPLETE,
        *_present(vehicle, CHARGE_RATE, *SESSION_READINGS),
    ):
        vehicle.set_error(code, not_charging_error(), at)


def _write_energy(
    vehicle: Vehicle, session: ChargeSession, soc: float, at: datetime
) -> None:
    """Write Charge.EnergyAdded of the running session, where the car reports it."""
    if ENERGY_ADDED in vehicle.signals:
        energy = max(0.0, soc - session.start_soc) * session.capacity_kwh / 100
        body = vehicle.signals[ENERGY_ADDED].body or {"unit": "kWh"}
        vehicle.set_body(ENERGY_ADDED, {**body, "value": _number(energy)}, at)


def _write_session_readings(
    vehicle: Vehicle, session: ChargeSession, at: datetime
) -> None:
    """Write the charge rate (range per hour) and charger readings of a starting charge."""
    if CHARGE_RATE in vehicle.signals and vehicle.range_per_percent is not None:
        rate = vehicle.signals[CHARGE_RATE].body or {}
        per_hour = session.percent_per_second * 3600 * vehicle.range_per_percent
        vehicle.set_body(CHARGE_RATE, {**rate, "value": round(per_hour)}, at)
    for code in _present(vehicle, *SESSION_READINGS):
        reading = vehicle.signals[code].body
        if reading is not None:
            vehicle.set_body(code, reading, at)


def advance_charging(vehicle: Vehicle, now: datetime) -> None:
    """Bring the charge signals up to `now`; stop at the limit as FULLY_CHARGED."""
    session = vehicle.charge_session
    if session is None:
        return
    full_at = session.full_at()
    if now >= full_at:
        _write_soc(vehicle, session.limit, full_at)
        _write_energy(vehicle, session, session.limit, full_at)
        vehicle.set_body(
            TIME_TO_COMPLETE, {**vehicle.body(TIME_TO_COMPLETE), "value": 0}, full_at
        )
        _write_not_charging(vehicle, "FULLY_CHARGED", full_at)
        vehicle.charge_session = None
        return
    soc = session.soc_at(now)
    _write_soc(vehicle, soc, now)
    _write_energy(vehicle, session, soc, now)
    vehicle.set_body(
        TIME_TO_COMPLETE,
        {**vehicle.body(TIME_TO_COMPLETE), "value": session.minutes_to_complete(soc)},
        now,
    )


def start_charging(vehicle: Vehicle, now: datetime, watts: float | None = None) -> None:
    """Start a charge at `watts` (default: last wattage or 11 kW); needs the cable in."""
    _require_battery(vehicle)
    if not is_plugged(vehicle):
        raise ValueError(f"vehicle {vehicle.id} is not plugged in")
    advance_charging(vehicle, now)
    limit = charge_limit(vehicle)
    soc = state_of_charge(vehicle)
    if soc >= limit:
        vehicle.charge_session = None
        _write_not_charging(vehicle, "FULLY_CHARGED", now)
        return
    wattage = vehicle.signals[WATTAGE].body or {}
    power = float(watts or wattage.get("value") or DEFAULT_CHARGE_WATTS)
    vehicle.charge_session = ChargeSession(
        started_at=now,
        start_soc=soc,
        watts=power,
        capacity_kwh=float(vehicle.body(CAPACITY)["capacity"]),
        limit=limit,
    )
    vehicle.set_body(IS_CHARGING, {"value": True}, now)
    vehicle.set_body(STATUS, {"value": "CHARGING"}, now)
    vehicle.set_body(
        WATTAGE, {**wattage, "value": _number(power), "unit": "watts"}, now
    )
    vehicle.set_body(
        TIME_TO_COMPLETE,
        {
            **(vehicle.signals[TIME_TO_COMPLETE].body or {}),
            "value": vehicle.charge_session.minutes_to_complete(soc),
        },
        now,
    )
    _write_energy(vehicle, vehicle.charge_session, soc, now)
    _write_session_readings(vehicle, vehicle.charge_session, now)


def stop_charging(vehicle: Vehicle, now: datetime) -> None:
    """Stop a running charge at `now` (NOT_CHARGING, wattage and time-to-complete stale)."""
    _require_battery(vehicle)
    advance_charging(vehicle, now)
    if vehicle.charge_session is None:
        return
    vehicle.charge_session = None
    _write_not_charging(vehicle, "NOT_CHARGING", now)


def plug(vehicle: Vehicle, now: datetime) -> None:
    """Connect the charging cable; the GLOBAL limit becomes the active limit."""
    _require_battery(vehicle)
    vehicle.set_body(CABLE, {"value": True}, now)
    vehicle.set_body(
        LIMITS, {**vehicle.body(LIMITS), "activeLimit": global_limit(vehicle)}, now
    )


def unplug(vehicle: Vehicle, now: datetime) -> None:
    """Disconnect the cable, ending any charge; the active limit becomes unknown."""
    stop_charging(vehicle, now)
    vehicle.set_body(CABLE, {"value": False}, now)
    vehicle.set_body(STATUS, {"value": "NOT_CHARGING"}, now)
    vehicle.set_body(LIMITS, {**vehicle.body(LIMITS), "activeLimit": None}, now)


def restart_charging(vehicle: Vehicle, now: datetime) -> None:
    """Restart a running charge from the car's current values (nothing when not charging)."""
    if vehicle.charge_session is not None:
        vehicle.charge_session = None
        start_charging(vehicle, now)


def set_charge_limit(vehicle: Vehicle, percent: int, now: datetime) -> None:
    """Set the GLOBAL limit (added if missing); the active limit follows while plugged in.

    A running charge goes on towards the new limit (or ends FULLY_CHARGED at once when the
    battery is already there).
    """
    _require_battery(vehicle)
    advance_charging(vehicle, now)
    body = vehicle.body(LIMITS)
    entries = [dict(entry) for entry in body.get("values", [])]
    globals_ = [e for e in entries if str(e.get("type", "")).upper() == "GLOBAL"]
    for entry in globals_:
        entry["limit"] = percent
    if not globals_:
        entries.append({"type": "GLOBAL", "limit": percent, "condition": None})
    active = percent if is_plugged(vehicle) else None
    vehicle.set_body(LIMITS, {**body, "values": entries, "activeLimit": active}, now)
    restart_charging(vehicle, now)
