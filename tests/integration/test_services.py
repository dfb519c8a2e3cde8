"""Charge-schedule actions against the simulator: happy paths, bad inputs, API failures."""

from __future__ import annotations

import asyncio
from copy import deepcopy
from dataclasses import replace
from datetime import timedelta
from typing import Any, cast

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import device_registry as dr
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.smartcar.api import signals as sig
from custom_components.smartcar.api.contract import MAX_CHARGE_SCHEDULES
from custom_components.smartcar.const import DOMAIN
from custom_components.smartcar.services import FRESH_SCHEDULES, MAX_LIST_ITEMS
from smartcar_simulator import Simulator
from smartcar_simulator.clock import ManualClock
from smartcar_simulator.schedules import sync_charge_timers
from smartcar_simulator.vehicles import EX30_ID, XC60_ID, XC90_ID
from tests.integration.conftest import SNAPSHOT_TIME

pytestmark = pytest.mark.usefixtures("loaded_entry")
SCHEDULES = "sensor.volvo_ex30_charge_schedules"


@pytest.fixture(params=["docs", "seed"])
def contract(request: pytest.FixtureRequest, smartcar: Simulator) -> str:
    """Serve the documented schedule paths, or only the partner page's (the client falls back)."""
    smartcar.schedule_contract = request.param
    return str(request.param)


def _device_id(hass: HomeAssistant, vehicle_id: str) -> str:
    (device,) = dr.async_get(hass).async_get_devices(identifiers={(DOMAIN, vehicle_id)})
    return device.id


async def _call(
    hass: HomeAssistant, service: str, data: dict[str, Any], *, response: bool = False
) -> Any:
    return await hass.services.async_call(
        DOMAIN, service, data, blocking=True, return_response=response
    )


async def _create(hass: HomeAssistant, **data: Any) -> str:
    result = await _call(
        hass,
        "create_charge_schedule",
        {
            "device_id": _device_id(hass, EX30_ID),
            "type": "daily",
            "start_time": "01:00",
            "stop_time": "06:00",
        }
        | data,
        response=True,
    )
    return str(result["schedule_id"])


def _stored(smartcar: Simulator, vehicle_id: str = EX30_ID) -> list[tuple[str, Any]]:
    return [(s.id, s) for s in smartcar.schedules(vehicle_id)]


def _count(hass: HomeAssistant) -> str:
    state = hass.states.get(SCHEDULES)
    assert state is not None
    return state.state


@pytest.mark.usefixtures("contract")
async def test_create_each_type(hass: HomeAssistant, smartcar: Simulator) -> None:
    """Daily, workweek and weekly schedules are stored with the bodies the actions build."""
    daily = await _create(
        hass, location={"latitude": 57.7, "longitude": 11.9, "radius": 0}
    )
    workweek = await _create(
        hass,
        type="workweek",
        start_time="22:00:00",
        stop_time="05:00:00",
        weekend_start_time="10:00",
        weekend_stop_time="14:00",
    )
    weekly = await _create(hass, type="weekly", days=["monday", "Friday"])
    stored = {s.id: s for s in smartcar.schedules(EX30_ID)}
    assert list(stored) == [daily, workweek, weekly]
    response = await _call(
        hass,
        "list_charge_schedules",
        {"device_id": _device_id(hass, EX30_ID)},
        response=True,
    )
    assert response["vehicles"] == {
        _device_id(hass, EX30_ID): {"schedules": response["schedules"]}
    }
    assert response == {
        "vehicles": response["vehicles"],
        "schedules": [
            {
                "schedule_id": daily,
                "type": "daily",
                "location": {"latitude": 57.7, "longitude": 11.9, "name": None},
                "windows": [
                    {
                        "start_time": "01:00",
                        "stop_time": "06:00",
                        "days": [
                            "monday",
                            "tuesday",
                            "wednesday",
                            "thursday",
                            "friday",
                            "saturday",
                            "sunday",
                        ],
                    }
                ],
            },
            {
                "schedule_id": workweek,
                "type": "workweek",
                "location": response["schedules"][1]["location"],
                "windows": [
                    {
                        "start_time": "22:00",
                        "stop_time": "05:00",
                        "days": [
                            "monday",
                            "tuesday",
                            "wednesday",
                            "thursday",
                            "friday",
                        ],
                    },
                    {
                        "start_time": "10:00",
                        "stop_time": "14:00",
                        "days": ["saturday", "sunday"],
                    },
                ],
            },
            {
                "schedule_id": weekly,
                "type": "weekly",
                "location": response["schedules"][2]["location"],
                "windows": [
                    {
                        "start_time": "01:00",
                        "stop_time": "06:00",
                        "days": ["monday", "friday"],
                    }
                ],
            },
        ],
    }


async def test_default_location_is_the_parked_position(
    hass: HomeAssistant, smartcar: Simulator
) -> None:
    """Without a location, the schedule applies where the car was last parked."""
    await _create(hass)
    parked = smartcar.signal_body(EX30_ID, sig.PRECISE_LOCATION.code)
    assert parked is not None
    (schedule,) = smartcar.schedules(EX30_ID)
    stored = _stored(smartcar)[0][1]
    assert stored is schedule
    response = await _call(
        hass,
        "list_charge_schedules",
        {"device_id": _device_id(hass, EX30_ID)},
        response=True,
    )
    assert response["schedules"][0]["location"] == {
        "latitude": parked["latitude"],
        "longitude": parked["longitude"],
        "name": None,
    }


async def test_default_location_is_home_without_a_parked_position(
    hass: HomeAssistant, smartcar: Simulator, loaded_entry: MockConfigEntry
) -> None:
    """A car that reports no location gets Home Assistant's home."""
    smartcar.remove_signal(EX30_ID, sig.PRECISE_LOCATION.code)
    await loaded_entry.runtime_data.coordinators[EX30_ID].async_refresh()
    await _create(hass)
    response = await _call(
        hass,
        "list_charge_schedules",
        {"device_id": _device_id(hass, EX30_ID)},
        response=True,
    )
    assert response["schedules"][0]["location"] == {
        "latitude": hass.config.latitude,
        "longitude": hass.config.longitude,
        "name": None,
    }


