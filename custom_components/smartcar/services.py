"""Actions: a vehicle's charge schedules (create, list, delete) and `set_destination`.

Every action targets Smartcar vehicle devices of loaded entries (one device id or a list).
Each field is checked declaratively; a value voluptuous refuses becomes the translated
`ServiceValidationError` of its field (`_field_error`), and the rules that join fields
(stop differs from start, weekend times for workweek, days for weekly only) live in
`_cross_field_rules`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from functools import partial
from typing import Any, Final, TypeGuard

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import ATTR_DEVICE_ID, ATTR_LATITUDE, ATTR_LONGITUDE, ATTR_NAME
from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import config_validation as cv, device_registry as dr
from homeassistant.util import dt as dt_util
import voluptuous as vol

from .api import (
    ChargeSchedule,
    ChargeWindow,
    GeoLocation,
    PowertrainType,
    ScheduleTimers,
    ScheduleType,
    SmartcarCompatibilityError,
    SmartcarError,
    SmartcarNoChargeTimersError,
    SmartcarNotFoundError,
    Weekday,
    signals,
)
from .api.contract import (
    DESTINATION_NAME_MAX_LENGTH,
    MAX_CHARGE_SCHEDULES,
    NAVIGATION_PERMISSION,
    SCHEDULE_ID_PATTERN,
    SCHEDULE_PERMISSION,
    ScheduleContract,
)
from .calendar import shown_schedules
from .const import DOMAIN
from .controls import async_send_command, command_error, in_owners_words, shown
from .coordinator import SmartcarVehicleCoordinator, find_coordinator
from .issues import translated
from .vehicles import vehicle_ids

SERVICE_CREATE: Final = "create_charge_schedule"
SERVICE_LIST: Final = "list_charge_schedules"
SERVICE_DELETE: Final = "delete_charge_schedule"
SERVICE_SET_DESTINATION: Final = "set_destination"

# Entry data: which charge-schedule path family this account answers.
CONF_SCHEDULE_CONTRACT: Final = "schedule_contract"
# Known schedules this recent are trusted to say an id does not exist, without a request.
FRESH_SCHEDULES: Final = timedelta(minutes=15)
# A list longer than this (devices, days) is refused: no use needs it, and it bounds the work.
MAX_LIST_ITEMS: Final = 14


def schedule_contract_memory(hass: HomeAssistant, entry: ConfigEntry) -> dict[str, Any]:
    """Return the client arguments that keep the schedule path family in the entry.

    The family learnt (documented or partner paths) is stored in the entry's data, so it
    survives restarts and shows in diagnostics.
    """
    stored = entry.data.get(CONF_SCHEDULE_CONTRACT)

    @callback
    def remember(contract: ScheduleContract) -> None:
        hass.config_entries.async_update_entry(
            entry, data={**entry.data, CONF_SCHEDULE_CONTRACT: contract.value}
        )

    known = ScheduleContract(stored) if stored in set(ScheduleContract) else None
    return {"schedule_contract": known, "on_schedule_contract": remember}


def _invalid(
    key: str, cls: type[HomeAssistantError] = ServiceValidationError, **values: str
) -> HomeAssistantError:
    """Return the translated error `key` of the integration (a refused input by default)."""
    return translated(cls, key, **in_owners_words(values))


def _field_error(data: Any, err: vol.Invalid) -> HomeAssistantError:
    """Return the translated error for the first field voluptuous refused."""
    path = list(err.path)
    field = str(path[0]) if path else ""
    value = data.get(field)
    if isinstance(value, list) and len(value) > MAX_LIST_ITEMS:  # devices or days
        limit = str(MAX_LIST_ITEMS)
        return _invalid("schedule_too_many_items", field=field, limit=limit)
    if field == ATTR_DEVICE_ID:
        return _invalid("invalid_device", device_id=shown(value))
    if field == "type":
        return _type_error(value)
    if field in ("start_time", "stop_time", "weekend_start_time", "weekend_stop_time"):
        if value is not None:
            return _invalid("schedule_invalid_time", field=field)
        try:  # start and stop: every type needs them; a bad type is told first
            kind = _TYPE(data.get("type"))
        except vol.Invalid:
            return _type_error(data.get("type"))
        return _invalid("schedule_missing_field", field=field, type=kind)
    if field == "days":
        day = value[path[1]] if isinstance(value, list) and len(path) > 1 else value
        return _invalid("schedule_invalid_day", field=field, day=shown(day))
    # A destination's coordinates are fields; a schedule's are keys of its location.
    coordinate = str(path[1]) if field == "location" and len(path) > 1 else field
    if coordinate == ATTR_LATITUDE:
        return _invalid("schedule_invalid_latitude", field=ATTR_LATITUDE)
    if coordinate == ATTR_LONGITUDE:
        return _invalid("schedule_invalid_longitude", field=ATTR_LONGITUDE)
    if field == "location":
        return _invalid("schedule_invalid_location", field=field)
    if field == ATTR_NAME:
        return _invalid(
            "destination_invalid_name", limit=str(DESTINATION_NAME_MAX_LENGTH)
        )
    if field == "schedule_id":
        return _invalid("schedule_invalid_id", schedule_id=shown(value))
    return _invalid("action_invalid_field", field=shown(field))


def _type_error(value: Any) -> HomeAssistantError:
    """Return the error of a missing or unknown schedule type."""
    if value is None:
        return _invalid("schedule_missing_type")
    return _invalid("schedule_invalid_type", type=shown(value))


def _cross_field_rules(data: dict[str, Any]) -> dict[str, Any]:
    """Check what joins fields: each window's stop, workweek's weekend, days (weekly only).

    A window may run past midnight (22:00 to 05:00); only a stop equal to its start is
    refused.
    """
    windows = [("start_time", "stop_time")]
    if data["type"] is ScheduleType.WORKWEEK:
        windows.append(("weekend_start_time", "weekend_stop_time"))
    for start, stop in windows:
        for field in (start, stop):
            if data.get(field) is None:
                raise _invalid("schedule_missing_field", field=field, type=data["type"])
        if data[start].strftime("%H:%M") == data[stop].strftime("%H:%M"):
            raise _invalid("schedule_same_start_stop", field=stop, start=start)
    if data["type"] is ScheduleType.WEEKLY and not data.get("days"):
        raise _invalid("schedule_no_days", field="days")
    if data["type"] is not ScheduleType.WEEKLY and data.get("days"):
        raise _invalid("schedule_days_not_weekly", type=data["type"])
    return data


def _translated(fields: dict[Any, Any], *rules: Callable[[Any], Any]) -> vol.All[Any]:
    """Return an action schema (every action targets devices) with translated errors."""
    # One device id or a list of them; which are Smartcar vehicles is checked when called.
    devices = vol.All(cv.ensure_list, vol.Length(min=1, max=MAX_LIST_ITEMS), [str])
    schema = vol.Schema({vol.Required(ATTR_DEVICE_ID): devices, **fields})

    def validate(data: Any) -> Any:
        try:
            return schema(data)
        except vol.MultipleInvalid as err:  # a dict schema reports all its errors
            raise _field_error(data, err.errors[0]) from err

    return vol.All(validate, *rules)


_COORDINATES: Final[dict[Any, Any]] = {
    vol.Required(ATTR_LATITUDE): cv.latitude,
    vol.Required(ATTR_LONGITUDE): cv.longitude,
}
# The location selector adds a radius.
_LOCATION: Final = {**_COORDINATES, vol.Optional("radius"): vol.Coerce(float)}
_DAY: Final = vol.All(cv.string, vol.Lower, vol.Coerce(Weekday))
_TYPE: Final = vol.All(cv.string, vol.Lower, vol.Coerce(ScheduleType))
_DAYS: Final = vol.All(cv.ensure_list, vol.Length(max=MAX_LIST_ITEMS), [_DAY])
_SCHEDULE_ID: Final = vol.All(str, vol.Strip, vol.Match(SCHEDULE_ID_PATTERN))
_NAME: Final = vol.All(cv.string, vol.Length(max=DESTINATION_NAME_MAX_LENGTH))
CREATE_SCHEMA: Final = _translated(
    {
        vol.Required("type"): _TYPE,
        vol.Required("start_time"): cv.time,
        vol.Required("stop_time"): cv.time,
        vol.Optional("days"): _DAYS,
        vol.Optional("weekend_start_time"): cv.time,
        vol.Optional("weekend_stop_time"): cv.time,
        vol.Optional("location"): _LOCATION,
    },
    _cross_field_rules,
)
LIST_SCHEMA: Final = _translated({})
DELETE_SCHEMA: Final = _translated({vol.Required("schedule_id"): _SCHEDULE_ID})
DESTINATION_SCHEMA: Final = _translated(
    {**_COORDINATES, vol.Optional(ATTR_NAME): _NAME}
)


@callback
def async_setup_services(hass: HomeAssistant) -> None:
    """Register the charge-schedule and navigation actions (once, for every entry)."""
    register = partial(hass.services.async_register, DOMAIN)
    register(SERVICE_CREATE, _async_create, CREATE_SCHEMA, SupportsResponse.OPTIONAL)
    register(SERVICE_LIST, _async_list, LIST_SCHEMA, SupportsResponse.ONLY)
    register(SERVICE_DELETE, _async_delete, DELETE_SCHEMA)
    register(SERVICE_SET_DESTINATION, _async_set_destination, DESTINATION_SCHEMA)


def _targets(
    call: ServiceCall, permission: str
) -> dict[str, SmartcarVehicleCoordinator]:
    """Find every vehicle a call targets, each checked first.

    Each must have granted the action's `permission` (and, for charge schedules, have a
    traction battery). Returns the vehicles by device id, each vehicle once.
    """
    found: dict[str, SmartcarVehicleCoordinator] = {}
    for device_id in call.data[ATTR_DEVICE_ID]:  # 1 to MAX_LIST_ITEMS (schema)
        device = dr.async_get(call.hass).async_get(device_id)
        vehicle_id = next(iter(vehicle_ids(device)), None) if device else None
        if device is None or vehicle_id is None:
            raise _invalid("invalid_device", device_id=shown(device_id))
        coordinator = find_coordinator(call.hass, vehicle_id)
        if coordinator is None:
            raise _invalid("entry_not_loaded", device=device.name or device_id)
        name = device.name or vehicle_id
        # Smartcar no longer lists it: a request would be refused.
        if coordinator.missing:
            raise _invalid("vehicle_not_connected", device=name)
        schedules = permission == SCHEDULE_PERMISSION
        powertrain = coordinator.connection.vehicle.powertrain_type
        if schedules and powertrain == PowertrainType.ICE:
            raise _invalid("schedules_not_capable", device=name)
        if schedules and not coordinator.has_permission(permission):
            raise _invalid("schedules_permission", device=name, permission=permission)
        if not coordinator.has_permission(permission):
            raise _invalid("destination_permission", device=name, permission=permission)
        if coordinator not in found.values():
            found[device_id] = coordinator
    return found


def _fresh(timers: ScheduleTimers | None) -> TypeGuard[ScheduleTimers]:
    """Whether this client read the known schedules less than FRESH_SCHEDULES ago."""
    read_at = timers.read_at if timers else None
    return read_at is not None and dt_util.utcnow() - read_at <= FRESH_SCHEDULES


def _response(results: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Answer with each vehicle's result by device id; with one vehicle also at the top."""
    response: dict[str, Any] = {"vehicles": results}
    if len(results) == 1:
        response |= next(iter(results.values()))
    return response


