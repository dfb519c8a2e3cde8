"""Webhooks: the simulator sends real signed HTTP deliveries to Home Assistant's test server."""

from __future__ import annotations

from collections.abc import Generator, Mapping
from datetime import timedelta
from enum import Enum
import hashlib
import hmac
import sys
from types import ModuleType
from typing import Any
from unittest.mock import AsyncMock, MagicMock, patch

from homeassistant.config_entries import SOURCE_REAUTH, ConfigEntryState
from homeassistant.const import EVENT_STATE_CHANGED, EVENT_STATE_REPORTED
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.smartcar.api import signals as sig
from custom_components.smartcar.const import CONF_CLOUDHOOK_URL, CONF_WEBHOOK_ID, DOMAIN
from custom_components.smartcar.polling import SAFETY_INTERVAL
from custom_components.smartcar.subscriptions import webhook_callback_url
from smartcar_simulator import DEMO_MANAGEMENT_TOKEN, Simulator
from smartcar_simulator.clock import ManualClock
from smartcar_simulator.vehicles import EX30_ID, XC90_ID
from smartcar_simulator.webhook_events import ErrorState

from .conftest import setup_entry, state_of

pytestmark = pytest.mark.usefixtures("credentials", "only_platforms")
XC90_LOCK = "lock.volvo_xc90_lock"


async def test_verify_challenge(smartcar: Simulator, callback_url: str) -> None:
    """VERIFY is answered with the HMAC of the challenge, in both payload versions."""
    expected = hmac.new(
        DEMO_MANAGEMENT_TOKEN.encode(), b"c0ffee", hashlib.sha256
    ).hexdigest()
    for legacy in (False, True):
        delivery = await smartcar.deliver(
            callback_url, smartcar.verify_event("c0ffee", legacy=legacy)
        )
        assert delivery.status == 200
        assert delivery.json == {"challenge": expected}


async def test_verify_without_token_is_refused(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    config_entry: MockConfigEntry,
    smartcar: Simulator,
) -> None:
    """Without the management token nothing can be checked, so nothing is accepted."""
    await setup_entry(hass, config_entry)
    client = await hass_client_no_auth()
    url = str(client.make_url(f"/api/webhook/{config_entry.data[CONF_WEBHOOK_ID]}"))
    delivery = await smartcar.deliver(url, smartcar.verify_event("abc"))
    assert delivery.status == 401


async def test_vehicle_state_updates_entities_without_a_request(
    hass: HomeAssistant,
    smartcar: Simulator,
    callback_url: str,
    webhook_entry: MockConfigEntry,
) -> None:
    """A signed VEHICLE_STATE updates the entities at once; no poll is spent."""
    assert state_of(hass, XC90_LOCK) == "unlocked"
    smartcar.set_locked(XC90_ID, True)
    smartcar.counters.reset()
    delivery = await smartcar.deliver(
        callback_url, smartcar.vehicle_state_event(XC90_ID)
    )
    assert delivery.status == 200
    assert state_of(hass, XC90_LOCK) == "locked"
    assert smartcar.counters.count("signals") == 0
    coordinator = webhook_entry.runtime_data.coordinators[XC90_ID]
    assert coordinator.policy.webhook_delivering(dt_util.utcnow())
    assert coordinator.next_poll is not None
    until_poll = coordinator.next_poll - dt_util.utcnow()
    assert SAFETY_INTERVAL - timedelta(minutes=1) < until_poll <= SAFETY_INTERVAL


async def test_triggers_inside_data_and_first_delivery(
    hass: HomeAssistant, smartcar: Simulator, callback_url: str
) -> None:
    """Both placements of `triggers`, and a FIRST_DELIVERY, are applied alike."""
    smartcar.set_locked(XC90_ID, True)
    event = smartcar.vehicle_state_event(
        XC90_ID, triggers_in_data=True, first_delivery=True
    )
    assert (await smartcar.deliver(callback_url, event)).status == 200
    assert state_of(hass, XC90_LOCK) == "locked"


@pytest.mark.parametrize("signature", [None, "0" * 64, "not-hex"])
async def test_bad_signature_is_refused(
    hass: HomeAssistant, smartcar: Simulator, callback_url: str, signature: str | None
) -> None:
    """A missing or forged signature: 401 and nothing changes."""
    smartcar.set_locked(XC90_ID, True)
    delivery = await smartcar.deliver(
        callback_url, smartcar.vehicle_state_event(XC90_ID), signature=signature
    )
    assert delivery.status == 401
    assert state_of(hass, XC90_LOCK) == "unlocked"


