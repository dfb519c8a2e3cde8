"""Webhook deliveries reach only what they may: reauth, entries not loaded, other entries."""

from __future__ import annotations

from datetime import timedelta
import json
from typing import Any

from aiohttp import ClientSession
from homeassistant.config_entries import (
    SOURCE_REAUTH,
    ConfigEntryDisabler,
    ConfigEntryState,
)
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.smartcar.api import signals as sig
from custom_components.smartcar.const import (
    CONF_MANAGEMENT_TOKEN,
    CONF_WEBHOOK_ID,
    DOMAIN,
)
from smartcar_simulator import DEMO_MANAGEMENT_TOKEN, Simulator
from smartcar_simulator.vehicles import EX30_ID, XC90_ID
from smartcar_simulator.webhook_delivery import sign

from .conftest import add_entry, setup_entry, state_of

pytestmark = pytest.mark.usefixtures("credentials", "only_platforms")
XC90_LOCK = "lock.volvo_xc90_lock"
EX30_PROBLEM = "binary_sensor.volvo_ex30_vehicle_problem"


def _loaded(entry: MockConfigEntry) -> bool:
    """Whether the entry is loaded (a function, so that a state asserted earlier is read anew)."""
    return entry.state is ConfigEntryState.LOADED


async def test_error_about_an_ungranted_permission_does_not_reauth(
    hass: HomeAssistant, smartcar: Simulator, callback_url: str
) -> None:
    """PERMISSION + REAUTHENTICATE about `vehicleuseraccount-*`, not granted: no reauth.

    Nor any problem shown: nothing the owner sees depends on those signals.
    """
    event = smartcar.vehicle_error_event(
        EX30_ID, "PERMISSION", None, resolution="REAUTHENTICATE"
    )
    event["data"]["errors"][0]["signals"] = [
        {
            "code": "vehicleuseraccount-role",
            "name": "Role",
            "group": "VehicleUserAccount",
        },
        "VehicleUserAccount.Permissions",
    ]
    assert (await smartcar.deliver(callback_url, event)).status == 200
    await hass.async_block_till_done()
    assert not hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    state = hass.states.get(EX30_PROBLEM)
    assert state is not None
    assert state.state == "off"
    assert "type" not in state.attributes


async def test_signal_error_about_an_ungranted_permission_does_not_reauth(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    config_entry: MockConfigEntry,
    smartcar: Simulator,
) -> None:
    """The same error on one signal of `/signals` starts no reauth; diagnostics record it."""
    smartcar.add_raw_signal(EX30_ID, "vehicleuseraccount-role", {"value": "Driver"})
    smartcar.set_signal_error(
        EX30_ID,
        "vehicleuseraccount-role",
        "PERMISSION",
        None,
        resolution="REAUTHENTICATE",
    )
    await setup_entry(hass, config_entry)
    assert config_entry.state is ConfigEntryState.LOADED
    assert not hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    diagnostics: dict[str, Any] = await get_diagnostics_for_config_entry(
        hass, hass_client, config_entry
    )
    [ex30] = [
        vehicle
        for vehicle in diagnostics["vehicles"]
        if "vehicleuseraccount-role" in vehicle["signals"]
    ]
    assert ex30["signals"]["vehicleuseraccount-role"]["error"]["type"] == "PERMISSION"


async def test_error_about_a_requested_permission_reauths(
    hass: HomeAssistant, smartcar: Simulator, callback_url: str
) -> None:
    """The same error about a signal the integration reads starts the reauth flow."""
    event = smartcar.vehicle_error_event(
        EX30_ID,
        "PERMISSION",
        None,
        resolution="REAUTHENTICATE",
        signal_codes=[sig.STATE_OF_CHARGE.code],
    )
    event["data"]["errors"][0]["signals"].append("VehicleUserAccount.Role")
    assert (await smartcar.deliver(callback_url, event)).status == 200
    await hass.async_block_till_done()
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [flow["context"]["source"] for flow in flows] == [SOURCE_REAUTH]


@pytest.mark.parametrize(
    ("named", "concerns"),
    [
        ([], True),  # the whole connection
        (
            ["Charge.SomethingNew"],
            True,
        ),  # not in the catalogue; its group's read_charge
        ([{"code": "charge-somethingnew", "group": "Charge"}], True),
        (["VehicleUserAccount.Permissions"], False),  # read_user_profile: not granted
        (["SomethingNew.Value"], False),  # a group of no known permission
        (["VehicleUserAccount.Role", "Charge.SomethingNew"], True),
    ],
)
async def test_problem_sensor_and_reauth_agree_on_what_concerns_the_entry(
    hass: HomeAssistant,
    smartcar: Simulator,
    callback_url: str,
    named: list[Any],
    concerns: bool,
) -> None:
    """One rule: an error that needs a new login shows as a problem exactly when it reauths.

    It concerns the entry when it names no signal, or when a permission its signals need
    (a catalogue signal's, else its group's) was asked for and granted.
    """
    coordinator = next(
        entry.runtime_data.coordinators[EX30_ID]
        for entry in hass.config_entries.async_loaded_entries(DOMAIN)
    )
    assert coordinator.has_permission("read_charge")
    assert not coordinator.has_permission("read_user_profile")
    event = smartcar.vehicle_error_event(
        EX30_ID, "PERMISSION", None, resolution="REAUTHENTICATE"
    )
    event["data"]["errors"][0]["signals"] = named
    assert (await smartcar.deliver(callback_url, event)).status == 200
    await hass.async_block_till_done()
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    reauth = [flow["context"]["source"] for flow in flows] == [SOURCE_REAUTH]
    assert (state_of(hass, EX30_PROBLEM), reauth) == (
        "on" if concerns else "off",
        concerns,
    )


