"""The battery Home Assistant shows for a car is the traction battery, or a petrol car's fuel.

Home Assistant takes a device's battery from its sensor of device class battery (the device
page's header, the Maintenance view): the 12 V battery must not be one (issue 21 §2).
"""

from __future__ import annotations

from homeassistant.components.sensor import SensorDeviceClass
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import ATTR_DEVICE_CLASS, PERCENTAGE
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from .conftest import setup_entry

pytestmark = pytest.mark.usefixtures(
    "credentials", "entity_registry_enabled_by_default"
)


async def test_each_car_has_one_battery_the_traction_one_or_the_fuel(
    hass: HomeAssistant,
    config_entry: MockConfigEntry,
    makes_entry: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
    entity_registry: er.EntityRegistry,
) -> None:
    """One battery per car: state of charge (BEV, PHEV), fuel level (the petrol XC90)."""
    await setup_entry(hass, config_entry)  # sets up every entry of the integration
    assert makes_entry.state is ConfigEntryState.LOADED
    batteries: dict[str, list[str]] = {}
    for entry in (config_entry, makes_entry):
        for device in dr.async_entries_for_config_entry(
            device_registry, entry.entry_id
        ):
            batteries[device.name or ""] = [
                e.unique_id.split("_", 1)[1]
                for e in er.async_entries_for_device(entity_registry, device.id)
                if e.domain in ("sensor", "binary_sensor")  # the frontend's choice
                and (state := hass.states.get(e.entity_id))
                and state.attributes.get(ATTR_DEVICE_CLASS) == SensorDeviceClass.BATTERY
            ]
    assert batteries == {
        "Volvo EX30": ["state_of_charge"],
        "Volvo XC60 Recharge": ["state_of_charge"],
        "Volvo XC90": ["fuel_level"],
        "Tesla Model Y": ["state_of_charge"],
        "Volkswagen ID.4": ["state_of_charge"],
        "Jaguar I-PACE": ["state_of_charge"],
    }
    # The 12 V battery stays a percentage, under its unique id.
    low_voltage = hass.states.get("sensor.tesla_model_y_12_v_battery")
    assert low_voltage is not None
    assert low_voltage.attributes["unit_of_measurement"] == PERCENTAGE
    entity = entity_registry.async_get("sensor.tesla_model_y_12_v_battery")
    assert entity is not None
    assert entity.unique_id.endswith("_low_voltage_battery")