@pytest.mark.usefixtures("contract")
async def test_sensor_follows_without_a_poll(
    hass: HomeAssistant, smartcar: Simulator, loaded_entry: MockConfigEntry
) -> None:
    """Create and delete show in the schedules sensor at once, as the next poll would show them."""
    smartcar.counters.reset()
    schedule_id = await _create(hass, type="weekly", days=["tuesday"])
    assert _count(hass) == "1"
    assert smartcar.counters.count("signals") == 0
    shown = hass.states.get(SCHEDULES)
    assert shown is not None
    await loaded_entry.runtime_data.coordinators[EX30_ID].async_refresh()
    polled = hass.states.get(SCHEDULES)
    assert polled is not None
    assert polled.attributes["schedules"] == shown.attributes["schedules"]
    await _call(
        hass,
        "delete_charge_schedule",
        {"device_id": _device_id(hass, EX30_ID), "schedule_id": schedule_id},
    )
    assert _count(hass) == "0"
    assert smartcar.schedules(EX30_ID) == []


@pytest.mark.freeze_time(SNAPSHOT_TIME)  # the simulator's time: the read is the newest
async def test_list_and_sensor_show_one_shape(
    hass: HomeAssistant,
    smartcar: Simulator,
    sim_clock: ManualClock,
    freezer: FrozenDateTimeFactory,
) -> None:
    """The list and the sensor show a schedule alike: `HH:MM`, days Monday first, the name.

    The car names the place ("Home") and gives its windows day by day, Friday first, with
    seconds; the sensor shows no coordinates.
    """
    schedule_id = await _create(
        hass,
        type="weekly",
        days=["friday", "monday"],
        start_time="22:00",
        stop_time="05:00",
        location={"latitude": 57.7, "longitude": 11.9},
    )
    timers = deepcopy(smartcar.signal_body(EX30_ID, sig.CHARGE_TIMERS.code))
    assert timers is not None
    (timer,) = timers["values"]
    timer["condition"]["name"] = "Home"
    timer["schedules"].sort(key=lambda window: window["days"] != ["FRIDAY"])
    assert [w["days"] for w in timer["schedules"]] == [["FRIDAY"], ["MONDAY"]]
    assert timer["schedules"][0]["start"] == "22:00:00"
    freezer.tick(FRESH_SCHEDULES + timedelta(minutes=1))
    sim_clock.advance(minutes=16)
    smartcar.set_signal(EX30_ID, sig.CHARGE_TIMERS.code, timers)
    # Not fresh any more: the list reads the timers, and the sensor shows that read.
    response = await _call(
        hass,
        "list_charge_schedules",
        {"device_id": _device_id(hass, EX30_ID)},
        response=True,
    )
    window = {"start_time": "22:00", "stop_time": "05:00", "days": ["monday", "friday"]}
    shown = {"schedule_id": schedule_id, "type": "weekly", "windows": [window]}
    assert response["schedules"] == [
        shown | {"location": {"latitude": 57.7, "longitude": 11.9, "name": "Home"}}
    ]
    state = hass.states.get(SCHEDULES)
    assert state is not None
    assert state.attributes["schedules"] == [shown | {"location": {"name": "Home"}}]


def _timer(schedule_id: str, **changes: Any) -> dict[str, Any]:
    """Return a LOCATION timer as the car reports it, Mondays 01:00-06:00 at "Home"."""
    timer = {
        "type": "LOCATION",
        "condition": {"latitude": 57.7, "longitude": 11.9, "name": "Home"},
        "scheduleType": "WEEKLY",
        "scheduleId": schedule_id,
        "schedules": [{"start": "01:00:00", "end": "06:00:00", "days": ["MONDAY"]}],
        "departureTimers": [],
    }
    return timer | changes


