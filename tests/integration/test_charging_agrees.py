"""The charger's values agree with each other at once after a start or stop (issue 21 §1)."""

from __future__ import annotations

from datetime import timedelta

from homeassistant.components.switch import DOMAIN as SWITCH_DOMAIN
from homeassistant.const import (
    ATTR_ENTITY_ID,
    SERVICE_TURN_OFF,
    SERVICE_TURN_ON,
    Platform,
)
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from custom_components.smartcar.api import signals as sig
from custom_components.smartcar.controls import PENDING_RECHECK_SECONDS
from custom_components.smartcar.entity import charging_contradicts
from smartcar_simulator import Simulator
from smartcar_simulator.vehicles import EX30_ID

from .conftest import state_of

CAR = "volvo_ex30"
SWITCH = f"switch.{CAR}_charging"


@pytest.fixture
def platforms() -> list[Platform]:
    """Load the charging switch and the values that follow it."""
    return [Platform.SWITCH, Platform.SENSOR, Platform.BINARY_SENSOR]


def _states(hass: HomeAssistant) -> dict[str, str]:
    """Every value that depends on whether the EX30 charges.

    The switch stands for the binary sensor, which a car with the switch does not get.
    """
    return {
        "switch": state_of(hass, SWITCH),
        "status": state_of(hass, f"sensor.{CAR}_charging_status"),
        "power": state_of(hass, f"sensor.{CAR}_charging_power"),
        "end": state_of(hass, f"sensor.{CAR}_charging_finished_at"),
    }


async def _switch(hass: HomeAssistant, service: str) -> None:
    await hass.services.async_call(
        SWITCH_DOMAIN, service, {ATTR_ENTITY_ID: SWITCH}, blocking=True
    )


async def _later(hass: HomeAssistant, seconds: float) -> None:
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=seconds))
    await hass.async_block_till_done(wait_background_tasks=True)


@pytest.mark.usefixtures("loaded_entry", "entity_registry_enabled_by_default")
async def test_stop_and_start_make_every_charging_value_agree(
    hass: HomeAssistant, smartcar: Simulator
) -> None:
    """Off: not charging, 0 kW, no end; on: charging, power and end unknown until read.

    A start asks for one read shortly after (a stop leaves nothing unknown: none).
    """
    before = _states(hass)
    assert before["switch"] == "on"
    assert float(before["power"]) > 0
    assert before["end"] != "unknown"
    smartcar.counters.reset()
    await _switch(hass, SERVICE_TURN_OFF)
    off = _states(hass)
    assert off == {
        "switch": "off",
        "status": "not_charging",
        "power": "0.0",
        "end": "unknown",
    }
    await _later(hass, PENDING_RECHECK_SECONDS + 1)
    assert smartcar.counters.count("signals") == 0
    await _switch(hass, SERVICE_TURN_ON)
    on = _states(hass)
    assert on == {
        "switch": "on",
        "status": "charging",
        "power": "unknown",
        "end": "unknown",
    }
    await _later(hass, PENDING_RECHECK_SECONDS + 1)
    assert smartcar.counters.count("signals", vehicle_id=EX30_ID) == 1


def test_a_newer_is_charging_overrides_only_what_contradicts_it() -> None:
    """A reading as new as IsCharging, or agreeing with it, shows as it is."""
    now = dt_util.utcnow()
    earlier = now - timedelta(minutes=5)
    power = sig.current_signal(
        sig.CHARGE_WATTAGE, {"value": 11000, "unit": "W"}, earlier
    )
    idle = sig.current_signal(sig.CHARGE_WATTAGE, {"value": 0, "unit": "W"}, earlier)
    stopped = sig.VehicleSignals().merged(sig.charging_state(False, now))
    started = sig.VehicleSignals().merged(sig.charging_state(True, now))
    assert charging_contradicts(stopped, power) is False
    assert charging_contradicts(started, idle) is True
    assert charging_contradicts(started, power) is None
    assert charging_contradicts(stopped, idle) is None
    assert (
        charging_contradicts(stopped.merged(sig.charging_state(False, earlier)), power)
        is False
    )
    older = sig.VehicleSignals().merged(
        sig.charging_state(False, earlier - timedelta(1))
    )
    assert charging_contradicts(older, power) is None
    assert charging_contradicts(None, power) is None


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_a_delivered_stop_shows_the_charger_idle(
    hass: HomeAssistant, loaded_entry: MockConfigEntry
) -> None:
    """A webhook (or poll) saying only IsCharging false turns power to 0 and the end unknown.

    Said again as charging, the older 0 no longer holds: unknown until read.
    """
    coordinator = loaded_entry.runtime_data.coordinators[EX30_ID]
    now = dt_util.utcnow()
    coordinator.async_push([sig.current_signal(sig.IS_CHARGING, {"value": False}, now)])
    await hass.async_block_till_done()
    assert _states(hass)["power"] == "0.0"
    assert _states(hass)["end"] == "unknown"
    idle = sig.current_signal(sig.CHARGE_WATTAGE, {"value": 0, "unit": "W"}, now)
    later = now + timedelta(seconds=1)
    coordinator.async_push(
        [idle, sig.current_signal(sig.IS_CHARGING, {"value": True}, later)]
    )
    await hass.async_block_till_done()
    assert _states(hass)["power"] == "unknown"
