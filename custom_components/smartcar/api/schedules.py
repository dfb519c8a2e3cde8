"""Charge schedules: daily, workweek and weekly charging windows at a location."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, time
from enum import StrEnum
import logging
import re
from typing import Any

from . import contract, signals
from .errors import ArgumentValidationError
from .models import Execution
from .parsing import as_coordinate, as_list, as_mapping, as_str

_LOGGER = logging.getLogger(__name__)


class Weekday(StrEnum):
    """Days of the week as the weekly body's keys spell them."""

    MONDAY = "monday"
    TUESDAY = "tuesday"
    WEDNESDAY = "wednesday"
    THURSDAY = "thursday"
    FRIDAY = "friday"
    SATURDAY = "saturday"
    SUNDAY = "sunday"


class ScheduleType(StrEnum):
    """The three kinds of charge schedule."""

    DAILY = "daily"
    WORKWEEK = "workweek"
    WEEKLY = "weekly"


class ScheduleProblem(StrEnum):
    """Why a schedule is invalid (also the integration's translation keys)."""

    INVALID_TIME = "invalid_time"
    SAME_START_STOP = "same_start_stop"
    INVALID_LATITUDE = "invalid_latitude"
    INVALID_LONGITUDE = "invalid_longitude"
    NO_DAYS = "no_days"
    INVALID_DAY = "invalid_day"
    MISSING_FIELD = "missing_field"
    INVALID_ID = "invalid_id"


class ScheduleValidationError(ArgumentValidationError):
    """A schedule that Smartcar would refuse; nothing was sent."""

    problem: ScheduleProblem


def created_schedule_id(execution: Execution) -> str:
    """Return the id of the schedule a create made (`scheduleId`); empty when not given yet.

    Never the execution id, which deletes nothing: a 202 without `scheduleId` is pending (see
    contract.py, "Schedule answers"); `SmartcarVehicle.async_add_charge_schedule` tells it
    apart and reads the id back.
    """
    return as_str(execution.attributes.get("scheduleId")) or ""


@dataclass(frozen=True, slots=True)
class ScheduleCreation:
    """What a create did: the schedule stored under its id, or pending (no id known yet).

    `timers_read` is the ChargeTimers signal read back for the id, if one was (fresh: show it).
    """

    execution: Execution
    schedule: ChargeSchedule | None
    timers_read: signals.Signal[Any] | None = None

    @property
    def pending(self) -> bool:
        """Whether Smartcar took the create but no schedule id is known yet."""
        return self.schedule is None

    @property
    def schedule_id(self) -> str | None:
        """The new schedule's id; None while pending."""
        return self.schedule.id if self.schedule is not None else None


_TIME = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?$")


def parse_time(value: Any, field: str) -> time:
    """Read `HH:MM` (or `HH:MM:SS`) as a time, or raise `ScheduleValidationError`."""
    if isinstance(value, time):
        return value.replace(second=0, microsecond=0)
    match = _TIME.match(value) if isinstance(value, str) else None
    if match is None:
        raise ScheduleValidationError(ScheduleProblem.INVALID_TIME, field)
    return time(int(match[1]), int(match[2]))


@dataclass(frozen=True, slots=True)
class ChargeWindow:
    """Charge from `start` to `stop` (local time; a window may run past midnight)."""

    start: time
    stop: time

    @classmethod
    def parse(cls, start: Any, stop: Any, field: str = "") -> ChargeWindow:
        """Read and check a window; `field` prefixes the field names in errors."""
        window = cls(
            parse_time(start, f"{field}start_time"),
            parse_time(stop, f"{field}stop_time"),
        )
        if window.start == window.stop:
            raise ScheduleValidationError(
                ScheduleProblem.SAME_START_STOP, f"{field}stop_time"
            )
        return window

    @classmethod
    def from_json(cls, data: Any, field: str = "") -> ChargeWindow:
        """Read `{"startTime": "HH:MM", "stopTime": "HH:MM"}` (names: see contract)."""
        data = as_mapping(data)
        return cls.parse(
            data.get(contract.SCHEDULE_START_FIELD),
            data.get(contract.SCHEDULE_STOP_FIELD),
            field,
        )

    def to_json(self) -> dict[str, str]:
        """Return `{"startTime": "HH:MM", "stopTime": "HH:MM"}` (names: see contract)."""
        return {
            contract.SCHEDULE_START_FIELD: self.start.strftime("%H:%M"),
            contract.SCHEDULE_STOP_FIELD: self.stop.strftime("%H:%M"),
        }


@dataclass(frozen=True, slots=True)
class GeoLocation:
    """Where a schedule applies (the car charges on it only there)."""

    latitude: float
    longitude: float

    @classmethod
    def parse(cls, latitude: Any, longitude: Any) -> GeoLocation:
        """Check the coordinates are numbers in range."""
        lat, lon = as_coordinate(latitude, 90), as_coordinate(longitude, 180)
        if lat is None:
            raise ScheduleValidationError(ScheduleProblem.INVALID_LATITUDE, "latitude")
        if lon is None:
            raise ScheduleValidationError(
                ScheduleProblem.INVALID_LONGITUDE, "longitude"
            )
        return cls(lat, lon)