def _schedule(
    call: ServiceCall, coordinator: SmartcarVehicleCoordinator
) -> ChargeSchedule:
    """Build the schedule the (checked) call asks for.

    Its location is the one given, else where the car was last parked, else Home
    Assistant's home.
    """
    data = call.data
    window = ChargeWindow.parse(data["start_time"], data["stop_time"])
    location = GeoLocation(call.hass.config.latitude, call.hass.config.longitude)
    if (given := data.get("location")) is not None:
        location = GeoLocation(given[ATTR_LATITUDE], given[ATTR_LONGITUDE])
    # A vehicle whose first refresh failed has no data yet.
    elif coordinator.data and (at := coordinator.data.body(signals.PRECISE_LOCATION)):
        location = GeoLocation(at.latitude, at.longitude)
    if data["type"] is ScheduleType.DAILY:
        return ChargeSchedule.daily(location, window)
    if data["type"] is ScheduleType.WEEKLY:  # repeated days count once
        return ChargeSchedule.weekly(location, dict.fromkeys(data["days"], window))
    weekend = ChargeWindow.parse(data["weekend_start_time"], data["weekend_stop_time"])
    return ChargeSchedule.workweek(location, window, weekend)


async def _async_create(call: ServiceCall) -> ServiceResponse:
    """Create the schedule on each vehicle (every target checked first).

    Each vehicle answers `schedule_id` and `pending`. A create Smartcar took without naming
    the schedule (a long-running `202`) whose id the read-back cannot tell is pending:
    `schedule_id` is None (an execution id is never handed back as one), and the next read of
    the car's schedules shows it.
    """
    created: dict[str, dict[str, Any]] = {}
    for device_id, coordinator in _targets(call, SCHEDULE_PERMISSION).items():
        schedule, name = _schedule(call, coordinator), coordinator.vehicle_name
        async with coordinator.schedules_lock:
            # Read under the lock: a create that ran just before is already shown.
            timers = ScheduleTimers.of(coordinator.data)
            known = timers.schedule_ids if timers is not None else []
            if len(known) >= MAX_CHARGE_SCHEDULES:
                limit = str(MAX_CHARGE_SCHEDULES)
                raise _invalid("schedule_limit", device=name, limit=limit)
            try:
                added = await coordinator.vehicle.async_add_charge_schedule(
                    schedule, known
                )
            except SmartcarCompatibilityError as err:
                kind = schedule.schedule_type.value
                raise _invalid(
                    "schedule_not_capable", HomeAssistantError, device=name, type=kind
                ) from err
            except SmartcarError as err:
                raise command_error(err, SERVICE_CREATE, coordinator) from err
            created[device_id] = {
                "schedule_id": added.schedule_id,
                "pending": added.pending,
            }
            # Show the new schedule now, without spending a request on a poll: the timers
            # read back for its id, else the known ones with it added.
            if added.timers_read is not None:
                coordinator.async_apply_local_update([added.timers_read])
            elif timers is not None and added.schedule is not None:
                coordinator.async_apply_local_update(
                    [timers.with_schedule(added.schedule, dt_util.utcnow())]
                )
    return _response(created)


