"""The parked-location tracker of every simulator vehicle (snapshots)."""

from __future__ import annotations

import base64

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
    """Load the device_tracker platform only."""
    return [Platform.DEVICE_TRACKER]


async def test_device_tracker_snapshot(
    hass: HomeAssistant,
    config_entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
) -> None:
    """Every device_tracker entity of the BEV, PHEV and ICE vehicles, as registered and as shown."""
    await assert_platform_snapshot(hass, config_entry, entity_registry, snapshot)


@pytest.mark.usefixtures("loaded_entry")
async def test_map_marker_shows_the_model(hass: HomeAssistant) -> None:
    """On the map each car shows its model, not the initials every Volvo shares."""
    pictures = {}
    for entity_id, model in (
        ("device_tracker.volvo_ex30_parked_location", "EX30"),
        ("device_tracker.volvo_xc90_parked_location", "XC90"),
    ):
        state = hass.states.get(entity_id)
        assert state is not None
        picture = state.attributes["entity_picture"]
        assert picture.startswith("data:image/svg+xml;base64,")
        assert f">{model}</text>" in base64.b64decode(picture.split(",", 1)[1]).decode()
        pictures[entity_id] = picture
    assert len(set(pictures.values())) == 2


async def test_device_tracker_snapshot_other_owners(
    hass: HomeAssistant,
    other_owner_entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
) -> None:
    """Every device_tracker entity of the other owners' cars, as registered and as shown."""
    await assert_platform_snapshot(hass, other_owner_entry, entity_registry, snapshot)
