"""Energy charged: estimated for electric cars without EnergyAdded; the Energy dashboard takes it."""

from __future__ import annotations

from datetime import timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.energy import data as energy_data
from homeassistant.components.energy.validate import async_validate
from homeassistant.components.sensor import SensorDeviceClass, SensorStateClass
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import (
    ATTR_DEVICE_CLASS,
    ATTR_UNIT_OF_MEASUREMENT,
    Platform,
    UnitOfEnergy,
)
from homeassistant.core import HomeAssistant, State
from homeassistant.helpers import entity_registry as er
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    mock_restore_cache_with_extra_data,
)
from pytest_homeassistant_custom_component.components.recorder.common import (
    async_wait_recording_done,
    do_adhoc_statistics,
)

from custom_components.smartcar.api import signals as sig
from custom_components.smartcar.const import DOMAIN
from custom_components.smartcar.energy import ChargedEnergy
from smartcar_simulator import Simulator
from smartcar_simulator.clock import ManualClock
from smartcar_simulator.vehicles import EX30_ID

from .conftest import SNAPSHOT_TIME, setup_entry, state_of

pytestmark = [
    pytest.mark.usefixtures("credentials", "only_platforms"),
    pytest.mark.freeze_time(SNAPSHOT_TIME),
]
EX30 = "sensor.volvo_ex30_energy_charged"
XC60 = "sensor.volvo_xc60_recharge_energy_charged"
EX30_BATTERY = "sensor.volvo_ex30_battery"
# The EX30's battery (kWh) and where its simulated charge starts (%).
EX30_CAPACITY = 69
EX30_START = 45


@pytest.fixture
def mock_recorder_before_hass(async_test_recorder: object) -> None:
    """Prepare the recorder's database before Home Assistant starts (the energy validation)."""


@pytest.fixture
def platforms() -> list[Platform]:
    """Load the sensors alone."""
    return [Platform.SENSOR]


def charged(hass: HomeAssistant, entity_id: str = EX30) -> float:
    """Return an energy sensor's state in kWh."""
    return float(state_of(hass, entity_id))


def expected(hass: HomeAssistant, since: float = EX30_START) -> float:
    """Return the EX30's battery rise since `since` %, in kWh of its 69 kWh."""
    return (float(state_of(hass, EX30_BATTERY)) - since) * EX30_CAPACITY / 100


async def later(
    freezer: FrozenDateTimeFactory, sim_clock: ManualClock, minutes: float
) -> None:
    """Let both clocks move on by `minutes`."""
    freezer.tick(timedelta(minutes=minutes))
    sim_clock.advance(minutes=minutes)


async def test_the_ex30_charging_is_counted(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    sim_clock: ManualClock,
) -> None:
    """The EX30 charges from 45 % at 11 kW: each read adds the rise times 69 kWh, to 80 %."""
    state = hass.states.get(EX30)
    assert state is not None
    assert state.state == "0.0"
    assert state.attributes[ATTR_DEVICE_CLASS] == SensorDeviceClass.ENERGY
    assert state.attributes[ATTR_UNIT_OF_MEASUREMENT] == UnitOfEnergy.KILO_WATT_HOUR
    assert state.attributes["state_class"] == SensorStateClass.TOTAL_INCREASING
    coordinator = loaded_entry.runtime_data.coordinators[EX30_ID]
    await later(freezer, sim_clock, 30)
    await coordinator.async_refresh()
    assert float(state_of(hass, EX30_BATTERY)) > EX30_START
    assert charged(hass) == pytest.approx(expected(hass), abs=0.001)
    # Hours later the charge has reached its 80 % limit and stopped: the whole session.
    await later(freezer, sim_clock, 240)
    await coordinator.async_refresh()
    assert state_of(hass, EX30_BATTERY) == "80.0"
    assert charged(hass) == pytest.approx(35 * 0.69)


async def test_which_cars_have_the_estimate(
    hass: HomeAssistant,
    config_entry: MockConfigEntry,
    makes_entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
) -> None:
    """The Volvos with a traction battery and the ID.4 have it.

    Not the petrol XC90, nor the cars that report EnergyAdded: the Tesla and the Jaguar have
    their own *Energy added*.
    """
    await setup_entry(hass, config_entry)  # every entry of the integration
    assert makes_entry.state is ConfigEntryState.LOADED
    registered = entity_registry.entities.values()
    estimated = {
        e.entity_id for e in registered if e.translation_key == "energy_charged"
    }
    assert estimated == {EX30, XC60, "sensor.volkswagen_id_4_energy_charged"}
    added = {e.entity_id for e in registered if e.translation_key == "energy_added"}
    assert added == {
        "sensor.tesla_model_y_energy_added",
        "sensor.jaguar_i_pace_energy_added",
    }


async def test_a_session_seen_by_webhook_and_poll_counts_once(
    hass: HomeAssistant,
    smartcar: Simulator,
    sim_clock: ManualClock,
    freezer: FrozenDateTimeFactory,
    callback_url: str,
) -> None:
    """A delivery brings the newer level; the poll that reads the same level adds nothing."""
    await later(freezer, sim_clock, 30)
    event = smartcar.vehicle_state_event(EX30_ID, codes=[sig.STATE_OF_CHARGE.code])
    assert (await smartcar.deliver(callback_url, event)).status == 200
    await hass.async_block_till_done()
    by_webhook = charged(hass)
    assert by_webhook == pytest.approx(expected(hass), abs=0.001)
    assert by_webhook > 0
    (entry,) = hass.config_entries.async_entries(DOMAIN)
    await entry.runtime_data.coordinators[EX30_ID].async_refresh()
    assert charged(hass) == by_webhook


async def test_the_count_survives_a_restart(
    hass: HomeAssistant, config_entry: MockConfigEntry
) -> None:
    """Restored: 10 kWh counted, 40 % while charging; the EX30 now reads 45 %: 5 % more."""
    stored = ChargedEnergy(
        total=10.0,
        percent=40.0,
        percent_at=SNAPSHOT_TIME - timedelta(hours=1),
        charging=True,
        charging_at=SNAPSHOT_TIME - timedelta(hours=1),
        charged=True,
    )
    mock_restore_cache_with_extra_data(hass, [(State(EX30, "10.0"), stored.as_dict())])
    await setup_entry(hass, config_entry)
    assert charged(hass) == pytest.approx(10 + 5 * 0.69)


@pytest.mark.usefixtures("recorder_mock")
async def test_the_energy_dashboard_accepts_the_volvos(
    hass: HomeAssistant,
    config_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """The EX30's and XC60's sensors as individual devices: Home Assistant finds no issue."""
    await setup_entry(hass, config_entry)
    manager = await energy_data.async_get_manager(hass)
    await manager.async_update(
        {
            "energy_sources": [],
            "device_consumption": [
                {"stat_consumption": XC60},
                {"stat_consumption": EX30},
            ],
        }
    )
    # The statistics of the five minutes the states were recorded in.
    await async_wait_recording_done(hass)
    freezer.tick(timedelta(minutes=5))
    do_adhoc_statistics(hass, start=dt_util.utcnow() - timedelta(minutes=5))
    await async_wait_recording_done(hass)
    validation = await async_validate(hass)
    assert validation.as_dict()["device_consumption"] == [[], []]