async def test_signed_with_another_token_is_refused(
    hass: HomeAssistant, smartcar: Simulator, callback_url: str
) -> None:
    """A delivery signed with another application's token is refused."""
    smartcar.set_locked(XC90_ID, True)
    delivery = await smartcar.deliver(
        callback_url,
        smartcar.vehicle_state_event(XC90_ID),
        management_token="someone-else",
    )
    assert delivery.status == 401
    assert state_of(hass, XC90_LOCK) == "unlocked"


async def test_replayed_event_applied_once(
    hass: HomeAssistant, smartcar: Simulator, callback_url: str
) -> None:
    """A retried delivery (same eventId) is acknowledged but not applied again."""
    smartcar.set_locked(XC90_ID, True)
    event = smartcar.vehicle_state_event(XC90_ID, event_id="evt-1")
    assert (await smartcar.deliver(callback_url, event)).json == {"status": "applied"}
    smartcar.set_locked(XC90_ID, False)
    replay = smartcar.vehicle_state_event(XC90_ID, event_id="evt-1")
    delivery = await smartcar.deliver(callback_url, replay)
    assert delivery.status == 200
    assert delivery.json == {"status": "duplicate"}
    assert state_of(hass, XC90_LOCK) == "locked"


async def test_older_delivery_does_not_overwrite_newer(
    hass: HomeAssistant, smartcar: Simulator, sim_clock: ManualClock, callback_url: str
) -> None:
    """Deliveries arrive out of order: the older one is ignored."""
    smartcar.set_locked(XC90_ID, True)
    older = smartcar.vehicle_state_event(XC90_ID)
    sim_clock.advance(minutes=5)
    smartcar.set_locked(XC90_ID, False)
    newer = smartcar.vehicle_state_event(XC90_ID)
    assert (await smartcar.deliver(callback_url, newer)).status == 200
    assert (await smartcar.deliver(callback_url, older)).status == 200
    assert state_of(hass, XC90_LOCK) == "unlocked"


async def test_vehicle_error_then_resolved(
    hass: HomeAssistant, smartcar: Simulator, callback_url: str
) -> None:
    """VEHICLE_ERROR turns the problem sensor on; RESOLVED turns it off; a vehicle state never reauths."""
    problem = "binary_sensor.volvo_ex30_vehicle_problem"
    assert state_of(hass, problem) == "off"
    error = smartcar.vehicle_error_event(
        EX30_ID, "VEHICLE_STATE", "UNREACHABLE", resolution="REAUTHENTICATE"
    )
    assert (await smartcar.deliver(callback_url, error)).status == 200
    assert state_of(hass, problem) == "on"
    state = hass.states.get(problem)
    assert state is not None
    assert state.attributes["code"] == "UNREACHABLE"
    assert not hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    resolved = smartcar.vehicle_error_event(
        EX30_ID, "VEHICLE_STATE", "UNREACHABLE", state="RESOLVED"
    )
    assert (await smartcar.deliver(callback_url, resolved)).status == 200
    assert state_of(hass, problem) == "off"


type ErrorSpec = tuple[str, str, list[str]]


def _errors_event(
    smartcar: Simulator,
    *errors: ErrorSpec,
    state: ErrorState = "ERROR",
) -> dict[str, Any]:
    """Return one EX30 `VEHICLE_ERROR` carrying several errors (type, code, signal codes)."""
    events = [
        smartcar.vehicle_error_event(
            EX30_ID,
            kind,
            code,
            signal_codes=codes,
            state=state,
        )
        for kind, code, codes in errors
    ]
    events[0]["data"]["errors"] = [event["data"]["errors"][0] for event in events]
    return events[0]


ASLEEP: ErrorSpec = ("VEHICLE_STATE", "ASLEEP", [])
NO_BATTERY: ErrorSpec = ("PERMISSION", "NOT_GRANTED", [sig.STATE_OF_CHARGE.code])
NO_LOCK: ErrorSpec = ("PERMISSION", "NOT_GRANTED", [sig.IS_LOCKED.code])


