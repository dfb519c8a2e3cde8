"""The charge-schedule calendar: each schedule's windows as events, on a frozen clock."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.smartcar.api import signals as sig
from custom_components.smartcar.const import DOMAIN
from smartcar_simulator import Simulator
from smartcar_simulator.vehicles import EX30_ID, IPACE_ID, MODEL_Y_ID, XC60_ID, XC90_ID

from .conftest import setup_entry

pytestmark = pytest.mark.usefixtures("loaded_entry")
CALENDAR = "calendar.volvo_ex30_charging_calendar"
CALENDAR_DOMAIN = Platform.CALENDAR.value
# The last Saturday of November 2026, 10:00 UTC (the simulator's clock starts on the 1st).
SATURDAY = "2026-11-28T10:00:00+00:00"


@pytest.fixture
def platforms() -> list[Platform]:
    """Load the calendar (and the sensor the actions update)."""
    return [Platform.CALENDAR, Platform.SENSOR]


async def _create(hass: HomeAssistant, vehicle_id: str = EX30_ID, **data: Any) -> str:
    (device,) = dr.async_get(hass).async_get_devices(identifiers={(DOMAIN, vehicle_id)})
    result = await hass.services.async_call(
        DOMAIN,
        "create_charge_schedule",
        {"device_id": device.id, "location": {"latitude": 1, "longitude": 2}} | data,
        blocking=True,
        return_response=True,
    )
    assert isinstance(result, dict)
    return str(result["schedule_id"])


async def _get_events(
    hass: HomeAssistant, start: str, end: str, calendar: str = CALENDAR
) -> list[dict[str, Any]]:
    result = await hass.services.async_call(
        CALENDAR_DOMAIN,
        "get_events",
        {"entity_id": calendar, "start_date_time": start, "end_date_time": end},
        blocking=True,
        return_response=True,
    )
    return list(cast(dict[str, Any], result)[calendar]["events"])


async def _events(hass: HomeAssistant, start: str, end: str) -> list[tuple[str, str]]:
    events = await _get_events(hass, start, end)
    return [(event["start"], event["end"]) for event in events]


def _local(text: str) -> str:
    """Return a local wall time of Home Assistant's zone as the calendar reports it."""
    moment = datetime.fromisoformat(text).replace(
        tzinfo=dt_util.get_default_time_zone()
    )
    return moment.isoformat()


@pytest.mark.freeze_time(SATURDAY)
async def test_windows_over_a_month_end(hass: HomeAssistant) -> None:
    """Daily, workweek and weekly windows expanded from Saturday 28 Nov to Wednesday 2 Dec."""
    await hass.config.async_set_time_zone("Europe/Stockholm")
    await _create(hass, type="daily", start_time="01:00", stop_time="05:00")
    await _create(
        hass,
        type="workweek",
        start_time="22:00",
        stop_time="06:00",
        weekend_start_time="10:00",
        weekend_stop_time="14:00",
    )
    await _create(
        hass, type="weekly", days=["monday"], start_time="12:00", stop_time="13:00"
    )
    events = await _events(hass, _local("2026-11-28T00:00"), _local("2026-12-02T00:00"))
    assert events == [
        # Friday's overnight window reaches into Saturday.
        (_local("2026-11-27T22:00"), _local("2026-11-28T06:00")),
        (_local("2026-11-28T01:00"), _local("2026-11-28T05:00")),
        (_local("2026-11-28T10:00"), _local("2026-11-28T14:00")),
        (_local("2026-11-29T01:00"), _local("2026-11-29T05:00")),
        (_local("2026-11-29T10:00"), _local("2026-11-29T14:00")),
        (_local("2026-11-30T01:00"), _local("2026-11-30T05:00")),
        (_local("2026-11-30T12:00"), _local("2026-11-30T13:00")),
        (_local("2026-11-30T22:00"), _local("2026-12-01T06:00")),
        (_local("2026-12-01T01:00"), _local("2026-12-01T05:00")),
        (_local("2026-12-01T22:00"), _local("2026-12-02T06:00")),
    ]
    # The state: the window under way (Saturday 11:00 local) is on.
    state = hass.states.get(CALENDAR)
    assert state is not None
    assert state.state == "on"
    assert (
        state.attributes["message"] == "Volvo EX30: charging window (workweek schedule)"
    )
    assert state.attributes["start_time"] == "2026-11-28 10:00:00"


