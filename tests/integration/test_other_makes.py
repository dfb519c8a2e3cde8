"""The simulator's other makes in Home Assistant: a second entry shows the Tesla, Volkswagen and Jaguar.

The demo (`scripts/develop`) reaches them by logging in to Connect as the other-makes owner;
here the entry is made directly, with the permissions Connect grants the integration.
"""

from __future__ import annotations

import json

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import device_registry as dr, entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.smartcar.const import DOMAIN
from smartcar_simulator import (
    ID4_ID,
    ID4_VIN,
    IPACE_ID,
    IPACE_VIN,
    MODEL_Y_ID,
    MODEL_Y_VIN,
    OTHER_MAKES_USER_ID,
    Simulator,
)

from .conftest import SNAPSHOT_TIME, setup_entry

pytestmark = [
    pytest.mark.freeze_time(SNAPSHOT_TIME),
    pytest.mark.usefixtures("credentials", "only_platforms"),
]


async def test_other_makes_become_devices(
    hass: HomeAssistant,
    makes_entry: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
    entity_registry: er.EntityRegistry,
) -> None:
    """One device per car, by make and model, each with its battery level."""
    await setup_entry(hass, makes_entry)
    assert makes_entry.state is ConfigEntryState.LOADED
    devices = dr.async_entries_for_config_entry(device_registry, makes_entry.entry_id)
    assert sorted((device.manufacturer, device.model) for device in devices) == [
        ("Jaguar", "I-PACE (2021)"),
        ("Tesla", "Model Y (2024)"),
        ("Volkswagen", "ID.4 (2023)"),
    ]
    for vehicle_id, level in ((MODEL_Y_ID, 52), (ID4_ID, 64), (IPACE_ID, 76)):
        battery = entity_registry.async_get_entity_id(
            "sensor", DOMAIN, f"{vehicle_id}_state_of_charge"
        )
        assert battery is not None
        state = hass.states.get(battery)
        assert state is not None
        assert float(state.state) == level


async def test_other_makes_diagnostics_keep_their_secrets(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    makes_entry: MockConfigEntry,
    smartcar: Simulator,
) -> None:
    """Diagnostics of the other makes show no VIN, id or coordinate (timers, records too)."""
    await setup_entry(hass, makes_entry)
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, makes_entry)
    text = json.dumps(diagnostics)
    secrets = [OTHER_MAKES_USER_ID, MODEL_Y_VIN, ID4_VIN, IPACE_VIN, MODEL_Y_ID]
    secrets += [ID4_ID, IPACE_ID]
    for vehicle_id in (MODEL_Y_ID, ID4_ID, IPACE_ID):
        location = smartcar.signal_body(vehicle_id, "location-preciselocation")
        assert location is not None
        secrets += [str(location["latitude"]), str(location["longitude"])]
    for secret in secrets:
        assert secret not in text


@pytest.mark.parametrize("vehicle_id", [ID4_ID, IPACE_ID])
async def test_listing_schedules_on_a_car_without_any(
    hass: HomeAssistant,
    makes_entry: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
    vehicle_id: str,
) -> None:
    """The ID.4 and the I-PACE take no schedules: listing says so, naming the car."""
    await setup_entry(hass, makes_entry)
    (device,) = device_registry.async_get_devices(identifiers={(DOMAIN, vehicle_id)})
    with pytest.raises(HomeAssistantError) as err:
        await hass.services.async_call(
            DOMAIN,
            "list_charge_schedules",
            {"device_id": device.id},
            blocking=True,
            return_response=True,
        )
    assert err.value.translation_key == "schedules_list_not_capable"
    assert err.value.translation_placeholders == {"device": device.name}
    assert str(err.value) == (
        f"{device.name} does not support charge schedules "
        '(Smartcar answered "not capable"), so there are none to list'
    )


async def test_manufacturer_keeps_how_makes_are_written(
    hass: HomeAssistant,
    makes_entry: MockConfigEntry,
    smartcar: Simulator,
    device_registry: dr.DeviceRegistry,
) -> None:
    """Smartcar sends makes in capitals: acronyms stay ("BMW", not "Bmw"), words read as words."""
    for vehicle_id, make in (
        (MODEL_Y_ID, "BMW"),
        (ID4_ID, "GMC"),
        (IPACE_ID, "MERCEDES-BENZ"),
    ):
        smartcar.vehicle(vehicle_id).make = make
    await setup_entry(hass, makes_entry)
    devices = dr.async_entries_for_config_entry(device_registry, makes_entry.entry_id)
    assert sorted(device.manufacturer or "" for device in devices) == [
        "BMW",
        "GMC",
        "Mercedes-Benz",
    ]
    (ipace,) = device_registry.async_get_devices(identifiers={(DOMAIN, IPACE_ID)})
    assert ipace.name == "Mercedes-Benz I-PACE"
