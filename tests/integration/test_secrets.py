"""No token, secret, management token, VIN or coordinate in logs or diagnostics.

The whole suite is scanned at the end of the session (`tests/leakwatch.py`, hooked in
`tests/conftest.py`): a leak anywhere fails the run. The tests here check that the scan listens
and finds what it must, and run every path that could leak (set-up, failures with Smartcar's
details, a token refused and renewed, reauthentication, signed and forged webhooks, commands and
actions that fail, diagnostics) with every logger at DEBUG, and scan that on the spot.
"""

from __future__ import annotations

import json
import logging

from homeassistant.const import ATTR_ENTITY_ID
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import device_registry as dr
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.smartcar.const import (
    CONF_MANAGEMENT_TOKEN,
    CONF_WEBHOOK_ID,
    DOMAIN,
)
from smartcar_simulator import (
    DEMO_CLIENT_SECRET,
    DEMO_MANAGEMENT_TOKEN,
    EX30_VIN,
    Simulator,
)
from smartcar_simulator.vehicles import EX30_ID, XC60_ID, XC90_ID, XC90_VIN
from tests.leakwatch import DEBUG_LOGGERS, WATCH, LeakWatch, scanned

from .conftest import setup_entry

pytestmark = pytest.mark.usefixtures("credentials", "only_platforms")


def test_scanner_finds_every_kind_of_secret(smartcar: Simulator) -> None:
    """Tokens, the client secret, the management token, VINs and coordinates are all found."""
    watch = LeakWatch()
    token = smartcar.issue_token()
    watch.add_token(token)
    watch.add_vehicle(smartcar.vehicle(EX30_ID))
    location = smartcar.vehicle(EX30_ID).body("location-preciselocation")
    texts = [
        ("token", f"Authorization: Bearer {token}"),
        ("token in a word", f"x{token}y"),
        ("secret", f"client_secret={DEMO_CLIENT_SECRET}"),
        ("management token", f"key {DEMO_MANAGEMENT_TOKEN}"),
        ("vin", f"{{'value': '{EX30_VIN}'}}"),
        ("latitude", f"at {location['latitude']}, somewhere"),
        ("longitude", f"[{location['longitude']}]"),
    ]
    found = watch.leaks(texts)
    assert [leak.origin for leak in found] == [origin for origin, _ in texts]
    assert [leak.kind for leak in found] == [
        "access token",
        "access token",
        "client secret",
        "management token",
        "VIN",
        "coordinate (latitude)",
        "coordinate (longitude)",
    ]
    for leak in found:  # the report does not repeat the secret
        assert token not in str(leak)
        assert DEMO_CLIENT_SECRET not in str(leak)
    clean = [
        ("longer number", f"1{location['latitude']}1"),
        ("short token", token[:20]),
        ("other vin", XC90_VIN.lower()),
    ]
    assert watch.leaks(clean) == []


async def test_session_scan_is_listening(
    hass: HomeAssistant,
    config_entry: MockConfigEntry,
    smartcar: Simulator,
    hass_client: ClientSessionGenerator,
) -> None:
    """The session's scan hears the integration at DEBUG, learns tokens and VINs, sees diagnostics."""
    assert WATCH.installed
    for name in DEBUG_LOGGERS:
        assert logging.getLogger(name).isEnabledFor(logging.DEBUG)
    captured = len(WATCH.texts)
    await setup_entry(hass, config_entry)
    assert config_entry.data["token"]["access_token"] in WATCH.tokens
    assert WATCH.strings[EX30_VIN] == "VIN"
    assert any(kind.startswith("coordinate") for kind in WATCH.numbers.values())
    await get_diagnostics_for_config_entry(hass, hass_client, config_entry)
    new = WATCH.texts[captured:]
    assert any(origin.startswith("log (") for origin, _ in new)
    assert any(origin.startswith("diagnostics of") for origin, _ in new)


