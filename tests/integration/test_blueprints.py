"""The automation blueprints load in Home Assistant and do what they say, against the simulator."""

from __future__ import annotations

from pathlib import Path
import shutil
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
)

from custom_components.smartcar.api import signals as sig
from custom_components.smartcar.const import DOMAIN
from smartcar_simulator import Simulator
from smartcar_simulator.vehicles import EX30_ID, XC90_ID

BLUEPRINTS = Path(__file__).parents[2] / "blueprints" / "automation" / "smartcar"
XC90_LOCK = "lock.volvo_xc90_lock"


@pytest.fixture(autouse=True)
def blueprints_in_config(hass: HomeAssistant, tmp_path: Path) -> None:
    """Install the repository's blueprints in a config directory of the test's own."""
    hass.config.config_dir = str(tmp_path)
    target = tmp_path / "blueprints" / "automation" / "smartcar"
    target.mkdir(parents=True)
    for blueprint in BLUEPRINTS.glob("*.yaml"):
        shutil.copy(blueprint, target / blueprint.name)


async def _automation(
    hass: HomeAssistant, alias: str, path: str, inputs: dict[str, Any]
) -> None:
    assert await async_setup_component(
        hass,
        "automation",
        {
            "automation": [
                {
                    "alias": alias,
                    "use_blueprint": {"path": f"smartcar/{path}", "input": inputs},
                }
            ]
        },
    )
    await hass.async_block_till_done()
    state = hass.states.get(f"automation.{alias}")
    assert state is not None
    assert state.state == "on"


def test_every_blueprint_is_tested() -> None:
    """Every blueprint exists (a new one needs a test; the cheapest hours': its own module)."""
    assert sorted(p.name for p in BLUEPRINTS.glob("*.yaml")) == [
        "charge_in_cheapest_hours.yaml",
        "lock_when_everyone_leaves.yaml",
        "nightly_off_peak_charging.yaml",
    ]


async def _leave_home(hass: HomeAssistant, confirm_seconds: int = 30) -> None:
    # A zone state carries its position, as the zone integration writes it: the car's tracker
    # places itself in zones by them.
    zone = {"latitude": 0.0, "longitude": 0.0, "radius": 100, "passive": False}
    hass.states.async_set("zone.home", "1", zone)
    await _automation(
        hass,
        "lock_car",
        "lock_when_everyone_leaves.yaml",
        {
            "car_lock": XC90_LOCK,
            "leave_delay": {"seconds": 0},
            "confirm_within": {"seconds": confirm_seconds},
            "when_not_locked": [{"event": "smartcar_car_not_locked"}],
        },
    )
    hass.states.async_set("zone.home", "0", zone)
    await hass.async_block_till_done()


async def test_lock_when_everyone_leaves(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, smartcar: Simulator
) -> None:
    """Everyone left: the car is locked, and the check finds it locked."""
    failures = async_capture_events(hass, "smartcar_car_not_locked")
    await _leave_home(hass)
    state = hass.states.get(XC90_LOCK)
    assert state is not None
    assert state.state == "locked"
    assert smartcar.signal_body(XC90_ID, sig.IS_LOCKED.code) == {"value": True}
    assert failures == []


async def test_lock_refused_runs_the_fallback(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, smartcar: Simulator
) -> None:
    """A door is open so the car refuses: after the check time the user's actions run."""
    smartcar.open_door(XC90_ID, 1, 1)
    failures = async_capture_events(hass, "smartcar_car_not_locked")
    await _leave_home(hass, confirm_seconds=1)
    await hass.async_block_till_done()
    assert len(failures) == 1
    assert smartcar.signal_body(XC90_ID, sig.IS_LOCKED.code) == {"value": False}


# The blueprint's daily time trigger stays scheduled when the test ends.
@pytest.mark.parametrize("expected_lingering_timers", [True])
async def test_nightly_off_peak_schedule_is_kept_once(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, smartcar: Simulator
) -> None:
    """Run twice, the blueprint leaves exactly one daily schedule with the chosen times."""
    (device,) = dr.async_get(hass).async_get_devices(identifiers={(DOMAIN, EX30_ID)})
    await _automation(
        hass,
        "off_peak",
        "nightly_off_peak_charging.yaml",
        {"vehicle": device.id, "start_time": "00:30:00", "stop_time": "05:30:00"},
    )
    for _ in range(2):
        await hass.services.async_call(
            "automation", "trigger", {"entity_id": "automation.off_peak"}, blocking=True
        )
        await hass.async_block_till_done()
    (schedule,) = smartcar.schedules(EX30_ID)
    response = await hass.services.async_call(
        DOMAIN,
        "list_charge_schedules",
        {"device_id": device.id},
        blocking=True,
        return_response=True,
    )
    assert response is not None
    schedules: list[dict[str, Any]] = response["schedules"]  # type: ignore[assignment]
    (listed,) = schedules
    assert listed["schedule_id"] == schedule.id
    assert listed["type"] == "daily"
    assert listed["windows"][0]["start_time"] == "00:30"
    assert listed["windows"][0]["stop_time"] == "05:30"
