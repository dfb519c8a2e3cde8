"""The parked-location tracker of every simulator vehicle (snapshots)."""

from __future__ import annotations

import base64
import re

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from syrupy.assertion import SnapshotAssertion

from custom_components.smartcar.api import VehicleInfo
from custom_components.smartcar.device_tracker import marker_label

from .conftest import SNAPSHOT_MARKS, assert_platform_snapshot, setup_entry

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


def _marker_lines(hass: HomeAssistant, entity_id: str) -> list[str]:
    """Return the lines of text drawn on a tracker's map marker (its picture)."""
    state = hass.states.get(entity_id)
    assert state is not None
    picture = state.attributes["entity_picture"]
    assert picture.startswith("data:image/svg+xml;base64,")
    svg = base64.b64decode(picture.split(",", 1)[1]).decode()
    return re.findall(r">([^<]+)</text>", svg)


@pytest.mark.usefixtures("loaded_entry")
async def test_map_marker_shows_the_model(hass: HomeAssistant) -> None:
    """On the map each car shows its model, not the initials every Volvo shares."""
    assert _marker_lines(hass, "device_tracker.volvo_ex30_parked_location") == ["EX30"]
    assert _marker_lines(hass, "device_tracker.volvo_xc90_parked_location") == ["XC90"]


@pytest.mark.usefixtures("credentials", "only_platforms")
async def test_map_marker_of_other_makes(
    hass: HomeAssistant, makes_entry: MockConfigEntry
) -> None:
    """A Tesla reads "Model Y" (not "Model", every Tesla's), the Jaguar "I-PACE" whole."""
    await setup_entry(hass, makes_entry)
    markers = {
        entity_id: _marker_lines(hass, entity_id)
        for entity_id in (
            "device_tracker.tesla_model_y_parked_location",
            "device_tracker.jaguar_i_pace_parked_location",
            "device_tracker.volkswagen_id_4_parked_location",
        )
    }
    assert list(markers.values()) == [["Model", "Y"], ["I-PACE"], ["ID.4"]]


@pytest.mark.parametrize(
    ("model", "lines"),
    [
        ("Model 3", ["Model", "3"]),
        ("XC60 Recharge", ["XC60"]),
        ("ID. Buzz", ["ID.", "Buzz"]),
        ("Mustang Mach-E", ["Mustang"]),
        ("Cybertruck", ["Cybertru"]),
        ("  ", ["Car"]),
        (None, ["Polestar"]),
    ],
)
def test_marker_label(model: str | None, lines: list[str]) -> None:
    """The model's words while they fit eight characters; a longer first word is cut."""
    vehicle = VehicleInfo("id", "POLESTAR", model, 2024, "BEV", "live")
    assert marker_label(vehicle) == lines


async def test_device_tracker_snapshot_other_owners(
    hass: HomeAssistant,
    other_owner_entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
) -> None:
    """Every device_tracker entity of the other owners' cars, as registered and as shown."""
    await assert_platform_snapshot(hass, other_owner_entry, entity_registry, snapshot)
