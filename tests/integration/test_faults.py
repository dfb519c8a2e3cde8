"""The fault matrix: each failure Smartcar can produce, during each thing the integration does.

Faults: every error type of Smartcar's taxonomy, a timeout, a 200 with broken JSON, a page that
fails in the middle of a paged listing and a refused connection. Operations: a refresh, a lock
command and each charge-schedule action. For each pair: no unhandled exception, the designed
outcome (a translated error for commands and actions; unavailable entities, a reauth flow, a
repair or a Retry-After wait for a refresh), then recovery on the next good response.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field, replace
from datetime import timedelta
from typing import Any, Final
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.lock import LockState
from homeassistant.config_entries import SOURCE_REAUTH, ConfigEntryState
from homeassistant.const import ATTR_ENTITY_ID, STATE_UNAVAILABLE, Platform
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import (
    device_registry as dr,
    entity_registry as er,
    issue_registry as ir,
)
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)
from yarl import URL

from custom_components.smartcar.api import signals as sig
from custom_components.smartcar.const import DOMAIN
from custom_components.smartcar.coordinator import SmartcarVehicleCoordinator
from custom_components.smartcar.sensor import VEHICLE_SENSORS
from smartcar_simulator import Simulator
from smartcar_simulator.vehicles import EX30_ID, XC60_ID, XC90_ID

from .conftest import MID_MONTH, pass_time, setup_entry, state_of

pytestmark = pytest.mark.usefixtures(
    "credentials", "only_platforms", "no_unhandled_exceptions"
)


# What a failed refresh leads to: the vehicle's entities become unavailable, or ...
UNAVAILABLE: Final = "unavailable"
REAUTH: Final = "reauth"  # ... and a reauthentication flow starts
BILLING: Final = "billing"  # ... and a repair says polling stops until next month
RATE_LIMITED: Final = "rate_limited"  # ... and no request is sent before Retry-After

# The translated error a failed refresh ends with, by outcome (else "update_failed").
REFRESH_ERRORS: Final = {REAUTH: "auth_failed"}
# Outcomes where the integration only holds back: the vehicle keeps its last values.
HOLDING_BACK: Final = {BILLING, RATE_LIMITED}

TIMEOUT: Final = "timeout"
MALFORMED_JSON: Final = "malformed_json"
PAGE_FAILS: Final = "page_fails_mid_listing"
REFUSED: Final = "connection_refused"

# The client's time limit, and the simulator's delay, for the timeout fault (seconds).
TIME_LIMIT: Final = 0.1
SLOW_ANSWER: Final = 0.4
RETRY_AFTER: Final = 600


@dataclass(frozen=True, slots=True)
class Fault:
    """One failure, and what it should lead to."""

    name: str
    command_key: str | None
    """Translation key of the error a command or action raises; None: not applicable."""
    refresh: str = UNAVAILABLE
    error: dict[str, Any] = field(default_factory=dict)
    """The `Faults.fail_next` arguments of an API error."""


FAULTS: Final = [
    Fault(
        "authentication",
        "command_auth_failed",
        REAUTH,
        # One 401 is answered by minting a new token; a second one is a refusal.
        {"status": 401, "error_type": "AUTHENTICATION", "count": 2},
    ),
    Fault(
        "billing",
        "command_billing_limit",
        BILLING,
        {"status": 430, "error_type": "BILLING", "code": "VEHICLE_REQUEST_LIMIT"},
    ),
    Fault(
        "compatibility",
        "command_not_capable",
        UNAVAILABLE,
        {"status": 501, "error_type": "COMPATIBILITY", "code": "VEHICLE_NOT_CAPABLE"},
    ),
    Fault(
        "connected_services_account",
        "command_auth_failed",
        REAUTH,
        {
            "status": 400,
            "error_type": "CONNECTED_SERVICES_ACCOUNT",
            "code": "ACCOUNT_ISSUE",
        },
    ),
    Fault(
        "permission",
        "command_permission",
        REAUTH,
        {"status": 403, "error_type": "PERMISSION"},
    ),
    Fault(
        "rate_limit",
        "command_rate_limited",
        RATE_LIMITED,
        {
            "status": 429,
            "error_type": "RATE_LIMIT",
            "code": "VEHICLE",
            "retry_after": RETRY_AFTER,
        },
    ),
    Fault(
        "resource_not_found",
        "command_not_found",
        UNAVAILABLE,
        {"status": 404, "error_type": "RESOURCE_NOT_FOUND", "code": "PATH"},
    ),
    Fault(
        "server",
        "command_error",
        UNAVAILABLE,
        {"status": 500, "error_type": "SERVER", "code": "INTERNAL"},
    ),
    Fault(
        "upstream",
        "command_error",
        UNAVAILABLE,
        {"status": 502, "error_type": "UPSTREAM", "code": "NO_RESPONSE"},
    ),
    Fault(
        "validation",
        "command_error",
        UNAVAILABLE,
        {"status": 400, "error_type": "VALIDATION", "code": "PARAMETER"},
    ),
    Fault(
        "vehicle_state",
        "command_vehicle_state",
        UNAVAILABLE,
        {
            "status": 409,
            "error_type": "VEHICLE_STATE",
            "code": "REMOTE_ACCESS_DISABLED",
        },
    ),
    Fault(TIMEOUT, "command_no_connection"),
    Fault(MALFORMED_JSON, "command_error"),
    # Only a refresh reads a paged listing (the signals); commands are single requests.
    Fault(PAGE_FAILS, None),
    Fault(REFUSED, "command_no_connection"),
]
COMMAND_FAULTS: Final = [fault for fault in FAULTS if fault.command_key is not None]


def _ids(faults: list[Fault]) -> list[str]:
    return [fault.name for fault in faults]


@pytest.fixture
def platforms() -> list[Platform]:
    """Load the lock and the sensors (battery, charge schedules)."""
    return [Platform.LOCK, Platform.SENSOR]


class Injector:
    """Puts one fault in place for the next request to an endpoint, and takes it away."""

    def __init__(self, smartcar: Simulator, entry: MockConfigEntry) -> None:
        """Act on the simulator and on the entry's client."""
        self.smartcar = smartcar
        self.entry = entry
        self.client = entry.runtime_data.client
        self._settings = self.client.settings
        self._address: URL | None = None

    async def inject(self, fault: Fault, endpoint: str, vehicle_id: str) -> None:
        """Make the next request to `endpoint` for the vehicle fail with `fault`."""
        faults = self.smartcar.faults
        if fault.name == TIMEOUT:
            self.client.settings = replace(
                self._settings, request_timeout=TIME_LIMIT, command_timeout=TIME_LIMIT
            )
            faults.endpoint_latency[endpoint] = SLOW_ANSWER
        elif fault.name == MALFORMED_JSON:
            faults.malformed_json(endpoint, vehicle_id=vehicle_id)
        elif fault.name == PAGE_FAILS:
            # 17 signals in pages of 5: page 1 arrives, page 2 fails.
            self.smartcar.signals_page_size = 5
            faults.fail_next(
                endpoint,
                status=502,
                error_type="UPSTREAM",
                code="NO_RESPONSE",
                vehicle_id=vehicle_id,
                page=2,
            )
        elif fault.name == REFUSED:
            self._address = URL(self.smartcar.url)
            await self.smartcar.stop()
        else:
            faults.fail_next(endpoint, vehicle_id=vehicle_id, **fault.error)

    async def clear(self) -> None:
        """Let the next request succeed (a request that timed out is let finish first)."""
        for _ in range(100):
            if not self.smartcar.counters.in_flight():
                break
            await asyncio.sleep(SLOW_ANSWER / 10)
        self.smartcar.faults.endpoint_latency.clear()
        self.client.settings = self._settings
        if self._address is not None:
            assert self._address.host is not None
            await self.smartcar.start(self._address.host, self._address.port or 0)
            self._address = None