async def test_several_errors_in_one_delivery_are_all_kept(
    hass: HomeAssistant,
    smartcar: Simulator,
    callback_url: str,
    webhook_entry: MockConfigEntry,
) -> None:
    """Every error of one VEHICLE_ERROR stays open until its own RESOLVED arrives."""
    problem = "binary_sensor.volvo_ex30_vehicle_problem"
    coordinator = webhook_entry.runtime_data.coordinators[EX30_ID]
    event = _errors_event(smartcar, ASLEEP, NO_BATTERY, NO_LOCK)
    assert (await smartcar.deliver(callback_url, event)).status == 200
    assert len(coordinator.problems) == 3
    assert [(p.type, p.code) for p in coordinator.problems.values()] == [
        ("VEHICLE_STATE", "ASLEEP"),
        ("PERMISSION", "NOT_GRANTED"),
        ("PERMISSION", "NOT_GRANTED"),
    ]
    resolved = _errors_event(smartcar, NO_LOCK, state="RESOLVED")
    assert (await smartcar.deliver(callback_url, resolved)).status == 200
    # The same type and code about another signal is another error: still open.
    assert state_of(hass, problem) == "on"
    assert [p.code for p in coordinator.problems.values()] == ["ASLEEP", "NOT_GRANTED"]
    resolved = _errors_event(smartcar, NO_BATTERY, ASLEEP, state="RESOLVED")
    assert (await smartcar.deliver(callback_url, resolved)).status == 200
    assert state_of(hass, problem) == "off"
    assert coordinator.problem is None


async def test_resolving_one_error_keeps_another_open(
    hass: HomeAssistant, smartcar: Simulator, callback_url: str
) -> None:
    """A RESOLVED for one error leaves another, reported earlier, shown."""
    problem = "binary_sensor.volvo_ex30_vehicle_problem"
    for kind, code, codes in (ASLEEP, NO_BATTERY):
        error = smartcar.vehicle_error_event(EX30_ID, kind, code, signal_codes=codes)
        assert (await smartcar.deliver(callback_url, error)).status == 200
    resolved = _errors_event(smartcar, NO_BATTERY, state="RESOLVED")
    assert (await smartcar.deliver(callback_url, resolved)).status == 200
    assert state_of(hass, problem) == "on"
    state = hass.states.get(problem)
    assert state is not None
    assert state.attributes["code"] == "ASLEEP"


async def test_account_error_starts_reauth(
    hass: HomeAssistant, smartcar: Simulator, callback_url: str
) -> None:
    """An error only a new Connect login fixes starts the reauth flow."""
    error = smartcar.vehicle_error_event(
        EX30_ID,
        "CONNECTED_SERVICES_ACCOUNT",
        "AUTHENTICATION_FAILED",
        resolution="REAUTHENTICATE",
    )
    assert (await smartcar.deliver(callback_url, error)).status == 200
    await hass.async_block_till_done()
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [flow["context"]["source"] for flow in flows] == [SOURCE_REAUTH]


