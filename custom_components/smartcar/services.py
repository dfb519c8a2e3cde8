"""Actions: create, list and delete a vehicle's charge schedules."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import time
from typing import Any, Final

from homeassistant.const import ATTR_DEVICE_ID, ATTR_LATITUDE, ATTR_LONGITUDE
from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import device_registry as dr
from homeassistant.util import dt as dt_util
import voluptuous as vol

from .api import (
    ChargeSchedule,
    ChargeWindow,
    GeoLocation,
    PowertrainType,
    ScheduleType,
    ScheduleValidationError,
    SmartcarError,
    Weekday,
    signals,
)
from .api.contract import MAX_CHARGE_SCHEDULES, SCHEDULE_PERMISSION
from .api.signals import ChargeTimers
from .const import DOMAIN
from .coordinator import SmartcarVehicleCoordinator, find_coordinator
from .errors import command_error

SERVICE_CREATE: Final = "create_charge_schedule"
SERVICE_LIST: Final = "list_charge_schedules"
SERVICE_DELETE: Final = "delete_charge_schedule"

ATTR_TYPE: Final = "type"
ATTR_START_TIME: Final = "start_time"
ATTR_STOP_TIME: Final = "stop_time"
ATTR_DAYS: Final = "days"
ATTR_WEEKEND_START_TIME: Final = "weekend_start_time"
ATTR_WEEKEND_STOP_TIME: Final = "weekend_stop_time"
ATTR_LOCATION: Final = "location"
ATTR_SCHEDULE_ID: Final = "schedule_id"

# Fields are declared here but their values are checked in the handlers, so that every bad
# value gets a translated error naming the problem (voluptuous' messages are not translated).
_ANY = object
CREATE_SCHEMA: Final = vol.Schema(
    {
        vol.Required(ATTR_DEVICE_ID): _ANY,
        vol.Required(ATTR_TYPE): _ANY,
        vol.Required(ATTR_START_TIME): _ANY,
        vol.Required(ATTR_STOP_TIME): _ANY,
        vol.Optional(ATTR_DAYS): _ANY,
        vol.Optional(ATTR_WEEKEND_START_TIME): _ANY,
        vol.Optional(ATTR_WEEKEND_STOP_TIME): _ANY,
        vol.Optional(ATTR_LOCATION): _ANY,
    }
)
LIST_SCHEMA: Final = vol.Schema({vol.Required(ATTR_DEVICE_ID): _ANY})
DELETE_SCHEMA: Final = vol.Schema(
    {vol.Required(ATTR_DEVICE_ID): _ANY, vol.Required(ATTR_SCHEDULE_ID): _ANY}
)


def _invalid(key: str, **placeholders: str) -> ServiceValidationError:
    return ServiceValidationError(
        translation_domain=DOMAIN,
        translation_key=key,
        translation_placeholders=placeholders,
    )


@callback
def async_setup_services(hass: HomeAssistant) -> None:
    """Register the charge-schedule actions (once, for every entry)."""
    hass.services.async_register(
        DOMAIN, SERVICE_CREATE, _async_create, CREATE_SCHEMA, SupportsResponse.OPTIONAL
    )
    hass.services.async_register(
        DOMAIN, SERVICE_LIST, _async_list, LIST_SCHEMA, SupportsResponse.ONLY
    )
    hass.services.async_register(DOMAIN, SERVICE_DELETE, _async_delete, DELETE_SCHEMA)


def _coordinator(call: ServiceCall) -> SmartcarVehicleCoordinator:
    """Find the vehicle a call targets, and check it can have charge schedules."""
    device_id = call.data[ATTR_DEVICE_ID]
    device = (
        dr.async_get(call.hass).async_get(device_id)
        if isinstance(device_id, str)
        else None
    )
    vehicle_id = (
        next((vid for domain, vid in device.identifiers if domain == DOMAIN), None)
        if device
        else None
    )
    if device is None or vehicle_id is None:
        raise _invalid("invalid_device", device_id=str(device_id))
    coordinator = find_coordinator(call.hass, vehicle_id)
    if coordinator is None:
        raise _invalid("entry_not_loaded", device=device.name or device_id)
    name = device.name or vehicle_id
    if coordinator.connection.vehicle.powertrain_type == PowertrainType.ICE:
        raise _invalid("schedules_not_capable", device=name)
    if not coordinator.has_permission(SCHEDULE_PERMISSION):
        raise _invalid(
            "schedules_permission", device=name, permission=SCHEDULE_PERMISSION
        )
    return coordinator


def _window(call: ServiceCall, start_field: str, stop_field: str) -> ChargeWindow:
    start, stop = call.data.get(start_field), call.data.get(stop_field)
    for field, value in ((start_field, start), (stop_field, stop)):
        if value is None:
            raise _invalid("schedule_missing_field", field=field)
    return ChargeWindow.parse(
        start.strftime("%H:%M") if isinstance(start, time) else start,
        stop.strftime("%H:%M") if isinstance(stop, time) else stop,
        start_field.removesuffix("start_time"),
    )


def _days(value: Any) -> list[Weekday]:
    if value is None or value == []:
        raise _invalid("schedule_no_days", field=ATTR_DAYS)
    names = [value] if isinstance(value, str) else value
    if not isinstance(names, list):
        raise _invalid("schedule_invalid_day", field=ATTR_DAYS, day=str(value))
    days = []
    for name in names:
        try:
            days.append(Weekday(str(name).lower()))
        except ValueError:
            raise _invalid(
                "schedule_invalid_day", field=ATTR_DAYS, day=str(name)
            ) from None
    return days


def _location(
    call: ServiceCall, coordinator: SmartcarVehicleCoordinator
) -> GeoLocation:
    """Return the location given, else where the car was last parked, else Home Assistant's home."""
    given = call.data.get(ATTR_LOCATION)
    if given is not None:
        if not isinstance(given, Mapping):
            raise _invalid("schedule_invalid_location", field=ATTR_LOCATION)
        return GeoLocation.parse(given.get(ATTR_LATITUDE), given.get(ATTR_LONGITUDE))
    # A vehicle whose first refresh failed has no data yet.
    if coordinator.data and (parked := coordinator.data.body(signals.PRECISE_LOCATION)):
        return GeoLocation(parked.latitude, parked.longitude)
    return GeoLocation(call.hass.config.latitude, call.hass.config.longitude)


