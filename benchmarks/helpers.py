"""What the benchmarks against the simulator share: fleets of vehicles, set-up, states."""

from __future__ import annotations

from typing import Any, Final
import uuid

from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry

from smartcar_simulator import Simulator
from tests.integration.conftest import add_entry, setup_entry

# Per request, when a benchmark measures round trips.
LATENCY: Final = 0.2


def fleet_entry(
    hass: HomeAssistant,
    smartcar: Simulator,
    size: int,
    options: dict[str, Any] | None = None,
) -> MockConfigEntry:
    """Give a new owner `size` EX30s, connect them, and add that owner's entry."""
    user_id = smartcar.connect(fleet_email(smartcar, size))
    return add_entry(hass, user_id, f"{size} vehicles", options)


def fleet_email(smartcar: Simulator, size: int) -> str:
    """Give a new owner `size` EX30s (not yet connected); return the owner's e-mail."""
    email = f"fleet-{uuid.uuid4().hex[:8]}@example.com"
    for _ in range(size):
        smartcar.add_vehicle(email, "EX30")
    return email


async def setup(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Set the entry up and let everything it started settle; it must have loaded."""
    await setup_entry(hass, entry)
    assert entry.state is ConfigEntryState.LOADED


def all_available(hass: HomeAssistant, entry: MockConfigEntry) -> tuple[bool, int]:
    """Whether every enabled entity of the entry has an available state; and how many."""
    entities = [
        e
        for e in er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
        if e.disabled_by is None
    ]
    states = [hass.states.get(e.entity_id) for e in entities]
    ready = bool(entities) and all(
        s is not None and s.state != STATE_UNAVAILABLE for s in states
    )
    return ready, len(entities)


def state(hass: HomeAssistant, entity_id: str) -> str:
    """Return an entity's state (it must have one)."""
    current = hass.states.get(entity_id)
    assert current is not None, entity_id
    return current.state


def percentile(values: list[float], share: float) -> float:
    """Return the value below which `share` of the values lie."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]