async def test_test_mode_acknowledged_not_applied(
    hass: HomeAssistant,
    smartcar: Simulator,
    callback_url: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The dashboard's test delivery is acknowledged and logged, not applied."""
    smartcar.set_locked(XC90_ID, True)
    delivery = await smartcar.deliver(
        callback_url, smartcar.vehicle_state_event(XC90_ID, mode="TEST")
    )
    assert delivery.json == {"status": "test"}
    assert state_of(hass, XC90_LOCK) == "unlocked"
    assert "test webhook delivery" in caplog.text


async def test_unknown_vehicle_acknowledged(
    hass: HomeAssistant, smartcar: Simulator, callback_url: str
) -> None:
    """A vehicle not set up here is acknowledged and ignored."""
    other = smartcar.add_vehicle(
        "stranger@example.com", "EX30", permissions=["read_battery"]
    )
    delivery = await smartcar.deliver(callback_url, smartcar.vehicle_state_event(other))
    assert delivery.status == 200
    assert delivery.json == {"status": "ignored"}


@pytest.mark.parametrize(
    ("body", "status"),
    [(b"{not json", 400), (b"[1, 2]", 400), (b"x" * (1024 * 1024 + 1), 401)],
    ids=["not-json", "array", "too-large"],
)
async def test_malformed_bodies(
    hass_client_no_auth: ClientSessionGenerator,
    webhook_entry: MockConfigEntry,
    body: bytes,
    status: int,
) -> None:
    """Bodies that are not a JSON object get a 4xx and change nothing (unsigned: too large to be a VERIFY)."""
    client = await hass_client_no_auth()
    response = await client.post(
        f"/api/webhook/{webhook_entry.data[CONF_WEBHOOK_ID]}", data=body
    )
    assert response.status == status


async def test_verify_without_challenge(
    hass_client_no_auth: ClientSessionGenerator, webhook_entry: MockConfigEntry
) -> None:
    """A VERIFY without a challenge is refused."""
    client = await hass_client_no_auth()
    response = await client.post(
        f"/api/webhook/{webhook_entry.data[CONF_WEBHOOK_ID]}",
        json={"eventType": "VERIFY", "data": {}},
    )
    assert response.status == 400


async def test_push_after_command(
    hass: HomeAssistant,
    smartcar: Simulator,
    callback_url: str,
    webhook_entry: MockConfigEntry,
) -> None:
    """With the simulator subscribed, the car's change after a lock arrives by push."""
    smartcar.subscribe(callback_url)
    delivery = await smartcar.push(XC90_ID)
    assert delivery is not None
    assert delivery.status == 200
    assert webhook_entry.runtime_data.coordinators[XC90_ID].last_delivery is not None


class CloudConnectionState(Enum):
    """Home Assistant Cloud's connection states (as `cloud.CloudConnectionState`)."""

    CLOUD_CONNECTED = "cloud_connected"
    CLOUD_DISCONNECTED = "cloud_disconnected"


@pytest.fixture
def fake_cloud(hass: HomeAssistant) -> Generator[MagicMock]:
    """Home Assistant Cloud, loaded with an active subscription (without its heavy imports)."""
    cloud = MagicMock(spec=ModuleType("cloud"))
    cloud.async_active_subscription = MagicMock(return_value=True)
    cloud.async_create_cloudhook = AsyncMock(return_value="https://hooks.nabu.casa/abc")
    cloud.async_delete_cloudhook = AsyncMock()
    cloud.async_is_connected = MagicMock(return_value=True)
    cloud.listeners = []
    cloud.async_listen_connection_change = MagicMock(
        side_effect=lambda _hass, target: cloud.listeners.append(target) or MagicMock()
    )
    cloud.CloudConnectionState = CloudConnectionState
    cloud.CloudNotAvailable = type("CloudNotAvailable", (Exception,), {})
    cloud.CloudNotConnected = type("CloudNotConnected", (cloud.CloudNotAvailable,), {})
    hass.config.components.add("cloud")
    with patch.dict(sys.modules, {"homeassistant.components.cloud": cloud}):
        yield cloud


async def test_cloudhook_created_and_deleted(
    hass: HomeAssistant, config_entry: MockConfigEntry, fake_cloud: MagicMock
) -> None:
    """With a Cloud subscription a cloudhook is created once, and deleted with the entry."""
    await setup_entry(hass, config_entry)
    assert config_entry.data[CONF_CLOUDHOOK_URL] == "https://hooks.nabu.casa/abc"
    fake_cloud.async_create_cloudhook.assert_awaited_once_with(
        hass, config_entry.data[CONF_WEBHOOK_ID]
    )
    await hass.config_entries.async_remove(config_entry.entry_id)
    fake_cloud.async_delete_cloudhook.assert_awaited_once()


async def test_cloud_not_connected_falls_back_then_switches(
    hass: HomeAssistant, config_entry: MockConfigEntry, fake_cloud: MagicMock
) -> None:
    """Cloud logged in but not connected: the local URL until it connects, then the cloudhook."""
    await hass.config.async_update(external_url="https://ha.example.com")
    fake_cloud.async_is_connected.return_value = False
    fake_cloud.async_create_cloudhook.side_effect = fake_cloud.CloudNotConnected
    await setup_entry(hass, config_entry)
    assert config_entry.state is ConfigEntryState.LOADED
    assert CONF_CLOUDHOOK_URL not in config_entry.data
    fake_cloud.async_create_cloudhook.assert_not_awaited()
    local = f"https://ha.example.com/api/webhook/{config_entry.data[CONF_WEBHOOK_ID]}"
    assert webhook_callback_url(hass, config_entry).url == local
    # Connected, but the cloud still refuses once: the local URL stays, nothing raises.
    for listener in fake_cloud.listeners:
        await listener(CloudConnectionState.CLOUD_CONNECTED)
    assert webhook_callback_url(hass, config_entry).url == local
    fake_cloud.async_create_cloudhook.side_effect = None
    for listener in fake_cloud.listeners:
        await listener(CloudConnectionState.CLOUD_DISCONNECTED)
    assert CONF_CLOUDHOOK_URL not in config_entry.data
    for listener in fake_cloud.listeners:
        await listener(CloudConnectionState.CLOUD_CONNECTED)
    assert webhook_callback_url(hass, config_entry).url == "https://hooks.nabu.casa/abc"
    assert fake_cloud.async_create_cloudhook.await_count == 2


async def test_cloud_unavailable_on_removal(
    hass: HomeAssistant, config_entry: MockConfigEntry, fake_cloud: MagicMock
) -> None:
    """Removing the entry while Cloud is unreachable does not fail."""
    await setup_entry(hass, config_entry)
    fake_cloud.async_delete_cloudhook.side_effect = fake_cloud.CloudNotAvailable
    await hass.config_entries.async_remove(config_entry.entry_id)
    assert not hass.config_entries.async_entries(DOMAIN)


async def test_battery_pushed(
    hass: HomeAssistant, smartcar: Simulator, sim_clock: ManualClock, callback_url: str
) -> None:
    """A charging car's newer state of charge arrives by push (epoch-ms timestamps)."""
    before = float(state_of(hass, "sensor.volvo_ex30_battery"))
    sim_clock.advance(minutes=30)
    event = smartcar.vehicle_state_event(EX30_ID, codes=[sig.STATE_OF_CHARGE.code])
    assert (await smartcar.deliver(callback_url, event)).status == 200
    assert float(state_of(hass, "sensor.volvo_ex30_battery")) > before


async def test_a_delivery_rewrites_only_what_it_changes(
    hass: HomeAssistant, smartcar: Simulator, sim_clock: ManualClock, callback_url: str
) -> None:
    """The same readings delivered again write no signal entity; a newer battery level does.

    The data keeps each reading it held, and an entity whose signals are the ones it was
    written from is left as it is (no state computed, no `state_reported`).
    """
    written: list[str] = []

    @callback
    def every_state(_data: Mapping[str, Any]) -> bool:
        return True  # state_reported is only heard through a filter

    @callback
    def note(event: Event[Mapping[str, Any]]) -> None:
        written.append(event.data["entity_id"])

    for event_type in (str(EVENT_STATE_CHANGED), str(EVENT_STATE_REPORTED)):
        hass.bus.async_listen(event_type, note, event_filter=every_state)
    battery, odometer = "sensor.volvo_ex30_battery", "sensor.volvo_ex30_odometer"
    for _ in range(2):
        written.clear()
        event = smartcar.vehicle_state_event(EX30_ID)
        assert (await smartcar.deliver(callback_url, event)).status == 200
        await hass.async_block_till_done()
    assert battery not in written
    assert odometer not in written
    sim_clock.advance(minutes=30)
    event = smartcar.vehicle_state_event(EX30_ID, codes=[sig.STATE_OF_CHARGE.code])
    assert (await smartcar.deliver(callback_url, event)).status == 200
    await hass.async_block_till_done()
    assert battery in written


async def test_event_without_id_or_vehicle(
    hass: HomeAssistant, smartcar: Simulator, callback_url: str
) -> None:
    """Without an eventId the delivery still applies; without a vehicle it is ignored."""
    smartcar.set_locked(XC90_ID, True)
    event = smartcar.vehicle_state_event(XC90_ID)
    del event["eventId"]
    assert (await smartcar.deliver(callback_url, event)).json == {"status": "applied"}
    assert state_of(hass, XC90_LOCK) == "locked"
    anonymous = smartcar.vehicle_state_event(XC90_ID)
    anonymous.pop("vehicleId", None)
    anonymous["data"].pop("vehicle", None)
    assert (await smartcar.deliver(callback_url, anonymous)).json == {
        "status": "ignored"
    }


async def test_old_event_ids_are_forgotten(
    hass: HomeAssistant, smartcar: Simulator, callback_url: str
) -> None:
    """Only the latest event ids are remembered (memory stays bounded)."""
    with patch("custom_components.smartcar.webhook.SEEN_EVENTS", 2):
        for event_id in ("a", "b", "c"):
            event = smartcar.vehicle_state_event(XC90_ID, event_id=event_id)
            assert (await smartcar.deliver(callback_url, event)).json == {
                "status": "applied"
            }
        again = smartcar.vehicle_state_event(XC90_ID, event_id="a")
        assert (await smartcar.deliver(callback_url, again)).json == {
            "status": "applied"
        }
        repeat = smartcar.vehicle_state_event(XC90_ID, event_id="c")
        assert (await smartcar.deliver(callback_url, repeat)).json == {
            "status": "duplicate"
        }


async def test_options_show_the_cloudhook(
    hass: HomeAssistant, config_entry: MockConfigEntry, fake_cloud: MagicMock
) -> None:
    """With Cloud, the URL to paste is the cloudhook."""
    await setup_entry(hass, config_entry)
    result = await hass.config_entries.options.async_init(config_entry.entry_id)
    placeholders = result["description_placeholders"] or {}
    assert placeholders["webhook_url"] == "https://hooks.nabu.casa/abc"


async def test_removal_without_cloudhook(
    hass: HomeAssistant, config_entry: MockConfigEntry
) -> None:
    """Removing an entry without a cloudhook also removes its request counts."""
    await setup_entry(hass, config_entry)
    await hass.config_entries.async_remove(config_entry.entry_id)
    assert not hass.config_entries.async_entries(DOMAIN)