@pytest.fixture
async def injector(
    hass: HomeAssistant, config_entry: MockConfigEntry, smartcar: Simulator
) -> Injector:
    """Set the owner's entry up (three vehicles) and return the fault injector."""
    await setup_entry(hass, config_entry)
    assert config_entry.state is ConfigEntryState.LOADED
    return Injector(smartcar, config_entry)


ALWAYS_AVAILABLE: Final = {d.translation_key for d in VEHICLE_SENSORS}


def _vehicle_states(hass: HomeAssistant, vehicle_id: str) -> dict[str, str]:
    """Return the state of every entity fed by a vehicle's signals.

    The per-vehicle sensors (requests, last data, last webhook) are left out: they stay
    available whatever Smartcar answers.
    """
    (device,) = dr.async_get(hass).async_get_devices(identifiers={(DOMAIN, vehicle_id)})
    entities = er.async_entries_for_device(er.async_get(hass), device.id)
    states = {}
    for entity in entities:
        state = hass.states.get(entity.entity_id)
        if state is not None and entity.translation_key not in ALWAYS_AVAILABLE:
            states[entity.entity_id] = state.state
    assert states, vehicle_id
    return states


def _available(hass: HomeAssistant, vehicle_id: str) -> bool:
    states = _vehicle_states(hass, vehicle_id).values()
    return all(state != STATE_UNAVAILABLE for state in states)