async def _retrying_entry_url(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    config_entry: MockConfigEntry,
    smartcar: Simulator,
) -> str:
    """Set up an entry with the management token whose set-up retries; its webhook's URL."""
    hass.config_entries.async_update_entry(
        config_entry, options={CONF_MANAGEMENT_TOKEN: DEMO_MANAGEMENT_TOKEN}
    )
    smartcar.faults.fail_next(
        "connections", status=500, error_type="SERVER", code="INTERNAL"
    )
    await setup_entry(hass, config_entry)
    assert config_entry.state is ConfigEntryState.SETUP_RETRY
    client = await hass_client_no_auth()
    return str(client.make_url(f"/api/webhook/{config_entry.data[CONF_WEBHOOK_ID]}"))


async def test_delivery_while_setup_retries_is_held_then_applied(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    config_entry: MockConfigEntry,
    smartcar: Simulator,
) -> None:
    """While set-up retries, a verified delivery is answered 200 and applied by the next attempt.

    Smartcar retries at 0, 25, 50 and 100 s and ignores Retry-After: a 503 would lose it.
    """
    url = await _retrying_entry_url(hass, hass_client_no_auth, config_entry, smartcar)
    smartcar.set_locked(XC90_ID, True)
    event = smartcar.vehicle_state_event(XC90_ID, event_id="while-retrying")
    body = json.dumps(event).encode()
    async with (
        ClientSession() as session,
        session.post(
            url, data=body, headers={"SC-Signature": sign(body, DEMO_MANAGEMENT_TOKEN)}
        ) as response,
    ):
        assert response.status == 200
        assert await response.json() == {"status": "held"}
    # Verification still works while not loaded: it needs only the token.
    assert (await smartcar.deliver(url, smartcar.verify_event("abc"))).status == 200
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(minutes=5))
    await hass.async_block_till_done(wait_background_tasks=True)
    assert _loaded(config_entry)
    coordinator = config_entry.runtime_data.coordinators[XC90_ID]
    assert coordinator.policy.webhook_delivering(dt_util.utcnow())
    assert state_of(hass, XC90_LOCK) == "locked"
    # Held means answered: a repeat of the same eventId is a duplicate.
    assert (await smartcar.deliver(url, event)).json == {"status": "duplicate"}


async def test_unloaded_entry_unregisters_its_webhook(
    hass: HomeAssistant,
    smartcar: Simulator,
    callback_url: str,
    webhook_entry: MockConfigEntry,
) -> None:
    """Unloaded, the webhook is gone (Home Assistant's default 200); set up again, it is back."""
    await hass.config_entries.async_unload(webhook_entry.entry_id)
    event = smartcar.vehicle_state_event(XC90_ID)
    delivery = await smartcar.deliver(callback_url, event)
    assert (delivery.status, delivery.json) == (200, None)
    await setup_entry(hass, webhook_entry)
    assert _loaded(webhook_entry)
    delivery = await smartcar.deliver(callback_url, event)
    assert delivery.json == {"status": "applied"}


async def test_entry_disabled_while_setup_retries_unregisters_its_webhook(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    config_entry: MockConfigEntry,
    smartcar: Simulator,
) -> None:
    """Kept while set-up retries (held), the webhook goes when the owner disables the entry."""
    url = await _retrying_entry_url(hass, hass_client_no_auth, config_entry, smartcar)
    event = smartcar.vehicle_state_event(XC90_ID)
    assert (await smartcar.deliver(url, event)).json == {"status": "held"}
    await hass.config_entries.async_set_disabled_by(
        config_entry.entry_id, ConfigEntryDisabler.USER
    )
    await hass.async_block_till_done()
    delivery = await smartcar.deliver(url, event)
    assert (delivery.status, delivery.json) == (200, None)


async def test_delivery_only_touches_its_entrys_vehicles(
    hass: HomeAssistant,
    smartcar: Simulator,
    callback_url: str,
    webhook_entry: MockConfigEntry,
) -> None:
    """A delivery verified with one entry's token never changes another entry's vehicles."""
    other_user = smartcar.user_id("stranger@example.com")
    other_vehicle = smartcar.add_vehicle(
        "stranger@example.com", "XC90", permissions=["read_security"]
    )
    other = add_entry(
        hass,
        other_user,
        "Stranger",
        options={CONF_MANAGEMENT_TOKEN: "the-other-application"},
    )
    await setup_entry(hass, other)
    assert other.state is ConfigEntryState.LOADED
    coordinator = other.runtime_data.coordinators[other_vehicle]
    before = coordinator.data
    delivery = await smartcar.deliver(
        callback_url, smartcar.vehicle_state_event(other_vehicle)
    )
    assert delivery.json == {"status": "ignored"}
    assert coordinator.data is before
    assert coordinator.last_delivery is None
