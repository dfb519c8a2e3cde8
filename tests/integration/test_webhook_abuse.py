"""Webhooks under attack, over real HTTP: the VERIFY signing oracle, malformed input, isolation."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import sys
from typing import Any

from aiohttp import ClientSession
from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import SOURCE_REAUTH, ConfigEntryState
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
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
from custom_components.smartcar.webhook import VERIFY_PER_MINUTE
from smartcar_simulator import DEMO_MANAGEMENT_TOKEN, Simulator
from smartcar_simulator.vehicles import EX30_ID, XC90_ID

from .conftest import add_entry, setup_entry, unhandled_exceptions

pytestmark = pytest.mark.usefixtures("credentials", "only_platforms")
XC90_LOCK = "lock.volvo_xc90_doors"
EX30_BATTERY = "sensor.volvo_ex30_battery"
EX30_PROBLEM = "binary_sensor.volvo_ex30_vehicle_problem"


@pytest.fixture
async def webhook_entry(
    hass: HomeAssistant, config_entry: MockConfigEntry
) -> MockConfigEntry:
    """Load the owner's entry with the Application Management Token set."""
    hass.config_entries.async_update_entry(
        config_entry, options={CONF_MANAGEMENT_TOKEN: DEMO_MANAGEMENT_TOKEN}
    )
    await setup_entry(hass, config_entry)
    return config_entry


@pytest.fixture
async def callback_url(
    hass_client_no_auth: ClientSessionGenerator, webhook_entry: MockConfigEntry
) -> str:
    """Return the entry's webhook URL on Home Assistant's test HTTP server (a real socket)."""
    client = await hass_client_no_auth()
    return str(client.make_url(f"/api/webhook/{webhook_entry.data[CONF_WEBHOOK_ID]}"))


def _state(hass: HomeAssistant, entity_id: str) -> str:
    state = hass.states.get(entity_id)
    assert state is not None, entity_id
    return state.state


def _loaded(entry: MockConfigEntry) -> bool:
    """Whether the entry is loaded (a function, so that a state asserted earlier is read anew)."""
    return entry.state is ConfigEntryState.LOADED


def _sign(body: bytes) -> str:
    return hmac.new(DEMO_MANAGEMENT_TOKEN.encode(), body, hashlib.sha256).hexdigest()


async def _post(url: str, body: bytes, headers: dict[str, str] | None = None) -> Any:
    async with (
        ClientSession() as session,
        session.post(url, data=body, headers=headers or {}) as response,
    ):
        return response.status, await response.text()


