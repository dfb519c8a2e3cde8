"""Calendar: each car's charge schedules as events (when the car will charge, if plugged in).

An event's summary names the car and the schedule's type in Home Assistant's language (the
`common` texts of strings.json): two cars' windows read apart in a shared calendar view.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any, Final, override

from homeassistant.components.calendar import (
    CalendarEntity,
    CalendarEntityDescription,
    CalendarEvent,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers.translation import (
    async_get_cached_translations,
    async_get_translations,
)
from homeassistant.util import dt as dt_util

from .api import ChargeSchedule, ScheduleTimers, Weekday, signals
from .api.schedules import ScheduleValidationError
from .const import DOMAIN
from .entity import (
    SmartcarEntity,
    SmartcarEntityDescription,
    async_setup_vehicle_entities,
)

PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class SmartcarCalendarDescription(
    SmartcarEntityDescription[signals.ChargeTimers], CalendarEntityDescription
):
    """A calendar fed by one signal."""


def takes_schedules(data: signals.VehicleSignals) -> bool:
    """Whether a car takes charge schedules: it reports its charge timers, not just an error.

    A car whose ChargeTimers answers only an error (the I-PACE's SERVER) takes none: listing
    its schedules says "not capable", and it gets neither the schedules sensor nor this
    calendar (they come if a later read brings its timers).
    """
    return ScheduleTimers.of(data) is not None


def shown_schedules(
    timers: signals.ChargeTimers, *, coordinates: bool = True
) -> list[dict[str, Any]]:
    """Show every location timer, so that the schedules' ids are as many as the sensor counts.

    One that does not read as a schedule (no type, a window that stops as it starts, an
    unknown day, coordinates out of range) shows its id and place's name, no type, no windows.
    """
    shown: list[dict[str, Any]] = []
    for timer in timers.location_timers:
        try:
            schedule = ChargeSchedule.from_timer(timer)
        except ScheduleValidationError:
            place = timer.condition.name if timer.condition else None
            shown.append(
                {
                    "schedule_id": timer.schedule_id,
                    "type": None,
                    "location": {"name": place},
                    "windows": [],
                }
            )
        else:
            shown.append(schedule.shown(coordinates=coordinates))
    return shown


CHARGE_CALENDAR: Final = SmartcarCalendarDescription(
    key="charge_schedules_calendar",
    translation_key="charge_schedules",
    signal=signals.CHARGE_TIMERS,
    vehicle_fn=takes_schedules,
)
_WEEKDAYS: Final = tuple(Weekday)  # Monday first, as date.weekday() counts


def expand(
    schedules: Sequence[ChargeSchedule],
    start: datetime,
    end: datetime,
    summary: Callable[[ChargeSchedule], str],
) -> list[CalendarEvent]:
    """Return every charging window that overlaps [start, end), in local time, by start.

    A window whose stop is not after its start runs past midnight into the next day.
    """
    zone = dt_util.get_default_time_zone()
    first = dt_util.as_local(start).date() - timedelta(days=1)
    events = []
    for n in range((dt_util.as_local(end).date() - first).days + 1):
        day = first + timedelta(days=n)
        for schedule in schedules:
            if (window := schedule.days.get(_WEEKDAYS[day.weekday()])) is None:
                continue
            overnight = timedelta(days=int(window.stop <= window.start))
            begins = datetime.combine(day, window.start, zone)
            ends = datetime.combine(day + overnight, window.stop, zone)
            if begins < end and ends > start:
                events.append(
                    CalendarEvent(
                        start=begins,
                        end=ends,
                        summary=summary(schedule),
                        uid=f"{schedule.id}_{day.isoformat()}",
                    )
                )
    return sorted(events, key=lambda event: (event.start_datetime_local, event.uid))


class SmartcarChargeCalendar(SmartcarEntity[signals.ChargeTimers], CalendarEntity):
    """The windows in which a car's charge schedules let it charge."""

    entity_description: SmartcarCalendarDescription
    _schedules: Sequence[ChargeSchedule] = ()

    @override
    def _update_state(self) -> None:
        """Read the schedules once per update (which window is shown follows the clock)."""
        super()._update_state()
        timers = ScheduleTimers.of(self.coordinator.data)
        self._schedules = timers.schedules() if timers is not None else ()

    @property
    @override
    def event(self) -> CalendarEvent | None:
        """The window under way, else the next one.

        Read from the schedules of the last update at each write: the clock picks the window,
        and Home Assistant writes the state again at its start and end.
        """
        now = dt_util.now()
        # How far ahead the state looks for the next window (every weekly one comes round).
        ahead = now + timedelta(days=8)
        upcoming = expand(self._schedules, now, ahead, self._summary)
        return upcoming[0] if upcoming else None

    @override
    async def async_get_events(
        self, hass: HomeAssistant, start_date: datetime, end_date: datetime
    ) -> list[CalendarEvent]:
        """Every window between `start_date` and `end_date`."""
        # Loaded with the platform; after a change of language, loaded here if not yet.
        await async_get_translations(hass, hass.config.language, "common", {DOMAIN})
        return expand(self._schedules, start_date, end_date, self._summary)

    def _summary(self, schedule: ChargeSchedule) -> str:
        """Name the car (as its device is called, renamed or not) and the schedule's type."""
        device = self.device_entry
        car = (device.name_by_user or device.name) if device else None
        texts = async_get_cached_translations(
            self.hass, self.hass.config.language, "common", DOMAIN
        )
        key = f"component.{DOMAIN}.common.charge_window_{schedule.schedule_type}"
        text = texts.get(key, "{vehicle}: " + schedule.schedule_type)
        return text.replace("{vehicle}", car or self.coordinator.vehicle_name)


# Add a charge-schedule calendar for each car that takes schedules (reports its timers).
async_setup_entry = partial(
    async_setup_vehicle_entities,
    descriptions=(CHARGE_CALENDAR,),
    factory=SmartcarChargeCalendar,
)
