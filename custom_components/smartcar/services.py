"""Actions: create, list and delete a vehicle's charge schedules (and set a destination)."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any, Final

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import ATTR_LATITUDE, ATTR_LONGITUDE
from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.exceptions import HomeAssistantError
from homeassistant.util import dt as dt_util
from homeassistant.util.hass_dict import HassKey

from .api import (
    ChargeSchedule,
    ChargeWindow,
    GeoLocation,
    PowertrainType,
    ScheduleTimers,
    ScheduleType,
    SmartcarCompatibilityError,
    SmartcarError,
    SmartcarNotFoundError,
    Weekday,
    created_schedule_id,
    signals,
)
from .api.contract import MAX_CHARGE_SCHEDULES, SCHEDULE_PERMISSION, ScheduleContract
from .const import DOMAIN
from .coordinator import SmartcarVehicleCoordinator
from .errors import command_error
from .navigation import async_setup_navigation
from .schedule_schemas import (
    ATTR_DAYS,
    ATTR_LOCATION,
    ATTR_SCHEDULE_ID,
    ATTR_START_TIME,
    ATTR_STOP_TIME,
    ATTR_TYPE,
    ATTR_WEEKEND_START_TIME,
    ATTR_WEEKEND_STOP_TIME,
    CREATE_SCHEMA,
    DELETE_SCHEMA,
    LIST_SCHEMA,
    invalid,
)
from .targets import vehicle_coordinators

SERVICE_CREATE: Final = "create_charge_schedule"
SERVICE_LIST: Final = "list_charge_schedules"
SERVICE_DELETE: Final = "delete_charge_schedule"

# Entry data: which charge-schedule path family this account answers.
CONF_SCHEDULE_CONTRACT: Final = "schedule_contract"

# Known schedules this recent are trusted to say an id does not exist, without a request.
FRESH_SCHEDULES: Final = timedelta(minutes=15)
# One lock per vehicle: a create or delete, its check against the known schedules and the
# local update of the schedules sensor happen one at a time, so racing actions see each
# other's results and the sensor always equals what Smartcar holds.
_LOCKS: HassKey[dict[str, asyncio.Lock]] = HassKey(f"{DOMAIN}_schedule_locks")


def _lock(call: ServiceCall, vehicle_id: str) -> asyncio.Lock:
    return call.hass.data.setdefault(_LOCKS, {}).setdefault(vehicle_id, asyncio.Lock())


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

    return {
        "schedule_contract": ScheduleContract(stored)
        if stored in set(ScheduleContract)
        else None,
        "on_schedule_contract": remember,
    }


@callback
def async_setup_services(hass: HomeAssistant) -> None:
    """Register the charge-schedule and navigation actions (once, for every entry)."""
    hass.services.async_register(
        DOMAIN, SERVICE_CREATE, _async_create, CREATE_SCHEMA, SupportsResponse.OPTIONAL
    )
    hass.services.async_register(
        DOMAIN, SERVICE_LIST, _async_list, LIST_SCHEMA, SupportsResponse.ONLY
    )
    hass.services.async_register(DOMAIN, SERVICE_DELETE, _async_delete, DELETE_SCHEMA)
    async_setup_navigation(hass)


def _coordinators(call: ServiceCall) -> dict[str, SmartcarVehicleCoordinator]:
    """Find every vehicle a schedule action targets, each checked to have schedules."""
    return vehicle_coordinators(call, _check_schedules)


def _check_schedules(coordinator: SmartcarVehicleCoordinator, name: str) -> None:
    """Check a vehicle can have charge schedules."""
    if coordinator.connection.vehicle.powertrain_type == PowertrainType.ICE:
        raise invalid("schedules_not_capable", device=name)
    if not coordinator.has_permission(SCHEDULE_PERMISSION):
        raise invalid(
            "schedules_permission", device=name, permission=SCHEDULE_PERMISSION
        )


def _window(call: ServiceCall, start_field: str, stop_field: str) -> ChargeWindow:
    """Return a window the schema checked (times given, stop not start)."""
    return ChargeWindow.parse(call.data[start_field], call.data[stop_field])


def _location(
    call: ServiceCall, coordinator: SmartcarVehicleCoordinator
) -> GeoLocation:
    """Return the location given, else where the car was last parked, else Home Assistant's home."""
    given = call.data.get(ATTR_LOCATION)
    if given is not None:
        return GeoLocation(given[ATTR_LATITUDE], given[ATTR_LONGITUDE])
    # A vehicle whose first refresh failed has no data yet.
    if coordinator.data and (parked := coordinator.data.body(signals.PRECISE_LOCATION)):
        return GeoLocation(parked.latitude, parked.longitude)
    return GeoLocation(call.hass.config.latitude, call.hass.config.longitude)