async def test_verify_signing_oracle_is_closed(
    hass: HomeAssistant,
    smartcar: Simulator,
    callback_url: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The attack of issue 10: sign a forged body through VERIFY, then post it. Refused."""
    lock_before = _state(hass, XC90_LOCK)
    battery_before = _state(hass, EX30_BATTERY)
    smartcar.set_locked(XC90_ID, lock_before != "locked")
    smartcar.set_signal(
        EX30_ID, sig.STATE_OF_CHARGE.code, {"value": 3, "unit": "percent"}
    )
    forged_bodies = [
        json.dumps(smartcar.vehicle_state_event(vehicle), separators=(",", ":"))
        for vehicle in (XC90_ID, EX30_ID)
    ]
    for forged_body in forged_bodies:
        verify = smartcar.verify_event(forged_body)
        answer = await smartcar.deliver(callback_url, verify, signature=None)
        assert answer.status == 400
        assert "challenge" not in (answer.json or {})
        assert _sign(forged_body.encode()) not in answer.body
        returned = (answer.json or {}).get("challenge") or answer.body
        status, _ = await _post(
            callback_url, forged_body.encode(), {"SC-Signature": returned}
        )
        assert status == 401
    assert _state(hass, XC90_LOCK) == lock_before
    assert _state(hass, EX30_BATTERY) == battery_before
    warnings = [r for r in caplog.records if "not a plain token" in r.getMessage()]
    assert len(warnings) == 1


async def test_verify_with_a_signature_is_checked(
    smartcar: Simulator, callback_url: str
) -> None:
    """Smartcar does not sign VERIFY; one that carries a signature must carry the right one."""
    event = smartcar.verify_event("abc123")
    body = json.dumps(event).encode()
    status, text = await _post(callback_url, body, {"SC-Signature": "0" * 64})
    assert status == 401
    assert "challenge" not in text
    status, text = await _post(callback_url, body, {"SC-Signature": _sign(body)})
    assert status == 200
    assert json.loads(text) == {
        "challenge": hmac.new(
            DEMO_MANAGEMENT_TOKEN.encode(), b"abc123", hashlib.sha256
        ).hexdigest()
    }


async def test_verify_answers_are_rate_limited(
    smartcar: Simulator, callback_url: str, freezer: FrozenDateTimeFactory
) -> None:
    """An entry answers a few VERIFY a minute; the next gets 429 until the minute has passed."""
    for number in range(VERIFY_PER_MINUTE):
        delivery = await smartcar.deliver(
            callback_url, smartcar.verify_event(f"c{number}")
        )
        assert delivery.status == 200
    refused = await smartcar.deliver(callback_url, smartcar.verify_event("more"))
    assert refused.status == 429
    assert "challenge" not in (refused.json or {})
    freezer.tick(61)
    assert (
        await smartcar.deliver(callback_url, smartcar.verify_event("later"))
    ).status == 200


SIGNATURES = [
    pytest.param(None, id="missing"),
    pytest.param("", id="empty"),
    pytest.param("0" * 63, id="short"),
    pytest.param("0" * 65, id="long"),
    pytest.param("z" * 64, id="not-hex"),
    pytest.param("sha256=" + "0" * 57, id="prefixed"),
    pytest.param("é" * 64, id="non-ascii"),
    pytest.param("٣" * 64, id="unicode-digits"),
    pytest.param("0" * 10_000, id="huge"),
]


@pytest.mark.parametrize("signature", SIGNATURES)
async def test_malformed_signature_header(
    hass: HomeAssistant, smartcar: Simulator, callback_url: str, signature: str | None
) -> None:
    """Any SC-Signature that is not 64 hex digits: 401, no traceback, nothing changes."""
    smartcar.set_locked(XC90_ID, _state(hass, XC90_LOCK) != "locked")
    before = _state(hass, XC90_LOCK)
    body = json.dumps(smartcar.vehicle_state_event(XC90_ID)).encode()
    headers = {} if signature is None else {"SC-Signature": signature}
    # aiohttp sends header values as UTF-8 bytes, so a non-ASCII value reaches the server.
    status, _ = await _post(callback_url, body, headers)
    assert status == 401
    assert _state(hass, XC90_LOCK) == before


BODIES = [
    pytest.param(b"", 400, id="empty"),
    pytest.param(b"{not json", 400, id="not-json"),
    pytest.param(b"[1, 2]", 400, id="array"),
    pytest.param(b"null", 400, id="null"),
    pytest.param(b"42", 400, id="number"),
    pytest.param(b'"VERIFY"', 400, id="string"),
    pytest.param(b"\xff\xfe{}", 400, id="not-utf8"),
    pytest.param(b"[" * 200_000, 400, id="deeply-nested"),
    pytest.param(b"x" * (1024 * 1024 + 1), 413, id="too-large"),
]


@pytest.mark.parametrize(("body", "status"), BODIES)
async def test_malformed_body(callback_url: str, body: bytes, status: int) -> None:
    """Bodies that are not a JSON object: a 4xx, signed or not, and no traceback."""
    for headers in ({}, {"SC-Signature": _sign(body)}):
        assert (await _post(callback_url, body, headers))[0] == status


VALUES: list[Any] = [
    pytest.param({"eventType": "VEHICLE_STATE"}, "ignored", id="no-vehicle"),
    pytest.param({"eventType": 7, "vehicleId": XC90_ID}, "ignored", id="type-number"),
    pytest.param(
        {"eventType": ["VEHICLE_STATE"], "vehicleId": XC90_ID},
        "ignored",
        id="type-list",
    ),
    pytest.param(
        {"eventType": "VEHICLE_STATE", "vehicleId": [XC90_ID]},
        "ignored",
        id="vehicle-list",
    ),
    pytest.param(
        {"eventType": "VEHICLE_STATE", "vehicleId": XC90_ID, "data": []},
        "applied",
        id="data-list",
    ),
    pytest.param(
        {"eventType": "VEHICLE_STATE", "vehicleId": XC90_ID, "data": {"signals": 5}},
        "applied",
        id="signals-number",
    ),
    pytest.param(
        {
            "eventType": "VEHICLE_STATE",
            "vehicleId": XC90_ID,
            "data": {
                "signals": [
                    None,
                    1,
                    "x",
                    [],
                    {"code": None},
                    {"code": {"a": 1}, "body": "x"},
                    {"code": sig.STATE_OF_CHARGE.code, "body": [1]},
                    {"code": sig.STATE_OF_CHARGE.code, "meta": {"oemUpdatedAt": "x"}},
                    {"code": "x" * 10_000, "body": {"value": 1}},
                ]
            },
        },
        "applied",
        id="signal-elements",
    ),
    pytest.param(
        {"eventType": "VEHICLE_ERROR", "vehicleId": EX30_ID, "data": {"errors": 1}},
        "applied",
        id="errors-number",
    ),
    pytest.param(
        {
            "eventType": "VEHICLE_ERROR",
            "vehicleId": EX30_ID,
            "data": {"errors": [None, "x", {"signals": [1, None, {"code": 2}]}]},
        },
        "applied",
        id="error-elements",
    ),
    pytest.param(
        {"eventType": "VEHICLE_STATE", "vehicleId": XC90_ID, "eventId": {"a": 1}},
        "applied",
        id="event-id-object",
    ),
    pytest.param(
        {"eventType": "VEHICLE_STATE", "vehicleId": XC90_ID, "meta": "TEST"},
        "applied",
        id="meta-string",
    ),
    pytest.param(
        {"eventType": "SOMETHING_NEW", "vehicleId": XC90_ID}, "ignored", id="new-type"
    ),
]


@pytest.mark.parametrize(("event", "outcome"), VALUES)
async def test_malformed_values_signed(
    hass: HomeAssistant, callback_url: str, event: dict[str, Any], outcome: str
) -> None:
    """Signed events with odd values of any type are answered 200, never a traceback."""
    body = json.dumps(event).encode()
    status, text = await _post(callback_url, body, {"SC-Signature": _sign(body)})
    assert status == 200
    assert json.loads(text) == {"status": outcome}
    assert _state(hass, XC90_LOCK) in ("locked", "unlocked")


CHALLENGES: list[Any] = [
    pytest.param({"challenge": None}, id="null"),
    pytest.param({"challenge": 12345}, id="number"),
    pytest.param({"challenge": ["a"]}, id="list"),
    pytest.param({"challenge": {"a": "b"}}, id="object"),
    pytest.param({"challenge": "x" * 257}, id="too-long"),
    pytest.param({"challenge": "a b"}, id="space"),
    pytest.param({"challenge": "ünïcödé"}, id="unicode"),
    pytest.param({"challenge": '{"eventType":"VEHICLE_STATE"}'}, id="json"),
    pytest.param([], id="data-list"),
]


@pytest.mark.parametrize("data", CHALLENGES)
async def test_bad_challenges_are_not_signed(callback_url: str, data: Any) -> None:
    """A VERIFY whose challenge is not a plain token gets 400 and nothing signed."""
    status, text = await _post(
        callback_url, json.dumps({"eventType": "VERIFY", "data": data}).encode()
    )
    assert status == 400
    assert "challenge" not in json.loads(text)


async def test_error_about_an_unrequested_permission_does_not_reauth(
    hass: HomeAssistant, smartcar: Simulator, callback_url: str
) -> None:
    """PERMISSION + REAUTHENTICATE about `vehicleuseraccount-*` is shown, but starts no reauth."""
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
    assert state.state == "on"
    assert state.attributes["type"] == "PERMISSION"
    assert state.attributes["resolution"] == "REAUTHENTICATE"


async def test_signal_error_about_an_unrequested_permission_does_not_reauth(
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


async def test_delivery_while_setup_retries_is_retried_not_lost(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    config_entry: MockConfigEntry,
    smartcar: Simulator,
) -> None:
    """While set-up retries, deliveries get 503 + Retry-After (Smartcar retries); later they apply."""
    hass.config_entries.async_update_entry(
        config_entry, options={CONF_MANAGEMENT_TOKEN: DEMO_MANAGEMENT_TOKEN}
    )
    smartcar.faults.fail_next(
        "connections", status=500, error_type="SERVER", code="INTERNAL"
    )
    await setup_entry(hass, config_entry)
    assert config_entry.state is ConfigEntryState.SETUP_RETRY
    client = await hass_client_no_auth()
    url = str(client.make_url(f"/api/webhook/{config_entry.data[CONF_WEBHOOK_ID]}"))
    smartcar.set_locked(XC90_ID, True)
    event = smartcar.vehicle_state_event(XC90_ID, event_id="while-retrying")
    body = json.dumps(event).encode()
    async with (
        ClientSession() as session,
        session.post(url, data=body, headers={"SC-Signature": _sign(body)}) as response,
    ):
        assert response.status == 503
        assert response.headers["Retry-After"] == "30"
    # Verification still works while not loaded: it needs only the token.
    assert (await smartcar.deliver(url, smartcar.verify_event("abc"))).status == 200
    await hass.config_entries.async_reload(config_entry.entry_id)
    await hass.async_block_till_done()
    assert _loaded(config_entry)
    coordinator = config_entry.runtime_data.coordinators[XC90_ID]
    assert not coordinator.webhook_delivering
    # Smartcar's retry, with the same eventId, is applied now (it was not marked as seen).
    delivery = await smartcar.deliver(url, event)
    assert delivery.json == {"status": "applied"}
    assert coordinator.webhook_delivering
    assert _state(hass, XC90_LOCK) == "locked"


async def test_unloaded_entry_refuses_until_removed(
    hass: HomeAssistant,
    smartcar: Simulator,
    callback_url: str,
    webhook_entry: MockConfigEntry,
) -> None:
    """An unloaded entry answers 503; a removed one is gone (Home Assistant's default 200)."""
    await hass.config_entries.async_unload(webhook_entry.entry_id)
    event = smartcar.vehicle_state_event(XC90_ID)
    assert (await smartcar.deliver(callback_url, event)).status == 503
    await hass.config_entries.async_remove(webhook_entry.entry_id)
    delivery = await smartcar.deliver(callback_url, event)
    assert delivery.status == 200
    assert delivery.json is None


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


def _fail() -> None:
    raise ValueError("boom")


def test_traceback_guard_catches_unhandled_errors() -> None:
    """The suite-wide guard flags tracebacks of the integration and ignores others."""
    try:
        _fail()
    except ValueError:
        exc_info = sys.exc_info()

    def record(name: str, message: str, *, traceback: bool) -> logging.LogRecord:
        return logging.LogRecord(
            name,
            logging.ERROR,
            __file__,
            1,
            message,
            None,
            exc_info if traceback else None,
        )

    assert unhandled_exceptions(
        [
            record("custom_components.smartcar.webhook", "x", traceback=True),
            record("homeassistant", "Error doing job: smartcar task", traceback=False),
            record(
                "homeassistant.components.webhook",
                "Error processing webhook smartcar",
                traceback=True,
            ),
            record(
                "custom_components.smartcar", "Error fetching data", traceback=False
            ),
            record("homeassistant.core", "Error doing job: other", traceback=False),
        ]
    ) == ["x", "Error doing job: smartcar task", "Error processing webhook smartcar"]
