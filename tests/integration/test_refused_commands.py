"""Commands refused as "not capable": what is kept in `.storage`, and what is forgotten."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from homeassistant.core import HomeAssistant
import pytest

from custom_components.smartcar.api import Connection, VehicleInfo
from custom_components.smartcar.refused_commands import RefusedCommands

CONNECTED = datetime(2026, 11, 1, 10, tzinfo=UTC)
CAR = Connection(
    id="c1",
    user_id="u1",
    vehicle_id="v1",
    permissions=frozenset(),
    vehicle=VehicleInfo("v1", "VOLVO", "EX30", 2025, "BEV", "live"),
    created_at=CONNECTED,
    updated_at=CONNECTED,
)


async def test_refusals_kept_and_forgotten(hass: HomeAssistant) -> None:
    """A refusal survives a restart; connecting the car again forgets it."""
    support = RefusedCommands(hass, "entry")
    await support.async_load()
    assert not support.refused(CAR, "start_charge")
    await support.async_refuse(CAR, "start_charge")
    restarted = RefusedCommands(hass, "entry")
    await restarted.async_load()
    assert restarted.refused(CAR, "start_charge")
    assert not restarted.refused(CAR, "stop_charge")
    assert restarted.refused_commands(CAR) == ["start_charge"]
    # A connection whose date is unknown cannot tell: the refusal stands.
    assert restarted.refused(replace(CAR, updated_at=None), "start_charge")
    reconnected = replace(CAR, updated_at=datetime(2026, 11, 2, tzinfo=UTC))
    assert not restarted.refused(reconnected, "start_charge")
    assert restarted.refused_commands(reconnected) == []
    # Refused again after that: kept against the new connection date.
    await restarted.async_refuse(reconnected, "start_charge")
    assert restarted.refused(reconnected, "start_charge")
    # Refused while the connection date is unknown: it stands whatever comes.
    await restarted.async_refuse(replace(CAR, updated_at=None), "stop_charge")
    assert restarted.refused(reconnected, "stop_charge")
    await restarted.async_remove()
    gone = RefusedCommands(hass, "entry")
    await gone.async_load()
    assert gone.refused_commands(CAR) == []


@pytest.mark.parametrize(
    "stored",
    [
        None,
        [],
        {str(n): {} for n in range(5001)},
        {"v1": "start_charge"},
        {"v1": {"start_charge": "yes"}},
        {"v1": {"start_charge": {"refused_at": 1, "connection_updated_at": None}}},
        {"v1": {"start_charge": {"refused_at": "x", "connection_updated_at": 5}}},
    ],
)
async def test_unreadable_files_are_ignored(
    hass: HomeAssistant, hass_storage: dict[str, Any], stored: Any
) -> None:
    """A file that does not read as refusals (hand-edited, damaged) refuses nothing."""
    hass_storage["smartcar.entry.commands"] = {
        "version": 1,
        "minor_version": 1,
        "key": "smartcar.entry.commands",
        "data": stored,
    }
    support = RefusedCommands(hass, "entry")
    await support.async_load()
    assert not support.refused(CAR, "start_charge")


async def test_partly_readable_file(
    hass: HomeAssistant, hass_storage: dict[str, Any]
) -> None:
    """Well-formed refusals are kept next to damaged ones."""
    hass_storage["smartcar.entry.commands"] = {
        "version": 1,
        "minor_version": 1,
        "key": "smartcar.entry.commands",
        "data": {
            "v1": {
                "start_charge": {
                    "refused_at": "2026-11-01T11:00:00+00:00",
                    "connection_updated_at": "2026-11-01T10:00:00+00:00",
                },
                "stop_charge": None,
            },
            "v2": [],
        },
    }
    support = RefusedCommands(hass, "entry")
    await support.async_load()
    assert support.refused_commands(CAR) == ["start_charge"]
