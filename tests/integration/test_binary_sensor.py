"""Binary sensors of every simulator vehicle (snapshots)."""

from __future__ import annotations

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    snapshot_platform,
)
from syrupy.assertion import SnapshotAssertion

from .conftest import SNAPSHOT_TIME, setup_entry

pytestmark = [
    pytest.mark.usefixtures(
        "credentials", "only_platforms", "entity_registry_enabled_by_default"
    ),
    # Snapshots hold times (charging ends at, resets on): one fixed moment, whatever the date.
    pytest.mark.freeze_time(SNAPSHOT_TIME),
]


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
    await setup_entry(hass, config_entry)
    await snapshot_platform(hass, entity_registry, snapshot, config_entry.entry_id)
