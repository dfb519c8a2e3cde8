"""Binary sensors of every simulator vehicle (snapshots); the vehicle problem sensor."""

from __future__ import annotations

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from syrupy.assertion import SnapshotAssertion

from custom_components.smartcar.api import signals as sig
from custom_components.smartcar.const import DOMAIN
from smartcar_simulator import Simulator
from smartcar_simulator.vehicles import EX30_ID

from .conftest import SNAPSHOT_MARKS, assert_platform_snapshot, state_of

pytestmark = SNAPSHOT_MARKS
EX30_PROBLEM = "binary_sensor.volvo_ex30_vehicle_problem"


@pytest.fixture
def platforms() -> list[Platform]:
    """Load the binary_sensor platform only."""
    return [Platform.BINARY_SENSOR]


async def test_binary_sensor_snapshot(
    hass: HomeAssistant,
    config_entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
) -> None:
    """Every binary_sensor entity of the BEV, PHEV and ICE vehicles, as registered and as shown."""
    await assert_platform_snapshot(hass, config_entry, entity_registry, snapshot)


async def test_binary_sensor_snapshot_other_owners(
    hass: HomeAssistant,
    other_owner_entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
) -> None:
    """Every binary_sensor entity of the other owners' cars, as registered and as shown."""
    await assert_platform_snapshot(hass, other_owner_entry, entity_registry, snapshot)


async def test_problem_only_about_what_the_integration_uses(
    hass: HomeAssistant, smartcar: Simulator, callback_url: str
) -> None:
    """An error about signals nothing shows stays off (diagnostics keep it); others turn on.

    The EX30's owner did not grant `read_user_profile`: an error about its
    `vehicleuseraccount-*` signals, or about a signal of no known group, is no problem the
    owner sees. One about a signal it reads, or about the whole connection, is.
    """
    coordinator = next(
        entry.runtime_data.coordinators[EX30_ID]
        for entry in hass.config_entries.async_loaded_entries(DOMAIN)
    )
    assert not coordinator.has_permission("read_user_profile")
    unused = smartcar.vehicle_error_event(EX30_ID, "PERMISSION", None)
    unused["data"]["errors"][0]["signals"] = [
        {"code": "vehicleuseraccount-role", "group": "VehicleUserAccount"},
        "VehicleUserAccount.Permissions",
        "SomethingNew.Value",
    ]
    assert (await smartcar.deliver(callback_url, unused)).status == 200
    await hass.async_block_till_done()
    assert state_of(hass, EX30_PROBLEM) == "off"
    assert len(coordinator.problems) == 1  # kept for the diagnostics
    used = smartcar.vehicle_error_event(
        EX30_ID, "UPSTREAM", "UNKNOWN", signal_codes=[sig.STATE_OF_CHARGE.code]
    )
    assert (await smartcar.deliver(callback_url, used)).status == 200
    await hass.async_block_till_done()
    state = hass.states.get(EX30_PROBLEM)
    assert state is not None
    assert (state.state, state.attributes["type"]) == ("on", "UPSTREAM")
    # Newer, but about nothing shown: the problem shown stays the one that counts.
    unused["eventId"] = "another-delivery"
    assert (await smartcar.deliver(callback_url, unused)).status == 200
    await hass.async_block_till_done()
    state = hass.states.get(EX30_PROBLEM)
    assert state is not None
    assert (state.state, state.attributes["type"]) == ("on", "UPSTREAM")
    resolved = smartcar.vehicle_error_event(
        EX30_ID,
        "UPSTREAM",
        "UNKNOWN",
        signal_codes=[sig.STATE_OF_CHARGE.code],
        state="RESOLVED",
    )
    assert (await smartcar.deliver(callback_url, resolved)).status == 200
    await hass.async_block_till_done()
    assert state_of(hass, EX30_PROBLEM) == "off"
    whole = smartcar.vehicle_error_event(EX30_ID, "VEHICLE_STATE", "UNREACHABLE")
    assert (await smartcar.deliver(callback_url, whole)).status == 200
    await hass.async_block_till_done()
    assert state_of(hass, EX30_PROBLEM) == "on"