async def _async_list(call: ServiceCall) -> ServiceResponse:
    """List each vehicle's schedules (from the known ones when fresh, else read)."""
    listed: dict[str, list[dict[str, Any]]] = {}
    for device_id, coordinator in _targets(call, SCHEDULE_PERMISSION).items():
        fresh = _fresh(ScheduleTimers.of(coordinator.data))  # so there is data
        recent = coordinator.data.get(signals.CHARGE_TIMERS) if fresh else None
        try:
            listing = await coordinator.vehicle.async_list_charge_schedules(recent)
        except (SmartcarCompatibilityError, SmartcarNoChargeTimersError) as err:
            name = coordinator.vehicle_name  # its make or model takes no schedules
            raise _invalid(
                "schedules_list_not_capable", HomeAssistantError, device=name
            ) from err
        except SmartcarError as err:
            raise command_error(err, SERVICE_LIST, coordinator) from err
        if listing.timers_read is not None:
            # The read is fresh: the schedules sensor shows it too.
            coordinator.async_apply_local_update([listing.timers_read])
        # As the schedules sensor shows them (every timer, by id), with the coordinates.
        listed[device_id] = (
            shown_schedules(listing.timers)
            if listing.timers is not None
            else [schedule.shown() for schedule in listing.schedules]
        )
    return _response({d: {"schedules": found} for d, found in listed.items()})