@pytest.mark.freeze_time(SNAPSHOT_TIME)  # the simulator's time: the read is the newest
async def test_list_and_sensor_show_every_schedule_the_sensor_counts(
    hass: HomeAssistant,
    smartcar: Simulator,
    sim_clock: ManualClock,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A timer that does not read as a schedule still shows, by its id, in both.

    Made in the carmaker's app or by an older firmware: no type, coordinates out of range, a
    window that stops as it starts, a day in another language. The count, the sensor's ids
    and the list's ids agree (the blueprint finds its schedule among them to delete it).
    """
    unreadable: dict[str, dict[str, Any]] = {
        "sch_notype": {"scheduleType": None},
        "sch_far": {"condition": {"latitude": 123.0, "longitude": 11.9, "name": "Far"}},
        "sch_same": {
            "schedules": [{"start": "01:00", "end": "01:00", "days": ["MONDAY"]}]
        },
        "sch_day": {
            "schedules": [{"start": "01:00", "end": "06:00", "days": ["MONTAG"]}]
        },
    }
    values = [_timer("sch_ok")] + [_timer(i, **c) for i, c in unreadable.items()]
    freezer.tick(FRESH_SCHEDULES + timedelta(minutes=1))
    sim_clock.advance(minutes=16)
    smartcar.set_signal(EX30_ID, sig.CHARGE_TIMERS.code, {"values": values})
    response = await _call(
        hass,
        "list_charge_schedules",
        {"device_id": _device_id(hass, EX30_ID)},
        response=True,
    )
    state = hass.states.get(SCHEDULES)
    assert state is not None
    assert state.state == "5"
    ids = ["sch_ok", *unreadable]
    assert [s["schedule_id"] for s in state.attributes["schedules"]] == ids
    assert [s["schedule_id"] for s in response["schedules"]] == ids
    window = {"start_time": "01:00", "stop_time": "06:00", "days": ["monday"]}
    readable = {"schedule_id": "sch_ok", "type": "weekly", "windows": [window]}
    place = {"latitude": 57.7, "longitude": 11.9, "name": "Home"}
    assert response["schedules"][0] == readable | {"location": place}
    assert state.attributes["schedules"][0] == readable | {"location": {"name": "Home"}}
    names = ["Home", "Far", "Home", "Home"]
    shown: list[dict[str, Any]] = [
        {"schedule_id": i, "type": None, "location": {"name": n}, "windows": []}
        for i, n in zip(unreadable, names, strict=True)
    ]
    assert response["schedules"][1:] == shown
    assert state.attributes["schedules"][1:] == shown


@pytest.mark.usefixtures("contract")
async def test_fill_ten_fail_eleventh_delete_one_create_one(
    hass: HomeAssistant, smartcar: Simulator
) -> None:
    """Ten schedules fit; the eleventh is refused before any request; after a delete one fits again."""
    ids = [await _create(hass) for _ in range(MAX_CHARGE_SCHEDULES)]
    assert _count(hass) == str(MAX_CHARGE_SCHEDULES)
    smartcar.counters.reset()
    with pytest.raises(ServiceValidationError) as err:
        await _create(hass)
    assert err.value.translation_key == "schedule_limit"
    assert smartcar.counters.count() == 0
    assert [s.id for s in smartcar.schedules(EX30_ID)] == ids
    await _call(
        hass,
        "delete_charge_schedule",
        {"device_id": _device_id(hass, EX30_ID), "schedule_id": ids[3]},
    )
    new = await _create(hass)
    assert [s.id for s in smartcar.schedules(EX30_ID)] == [*ids[:3], *ids[4:], new]
    assert _count(hass) == str(MAX_CHARGE_SCHEDULES)


def _other_device(hass: HomeAssistant, loaded_entry: MockConfigEntry) -> str:
    other = MockConfigEntry(domain="demo")
    other.add_to_hass(hass)
    device = dr.async_get(hass).async_get_or_create(
        config_entry_id=other.entry_id, identifiers={("demo", "x")}
    )
    return device.id


CREATE_BAD_INPUTS: list[tuple[dict[str, Any], str]] = [
    ({"device_id": "not-a-device"}, "invalid_device"),
    ({"device_id": 42}, "invalid_device"),
    ({"device_id": None}, "invalid_device"),
    ({"device_id": "OTHER"}, "invalid_device"),
    ({"device_id": "XC90"}, "schedules_not_capable"),
    ({"type": "monthly"}, "schedule_invalid_type"),
    ({"type": 3}, "schedule_invalid_type"),
    ({"start_time": "25:00"}, "schedule_invalid_time"),
    ({"start_time": "1am"}, "schedule_invalid_time"),
    ({"start_time": None}, "schedule_missing_field"),
    ({"stop_time": "06:60"}, "schedule_invalid_time"),
    ({"stop_time": ""}, "schedule_invalid_time"),
    ({"stop_time": "01:00"}, "schedule_same_start_stop"),
    ({"type": "weekly"}, "schedule_no_days"),
    ({"type": "weekly", "days": []}, "schedule_no_days"),
    ({"type": "weekly", "days": ["funday"]}, "schedule_invalid_day"),
    ({"type": "weekly", "days": 5}, "schedule_invalid_day"),
    # Days were accepted and ignored on the other types.
    ({"days": ["monday"]}, "schedule_days_not_weekly"),
    ({"type": "daily", "days": "saturday"}, "schedule_days_not_weekly"),
    (
        {
            "type": "workweek",
            "weekend_start_time": "09:00",
            "weekend_stop_time": "17:00",
            "days": ["sunday"],
        },
        "schedule_days_not_weekly",
    ),
    ({"type": "workweek"}, "schedule_missing_field"),
    ({"type": "workweek", "weekend_start_time": "09:00"}, "schedule_missing_field"),
    (
        {
            "type": "workweek",
            "weekend_start_time": "09:00",
            "weekend_stop_time": "09:00",
        },
        "schedule_same_start_stop",
    ),
    (
        {"type": "workweek", "weekend_start_time": "x", "weekend_stop_time": "09:00"},
        "schedule_invalid_time",
    ),
    ({"location": "home"}, "schedule_invalid_location"),
    ({"location": {"latitude": 95, "longitude": 11}}, "schedule_invalid_latitude"),
    ({"location": {"latitude": 57, "longitude": -200}}, "schedule_invalid_longitude"),
    ({"location": {"longitude": 11}}, "schedule_invalid_latitude"),
    ({"location": {"latitude": "north", "longitude": 11}}, "schedule_invalid_latitude"),
    # A field the action does not take is named as such (was "not a schedule id").
    ({"bogus": 1}, "action_invalid_field"),
]


async def test_daily_with_days_is_refused_naming_the_type(
    hass: HomeAssistant, smartcar: Simulator
) -> None:
    """A daily schedule with days: refused (not created with the days ignored)."""
    call = {
        "device_id": _device_id(hass, EX30_ID),
        "type": "daily",
        "start_time": "01:00",
        "stop_time": "06:00",
        "days": ["monday", "friday"],
    }
    with pytest.raises(ServiceValidationError) as err:
        await _call(hass, "create_charge_schedule", call, response=True)
    assert err.value.translation_placeholders == {"type": "Daily"}
    assert 'A schedule of the type "Daily" takes no days' in str(err.value)
    assert smartcar.schedules(EX30_ID) == []


# What each refusal reads: fields, types and permissions as the owner saw them in the forms.
NAMED_AS_IN_THE_FORM: list[tuple[dict[str, Any], str]] = [
    (
        {"stop_time": "01:00"},
        '"Stop time" must differ from "Start time": a window that stops when',
    ),
    ({"stop_time": "06:60"}, '"Stop time" must be a time of day such as 22:30'),
    (
        {"start_time": None},
        '"Start time" is required for a schedule of the type "Daily"',
    ),
    (
        {"type": "workweek"},
        '"Weekend start time" is required for a schedule of the type "Workweek"',
    ),
    (
        {"type": "workweek", "weekend_start_time": "09:00"},
        '"Weekend stop time" is required for a schedule of the type "Workweek"',
    ),
    (
        {"type": "workweek", "weekend_start_time": "9", "weekend_stop_time": "09:00"},
        '"Weekend start time" must be a time of day',
    ),
    (
        {
            "type": "workweek",
            "weekend_start_time": "09:00",
            "weekend_stop_time": "09:00",
        },
        '"Weekend stop time" must differ from "Weekend start time"',
    ),
    ({"type": "weekly"}, 'A weekly schedule needs at least one day in "Days"'),
    ({"type": "weekly", "days": ["funday"]}, '"funday" in "Days" is not a day'),
    ({"days": ["monday"]}, 'A schedule of the type "Daily" takes no days'),
    ({"location": "home"}, '"Location" must be a location with a latitude'),
    ({"location": {"latitude": 95, "longitude": 11}}, '"Latitude" must be a number'),
    ({"location": {"latitude": 5, "longitude": 190}}, '"Longitude" must be a number'),
    ({"device_id": ["x"] * 15}, '"Vehicle" may list at most 14 items'),
]


@pytest.mark.parametrize(("data", "message"), NAMED_AS_IN_THE_FORM)
async def test_bad_input_named_as_in_the_form(
    hass: HomeAssistant, data: dict[str, Any], message: str
) -> None:
    """A refusal names the field, the type, as the action's form shows them."""
    call = {
        "device_id": _device_id(hass, EX30_ID),
        "type": "daily",
        "start_time": "01:00",
        "stop_time": "06:00",
    } | data
    with pytest.raises(ServiceValidationError) as err:
        await _call(hass, "create_charge_schedule", call, response=True)
    assert str(err.value).startswith(message)
    # Not the internal keys: stop_time, weekend_start_time, workweek, device_id ...
    internal = {"_time", "workweek", "daily", "device_id"}
    assert not {key for key in internal if key in str(err.value)}


@pytest.mark.parametrize(
    ("data", "translation_key", "message"),
    [
        ({"stop_time": "06:00"}, "schedule_missing_type", "A schedule needs a type"),
        (
            {"type": None, "start_time": None, "stop_time": "06:00"},
            "schedule_missing_type",
            "A schedule needs a type",
        ),
        (
            {"start_time": None, "type": "monthly", "stop_time": "06:00"},
            "schedule_invalid_type",
            '"monthly" is not a schedule type',
        ),
        (
            {"stop_time": None, "type": 3, "start_time": "01:00"},
            "schedule_invalid_type",
            '"3" is not a schedule type',
        ),
    ],
)
async def test_a_missing_time_with_a_bad_type_tells_the_type_first(
    hass: HomeAssistant, data: dict[str, Any], translation_key: str, message: str
) -> None:
    """Without a valid type, a missing time is not said to be required for type "None"."""
    call = {"device_id": _device_id(hass, EX30_ID)} | data
    with pytest.raises(ServiceValidationError) as err:
        await _call(hass, "create_charge_schedule", call, response=True)
    assert err.value.translation_key == translation_key
    assert str(err.value).startswith(message)
    assert "is required for a schedule of the type" not in str(err.value)


def _with_devices(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, data: dict[str, Any]
) -> dict[str, Any]:
    device = data.get("device_id", _device_id(hass, EX30_ID))
    if device == "OTHER":
        device = _other_device(hass, loaded_entry)
    elif device == "XC90":
        device = _device_id(hass, XC90_ID)
    return {**data, "device_id": device}


@pytest.mark.parametrize(("data", "translation_key"), CREATE_BAD_INPUTS)
async def test_create_bad_input(
    hass: HomeAssistant,
    smartcar: Simulator,
    loaded_entry: MockConfigEntry,
    data: dict[str, Any],
    translation_key: str,
) -> None:
    """Each bad input: a translated ServiceValidationError before any request; nothing stored changes."""
    existing = await _create(hass)
    smartcar.counters.reset()
    call = {
        "type": "daily",
        "start_time": "01:00",
        "stop_time": "06:00",
    } | _with_devices(hass, loaded_entry, data)
    with pytest.raises(ServiceValidationError) as err:
        await _call(hass, "create_charge_schedule", call, response=True)
    assert err.value.translation_key == translation_key
    assert err.value.translation_domain == DOMAIN
    assert str(err.value)  # the translated message renders with its placeholders
    assert smartcar.counters.count() == 0
    assert [s.id for s in smartcar.schedules(EX30_ID)] == [existing]


API_FAILURES: list[tuple[dict[str, Any], str]] = [
    (
        {"status": 501, "error_type": "COMPATIBILITY", "code": "VEHICLE_NOT_CAPABLE"},
        "command_not_capable",
    ),
    (
        {
            "status": 409,
            "error_type": "VEHICLE_STATE",
            "code": "REMOTE_ACCESS_DISABLED",
        },
        "command_vehicle_state",
    ),
    (
        {
            "status": 429,
            "error_type": "RATE_LIMIT",
            "code": "VEHICLE",
            "retry_after": 60,
        },
        "command_rate_limited",
    ),
    (
        {"status": 430, "error_type": "BILLING", "code": "VEHICLE_REQUEST_LIMIT"},
        "command_billing_limit",
    ),
    ({"status": 500, "error_type": "SERVER", "code": "INTERNAL"}, "command_error"),
    ({"status": 502, "error_type": "UPSTREAM", "code": "NO_RESPONSE"}, "command_error"),
    ({"status": 403, "error_type": "PERMISSION"}, "command_permission"),
    (
        {"status": 401, "error_type": "AUTHENTICATION", "count": 2},
        "command_auth_failed",
    ),
    (
        {"status": 404, "error_type": "RESOURCE_NOT_FOUND", "code": "PATH"},
        "command_not_found",
    ),
    (
        {
            "status": 400,
            "error_type": "VALIDATION",
            "code": "PARAMETER",
            "envelope": "v2",
        },
        "command_error",
    ),
]


ACTIONS: dict[str, str] = {
    "create_charge_schedule": "schedule_create",
    "list_charge_schedules": "schedule_list",
    "delete_charge_schedule": "schedule_delete",
}
# Where an action answers a failure with its own message (any contract, or one only).
ACTION_KEYS: dict[tuple[str, str, str], str] = {
    ("create_charge_schedule", "COMPATIBILITY", ""): "schedule_not_capable",
    ("list_charge_schedules", "COMPATIBILITY", ""): "schedules_list_not_capable",
    # Listing reads ChargeTimers there: a car without the signal has no schedules to list.
    (
        "list_charge_schedules",
        "RESOURCE_NOT_FOUND",
        "docs",
    ): "schedules_list_not_capable",
}


async def _run(hass: HomeAssistant, action: str, schedule_id: str) -> Any:
    data: dict[str, Any] = {"device_id": _device_id(hass, EX30_ID)}
    if action == "create_charge_schedule":
        data |= {"type": "daily", "start_time": "01:00", "stop_time": "06:00"}
    if action == "delete_charge_schedule":
        data["schedule_id"] = schedule_id
    return await _call(hass, action, data, response=action != "delete_charge_schedule")


def _endpoint(action: str, contract: str, freezer: FrozenDateTimeFactory) -> str:
    """Return the simulator endpoint an action calls.

    Listing on the documented paths reads the ChargeTimers signal once the schedules known
    are no longer fresh (this lets that much time pass).
    """
    if action == "list_charge_schedules" and contract == "docs":
        freezer.tick(FRESH_SCHEDULES + timedelta(minutes=1))
        return "signal"
    return ACTIONS[action]


@pytest.mark.freeze_time(SNAPSHOT_TIME)
@pytest.mark.parametrize("action", list(ACTIONS))
@pytest.mark.parametrize(("fault", "translation_key"), API_FAILURES)
async def test_api_failure(  # noqa: PLR0917
    hass: HomeAssistant,
    smartcar: Simulator,
    freezer: FrozenDateTimeFactory,
    contract: str,
    action: str,
    fault: dict[str, Any],
    translation_key: str,
) -> None:
    """A refused action: a translated error; every schedule stays, also in the sensor."""
    existing = await _create(hass)
    smartcar.faults.fail_next(_endpoint(action, contract, freezer), **fault)
    with pytest.raises(HomeAssistantError) as err:
        await _run(hass, action, existing)
    kind = fault["error_type"]
    assert err.value.translation_key == ACTION_KEYS.get(
        (action, kind, ""), ACTION_KEYS.get((action, kind, contract), translation_key)
    )
    assert str(err.value)
    assert [s.id for s in smartcar.schedules(EX30_ID)] == [existing]
    assert _count(hass) == "1"


async def test_create_malformed_answer(
    hass: HomeAssistant, smartcar: Simulator
) -> None:
    """An answer that is not JSON is a translated error too."""
    smartcar.faults.malformed_json("schedule_create")
    with pytest.raises(HomeAssistantError) as err:
        await _create(hass)
    assert err.value.translation_key == "command_error"


async def test_create_timeout(
    hass: HomeAssistant, smartcar: Simulator, loaded_entry: MockConfigEntry
) -> None:
    """No answer in time: a translated error; the simulator stored nothing yet."""
    client = loaded_entry.runtime_data.client
    client.settings = replace(client.settings, command_timeout=0.2)
    smartcar.faults.endpoint_latency["schedule_create"] = 1.0
    with pytest.raises(HomeAssistantError) as err:
        await _create(hass)
    assert err.value.translation_key == "command_no_connection"


async def test_create_unreachable(hass: HomeAssistant, smartcar: Simulator) -> None:
    """Smartcar gone: a translated error."""
    device_id = _device_id(hass, EX30_ID)
    await smartcar.stop()
    with pytest.raises(HomeAssistantError) as err:
        await _call(
            hass,
            "create_charge_schedule",
            {
                "device_id": device_id,
                "type": "daily",
                "start_time": "01:00",
                "stop_time": "06:00",
            },
            response=True,
        )
    assert err.value.translation_key == "command_no_connection"


async def test_entry_not_loaded(
    hass: HomeAssistant, smartcar: Simulator, loaded_entry: MockConfigEntry
) -> None:
    """A vehicle whose entry is unloaded is refused with a clear error, for every action."""
    device_id = _device_id(hass, EX30_ID)
    await hass.config_entries.async_unload(loaded_entry.entry_id)
    for service, data in (
        (
            "create_charge_schedule",
            {"type": "daily", "start_time": "01:00", "stop_time": "06:00"},
        ),
        ("list_charge_schedules", {}),
        ("delete_charge_schedule", {"schedule_id": "sch_1"}),
    ):
        with pytest.raises(ServiceValidationError) as err:
            await _call(
                hass,
                service,
                {"device_id": device_id, **data},
                response=service != "delete_charge_schedule",
            )
        assert err.value.translation_key == "entry_not_loaded"
    assert smartcar.counters.count("schedule_create") == 0


async def test_without_control_charge(
    hass: HomeAssistant, smartcar: Simulator, loaded_entry: MockConfigEntry
) -> None:
    """A car whose owner did not grant control_charge is refused before any request."""
    coordinator = loaded_entry.runtime_data.coordinators[XC60_ID]
    coordinator.connection = replace(
        coordinator.connection,
        permissions=coordinator.connection.permissions - {"control_charge"},
    )
    with pytest.raises(ServiceValidationError) as err:
        await _call(
            hass,
            "create_charge_schedule",
            {
                "device_id": _device_id(hass, XC60_ID),
                "type": "daily",
                "start_time": "01:00",
                "stop_time": "06:00",
            },
            response=True,
        )
    assert err.value.translation_key == "schedules_permission"
    # The permission is named by its group in the set-up form, not "control_charge".
    assert str(err.value) == (
        "The owner of Volvo XC60 Recharge did not grant the permission that charge "
        'schedules need. Reconfigure the integration with "Battery and charging: charge '
        'level, range, charging, start and stop charging, charge limit, schedules" '
        "ticked, and grant it in Smartcar Connect"
    )
    assert smartcar.schedules(XC60_ID) == []


LIST_BAD_DEVICES: list[tuple[Any, str]] = [
    ("not-a-device", "invalid_device"),
    (42, "invalid_device"),
    (None, "invalid_device"),
    ("", "invalid_device"),
    (["a"], "invalid_device"),
    ("OTHER", "invalid_device"),
    ("XC90", "schedules_not_capable"),
]


@pytest.mark.parametrize(("device", "translation_key"), LIST_BAD_DEVICES)
async def test_list_bad_input(
    hass: HomeAssistant,
    smartcar: Simulator,
    loaded_entry: MockConfigEntry,
    device: Any,
    translation_key: str,
) -> None:
    """Bad targets of the list action: translated errors, no request, nothing changed."""
    existing = await _create(hass)
    smartcar.counters.reset()
    with pytest.raises(ServiceValidationError) as err:
        await _call(
            hass,
            "list_charge_schedules",
            _with_devices(hass, loaded_entry, {"device_id": device}),
            response=True,
        )
    assert err.value.translation_key == translation_key
    assert smartcar.counters.count() == 0
    assert [s.id for s in smartcar.schedules(EX30_ID)] == [existing]


@pytest.mark.freeze_time(SNAPSHOT_TIME)
async def test_list_malformed_and_unreachable(
    hass: HomeAssistant,
    smartcar: Simulator,
    freezer: FrozenDateTimeFactory,
    contract: str,
) -> None:
    """Broken JSON, then Smartcar gone: translated errors."""
    await _create(hass)
    device_id = _device_id(hass, EX30_ID)
    smartcar.faults.malformed_json(
        _endpoint("list_charge_schedules", contract, freezer)
    )
    with pytest.raises(HomeAssistantError) as err:
        await _call(
            hass, "list_charge_schedules", {"device_id": device_id}, response=True
        )
    assert err.value.translation_key == "command_error"
    await smartcar.stop()
    with pytest.raises(HomeAssistantError) as err:
        await _call(
            hass, "list_charge_schedules", {"device_id": device_id}, response=True
        )
    assert err.value.translation_key == "command_no_connection"


DELETE_BAD_INPUTS: list[tuple[dict[str, Any], str]] = [
    ({"device_id": "not-a-device"}, "invalid_device"),
    ({"device_id": 42}, "invalid_device"),
    ({"device_id": None}, "invalid_device"),
    ({"device_id": "OTHER"}, "invalid_device"),
    ({"device_id": "XC90"}, "schedules_not_capable"),
    ({"schedule_id": ""}, "schedule_invalid_id"),
    ({"schedule_id": "   "}, "schedule_invalid_id"),
    ({"schedule_id": 42}, "schedule_invalid_id"),
    ({"schedule_id": None}, "schedule_invalid_id"),
    ({"schedule_id": ["sch_1"]}, "schedule_invalid_id"),
    ({"bogus": 1}, "action_invalid_field"),
]


@pytest.mark.parametrize(("data", "translation_key"), DELETE_BAD_INPUTS)
async def test_delete_bad_input(
    hass: HomeAssistant,
    smartcar: Simulator,
    loaded_entry: MockConfigEntry,
    data: dict[str, Any],
    translation_key: str,
) -> None:
    """Bad deletes: a translated error before any request; the schedule stays."""
    existing = await _create(hass)
    smartcar.counters.reset()
    with pytest.raises(ServiceValidationError) as err:
        await _call(
            hass,
            "delete_charge_schedule",
            _with_devices(hass, loaded_entry, {"schedule_id": existing} | data),
        )
    assert err.value.translation_key == translation_key
    assert smartcar.counters.count() == 0
    assert [s.id for s in smartcar.schedules(EX30_ID)] == [existing]


@pytest.mark.freeze_time(SNAPSHOT_TIME)
@pytest.mark.usefixtures("contract")
async def test_delete_unknown_schedule(
    hass: HomeAssistant, smartcar: Simulator, freezer: FrozenDateTimeFactory
) -> None:
    """A well-formed id the car does not have: "no schedule with that id on <car>".

    While the known schedules are fresh no request is sent; later Smartcar is asked.
    """
    existing = await _create(hass)
    data = {"device_id": _device_id(hass, EX30_ID), "schedule_id": "sch_nope"}
    smartcar.counters.reset()
    with pytest.raises(ServiceValidationError) as err:
        await _call(hass, "delete_charge_schedule", data)
    assert err.value.translation_key == "schedule_not_found"
    assert err.value.translation_placeholders == {
        "schedule_id": "sch_nope",
        "device": "Volvo EX30",
    }
    assert "no schedule" in str(err.value)
    assert smartcar.counters.count() == 0

    freezer.tick(FRESH_SCHEDULES + timedelta(minutes=1))
    with pytest.raises(ServiceValidationError) as err:
        await _call(hass, "delete_charge_schedule", data)
    assert err.value.translation_key == "schedule_not_found"
    assert smartcar.counters.count("schedule_delete") == 1
    assert [s.id for s in smartcar.schedules(EX30_ID)] == [existing]
    assert _count(hass) == "1"


MALFORMED_IDS: list[Any] = [
    "../../../../v3/connections",
    "x?delete=all#",
    "a" * 1_000_000,
    "sch_\u00e9t\u00e9",
    "\u202esch_1",
    "sch 1",
    "sch/1",
    "%2e%2e",
]


@pytest.mark.parametrize("schedule_id", MALFORMED_IDS, ids=range(len(MALFORMED_IDS)))
async def test_delete_malformed_id(
    hass: HomeAssistant, smartcar: Simulator, schedule_id: str
) -> None:
    """A malformed id: a short translated error before any request; nothing changes."""
    existing = await _create(hass)
    smartcar.counters.reset()
    with pytest.raises(ServiceValidationError) as err:
        await _call(
            hass,
            "delete_charge_schedule",
            {"device_id": _device_id(hass, EX30_ID), "schedule_id": schedule_id},
        )
    assert err.value.translation_key == "schedule_invalid_id"
    assert len(str(err.value)) < 200
    assert smartcar.counters.count() == 0
    assert [s.id for s in smartcar.schedules(EX30_ID)] == [existing]


@pytest.mark.usefixtures("contract")
async def test_hundred_concurrent_creates(
    hass: HomeAssistant, smartcar: Simulator, loaded_entry: MockConfigEntry
) -> None:
    """100 creates at once: ten stored, the sensor says ten, the rest get the limit message."""
    results = await asyncio.gather(
        *(_create(hass) for _ in range(100)), return_exceptions=True
    )
    created = [result for result in results if isinstance(result, str)]
    refused = [result for result in results if not isinstance(result, str)]
    assert len(created) == MAX_CHARGE_SCHEDULES
    assert len(refused) == 100 - MAX_CHARGE_SCHEDULES
    for error in refused:
        assert isinstance(error, ServiceValidationError)
        assert error.translation_key == "schedule_limit"
        assert "Volvo EX30 already has 10 charge schedules" in str(error)
    assert sorted(s.id for s in smartcar.schedules(EX30_ID)) == sorted(created)
    assert _count(hass) == str(MAX_CHARGE_SCHEDULES)
    # Serving only the partner page's paths costs one documented attempt, once.
    first_attempt = 1 if smartcar.schedule_contract == "seed" else 0
    assert smartcar.counters.count("schedule_create") == (
        MAX_CHARGE_SCHEDULES + first_attempt
    )
    await loaded_entry.runtime_data.coordinators[EX30_ID].async_refresh()
    assert _count(hass) == str(MAX_CHARGE_SCHEDULES)


@pytest.mark.usefixtures("contract")
async def test_deletes_and_creates_together(
    hass: HomeAssistant, smartcar: Simulator, loaded_entry: MockConfigEntry
) -> None:
    """5 deletes and 5 creates at once on a full car: the sensor equals what is stored."""
    ids = [await _create(hass) for _ in range(MAX_CHARGE_SCHEDULES)]
    device_id = _device_id(hass, EX30_ID)
    results = await asyncio.gather(
        *(
            _call(
                hass,
                "delete_charge_schedule",
                {"device_id": device_id, "schedule_id": schedule_id},
            )
            for schedule_id in ids[:5]
        ),
        *(_create(hass) for _ in range(5)),
        return_exceptions=True,
    )
    stored = [s.id for s in smartcar.schedules(EX30_ID)]
    refused = [r for r in results if isinstance(r, BaseException)]
    assert all(
        isinstance(r, ServiceValidationError) and r.translation_key == "schedule_limit"
        for r in refused
    )
    assert len(stored) == MAX_CHARGE_SCHEDULES - len(refused)
    assert not set(ids[:5]) & set(stored)
    state = hass.states.get(SCHEDULES)
    assert state is not None
    assert state.state == str(len(stored))
    assert sorted(s["schedule_id"] for s in state.attributes["schedules"]) == sorted(
        stored
    )
    await loaded_entry.runtime_data.coordinators[EX30_ID].async_refresh()
    assert _count(hass) == str(len(stored))


async def test_weekly_days_deduplicated_and_bounded(
    hass: HomeAssistant, smartcar: Simulator
) -> None:
    """Repeated days count once; 100,000 days are refused before any request."""
    await _create(hass, type="weekly", days=["monday", "Monday", "friday", "monday"])
    (schedule,) = smartcar.schedules(EX30_ID)
    assert list(schedule.attributes["days"]) == ["monday", "friday"]
    smartcar.counters.reset()
    with pytest.raises(ServiceValidationError) as err:
        await _create(hass, type="weekly", days=["monday"] * 100_000)
    assert err.value.translation_key == "schedule_too_many_items"
    assert err.value.translation_placeholders == {
        "field": "Days",
        "limit": str(MAX_LIST_ITEMS),
    }
    assert smartcar.counters.count() == 0
    assert len(smartcar.schedules(EX30_ID)) == 1


@pytest.mark.usefixtures("contract")
async def test_several_vehicles_at_once(
    hass: HomeAssistant, smartcar: Simulator
) -> None:
    """A list of devices: the action runs for each vehicle and answers per device."""
    ex30, xc60 = _device_id(hass, EX30_ID), _device_id(hass, XC60_ID)
    created = await _call(
        hass,
        "create_charge_schedule",
        {
            "device_id": [ex30, xc60, ex30],
            "type": "daily",
            "start_time": "01:00",
            "stop_time": "06:00",
        },
        response=True,
    )
    assert "schedule_id" not in created
    assert set(created["vehicles"]) == {ex30, xc60}
    assert [s.id for s in smartcar.schedules(EX30_ID)] == [
        created["vehicles"][ex30]["schedule_id"]
    ]
    assert [s.id for s in smartcar.schedules(XC60_ID)] == [
        created["vehicles"][xc60]["schedule_id"]
    ]
    listed = await _call(
        hass, "list_charge_schedules", {"device_id": [ex30, xc60]}, response=True
    )
    assert {
        device: [s["schedule_id"] for s in answer["schedules"]]
        for device, answer in listed["vehicles"].items()
    } == {
        device: [answer["schedule_id"]]
        for device, answer in created["vehicles"].items()
    }
    # One bad target refuses the whole call before any request.
    smartcar.counters.reset()
    with pytest.raises(ServiceValidationError) as err:
        await _call(
            hass,
            "create_charge_schedule",
            {
                "device_id": [ex30, _device_id(hass, XC90_ID)],
                "type": "daily",
                "start_time": "01:00",
                "stop_time": "06:00",
            },
            response=True,
        )
    assert err.value.translation_key == "schedules_not_capable"
    assert smartcar.counters.count() == 0
    with pytest.raises(ServiceValidationError) as err:
        await _call(
            hass, "list_charge_schedules", {"device_id": [ex30] * 15}, response=True
        )
    assert err.value.translation_key == "schedule_too_many_items"


async def test_delete_malformed_and_unreachable(
    hass: HomeAssistant, smartcar: Simulator
) -> None:
    """Broken JSON, then Smartcar gone: translated errors, the schedule kept in the sensor."""
    existing = await _create(hass)
    device_id = _device_id(hass, EX30_ID)
    smartcar.faults.malformed_json("schedule_delete")
    with pytest.raises(HomeAssistantError) as err:
        await _call(
            hass,
            "delete_charge_schedule",
            {"device_id": device_id, "schedule_id": existing},
        )
    assert err.value.translation_key == "command_error"
    await smartcar.stop()
    with pytest.raises(HomeAssistantError) as err:
        await _call(
            hass,
            "delete_charge_schedule",
            {"device_id": device_id, "schedule_id": existing},
        )
    assert err.value.translation_key == "command_no_connection"
    assert _count(hass) == "1"


@pytest.mark.usefixtures("contract")
async def test_actions_on_a_car_without_charge_timers(
    hass: HomeAssistant, smartcar: Simulator, loaded_entry: MockConfigEntry
) -> None:
    """A car that does not report ChargeTimers still gets schedules (the API enforces the limit)."""
    smartcar.remove_signal(XC60_ID, sig.CHARGE_TIMERS.code)
    await loaded_entry.runtime_data.coordinators[XC60_ID].async_refresh()
    device_id = _device_id(hass, XC60_ID)
    result = await _call(
        hass,
        "create_charge_schedule",
        {
            "device_id": device_id,
            "type": "daily",
            "start_time": "01:00",
            "stop_time": "06:00",
        },
        response=True,
    )
    await _call(
        hass,
        "delete_charge_schedule",
        {"device_id": device_id, "schedule_id": result["schedule_id"]},
    )
    assert smartcar.schedules(XC60_ID) == []


async def test_actions_on_a_vehicle_not_read_yet(
    hass: HomeAssistant,
    credentials: None,
    config_entry: MockConfigEntry,
    smartcar: Simulator,
) -> None:
    """A vehicle whose first read failed still takes schedules (home location, API limit)."""
    await hass.config_entries.async_unload(config_entry.entry_id)
    smartcar.faults.fail_next(
        "signals",
        status=502,
        error_type="UPSTREAM",
        code="NO_RESPONSE",
        vehicle_id=EX30_ID,
    )
    await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    assert config_entry.runtime_data.coordinators[EX30_ID].data is None
    device_id = _device_id(hass, EX30_ID)
    created = await _call(
        hass,
        "create_charge_schedule",
        {
            "device_id": device_id,
            "type": "daily",
            "start_time": "01:00",
            "stop_time": "06:00",
        },
        response=True,
    )
    await _call(
        hass,
        "delete_charge_schedule",
        {"device_id": device_id, "schedule_id": created["schedule_id"]},
    )
    assert smartcar.schedules(EX30_ID) == []


@pytest.mark.freeze_time(SNAPSHOT_TIME)
async def test_list_reuses_fresh_timers_else_reads_once(
    hass: HomeAssistant,
    smartcar: Simulator,
    sim_clock: ManualClock,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Documented paths: the list comes from ChargeTimers, read again only when not fresh.

    Fresh means this client read the timers less than FRESH_SCHEDULES ago.
    """
    created = await _create(hass)
    data = {"device_id": _device_id(hass, EX30_ID)}
    smartcar.counters.reset()
    listed = await _call(hass, "list_charge_schedules", data, response=True)
    assert [s["schedule_id"] for s in listed["schedules"]] == [created]
    assert smartcar.counters.count() == 0
    freezer.tick(FRESH_SCHEDULES + timedelta(minutes=1))
    sim_clock.advance(minutes=16)
    # Meanwhile the schedule went away elsewhere (the carmaker's app): the read shows it.
    vehicle = smartcar.world.vehicles[EX30_ID]
    vehicle.schedules.clear()
    sync_charge_timers(vehicle, smartcar.now(), dropped=created)
    listed = await _call(hass, "list_charge_schedules", data, response=True)
    assert listed["schedules"] == []
    assert _count(hass) == "0"
    assert smartcar.counters.count() == smartcar.counters.count("signal") == 1
    # The read counts against the month's requests and refreshes the sensor's age.
    again = await _call(hass, "list_charge_schedules", data, response=True)
    assert again == listed
    assert smartcar.counters.count() == 1


async def test_partner_paths_remembered_per_entry(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    smartcar: Simulator,
    loaded_entry: MockConfigEntry,
) -> None:
    """Where only the partner paths answer, the entry keeps that (data, diagnostics, reload)."""
    smartcar.schedule_contract = "seed"
    assert "schedule_contract" not in loaded_entry.data
    await _create(hass)
    assert loaded_entry.data["schedule_contract"] == "partner"
    diagnostics = await get_diagnostics_for_config_entry(
        hass, hass_client, loaded_entry
    )
    shown = cast(dict[str, Any], diagnostics)
    assert shown["entry"]["config"]["schedule_contract"] == "partner"
    await hass.config_entries.async_reload(loaded_entry.entry_id)
    await hass.async_block_till_done()
    smartcar.counters.reset()
    await _create(hass)
    assert smartcar.counters.count("schedule_create") == 1
    listed = await _call(
        hass,
        "list_charge_schedules",
        {"device_id": _device_id(hass, EX30_ID)},
        response=True,
    )
    assert len(listed["schedules"]) == 2
    assert smartcar.counters.count("schedule_list") == 1


def _daily_call(hass: HomeAssistant) -> dict[str, Any]:
    return {
        "device_id": _device_id(hass, EX30_ID),
        "type": "daily",
        "start_time": "01:00",
        "stop_time": "06:00",
    }


async def test_create_answered_202_reads_the_id_back(
    hass: HomeAssistant, smartcar: Simulator, contract: str
) -> None:
    """A long-running create (202 without `scheduleId`): the id is read back, not guessed.

    One read (ChargeTimers on the documented paths, the list on the partner's); the read
    shows in the sensor, and the id it gave deletes the schedule.
    """
    smartcar.schedule_create_answer = "202"
    smartcar.counters.reset()
    created = await _call(
        hass, "create_charge_schedule", _daily_call(hass), response=True
    )
    ((stored_id, _),) = _stored(smartcar)
    assert created["schedule_id"] == stored_id
    assert created["pending"] is False
    assert created["vehicles"] == {
        _device_id(hass, EX30_ID): {"schedule_id": stored_id, "pending": False}
    }
    read = "signal" if contract == "docs" else "schedule_list"
    assert smartcar.counters.count(read) == 1
    assert smartcar.counters.count("signals") == 0
    assert _count(hass) == "1"
    await _call(
        hass,
        "delete_charge_schedule",
        {"device_id": _device_id(hass, EX30_ID), "schedule_id": stored_id},
    )
    assert smartcar.schedules(EX30_ID) == []
    assert _count(hass) == "0"


@pytest.mark.freeze_time(SNAPSHOT_TIME)
@pytest.mark.parametrize("why", ["twin", "read_fails"])
async def test_create_answered_202_pending(  # noqa: PLR0917
    hass: HomeAssistant,
    smartcar: Simulator,
    loaded_entry: MockConfigEntry,
    sim_clock: ManualClock,
    contract: str,
    why: str,
) -> None:
    """A 202 whose schedule cannot be told (a twin made elsewhere, a failed read): pending.

    The answer says so (`schedule_id` None, `pending` true), never the execution id; the next
    poll shows the schedule.
    """
    if why == "twin":  # the same schedule, made in the carmaker's app meanwhile
        await _create(hass)
        sim_clock.advance(minutes=1)
        vehicle = smartcar.world.vehicles[EX30_ID]
        vehicle.schedules.append(replace(vehicle.schedules[0], id="sch_twin"))
        sync_charge_timers(vehicle, smartcar.now())
    else:
        endpoint = "signal" if contract == "docs" else "schedule_list"
        smartcar.faults.fail_next(endpoint, status=500, error_type="SERVER")
    before = _count(hass)
    smartcar.schedule_create_answer = "202"
    created = await _call(
        hass, "create_charge_schedule", _daily_call(hass), response=True
    )
    assert created == {
        "vehicles": {_device_id(hass, EX30_ID): {"schedule_id": None, "pending": True}},
        "schedule_id": None,
        "pending": True,
    }
    assert len(smartcar.schedules(EX30_ID)) == int(before) + (2 if why == "twin" else 1)
    if why == "read_fails":
        assert _count(hass) == before  # nothing guessed
    elif contract == "docs":  # the timers read back show, though they tell no new id
        assert _count(hass) == "3"
    await loaded_entry.runtime_data.coordinators[EX30_ID].async_refresh()
    assert _count(hass) == str(len(smartcar.schedules(EX30_ID)))


@pytest.mark.usefixtures("contract")
async def test_delete_answered_204(hass: HomeAssistant, smartcar: Simulator) -> None:
    """A delete answered `204 No Content` is done: the sensor drops it, no error.

    Deleting it again is refused as unknown (the known schedules are fresh).
    """
    smartcar.schedule_delete_answer = "204"
    schedule_id = await _create(hass)
    data = {"device_id": _device_id(hass, EX30_ID), "schedule_id": schedule_id}
    await _call(hass, "delete_charge_schedule", data)
    assert smartcar.schedules(EX30_ID) == []
    assert _count(hass) == "0"
    smartcar.counters.reset()
    with pytest.raises(ServiceValidationError) as err:
        await _call(hass, "delete_charge_schedule", data)
    assert err.value.translation_key == "schedule_not_found"
    assert smartcar.counters.count() == 0