@dataclass(frozen=True, slots=True)
class ChargeSchedule:
    """A charge schedule; every type is held as the window it gives each weekday."""

    schedule_type: ScheduleType
    location: GeoLocation
    days: Mapping[Weekday, ChargeWindow]
    id: str | None = None
    # The car's name for the place ("Home"): shown, never sent, not part of sameness.
    location_name: str | None = field(default=None, compare=False)

    @classmethod
    def daily(cls, location: GeoLocation, window: ChargeWindow) -> ChargeSchedule:
        """Charge in the same window every day."""
        return cls(ScheduleType.DAILY, location, dict.fromkeys(Weekday, window))

    @classmethod
    def workweek(
        cls, location: GeoLocation, weekdays: ChargeWindow, weekends: ChargeWindow
    ) -> ChargeSchedule:
        """Charge in one window Monday to Friday, another on Saturday and Sunday."""
        week = tuple(Weekday)
        days = dict.fromkeys(week[:5], weekdays) | dict.fromkeys(week[5:], weekends)
        return cls(ScheduleType.WORKWEEK, location, days)

    @classmethod
    def weekly(
        cls, location: GeoLocation, days: Mapping[Weekday, ChargeWindow]
    ) -> ChargeSchedule:
        """Charge in a window on each chosen day."""
        if not days:
            raise ScheduleValidationError(ScheduleProblem.NO_DAYS, "days")
        return cls(ScheduleType.WEEKLY, location, dict(days))

    def to_attributes(self) -> dict[str, Any]:
        """Return the request body's `data.attributes` for this schedule's type."""
        body: dict[str, Any] = {contract.SCHEDULE_LOCATION_FIELD: asdict(self.location)}
        if self.schedule_type is ScheduleType.DAILY:
            body |= self.days[Weekday.MONDAY].to_json()
        elif self.schedule_type is ScheduleType.WORKWEEK:
            weekdays, weekends = self.days[Weekday.MONDAY], self.days[Weekday.SATURDAY]
            body[contract.WORKWEEK_WEEKDAYS_FIELD] = weekdays.to_json()
            body[contract.WORKWEEK_WEEKENDS_FIELD] = weekends.to_json()
        else:
            body[contract.WEEKLY_DAYS_FIELD] = {
                day.value: window.to_json() for day, window in self.days.items()
            }
        return body

    def windows(self) -> list[tuple[ChargeWindow, list[Weekday]]]:
        """Group the days that share a window, in the order of the week."""
        grouped: dict[ChargeWindow, list[Weekday]] = {}
        for day in Weekday:
            if (window := self.days.get(day)) is not None:
                grouped.setdefault(window, []).append(day)
        return list(grouped.items())

    def shown(self, *, coordinates: bool = True) -> dict[str, Any]:
        """Return it as shown: `HH:MM`, days Monday first (the sensor: no `coordinates`)."""
        place = asdict(self.location) if coordinates else {}
        return {
            "schedule_id": self.id,
            "type": self.schedule_type.value,
            "location": place | {"name": self.location_name},
            "windows": [
                {
                    "start_time": window.start.strftime("%H:%M"),
                    "stop_time": window.stop.strftime("%H:%M"),
                    "days": [day.value for day in days],
                }
                for window, days in self.windows()
            ],
        }

    def to_timer(self) -> dict[str, Any]:
        """Return the schedule as Charge.ChargeTimers shows a LOCATION timer."""
        return {
            "type": "LOCATION",
            "condition": {
                **asdict(self.location),
                "name": self.location_name,
                "address": None,
            },
            "scheduleType": self.schedule_type.upper(),
            "scheduleId": self.id,
            "schedules": [
                {
                    "start": window.start.strftime("%H:%M:%S"),
                    "end": window.stop.strftime("%H:%M:%S"),
                    "days": [day.upper() for day in days],
                }
                for window, days in self.windows()
            ],
            "departureTimers": [],
        }

    def with_id(self, schedule_id: str | None) -> ChargeSchedule:
        """Return the schedule as stored under `schedule_id` (None: without an id)."""
        return replace(self, id=schedule_id)

    def same_as(self, other: ChargeSchedule) -> bool:
        """Whether both charge at the same place in the same windows (ids aside)."""
        return self.with_id(None) == other.with_id(None)

    @classmethod
    def from_timer(cls, timer: signals.ChargeTimer) -> ChargeSchedule:
        """Read a LOCATION timer of Charge.ChargeTimers (days in any case, `HH:MM[:SS]`)."""
        schedule_type = _schedule_type(timer.schedule_type)
        condition = timer.condition
        location = GeoLocation.parse(
            condition.latitude if condition else None,
            condition.longitude if condition else None,
        )
        days: dict[Weekday, ChargeWindow] = {}
        for window in timer.windows:
            parsed = ChargeWindow.parse(window.start, window.end)
            for name in window.days:
                days[_weekday(name)] = parsed
        if not days:
            raise ScheduleValidationError(ScheduleProblem.NO_DAYS, "days")
        place = condition.name if condition else None
        return cls(schedule_type, location, days, timer.schedule_id, place)

    @classmethod
    def from_resource(cls, resource: Any) -> ChargeSchedule:
        """Read a `charge-schedule` resource from `GET /schedules`."""
        resource = as_mapping(resource)
        attributes = as_mapping(resource.get("attributes"))
        raw_location = as_mapping(attributes.get(contract.SCHEDULE_LOCATION_FIELD))
        location = GeoLocation.parse(
            raw_location.get("latitude"), raw_location.get("longitude")
        )
        schedule_type = _schedule_type(as_str(attributes.get("scheduleType")))
        if schedule_type is ScheduleType.DAILY:
            schedule = cls.daily(location, ChargeWindow.from_json(attributes))
        elif schedule_type is ScheduleType.WORKWEEK:
            schedule = cls.workweek(
                location,
                ChargeWindow.from_json(
                    attributes.get(contract.WORKWEEK_WEEKDAYS_FIELD), "weekdays_"
                ),
                ChargeWindow.from_json(
                    attributes.get(contract.WORKWEEK_WEEKENDS_FIELD), "weekends_"
                ),
            )
        else:
            raw_days = as_mapping(attributes.get(contract.WEEKLY_DAYS_FIELD)).items()
            days = {_weekday(name): window for name, window in raw_days}
            windows = {d: ChargeWindow.from_json(w, f"{d}_") for d, w in days.items()}
            schedule = cls.weekly(location, windows)
        return replace(schedule, id=as_str(resource.get("id")))