def _unavailable(hass: HomeAssistant, vehicle_id: str) -> bool:
    states = _vehicle_states(hass, vehicle_id).values()
    return all(state == STATE_UNAVAILABLE for state in states)


def _succeeded(coordinator: SmartcarVehicleCoordinator) -> bool:
    return coordinator.last_update_success


def _entry_state(entry: MockConfigEntry) -> ConfigEntryState:
    return entry.state


def _reauth_flows(hass: HomeAssistant) -> int:
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    return sum(flow["context"]["source"] == SOURCE_REAUTH for flow in flows)


def _assert_translated(err: HomeAssistantError, key: str | None) -> None:
    assert err.translation_domain == DOMAIN
    assert err.translation_key == key
    message = str(err)
    assert message
    assert "{" not in message, message


# -- refresh -----------------------------------------------------------------------------


@pytest.mark.parametrize("fault", FAULTS, ids=_ids(FAULTS))
async def test_refresh(
    hass: HomeAssistant,
    request: pytest.FixtureRequest,
    config_entry: MockConfigEntry,
    smartcar: Simulator,
    fault: Fault,
) -> None:
    """A refresh that fails: the vehicle unavailable as designed; the next good answer recovers."""
    # Retry-After is waited out on a frozen clock (requested before the set-up); the month's
    # limit is tested mid-month, so the back-off until next month is over a day on any date.
    freezer = (
        request.getfixturevalue("freezer")
        if fault.refresh in {RATE_LIMITED, BILLING}
        else None
    )
    if freezer is not None:
        freezer.move_to(MID_MONTH)
    await setup_entry(hass, config_entry)
    injector = Injector(smartcar, config_entry)
    issue_registry = ir.async_get(hass)
    coordinator: SmartcarVehicleCoordinator = config_entry.runtime_data.coordinators[
        EX30_ID
    ]
    assert _available(hass, EX30_ID)
    shown = state_of(hass, "sensor.volvo_ex30_battery")

    await injector.inject(fault, "signals", EX30_ID)
    await coordinator.async_refresh()
    await hass.async_block_till_done()

    if fault.refresh in HOLDING_BACK:
        # Smartcar only asks the integration to hold back: the last values stay shown.
        assert _succeeded(coordinator)
        assert _available(hass, EX30_ID)
        assert state_of(hass, "sensor.volvo_ex30_battery") == shown
    else:
        assert not _succeeded(coordinator)
        failure = coordinator.last_exception
        assert isinstance(failure, HomeAssistantError)
        _assert_translated(failure, REFRESH_ERRORS.get(fault.refresh, "update_failed"))
        assert _unavailable(hass, EX30_ID)
    assert _available(hass, XC60_ID)
    requests = state_of(hass, "sensor.volvo_ex30_api_requests_this_month")
    assert int(requests) == coordinator.budget.state(EX30_ID).used
    assert _reauth_flows(hass) == (1 if fault.refresh == REAUTH else 0)
    limit_issue = issue_registry.async_get_issue(DOMAIN, f"request_limit_{EX30_ID}")
    assert (limit_issue is not None) is (fault.refresh == BILLING)
    if fault.refresh == BILLING:
        assert coordinator.budget.state(EX30_ID).billing_blocked
        assert coordinator.next_poll is not None
        assert coordinator.next_poll - dt_util.utcnow() > timedelta(days=1)
    if freezer is not None and fault.refresh == RATE_LIMITED:
        # Before Retry-After not even a forced refresh sends a request.
        sent = smartcar.counters.count("signals", EX30_ID)
        await coordinator.async_refresh()
        assert smartcar.counters.count("signals", EX30_ID) == sent
        assert state_of(hass, "sensor.volvo_ex30_battery") == shown
        freezer.tick(timedelta(seconds=RETRY_AFTER + 1))
        async_fire_time_changed(hass)
        await hass.async_block_till_done()

    await injector.clear()
    await coordinator.async_refresh()
    await hass.async_block_till_done()

    assert _succeeded(coordinator)
    assert _available(hass, EX30_ID)
    battery = smartcar.signal_body(EX30_ID, sig.STATE_OF_CHARGE.code)
    assert battery is not None
    assert float(state_of(hass, "sensor.volvo_ex30_battery")) == battery["value"]
    assert issue_registry.async_get_issue(DOMAIN, f"request_limit_{EX30_ID}") is None
    assert not coordinator.budget.state(EX30_ID).billing_blocked