@pytest.mark.freeze_time(SATURDAY)
async def test_follows_create_and_delete(
    hass: HomeAssistant, smartcar: Simulator
) -> None:
    """A new schedule shows at once; after its delete the calendar is empty again."""
    await hass.config.async_set_time_zone("UTC")
    assert (
        await _events(hass, "2026-11-28T00:00:00+00:00", "2026-11-29T00:00:00+00:00")
        == []
    )
    state = hass.states.get(CALENDAR)
    assert state is not None
    assert state.state == "off"
    schedule_id = await _create(
        hass, type="weekly", days=["sunday"], start_time="23:30", stop_time="00:30"
    )
    assert await _events(
        hass, "2026-11-29T23:45:00+00:00", "2026-11-30T00:00:00+00:00"
    ) == [("2026-11-29T23:30:00+00:00", "2026-11-30T00:30:00+00:00")]
    state = hass.states.get(CALENDAR)
    assert state is not None
    assert state.attributes["start_time"] == "2026-11-29 23:30:00"
    (device,) = dr.async_get(hass).async_get_devices(identifiers={(DOMAIN, EX30_ID)})
    await hass.services.async_call(
        DOMAIN,
        "delete_charge_schedule",
        {"device_id": device.id, "schedule_id": schedule_id},
        blocking=True,
    )
    assert (
        await _events(hass, "2026-11-28T00:00:00+00:00", "2026-12-05T00:00:00+00:00")
        == []
    )
    assert smartcar.schedules(EX30_ID) == []


async def test_no_calendar_for_a_petrol_car(hass: HomeAssistant) -> None:
    """Only cars that report charge timers get a calendar."""
    assert hass.states.get("calendar.volvo_ex30_charging_calendar") is not None
    (xc90,) = dr.async_get(hass).async_get_devices(identifiers={(DOMAIN, XC90_ID)})
    assert not any(
        state.entity_id.startswith("calendar.volvo_xc90")
        for state in hass.states.async_all(CALENDAR_DOMAIN)
    )
    assert xc90.name == "Volvo XC90"


async def test_a_car_that_takes_no_schedules_gets_neither_sensor_nor_calendar(
    hass: HomeAssistant,
    smartcar: Simulator,
    makes_entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
) -> None:
    """The I-PACE's charge timers answer only an error (listing says "not capable").

    It gets no schedules sensor and no calendar (the Model Y gets both); they come once a
    read brings its timers.
    """
    await setup_entry(hass, makes_entry)

    def schedule_entities(vehicle_id: str) -> set[str]:
        entries = er.async_entries_for_config_entry(
            entity_registry, makes_entry.entry_id
        )
        keys = {
            f"{vehicle_id}_charge_schedules",
            f"{vehicle_id}_charge_schedules_calendar",
        }
        return {e.entity_id for e in entries if e.unique_id in keys}

    assert schedule_entities(MODEL_Y_ID) == {
        "sensor.tesla_model_y_charge_schedules",
        "calendar.tesla_model_y_charging_calendar",
    }
    assert schedule_entities(IPACE_ID) == set()

    smartcar.release_signal_error(IPACE_ID, sig.CHARGE_TIMERS.code)
    smartcar.set_signal(IPACE_ID, sig.CHARGE_TIMERS.code, {"values": []})
    await makes_entry.runtime_data.coordinators[IPACE_ID].async_refresh()
    await hass.async_block_till_done()
    assert schedule_entities(IPACE_ID) == {
        "sensor.jaguar_i_pace_charge_schedules",
        "calendar.jaguar_i_pace_charging_calendar",
    }
    assert hass.states.get("sensor.jaguar_i_pace_charge_schedules").state == "0"  # type: ignore[union-attr]


@pytest.mark.freeze_time(SATURDAY)
async def test_summaries_name_the_car_in_the_owners_language(
    hass: HomeAssistant, device_registry: dr.DeviceRegistry
) -> None:
    """Each car's events carry its name (as renamed), and read in Home Assistant's language."""
    await hass.config.async_set_time_zone("UTC")
    await _create(hass, type="daily", start_time="01:00", stop_time="05:00")
    await _create(hass, XC60_ID, type="daily", start_time="01:00", stop_time="05:00")
    day = ("2026-11-29T00:00:00+00:00", "2026-11-30T00:00:00+00:00")

    async def summaries(calendar: str = CALENDAR) -> list[str]:
        return [event["summary"] for event in await _get_events(hass, *day, calendar)]

    assert await summaries() == ["Volvo EX30: charging window (daily schedule)"]
    assert await summaries("calendar.volvo_xc60_recharge_charging_calendar") == [
        "Volvo XC60 Recharge: charging window (daily schedule)"
    ]
    (device,) = device_registry.async_get_devices(identifiers={(DOMAIN, EX30_ID)})
    device_registry.async_update_device(device.id, name_by_user="Family car")
    await hass.async_block_till_done()
    assert await summaries() == ["Family car: charging window (daily schedule)"]
    state = hass.states.get(CALENDAR)
    assert state is not None
    assert state.attributes["message"] == "Family car: charging window (daily schedule)"

    await hass.config.async_update(language="de")
    await hass.async_block_till_done()
    assert await summaries() == ["Family car: Ladefenster (täglicher Ladeplan)"]
