"""What an owner sees without enabling anything: names, disabled-by-default entities, totals."""

from __future__ import annotations

from datetime import datetime

from homeassistant.components.sensor import ATTR_LAST_RESET, ATTR_STATE_CLASS
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from .conftest import MID_MONTH


@pytest.mark.usefixtures("loaded_entry")
async def test_per_position_closures_and_charging_are_off_by_default(
    hass: HomeAssistant, entity_registry: er.EntityRegistry
) -> None:
    """Aggregates and the charging status show; each door, window and "Charging" wait to be enabled."""
    for entity_id in (
        "binary_sensor.volvo_xc90_doors",
        "binary_sensor.volvo_xc90_windows",
        "sensor.volvo_xc60_recharge_charging_status",
        "lock.volvo_xc90_lock",
    ):
        entry = entity_registry.async_get(entity_id)
        assert entry is not None, entity_id
        assert entry.disabled_by is None, entity_id
        assert hass.states.get(entity_id) is not None, entity_id
    for entity_id in (
        "binary_sensor.volvo_xc90_front_left_door",
        "binary_sensor.volvo_xc90_rear_right_window",
        "binary_sensor.volvo_xc60_recharge_charging",
    ):
        entry = entity_registry.async_get(entity_id)
        assert entry is not None, entity_id
        assert entry.disabled_by is er.RegistryEntryDisabler.INTEGRATION, entity_id
        assert hass.states.get(entity_id) is None, entity_id


@pytest.mark.usefixtures("loaded_entry")
async def test_lock_is_named_lock(hass: HomeAssistant) -> None:
    """The lock is the car's "Lock", not a second "Doors" beside the doors sensor."""
    lock = hass.states.get("lock.volvo_xc90_lock")
    doors = hass.states.get("binary_sensor.volvo_xc90_doors")
    assert lock is not None and doors is not None
    assert lock.attributes["friendly_name"] == "Volvo XC90 Lock"
    assert doors.attributes["friendly_name"] == "Volvo XC90 Doors"


@pytest.mark.freeze_time(MID_MONTH)
async def test_request_counter_is_a_monthly_total(
    hass: HomeAssistant, config_entry: MockConfigEntry, loaded_entry: MockConfigEntry
) -> None:
    """The counter is a total that last reset at local midnight on the month's first day."""
    state = hass.states.get("sensor.volvo_xc90_api_requests_this_month")
    assert state is not None
    assert state.attributes[ATTR_STATE_CLASS] == "total"
    last_reset = datetime.fromisoformat(state.attributes[ATTR_LAST_RESET])
    now = dt_util.as_local(dt_util.utcnow())
    assert last_reset == now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    assert last_reset.utcoffset() == now.utcoffset() or now.day > 1


@pytest.mark.usefixtures("loaded_entry")
async def test_schedule_count_has_no_statistics(hass: HomeAssistant) -> None:
    """A count of settings is not a measurement: no state class."""
    state = hass.states.get("sensor.volvo_xc60_recharge_charge_schedules")
    assert state is not None
    assert ATTR_STATE_CLASS not in state.attributes