async def test_connections_page_fails_mid_listing_at_setup(
    hass: HomeAssistant, config_entry: MockConfigEntry, smartcar: Simulator
) -> None:
    """Listing the vehicles one per page, page 2 fails: set-up is retried, then loads all three."""
    smartcar.faults.fail_next(
        "connections", status=502, error_type="UPSTREAM", code="NO_RESPONSE", page=2
    )
    with patch("custom_components.smartcar.api.client.CONNECTIONS_PAGE_SIZE", 1):
        await setup_entry(hass, config_entry)
        assert _entry_state(config_entry) is ConfigEntryState.SETUP_RETRY
        assert smartcar.counters.count("connections") == 2
        assert smartcar.counters.count("signals") == 0
        await hass.config_entries.async_reload(config_entry.entry_id)
        await hass.async_block_till_done()
    assert _entry_state(config_entry) is ConfigEntryState.LOADED
    assert set(config_entry.runtime_data.coordinators) == {EX30_ID, XC60_ID, XC90_ID}
    assert smartcar.counters.count("connections") == 2 + 3
    assert _available(hass, EX30_ID)


async def test_failed_setup_keeps_the_request_count(
    hass: HomeAssistant,
    config_entry: MockConfigEntry,
    smartcar: Simulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Every vehicle failing at set-up: the retry still counts the requests already spent."""
    smartcar.faults.fail_next(
        "signals", status=502, error_type="UPSTREAM", code="NO_RESPONSE", count=3
    )
    await setup_entry(hass, config_entry)
    assert _entry_state(config_entry) is ConfigEntryState.SETUP_RETRY
    # The first retry comes within a minute.
    await pass_time(hass, freezer, timedelta(minutes=1), timedelta(seconds=5))
    assert _entry_state(config_entry) is ConfigEntryState.LOADED
    budget = config_entry.runtime_data.budget
    for vehicle_id in (EX30_ID, XC60_ID, XC90_ID):
        assert smartcar.counters.count("signals", vehicle_id) == 2
        assert budget.state(vehicle_id).used == 2


# -- lock --------------------------------------------------------------------------------

XC90_LOCK: Final = "lock.volvo_xc90_lock"


async def _lock(hass: HomeAssistant) -> None:
    await hass.services.async_call(
        "lock", "lock", {ATTR_ENTITY_ID: XC90_LOCK}, blocking=True
    )


@pytest.mark.parametrize("fault", COMMAND_FAULTS, ids=_ids(COMMAND_FAULTS))
async def test_lock(
    hass: HomeAssistant, smartcar: Simulator, injector: Injector, fault: Fault
) -> None:
    """A refused or lost lock command: a translated error, the lock as it was; then it locks.

    A car that answered "not capable" is not asked again: the lock fails at once, no request.
    """
    assert state_of(hass, XC90_LOCK) == LockState.UNLOCKED
    await injector.inject(fault, "lock", XC90_ID)
    with pytest.raises(HomeAssistantError) as err:
        await _lock(hass)
    not_capable = fault.name == "compatibility"
    _assert_translated(
        err.value, "command_vehicle_not_capable" if not_capable else fault.command_key
    )
    assert state_of(hass, XC90_LOCK) == LockState.UNLOCKED
    if fault.name != TIMEOUT:  # a command that timed out may still land
        assert smartcar.signal_body(XC90_ID, sig.IS_LOCKED.code) == {"value": False}

    await injector.clear()
    if not_capable:
        smartcar.counters.reset()
        with pytest.raises(HomeAssistantError) as err:
            await _lock(hass)
        _assert_translated(err.value, "command_vehicle_not_capable")
        assert smartcar.counters.count("lock") == 0
        return
    await _lock(hass)
    assert state_of(hass, XC90_LOCK) == LockState.LOCKED
    assert smartcar.signal_body(XC90_ID, sig.IS_LOCKED.code) == {"value": True}
    assert _available(hass, XC90_ID)


# -- charge-schedule actions -------------------------------------------------------------

EX30_SCHEDULES: Final = "sensor.volvo_ex30_charge_schedules"
ACTIONS: Final = {
    "create_charge_schedule": "schedule_create",
    "list_charge_schedules": "schedule_list",
    "delete_charge_schedule": "schedule_delete",
}


def _device_id(hass: HomeAssistant) -> str:
    (device,) = dr.async_get(hass).async_get_devices(identifiers={(DOMAIN, EX30_ID)})
    return device.id


async def _action(hass: HomeAssistant, action: str, schedule_id: str = "") -> Any:
    data: dict[str, Any] = {"device_id": _device_id(hass)}
    if action == "create_charge_schedule":
        data |= {"type": "daily", "start_time": "01:00", "stop_time": "06:00"}
    elif action == "delete_charge_schedule":
        data["schedule_id"] = schedule_id
    return await hass.services.async_call(
        DOMAIN,
        action,
        data,
        blocking=True,
        return_response=action != "delete_charge_schedule",
    )


def _stored(smartcar: Simulator) -> list[str]:
    return [schedule.id for schedule in smartcar.schedules(EX30_ID)]


def _shown(hass: HomeAssistant) -> list[str]:
    state = hass.states.get(EX30_SCHEDULES)
    assert state is not None
    return [str(s["schedule_id"]) for s in state.attributes["schedules"]]


# Smartcar on Home Assistant's clock, as the real service: the schedules an action shows at once
# and those Smartcar reports later are ordered by their timestamps (on a clock of its own, every
# later report would be older than what the action showed).
@pytest.mark.parametrize("sim_clock", [dt_util.utcnow], ids=["same_clock"])
@pytest.mark.parametrize("fault", COMMAND_FAULTS, ids=_ids(COMMAND_FAULTS))
@pytest.mark.parametrize("action", list(ACTIONS))
async def test_schedule_action(
    hass: HomeAssistant,
    smartcar: Simulator,
    injector: Injector,
    action: str,
    fault: Fault,
) -> None:
    """A failed action: a translated error, no schedule changed or lost; then it works."""
    if action == "list_charge_schedules":
        # Listing sends its own request on the partner page's paths (documented: ChargeTimers).
        smartcar.schedule_contract = "seed"
    existing = str((await _action(hass, "create_charge_schedule"))["schedule_id"])
    assert _stored(smartcar) == _shown(hass) == [existing]

    await injector.inject(fault, ACTIONS[action], EX30_ID)
    with pytest.raises(HomeAssistantError) as err:
        await _action(hass, action, existing)
    # A create the car cannot do names the car and the schedule type; a list, the car.
    not_capable = {
        "create_charge_schedule": "schedule_not_capable",
        "list_charge_schedules": "schedules_list_not_capable",
    }
    key = not_capable.get(action) if fault.name == "compatibility" else None
    _assert_translated(err.value, key or fault.command_key)
    assert _shown(hass) == [existing]
    if fault.name != TIMEOUT:  # an action that timed out may still land
        assert _stored(smartcar) == [existing]

    await injector.clear()
    # The next reading shows what Smartcar holds, then the action goes through.
    coordinator = injector.entry.runtime_data.coordinators[EX30_ID]
    await coordinator.async_refresh()
    assert _shown(hass) == _stored(smartcar)
    if action == "create_charge_schedule":
        created = str((await _action(hass, action))["schedule_id"])
        assert created in _stored(smartcar)
    elif action == "list_charge_schedules":
        listed = await _action(hass, action)
        assert [s["schedule_id"] for s in listed["schedules"]] == _stored(smartcar)
    else:
        target = (_stored(smartcar) or [""])[0] or str(
            (await _action(hass, "create_charge_schedule"))["schedule_id"]
        )
        await _action(hass, action, target)
        assert target not in _stored(smartcar)
    assert _shown(hass) == _stored(smartcar)
    assert _available(hass, EX30_ID)