async def test_no_secret_leaks_on_any_path(
    hass: HomeAssistant,
    config_entry: MockConfigEntry,
    smartcar: Simulator,
    hass_client: ClientSessionGenerator,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Everything that logs, at DEBUG, and every diagnostics output: no secret in any of it."""
    caplog.set_level(logging.DEBUG)
    hass.config_entries.async_update_entry(
        config_entry, options={CONF_MANAGEMENT_TOKEN: DEMO_MANAGEMENT_TOKEN}
    )
    await setup_entry(hass, config_entry)
    coordinators = config_entry.runtime_data.coordinators
    outputs = [await get_diagnostics_for_config_entry(hass, hass_client, config_entry)]

    # Refreshes failing with Smartcar's details, a refused token renewed, then reauth.
    for fault in (
        {"status": 502, "error_type": "UPSTREAM", "code": "NO_RESPONSE"},
        {"status": 429, "error_type": "RATE_LIMIT", "code": "VEHICLE"},
        {
            "status": 409,
            "error_type": "VEHICLE_STATE",
            "code": "ASLEEP",
            "envelope": "v2",
        },
    ):
        smartcar.faults.fail_next("signals", vehicle_id=EX30_ID, **fault)  # type: ignore[arg-type]
        await coordinators[EX30_ID].async_refresh()
        coordinators[EX30_ID].rate_limited_until = None
    smartcar.faults.malformed_json("signals", vehicle_id=XC60_ID)
    await coordinators[XC60_ID].async_refresh()
    outputs.append(
        await get_diagnostics_for_config_entry(hass, hass_client, config_entry)
    )
    smartcar.revoke_tokens()
    await coordinators[XC90_ID].async_refresh()
    smartcar.faults.fail_next(
        "signals", vehicle_id=XC90_ID, status=401, error_type="AUTHENTICATION", count=2
    )
    await coordinators[XC90_ID].async_refresh()
    await hass.async_block_till_done()
    assert hass.config_entries.flow.async_progress_by_handler(DOMAIN)

    # Webhooks: verification, signed, forged, Smartcar's test, a vehicle error.
    client = await hass_client()
    url = str(client.make_url(f"/api/webhook/{config_entry.data[CONF_WEBHOOK_ID]}"))
    for event, signature in (
        (smartcar.verify_event("challenge"), "auto"),
        (smartcar.vehicle_state_event(EX30_ID), "auto"),
        (smartcar.vehicle_state_event(EX30_ID), "0" * 64),
        (smartcar.vehicle_state_event(EX30_ID, mode="TEST"), "auto"),
        (smartcar.vehicle_error_event(EX30_ID, "VEHICLE_STATE", "UNREACHABLE"), "auto"),
    ):
        await smartcar.deliver(url, event, signature=signature)

    # A command and actions that fail, and an action that succeeds.
    smartcar.faults.fail_next("unlock", status=500, error_type="SERVER")
    with pytest.raises(HomeAssistantError):
        await hass.services.async_call(
            "lock", "unlock", {ATTR_ENTITY_ID: "lock.volvo_ex30_lock"}, blocking=True
        )
    (device,) = dr.async_get(hass).async_get_devices(identifiers={(DOMAIN, EX30_ID)})
    create = {
        "device_id": device.id,
        "type": "daily",
        "start_time": "01:00",
        "stop_time": "06:00",
    }
    smartcar.faults.fail_next("schedule_create", status=409, error_type="VEHICLE_STATE")
    with pytest.raises(HomeAssistantError):
        await hass.services.async_call(
            DOMAIN,
            "create_charge_schedule",
            create,
            blocking=True,
            return_response=True,
        )
    await hass.services.async_call(
        DOMAIN, "create_charge_schedule", create, blocking=True, return_response=True
    )
    await hass.services.async_call(
        DOMAIN,
        "list_charge_schedules",
        {"device_id": device.id},
        blocking=True,
        return_response=True,
    )
    outputs.append(
        await get_diagnostics_for_config_entry(hass, hass_client, config_entry)
    )

    texts = [
        (f"log {record.levelname} {record.name}", logging.Formatter().format(record))
        for record in caplog.records
        if scanned(record)
    ]
    texts += [("diagnostics", json.dumps(output)) for output in outputs]
    assert len(texts) > 100
    # The secrets were all around: issued tokens, the VINs and places of the cars.
    assert config_entry.data["token"]["access_token"] in WATCH.tokens
    assert len(smartcar.world.tokens) >= 2
    assert WATCH.leaks(texts) == []
