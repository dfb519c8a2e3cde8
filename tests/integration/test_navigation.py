"""The set_destination action: sent to each car, checked first, refusals translated."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import device_registry as dr
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.smartcar.const import DOMAIN
from custom_components.smartcar.diagnostics import async_get_config_entry_diagnostics
from custom_components.smartcar.services import SERVICE_SET_DESTINATION
from smartcar_simulator import Simulator
from smartcar_simulator.endpoints import SET_DESTINATION
from smartcar_simulator.vehicles import EX30_ID, ID4_ID, XC60_ID, XC90_ID

from .conftest import setup_entry

pytestmark = pytest.mark.usefixtures("loaded_entry")
GOTHENBURG = {"latitude": 57.7089, "longitude": 11.9746}


@pytest.fixture
def volvos_take_destinations(smartcar: Simulator) -> None:
    """Let the owner's three Volvos take a destination, which at Smartcar they refuse.

    The tests using this are about the action's own handling (several targets, checks before
    sending, what a car that takes destinations records), which needs more than the one
    Volkswagen of the demo.
    """
    for vehicle_id in (EX30_ID, XC60_ID, XC90_ID):
        smartcar.vehicle(vehicle_id).unsupported_commands.discard(SET_DESTINATION)


def _device_id(hass: HomeAssistant, vehicle_id: str) -> str:
    (device,) = dr.async_get(hass).async_get_devices(identifiers={(DOMAIN, vehicle_id)})
    return device.id


async def _send(hass: HomeAssistant, data: dict[str, Any]) -> None:
    await hass.services.async_call(DOMAIN, SERVICE_SET_DESTINATION, data, blocking=True)


def _destinations(smartcar: Simulator, vehicle_id: str) -> list[tuple[Any, ...]]:
    return [
        (item.latitude, item.longitude, item.name)
        for item in smartcar.vehicle(vehicle_id).destinations
    ]


@pytest.mark.usefixtures("volvos_take_destinations")
async def test_send_destination(hass: HomeAssistant, smartcar: Simulator) -> None:
    """The destination reaches each targeted car (each once), with its name when given."""
    smartcar.counters.reset()
    await _send(hass, {"device_id": _device_id(hass, EX30_ID), **GOTHENBURG})
    assert _destinations(smartcar, EX30_ID) == [(57.7089, 11.9746, None)]
    await _send(
        hass,
        {
            "device_id": [
                _device_id(hass, XC60_ID),
                _device_id(hass, XC90_ID),
                _device_id(hass, XC60_ID),
            ],
            "latitude": "59.3293",
            "longitude": 18.0686,
            "name": "Stockholm office",
        },
    )
    for vehicle_id in (XC60_ID, XC90_ID):
        assert _destinations(smartcar, vehicle_id) == [
            (59.3293, 18.0686, "Stockholm office")
        ]
    assert smartcar.counters.count("set_destination") == 3
    assert smartcar.counters.count("signals") == 0


@pytest.mark.usefixtures("volvos_take_destinations")
@pytest.mark.parametrize(
    ("data", "translation_key"),
    [
        ({"latitude": 91}, "schedule_invalid_latitude"),
        ({"latitude": "nan"}, "schedule_invalid_latitude"),
        ({"latitude": float("inf")}, "schedule_invalid_latitude"),
        ({"latitude": "north"}, "schedule_invalid_latitude"),
        ({"longitude": -180.01}, "schedule_invalid_longitude"),
        ({"longitude": float("nan")}, "schedule_invalid_longitude"),
        ({"name": "x" * 101}, "destination_invalid_name"),
        ({"device_id": "not-a-device"}, "invalid_device"),
        ({"device_id": []}, "invalid_device"),
        ({"device_id": ["d"] * 15}, "schedule_too_many_items"),
        ({"radius": 5}, "action_invalid_field"),
    ],
)
async def test_bad_input_refused_before_any_request(
    hass: HomeAssistant,
    smartcar: Simulator,
    data: dict[str, Any],
    translation_key: str,
) -> None:
    """Each bad field is its own translated error; nothing is sent."""
    smartcar.counters.reset()
    call = {"device_id": _device_id(hass, EX30_ID), **GOTHENBURG} | data
    with pytest.raises(ServiceValidationError) as err:
        await _send(hass, call)
    assert err.value.translation_key == translation_key
    assert err.value.translation_domain == DOMAIN
    assert "{" not in str(err.value)
    assert smartcar.counters.count() == 0
    assert _destinations(smartcar, EX30_ID) == []


async def test_missing_latitude(hass: HomeAssistant, smartcar: Simulator) -> None:
    """Latitude and longitude are required."""
    with pytest.raises(ServiceValidationError) as err:
        await _send(hass, {"device_id": _device_id(hass, EX30_ID), "longitude": 1})
    assert err.value.translation_key == "schedule_invalid_latitude"


async def test_without_control_navigation(
    hass: HomeAssistant, smartcar: Simulator, loaded_entry: MockConfigEntry
) -> None:
    """A car whose owner did not grant control_navigation is refused before any request."""
    coordinator = loaded_entry.runtime_data.coordinators[XC60_ID]
    coordinator.connection = replace(
        coordinator.connection,
        permissions=coordinator.connection.permissions - {"control_navigation"},
    )
    smartcar.counters.reset()
    with pytest.raises(ServiceValidationError) as err:
        await _send(
            hass,
            {
                "device_id": [_device_id(hass, EX30_ID), _device_id(hass, XC60_ID)],
                **GOTHENBURG,
            },
        )
    assert err.value.translation_key == "destination_permission"
    assert str(err.value).startswith(
        "The owner of Volvo XC60 Recharge did not grant the permission that sending "
        'destinations needs. Reconfigure the integration with "Location: where the car '
        'is parked, sending a destination" ticked'
    )
    assert smartcar.counters.count() == 0  # every target is checked before any is sent


async def test_not_capable_is_remembered(
    hass: HomeAssistant, smartcar: Simulator, loaded_entry: MockConfigEntry
) -> None:
    """501: an error naming the car; the next call is refused without a request.

    The XC90 answers 501 as every Volvo does at Smartcar (the simulator's default).
    """
    call = {"device_id": _device_id(hass, XC90_ID), **GOTHENBURG}
    for _ in range(2):
        with pytest.raises(HomeAssistantError) as err:
            await _send(hass, call)
        assert err.value.translation_key == "command_vehicle_not_capable"
        assert str(err.value).startswith(
            'Smartcar answered that Volvo XC90 cannot do "Set destination"'
        )
    assert smartcar.counters.count("set_destination") == 1
    diagnostics = await async_get_config_entry_diagnostics(hass, loaded_entry)
    refused = {
        vehicle["vehicle"]["model"]: vehicle["commands_not_capable"]
        for vehicle in diagnostics["vehicles"]
    }
    assert refused == {"EX30": [], "XC60 Recharge": [], "XC90": ["set_destination"]}
    assert await hass.config_entries.async_reload(loaded_entry.entry_id)
    await hass.async_block_till_done()
    with pytest.raises(HomeAssistantError):
        await _send(hass, call)
    assert smartcar.counters.count("set_destination") == 1


@pytest.mark.parametrize(
    ("fault", "translation_key"),
    [
        (
            {"status": 409, "error_type": "VEHICLE_STATE", "code": "UNREACHABLE"},
            "command_vehicle_unreachable",
        ),
        (
            {
                "status": 501,
                "error_type": "COMPATIBILITY",
                "code": "PLATFORM_NOT_CAPABLE",
            },
            "command_not_capable",
        ),
        (
            {"status": 429, "error_type": "RATE_LIMIT", "code": "VEHICLE"},
            "command_rate_limited",
        ),
    ],
)
async def test_api_failures(
    hass: HomeAssistant,
    smartcar: Simulator,
    makes_entry: MockConfigEntry,
    fault: dict[str, Any],
    translation_key: str,
) -> None:
    """Other refusals are translated and not remembered: the next call is sent.

    Sent to the Volkswagen (the other makes' entry), which takes destinations as at Smartcar.
    """
    await setup_entry(hass, makes_entry)
    smartcar.faults.fail_next("set_destination", **fault)
    call = {"device_id": _device_id(hass, ID4_ID), **GOTHENBURG}
    with pytest.raises(HomeAssistantError) as err:
        await _send(hass, call)
    assert err.value.translation_key == translation_key
    await _send(hass, call)
    assert _destinations(smartcar, ID4_ID) == [(57.7089, 11.9746, None)]


async def test_entry_not_loaded(
    hass: HomeAssistant, smartcar: Simulator, loaded_entry: MockConfigEntry
) -> None:
    """A car whose entry is unloaded is refused with a clear error."""
    device_id = _device_id(hass, EX30_ID)
    await hass.config_entries.async_unload(loaded_entry.entry_id)
    with pytest.raises(ServiceValidationError) as err:
        await _send(hass, {"device_id": device_id, **GOTHENBURG})
    assert err.value.translation_key == "entry_not_loaded"
    assert smartcar.counters.count("set_destination") == 0
