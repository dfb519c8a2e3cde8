"""The polling policy and the request budget over simulated weeks (frozen clock)."""

from __future__ import annotations

from datetime import datetime, timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import ATTR_ENTITY_ID, STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.smartcar.api import parse_signal
from custom_components.smartcar.const import CONF_MONTHLY_BUDGET, DOMAIN
from smartcar_simulator import Simulator
from smartcar_simulator.vehicles import EX30_ID, XC60_ID, XC90_ID

from .conftest import MID_MONTH, pass_time, setup_entry

pytestmark = pytest.mark.usefixtures("credentials", "only_platforms")
VEHICLES = (EX30_ID, XC60_ID, XC90_ID)
# Noon UTC: the whole run stays within November in the tests' time zone (US/Pacific).
START = datetime(2026, 11, 1, 12, 0, tzinfo=dt_util.UTC)


def _requests(hass: HomeAssistant, vehicle: str) -> int:
    state = hass.states.get(f"sensor.{vehicle}_api_requests_this_month")
    assert state is not None
    return int(state.state)


def _push(entry: MockConfigEntry, vehicle_id: str) -> None:
    """Apply what a webhook delivery would (the HTTP path is tested in test_webhook.py)."""
    signal = parse_signal(
        {
            "code": "closure-islocked",
            "body": {"value": True},
            "meta": {"oemUpdatedAt": dt_util.utcnow().timestamp() * 1000},
        }
    )
    assert signal is not None
    entry.runtime_data.coordinators[vehicle_id].async_push([signal])