def _schedule(
    call: ServiceCall, coordinator: SmartcarVehicleCoordinator
) -> ChargeSchedule:
    """Build the schedule the (checked) call asks for."""
    schedule_type = ScheduleType(call.data[ATTR_TYPE])
    window = _window(call, ATTR_START_TIME, ATTR_STOP_TIME)
    location = _location(call, coordinator)
    if schedule_type is ScheduleType.DAILY:
        return ChargeSchedule.daily(location, window)
    if schedule_type is ScheduleType.WORKWEEK:
        weekend = _window(call, ATTR_WEEKEND_START_TIME, ATTR_WEEKEND_STOP_TIME)
        return ChargeSchedule.workweek(location, window, weekend)
    days = [Weekday(day) for day in call.data[ATTR_DAYS]]
    return ChargeSchedule.weekly(location, dict.fromkeys(days, window))


async def _async_create(call: ServiceCall) -> ServiceResponse:
    planned = {
        device_id: (coordinator, _schedule(call, coordinator))
        for device_id, coordinator in _coordinators(call).items()
    }
    created = {
        device_id: await _async_create_one(call, coordinator, schedule)
        for device_id, (coordinator, schedule) in planned.items()
    }
    return _response(created, ATTR_SCHEDULE_ID)


def _response(results: dict[str, Any], key: str) -> dict[str, Any]:
    """Answer with each vehicle's result by device id; with one vehicle also at the top."""
    response: dict[str, Any] = {
        "vehicles": {device_id: {key: value} for device_id, value in results.items()}
    }
    if len(results) == 1:
        (response[key],) = results.values()
    return response


async def _async_create_one(
    call: ServiceCall,
    coordinator: SmartcarVehicleCoordinator,
    schedule: ChargeSchedule,
) -> str:
    async with _lock(call, coordinator.vehicle_id):
        # Read under the lock: a create that ran just before is already shown.
        timers = ScheduleTimers.of(coordinator.data)
        if timers is not None and len(timers.schedule_ids) >= MAX_CHARGE_SCHEDULES:
            raise invalid(
                "schedule_limit",
                device=coordinator.vehicle_name,
                limit=str(MAX_CHARGE_SCHEDULES),
            )
        try:
            execution = await coordinator.vehicle.async_create_charge_schedule(schedule)
        except SmartcarCompatibilityError as err:
            raise HomeAssistantError(
                translation_domain=DOMAIN,
                translation_key="schedule_not_capable",
                translation_placeholders={
                    "device": coordinator.vehicle_name,
                    "type": schedule.schedule_type.value,
                },
            ) from err
        except SmartcarError as err:
            raise command_error(err, SERVICE_CREATE, coordinator) from err
        schedule_id = created_schedule_id(execution)
        if timers is not None:
            # Show the new schedule now, without spending a request on a poll.
            coordinator.async_apply_local_update(
                [timers.with_schedule(schedule.with_id(schedule_id), dt_util.utcnow())]
            )
    return schedule_id


async def _async_list(call: ServiceCall) -> ServiceResponse:
    listed = {
        device_id: await _async_list_one(coordinator)
        for device_id, coordinator in _coordinators(call).items()
    }
    return _response(listed, "schedules")


async def _async_list_one(
    coordinator: SmartcarVehicleCoordinator,
) -> list[dict[str, Any]]:
    timers = ScheduleTimers.of(coordinator.data)
    recent = (
        coordinator.data.get(signals.CHARGE_TIMERS)
        if coordinator.data is not None and timers is not None and _fresh(timers)
        else None
    )
    try:
        listing = await coordinator.vehicle.async_list_charge_schedules(recent)
    except SmartcarError as err:
        raise command_error(err, SERVICE_LIST, coordinator) from err
    if listing.timers_read is not None:
        # The read is fresh: the schedules sensor shows it too.
        coordinator.async_apply_local_update([listing.timers_read])
    schedules = listing.schedules
    return [
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


def _fresh(timers: ScheduleTimers) -> bool:
    return (
        timers.read_at is not None
        and dt_util.utcnow() - timers.read_at <= FRESH_SCHEDULES
    )


async def _async_delete(call: ServiceCall) -> None:
    coordinators = _coordinators(call)
    schedule_id: str = call.data[ATTR_SCHEDULE_ID]  # of a schedule id's form (schema)
    for coordinator in coordinators.values():
        await _async_delete_one(call, coordinator, schedule_id)


async def _async_delete_one(
    call: ServiceCall, coordinator: SmartcarVehicleCoordinator, schedule_id: str
) -> None:
    not_found = invalid(
        "schedule_not_found",
        schedule_id=schedule_id,
        device=coordinator.vehicle_name,
    )
    async with _lock(call, coordinator.vehicle_id):
        timers = ScheduleTimers.of(coordinator.data)
        if (
            timers is not None
            and _fresh(timers)
            and schedule_id not in timers.schedule_ids
        ):
            raise not_found
        try:
            await coordinator.vehicle.async_delete_charge_schedule(schedule_id)
        except SmartcarNotFoundError as err:
            if not err.unknown_route:
                raise not_found from err
            raise command_error(err, SERVICE_DELETE, coordinator) from err
        except SmartcarError as err:
            raise command_error(err, SERVICE_DELETE, coordinator) from err
        if timers is not None:
            coordinator.async_apply_local_update(
                [timers.without(schedule_id, dt_util.utcnow())]
            )
