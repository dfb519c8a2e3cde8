"""Binary sensors of every simulator vehicle (snapshots)."""

from __future__ import annotations

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from syrupy.assertion import SnapshotAssertion

from .conftest import SNAPSHOT_MARKS, assert_platform_snapshot

pytestmark = SNAPSHOT_MARKS


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