async def _async_delete(call: ServiceCall) -> None:
    """Delete the schedule from each vehicle; an id the vehicle lacks is refused."""
    schedule_id: str = call.data["schedule_id"]  # of a schedule id's form (schema)
    for coordinator in _targets(call, SCHEDULE_PERMISSION).values():
        name = coordinator.vehicle_name
        not_found = _invalid("schedule_not_found", schedule_id=schedule_id, device=name)
        async with coordinator.schedules_lock:
            timers = ScheduleTimers.of(coordinator.data)
            if _fresh(timers) and schedule_id not in timers.schedule_ids:
                raise not_found
            try:
                await coordinator.vehicle.async_delete_charge_schedule(schedule_id)
            except SmartcarError as err:
                if isinstance(err, SmartcarNotFoundError) and not err.unknown_route:
                    raise not_found from err
                raise command_error(err, SERVICE_DELETE, coordinator) from err
            if timers is not None:
                coordinator.async_apply_local_update(
                    [timers.without(schedule_id, dt_util.utcnow())]
                )


async def _async_set_destination(call: ServiceCall) -> None:
    """Send the destination to each vehicle, one after the other (every target checked first).

    A vehicle that answered "not capable" before is refused at once (no request); a failure
    raises the translated error naming the vehicle.
    """
    data = call.data
    destination = (data[ATTR_LATITUDE], data[ATTR_LONGITUDE], data.get(ATTR_NAME))
    for coordinator in _targets(call, NAVIGATION_PERMISSION).values():
        send = partial(coordinator.vehicle.async_set_destination, *destination)
        await async_send_command(coordinator, SERVICE_SET_DESTINATION, send)