def _schedule_type(raw: str | None) -> ScheduleType:
    """Read a schedule type in any case; refuse a missing or unknown one."""
    try:
        return ScheduleType((raw or "").lower())
    except ValueError as err:
        raise ScheduleValidationError(
            ScheduleProblem.MISSING_FIELD, "scheduleType"
        ) from err


def _weekday(name: str) -> Weekday:
    """Read an English weekday name in any case."""
    try:
        return Weekday(name.lower())
    except ValueError as err:
        raise ScheduleValidationError(ScheduleProblem.INVALID_DAY, "days") from err


@dataclass(frozen=True, slots=True)
class ScheduleTimers:
    """Charge.ChargeTimers as held for a vehicle, with the updates a create or delete implies.

    Keeps the body as Smartcar sent it, so timers made in the carmaker's app stay untouched.
    """

    raw: Mapping[str, Any]
    timers: signals.ChargeTimers
    read_at: datetime | None = None

    @classmethod
    def of(cls, data: signals.VehicleSignals | None) -> ScheduleTimers | None:
        """Return the vehicle's charge timers, when it reports a readable ChargeTimers."""
        signal = data.get(signals.CHARGE_TIMERS) if data is not None else None
        if signal is None or signal.body is None or signal.raw_body is None:
            return None
        # When this client read them (a poll, a delivery or its own update).
        return cls(signal.raw_body, signal.body, signal.received_at)

    @property
    def schedule_ids(self) -> list[str]:
        """The ids of the location-based schedules (as many as the schedules sensor counts)."""
        return [timer.schedule_id or "" for timer in self.timers.location_timers]

    def schedules(self) -> list[ChargeSchedule]:
        """Return the location-based schedules that read as one (others skipped silently).

        Silently: the calendar asks on every update; the list action logs what it skips.
        """
        readable = []
        for timer in self.timers.location_timers:
            try:
                readable.append(ChargeSchedule.from_timer(timer))
            except ScheduleValidationError:
                continue
        return readable

    def with_schedule(
        self, schedule: ChargeSchedule, at: datetime
    ) -> signals.Signal[Any]:
        """Return the signal with `schedule` (created, with its id) added, current at `at`."""
        values = [*as_list(self.raw.get("values")), schedule.to_timer()]
        body = {**self.raw, "values": values}
        return signals.current_signal(signals.CHARGE_TIMERS, body, at)

    def without(self, schedule_id: str, at: datetime) -> signals.Signal[Any]:
        """Return the signal without the schedule `schedule_id`, current at `at`."""
        values = as_list(self.raw.get("values"))
        kept = [v for v in values if as_mapping(v).get("scheduleId") != schedule_id]
        body = {**self.raw, "values": kept}
        return signals.current_signal(signals.CHARGE_TIMERS, body, at)


def readable_schedules[T](
    items: Iterable[T], read: Callable[[T], ChargeSchedule]
) -> list[ChargeSchedule]:
    """Read each schedule, skipping (and logging) those that cannot be read."""
    readable = []
    for item in items:
        try:
            readable.append(read(item))
        except ScheduleValidationError as err:
            _LOGGER.warning("Skipping an unreadable charge schedule: %s", err)
    return readable