@pytest.mark.freeze_time(START)
async def test_month_of_polls_stays_within_the_polling_share(
    hass: HomeAssistant,
    config_entry: MockConfigEntry,
    smartcar: Simulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """November of the adaptive policy: each vehicle read at least daily, at most 150 polls."""
    await setup_entry(hass, config_entry)
    await pass_time(hass, freezer, timedelta(days=20), timedelta(hours=1))
    assert _requests(hass, "volvo_ex30") == smartcar.counters.count("signals", EX30_ID)
    # Up to the last evening of November (local time): the whole month's polls.
    await pass_time(hass, freezer, timedelta(days=9, hours=18), timedelta(hours=1))
    budget = config_entry.runtime_data.budget
    for vehicle_id in VEHICLES:
        polls = smartcar.counters.count("signals", vehicle_id)
        assert 29 <= polls <= 150 + 1, polls  # the set-up read is not a poll
        assert budget.state(vehicle_id).polls <= 150


@pytest.mark.freeze_time(START)
async def test_webhooks_drop_polling_to_a_safety_poll_a_day(
    hass: HomeAssistant,
    config_entry: MockConfigEntry,
    smartcar: Simulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """While deliveries arrive twice a day, a vehicle is polled at most once a day."""
    await setup_entry(hass, config_entry)
    for _ in range(30 * 2):
        _push(config_entry, EX30_ID)
        await pass_time(hass, freezer, timedelta(hours=12), timedelta(hours=3))
    # A safety poll every 25 h still happens, however often deliveries come (30 days: ~28).
    assert 25 <= smartcar.counters.count("signals", EX30_ID) <= 31
    # Without deliveries the XC60 follows the adaptive cadence: more often than the safety poll.
    assert smartcar.counters.count("signals", XC60_ID) > 31


@pytest.mark.freeze_time(datetime(2026, 11, 20, 12, 0, tzinfo=dt_util.UTC))
async def test_billing_limit_stops_polling_until_next_month(
    hass: HomeAssistant,
    config_entry: MockConfigEntry,
    smartcar: Simulator,
    freezer: FrozenDateTimeFactory,
    issue_registry: ir.IssueRegistry,
) -> None:
    """A 430 stops polling and raises a repair; the last values stay; next month it clears."""
    await setup_entry(hass, config_entry)
    shown = hass.states.get("sensor.volvo_ex30_battery")
    assert shown is not None
    assert shown.state != STATE_UNAVAILABLE
    smartcar.faults.fail_next(
        "signals",
        status=430,
        error_type="BILLING",
        code="VEHICLE_REQUEST_LIMIT",
        vehicle_id=EX30_ID,
    )
    await pass_time(hass, freezer, timedelta(hours=7), timedelta(hours=1))
    assert (
        issue_registry.async_get_issue(DOMAIN, f"request_limit_{EX30_ID}") is not None
    )
    state = hass.states.get("sensor.volvo_ex30_battery")
    assert state is not None
    assert state.state == shown.state  # only holding back: the last value stays shown
    polls = smartcar.counters.count("signals", EX30_ID)
    await pass_time(hass, freezer, timedelta(days=10), timedelta(hours=6))
    assert smartcar.counters.count("signals", EX30_ID) == polls
    assert smartcar.counters.count("signals", XC60_ID) >= 10  # at least daily
    # December: the vehicle is polled again, succeeds, and the repair goes away.
    await pass_time(hass, freezer, timedelta(days=2), timedelta(hours=6))
    assert smartcar.counters.count("signals", EX30_ID) > polls
    assert issue_registry.async_get_issue(DOMAIN, f"request_limit_{EX30_ID}") is None
    state = hass.states.get("sensor.volvo_ex30_battery")
    assert state is not None
    assert state.state != STATE_UNAVAILABLE


@pytest.mark.freeze_time(START)
async def test_reserve_pauses_polling_but_not_forced_refreshes(
    hass: HomeAssistant,
    config_entry: MockConfigEntry,
    smartcar: Simulator,
    freezer: FrozenDateTimeFactory,
    issue_registry: ir.IssueRegistry,
) -> None:
    """With a budget of 25 (reserve 20), polling stops after 5 requests; update_entity still reads."""
    hass.config_entries.async_update_entry(
        config_entry, options={CONF_MONTHLY_BUDGET: 25}
    )
    await setup_entry(hass, config_entry)
    assert await async_setup_component(hass, "homeassistant", {})
    # Four forced refreshes after the set-up read: the five requests outside the reserve.
    coordinator = config_entry.runtime_data.coordinators[EX30_ID]
    for _ in range(4):
        await coordinator.async_refresh()
    await pass_time(hass, freezer, timedelta(days=3), timedelta(hours=3))
    assert smartcar.counters.count("signals", EX30_ID) == 5
    assert (
        issue_registry.async_get_issue(DOMAIN, f"polling_paused_{EX30_ID}") is not None
    )
    state = hass.states.get("sensor.volvo_ex30_api_requests_this_month")
    assert state is not None
    assert state.attributes["polling_paused"] is True
    assert state.attributes["reserve"] == 20
    battery = hass.states.get("sensor.volvo_ex30_battery")
    assert battery is not None
    assert battery.state != STATE_UNAVAILABLE
    await hass.services.async_call(
        "homeassistant",
        "update_entity",
        {ATTR_ENTITY_ID: "sensor.volvo_ex30_battery"},
        blocking=True,
    )
    assert smartcar.counters.count("signals", EX30_ID) == 6
    assert _requests(hass, "volvo_ex30") == 6


async def test_retry_after_blocks_every_request(
    hass: HomeAssistant, config_entry: MockConfigEntry, smartcar: Simulator
) -> None:
    """After a 429 even a forced refresh waits for Retry-After (no request is sent)."""
    await setup_entry(hass, config_entry)
    assert await async_setup_component(hass, "homeassistant", {})
    smartcar.faults.fail_next(
        "signals",
        status=429,
        error_type="RATE_LIMIT",
        code="VEHICLE",
        vehicle_id=EX30_ID,
        retry_after=600,
    )
    await config_entry.runtime_data.coordinators[EX30_ID].async_refresh()
    before = smartcar.counters.count("signals", EX30_ID)
    await hass.services.async_call(
        "homeassistant",
        "update_entity",
        {ATTR_ENTITY_ID: "sensor.volvo_ex30_battery"},
        blocking=True,
    )
    assert smartcar.counters.count("signals", EX30_ID) == before


async def test_counts_survive_a_restart(
    hass: HomeAssistant, config_entry: MockConfigEntry, smartcar: Simulator
) -> None:
    """The month's counts are kept when the entry is reloaded."""
    await setup_entry(hass, config_entry)
    coordinator = config_entry.runtime_data.coordinators[EX30_ID]
    await coordinator.async_refresh()
    await coordinator.async_refresh()
    assert _requests(hass, "volvo_ex30") == 3
    assert await hass.config_entries.async_unload(config_entry.entry_id)
    await setup_entry(hass, config_entry)
    assert config_entry.state is ConfigEntryState.LOADED
    assert _requests(hass, "volvo_ex30") == 4
    assert smartcar.counters.count("signals", EX30_ID) == 4


async def test_commands_and_actions_count(
    hass: HomeAssistant, config_entry: MockConfigEntry, smartcar: Simulator
) -> None:
    """Lock commands count against the vehicle's budget like polls."""
    await setup_entry(hass, config_entry)
    await hass.services.async_call(
        "lock", "lock", {ATTR_ENTITY_ID: "lock.volvo_xc90_lock"}, blocking=True
    )
    assert _requests(hass, "volvo_xc90") == 2


@pytest.mark.freeze_time(MID_MONTH)
async def test_a_vehicle_never_read_is_retried_soon_backing_off(
    hass: HomeAssistant,
    config_entry: MockConfigEntry,
    smartcar: Simulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """An unreachable car at set-up is tried after 1 h, then 2 h, 4 h; read, it polls as usual."""
    smartcar.faults.fail_next(
        "signals",
        status=409,
        error_type="VEHICLE_STATE",
        code="UNREACHABLE",
        vehicle_id=XC90_ID,
        count=3,
    )
    await setup_entry(hass, config_entry)
    coordinator = config_entry.runtime_data.coordinators[XC90_ID]
    waits = []
    for _ in range(3):
        assert coordinator.next_poll is not None
        waits.append(coordinator.next_poll - dt_util.utcnow())
        await pass_time(hass, freezer, waits[-1] + timedelta(seconds=1))
    assert waits == [timedelta(hours=1), timedelta(hours=2), timedelta(hours=4)]
    assert smartcar.counters.count("signals", XC90_ID) == 4
    assert hass.states.get("sensor.volvo_xc90_fuel_level") is not None
    assert coordinator.next_poll is not None
    assert coordinator.next_poll - dt_util.utcnow() > timedelta(hours=4)
