"""Charge schedules: body validation, storage and the `charge-chargetimers` mirror."""

from __future__ import annotations

from datetime import datetime
import re
from typing import Any

from .errors import validation_error
from .state import ChargeSchedule, Vehicle

MAX_SCHEDULES = 10
TIMERS = "charge-chargetimers"
WEEKDAYS = (
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
)
SCHEDULE_TYPES = {
    "daily": "daily",
    "weekly": "weekly",
    "workweek": "workweek",
    "charge-daily": "daily",
    "charge-weekly": "weekly",
    "charge-workweek": "workweek",
}
"""Path segment of the create route (documented or partner family) to `scheduleType`."""
PARTNER_PREFIX = "/v3.0/"
"""Paths of the partner page's family start here (the documented ones with `/v3/`)."""

_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


def _number(value: Any, field: str, bound: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise validation_error(f"{field}: must be a number")
    if not -bound <= value <= bound:
        raise validation_error(f"{field}: must be between {-bound:g} and {bound:g}")
    return float(value)


def _location(value: Any) -> dict[str, float]:
    if not isinstance(value, dict):
        raise validation_error("location: required object with latitude and longitude")
    return {
        "latitude": _number(value.get("latitude"), "location.latitude", 90),
        "longitude": _number(value.get("longitude"), "location.longitude", 180),
    }


def _window(value: Any, prefix: str) -> dict[str, str]:
    if not isinstance(value, dict):
        raise validation_error(f"{prefix}: required object with startTime and stopTime")
    dot = f"{prefix}." if prefix else ""
    times: dict[str, str] = {}
    for key in ("startTime", "stopTime"):
        text = value.get(key)
        if not isinstance(text, str) or not _TIME.match(text):
            raise validation_error(f"{dot}{key}: expected a time as HH:MM (24 h)")
        times[key] = text
    if times["startTime"] == times["stopTime"]:
        raise validation_error(f"{dot}stopTime: must differ from startTime")
    return times


def parse_schedule(schedule_type: str, attributes: dict[str, Any]) -> dict[str, Any]:
    """Validate a create body's `data.attributes` and return them normalised.

    Raises `ApiError` (400 VALIDATION PARAMETER) whose detail starts with the field name.
    """
    result: dict[str, Any] = {"location": _location(attributes.get("location"))}
    if schedule_type == "daily":
        result.update(_window(attributes, ""))
    elif schedule_type == "weekly":
        days = attributes.get("days")
        if not isinstance(days, dict) or not days:
            raise validation_error("days: at least one weekday is required")
        for day in days:
            if day not in WEEKDAYS:
                raise validation_error(f"days.{day}: unknown weekday")
        result["days"] = {
            day: _window(days[day], f"days.{day}") for day in WEEKDAYS if day in days
        }
    else:
        for part in ("weekdays", "weekends"):
            result[part] = _window(attributes.get(part), part)
    return result


def _timer_schedule(window: dict[str, str], days: tuple[str, ...]) -> dict[str, Any]:
    return {
        "start": f"{window['startTime']}:00",
        "end": f"{window['stopTime']}:00",
        "days": [day.upper() for day in days],
    }


def charge_timer(schedule: ChargeSchedule) -> dict[str, Any]:
    """Return the `LOCATION` timer that mirrors a schedule in `charge-chargetimers`."""
    attributes = schedule.attributes
    if schedule.schedule_type == "daily":
        entries = [_timer_schedule(attributes, WEEKDAYS)]
    elif schedule.schedule_type == "weekly":
        entries = [
            _timer_schedule(window, (day,))
            for day, window in attributes["days"].items()
        ]
    else:
        entries = [
            _timer_schedule(attributes["weekdays"], WEEKDAYS[:5]),
            _timer_schedule(attributes["weekends"], WEEKDAYS[5:]),
        ]
    return {
        "type": "LOCATION",
        "scheduleType": schedule.schedule_type.upper(),
        "scheduleId": schedule.id,
        "condition": {"name": None, "address": None, **attributes["location"]},
        "schedules": entries,
        "departureTimers": [],
        "isOEMOptimizationEnabled": False,
    }


def sync_charge_timers(
    vehicle: Vehicle, at: datetime, dropped: str | None = None
) -> None:
    """Rewrite the schedule timers of `charge-chargetimers`, keeping every other timer."""
    if TIMERS not in vehicle.signals:
        return
    managed = {schedule.id for schedule in vehicle.schedules}
    if dropped is not None:
        managed.add(dropped)
    current = vehicle.signals[TIMERS].body or {}
    kept = [
        timer
        for timer in current.get("values", [])
        if timer.get("scheduleId") not in managed
    ]
    timers = kept + [charge_timer(schedule) for schedule in vehicle.schedules]
    vehicle.set_body(TIMERS, {**current, "values": timers}, at)