def _schedule(
    call: ServiceCall, coordinator: SmartcarVehicleCoordinator
) -> ChargeSchedule:
    """Build the requested schedule, or raise a translated error naming what is wrong."""
    try:
        schedule_type = ScheduleType(str(call.data[ATTR_TYPE]).lower())
    except ValueError:
        raise _invalid(
            "schedule_invalid_type", type=str(call.data[ATTR_TYPE])
        ) from None
    try:
        window = _window(call, ATTR_START_TIME, ATTR_STOP_TIME)
        location = _location(call, coordinator)
        if schedule_type is ScheduleType.DAILY:
            return ChargeSchedule.daily(location, window)
        if schedule_type is ScheduleType.WORKWEEK:
            weekend = _window(call, ATTR_WEEKEND_START_TIME, ATTR_WEEKEND_STOP_TIME)
            return ChargeSchedule.workweek(location, window, weekend)
        return ChargeSchedule.weekly(
            location, dict.fromkeys(_days(call.data.get(ATTR_DAYS)), window)
        )
    except ScheduleValidationError as err:
        raise _invalid(f"schedule_{err.problem}", field=err.field) from err


def _known_timers(coordinator: SmartcarVehicleCoordinator) -> dict[str, Any] | None:
    """Return a copy of the raw Charge.ChargeTimers body, when the car reports it."""
    signal = coordinator.data.get(signals.CHARGE_TIMERS) if coordinator.data else None
    if (
        signal is None
        or not isinstance(signal.body, ChargeTimers)
        or signal.raw_body is None
    ):
        return None
    return dict(signal.raw_body)


def _location_timer_ids(timers: Mapping[str, Any]) -> list[str]:
    return [
        str(timer.get("scheduleId"))
        for timer in timers.get("values", [])
        if isinstance(timer, Mapping)
        and str(timer.get("type", "")).upper() == "LOCATION"
    ]


@callback
def _show_timers(
    coordinator: SmartcarVehicleCoordinator, timers: dict[str, Any]
) -> None:
    """Show the new schedules now, without spending a request on a poll."""
    coordinator.async_apply_local_update(
        [signals.current_signal(signals.CHARGE_TIMERS, timers, dt_util.utcnow())]
    )


async def _async_create(call: ServiceCall) -> ServiceResponse:
    coordinator = _coordinator(call)
    schedule = _schedule(call, coordinator)
    timers = _known_timers(coordinator)
    if timers is not None and len(_location_timer_ids(timers)) >= MAX_CHARGE_SCHEDULES:
        raise _invalid("schedule_limit", limit=str(MAX_CHARGE_SCHEDULES))
    try:
        execution = await coordinator.vehicle.async_create_charge_schedule(schedule)
    except SmartcarError as err:
        raise command_error(err, SERVICE_CREATE, coordinator) from err
    schedule_id = str(execution.attributes.get("scheduleId") or execution.id or "")
    if timers is not None:
        timers["values"] = [
            *timers.get("values", []),
            schedule.with_id(schedule_id).to_timer(),
        ]
        _show_timers(coordinator, timers)
    return {ATTR_SCHEDULE_ID: schedule_id}


async def _async_list(call: ServiceCall) -> ServiceResponse:
    coordinator = _coordinator(call)
    try:
        schedules = await coordinator.vehicle.async_list_charge_schedules()
    except SmartcarError as err:
        raise command_error(err, SERVICE_LIST, coordinator) from err
    return {
        "schedules": [
            {
                ATTR_SCHEDULE_ID: schedule.id,
                ATTR_TYPE: schedule.schedule_type.value,
                ATTR_LOCATION: {
                    ATTR_LATITUDE: schedule.location.latitude,
                    ATTR_LONGITUDE: schedule.location.longitude,
                },
                "windows": [
                    {
                        ATTR_START_TIME: window.start.strftime("%H:%M"),
                        ATTR_STOP_TIME: window.stop.strftime("%H:%M"),
                        ATTR_DAYS: [day.value for day in days],
                    }
                    for window, days in schedule.windows()
                ],
            }
            for schedule in schedules
        ]
    }


async def _async_delete(call: ServiceCall) -> None:
    coordinator = _coordinator(call)
    schedule_id = call.data[ATTR_SCHEDULE_ID]
    if not isinstance(schedule_id, str) or not schedule_id.strip():
        raise _invalid("schedule_invalid_id", schedule_id=str(schedule_id))
    try:
        await coordinator.vehicle.async_delete_charge_schedule(schedule_id.strip())
    except SmartcarError as err:
        raise command_error(err, SERVICE_DELETE, coordinator) from err
    if (timers := _known_timers(coordinator)) is not None:
        timers["values"] = [
            timer
            for timer in timers.get("values", [])
            if not (
                isinstance(timer, Mapping)
                and timer.get("scheduleId") == schedule_id.strip()
            )
        ]
        _show_timers(coordinator, timers)
