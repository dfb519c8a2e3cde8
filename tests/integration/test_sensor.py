"""Sensors of every simulator vehicle (snapshots), devices, and US customary units."""

from __future__ import annotations

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er
from homeassistant.util.unit_system import US_CUSTOMARY_SYSTEM
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from syrupy.assertion import SnapshotAssertion

from .conftest import SNAPSHOT_MARKS, assert_platform_snapshot, setup_entry

pytestmark = SNAPSHOT_MARKS


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
