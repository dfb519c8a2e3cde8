"""Sensors of every simulator vehicle (snapshots), devices, US customary units, data freshness."""

from __future__ import annotations

from datetime import timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_UNKNOWN, Platform
from homeassistant.core import Event, EventStateChangedData, HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er
from homeassistant.helpers.event import async_track_state_change_event
from homeassistant.util.unit_system import (
    METRIC_SYSTEM,
    US_CUSTOMARY_SYSTEM,
    UnitSystem,
)
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from syrupy.assertion import SnapshotAssertion

from custom_components.smartcar.api import signals as sig
from smartcar_simulator import Simulator
from smartcar_simulator.clock import ManualClock
from smartcar_simulator.vehicles import XC90_ID

from .conftest import (
    SNAPSHOT_MARKS,
    SNAPSHOT_TIME,
    assert_platform_snapshot,
    setup_entry,
    state_of,
)

pytestmark = SNAPSHOT_MARKS
XC90_LAST_DATA = "sensor.volvo_xc90_last_data"
XC90_LAST_WEBHOOK = "sensor.volvo_xc90_last_webhook"


def _shown(event: Event[EventStateChangedData]) -> str | None:
    state = event.data["new_state"]
    return state.state if state else None


@pytest.fixture
def platforms() -> list[Platform]:
    """Load the sensor platform only."""
    return [Platform.SENSOR]


async def test_sensor_snapshot(
    hass: HomeAssistant,
    config_entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
) -> None:
    """Every sensor entity of the BEV, PHEV and ICE vehicles, as registered and as shown."""
    await assert_platform_snapshot(hass, config_entry, entity_registry, snapshot)


async def test_devices(
    hass: HomeAssistant,
    config_entry: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
    snapshot: SnapshotAssertion,
) -> None:
    """One device per vehicle: make, model and year, with the VIN as serial number."""
    await setup_entry(hass, config_entry)
    devices = dr.async_entries_for_config_entry(device_registry, config_entry.entry_id)
    assert sorted(devices, key=lambda d: d.name or "") == snapshot


async def test_us_customary_units(
    hass: HomeAssistant, config_entry: MockConfigEntry
) -> None:
    """With US customary units, distances show in miles and fuel in gallons."""
    hass.config.units = US_CUSTOMARY_SYSTEM
    await setup_entry(hass, config_entry)
    electric_range = hass.states.get("sensor.volvo_ex30_electric_range")
    fuel = hass.states.get("sensor.volvo_xc60_recharge_fuel_remaining")
    us_fuel = hass.states.get("sensor.volvo_xc90_fuel_remaining")
    us_odometer = hass.states.get("sensor.volvo_xc90_odometer")
    assert electric_range is not None
    assert fuel is not None
    assert us_fuel is not None
    assert us_odometer is not None
    assert electric_range.attributes["unit_of_measurement"] == "mi"
    assert fuel.attributes["unit_of_measurement"] == "gal"
    assert us_fuel.attributes["unit_of_measurement"] == "gal"
    assert us_odometer.attributes["unit_of_measurement"] == "mi"


async def test_last_data_changes_only_with_newer_data(
    hass: HomeAssistant,
    config_entry: MockConfigEntry,
    smartcar: Simulator,
    sim_clock: ManualClock,
    freezer: FrozenDateTimeFactory,
) -> None:
    """The newest signal time of the car; a read that brings nothing newer writes no state."""
    await setup_entry(hass, config_entry)
    # The XC90 was parked and read 20 minutes before the simulator's start.
    assert state_of(hass, XC90_LAST_DATA) == "2026-11-01T09:40:00+00:00"
    changes: list[Event[EventStateChangedData]] = []
    async_track_state_change_event(hass, XC90_LAST_DATA, changes.append)
    coordinator = config_entry.runtime_data.coordinators[XC90_ID]
    freezer.tick(timedelta(minutes=30))
    sim_clock.advance(minutes=30)
    await coordinator.async_refresh()
    await hass.async_block_till_done()
    assert changes == []
    smartcar.set_signal(XC90_ID, sig.FUEL_LEVEL.code, {"value": 55, "unit": "percent"})
    await coordinator.async_refresh()
    await hass.async_block_till_done()
    assert [_shown(event) for event in changes] == [
        (SNAPSHOT_TIME + timedelta(minutes=30)).isoformat()
    ]


async def test_last_webhook(
    hass: HomeAssistant,
    smartcar: Simulator,
    callback_url: str,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Unknown until a delivery for the car arrives, then when it arrived."""
    assert state_of(hass, XC90_LAST_WEBHOOK) == STATE_UNKNOWN
    freezer.tick(timedelta(minutes=3))
    delivered = await smartcar.deliver(
        callback_url, smartcar.vehicle_state_event(XC90_ID)
    )
    assert delivered.status == 200
    await hass.async_block_till_done()
    assert (
        state_of(hass, XC90_LAST_WEBHOOK)
        == (SNAPSHOT_TIME + timedelta(minutes=3)).isoformat()
    )
    assert state_of(hass, "sensor.volvo_ex30_last_webhook") == STATE_UNKNOWN


async def test_sensor_snapshot_other_owners(
    hass: HomeAssistant,
    other_owner_entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
) -> None:
    """Every sensor entity of the other owners' cars, as registered and as shown."""
    await assert_platform_snapshot(hass, other_owner_entry, entity_registry, snapshot)


@pytest.mark.parametrize(
    ("units", "tesla", "jaguar"),
    [
        (METRIC_SYSTEM, ("70.81", "km/h"), ("0", "km/h")),
        (US_CUSTOMARY_SYSTEM, ("44", "mph"), ("0", "mph")),
    ],
)
async def test_range_added_per_hour_follows_the_unit_system(
    hass: HomeAssistant,
    makes_entry: MockConfigEntry,
    units: UnitSystem,
    tesla: tuple[str, str],
    jaguar: tuple[str, str],
) -> None:
    """The Tesla's 44 mph and the idle Jaguar's 0 km/h show in the owner's unit system.

    It is named so as not to read as a speed: "Range added per hour".
    """
    hass.config.units = units
    await setup_entry(hass, makes_entry)
    for entity_id, (value, unit) in (
        ("sensor.tesla_model_y_range_added_per_hour", tesla),
        ("sensor.jaguar_i_pace_range_added_per_hour", jaguar),
    ):
        state = hass.states.get(entity_id)
        assert state is not None, entity_id
        shown = f"{round(float(state.state), 2):g}"
        assert (shown, state.attributes["unit_of_measurement"]) == (value, unit)
    tesla_state = hass.states.get("sensor.tesla_model_y_range_added_per_hour")
    assert tesla_state is not None
    assert tesla_state.name == "Tesla Model Y Range added per hour"
