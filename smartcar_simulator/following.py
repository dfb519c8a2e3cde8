"""A simulator vehicle that follows a seeded month: its signals show what the upstream model says.

`Simulator.follow_month` sets `Vehicle.followed`; on every read (`dynamics.advance`) the state of
charge, the cable, charging, its detailed status and the time to complete are written from the
model's report at that moment, stamped with the model's timestamp: when the car changed them
(`live`), or Smartcar's daily refresh (`daily`); ChargeTimers shows the month's 01:00 timer. The
charging physics stay out of it meanwhile.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from .charging import CABLE, IS_CHARGING, SOC, STATUS, TIME_TO_COMPLETE
from .schedules import TIMERS
from .signals import not_charging_error
from .state import Vehicle
from .upstream import CHARGE_TIMERS_BODY, FollowedMonth


def apply_followed(vehicle: Vehicle, followed: FollowedMonth, now: datetime) -> None:
    """Write the signals the month model reports for `now` (those the vehicle has)."""
    report = followed.report(now)
    at = report.updated_at
    vehicle.charge_session = None
    timers = vehicle.signals.get(TIMERS)
    if timers is not None and timers.body != CHARGE_TIMERS_BODY:
        vehicle.set_body(TIMERS, CHARGE_TIMERS_BODY, followed.pattern.segments[0].start)
    if report.charging:
        status = "CHARGING"
    else:
        status = "NOT_CHARGING" if report.plugged else "CHARGING_PLUG_NOT_CONNECTED"
    bodies: dict[str, dict[str, Any]] = {
        SOC: {"value": report.level, "unit": "percent"},
        CABLE: {"value": report.plugged},
        IS_CHARGING: {"value": report.charging},
        STATUS: {"value": status},
    }
    for code, body in bodies.items():
        if code in vehicle.signals:
            kept = vehicle.signals[code].body or {}
            vehicle.set_body(code, {**kept, **body}, at)
    if TIME_TO_COMPLETE not in vehicle.signals:
        return
    if report.minutes_to_complete is None:
        vehicle.set_error(TIME_TO_COMPLETE, not_charging_error(), at)
    else:
        kept = vehicle.signals[TIME_TO_COMPLETE].body or {}
        minutes = round(report.minutes_to_complete)
        vehicle.set_body(TIME_TO_COMPLETE, {**kept, "value": minutes}, at)
