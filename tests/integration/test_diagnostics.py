"""Diagnostics: useful for support, with no secret, id, VIN or coordinate in them."""

from __future__ import annotations

import json
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
    get_diagnostics_for_device,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator
from syrupy.assertion import SnapshotAssertion

from custom_components.smartcar.api import signals as sig
from custom_components.smartcar.const import DOMAIN
from smartcar_simulator import (
    DEMO_APPLICATION_ID,
    DEMO_CLIENT_ID,
    DEMO_CLIENT_SECRET,
    Simulator,
)
from smartcar_simulator.vehicles import (
    EX30_ID,
    EX30_VIN,
    OWNER_USER_ID,
    XC60_VIN,
    XC90_ID,
    XC90_VIN,
)

from .conftest import SNAPSHOT_TIME

pytestmark = pytest.mark.freeze_time(SNAPSHOT_TIME)


async def test_diagnostics_redacted(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    loaded_entry: MockConfigEntry,
    smartcar: Simulator,
    snapshot: SnapshotAssertion,
) -> None:
    """The snapshot shows what support sees; no secret or personal value appears anywhere."""
    diagnostics = await get_diagnostics_for_config_entry(
        hass, hass_client, loaded_entry
    )
    assert diagnostics == snapshot
    text = json.dumps(diagnostics)
    secrets = [
        loaded_entry.data["token"]["access_token"],
        DEMO_CLIENT_ID,
        DEMO_CLIENT_SECRET,
        DEMO_APPLICATION_ID,
        OWNER_USER_ID,
        EX30_VIN,
        XC60_VIN,
        XC90_VIN,
        EX30_ID,
        XC90_ID,
    ]
    for vehicle_id in (EX30_ID, XC90_ID):
        location = smartcar.signal_body(vehicle_id, sig.PRECISE_LOCATION.code)
        assert location is not None
        secrets += [str(location["latitude"]), str(location["longitude"])]
    for secret in secrets:
        assert secret not in text


@pytest.mark.usefixtures("loaded_entry")
async def test_diagnostics_of_a_failing_vehicle(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    loaded_entry: MockConfigEntry,
    smartcar: Simulator,
) -> None:
    """A vehicle whose last refresh failed shows the failure."""
    smartcar.faults.fail_next(
        "signals",
        status=502,
        error_type="UPSTREAM",
        code="NO_RESPONSE",
        vehicle_id=EX30_ID,
    )
    await loaded_entry.runtime_data.coordinators[EX30_ID].async_refresh()
    diagnostics = await get_diagnostics_for_config_entry(
        hass, hass_client, loaded_entry
    )
    vehicles: list[dict[str, Any]] = diagnostics["vehicles"]  # type: ignore[assignment]
    failing = [v for v in vehicles if not v["last_update_success"]]
    assert len(failing) == 1
    assert "UPSTREAM" in failing[0]["last_exception"]


async def test_device_diagnostics_show_one_vehicle(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    loaded_entry: MockConfigEntry,
) -> None:
    """A car's device page downloads that car only, redacted like the entry's."""
    device = dr.async_get(hass).async_get_device_by_identifier(
        (DOMAIN, XC90_ID), loaded_entry.entry_id
    )
    assert device is not None
    diagnostics = await get_diagnostics_for_device(
        hass, hass_client, loaded_entry, device
    )
    assert "vehicles" not in diagnostics
    vehicle: dict[str, Any] = diagnostics["vehicle"]  # type: ignore[assignment]
    assert vehicle["vehicle"]["model"] == "XC90"
    entry: dict[str, Any] = diagnostics["entry"]  # type: ignore[assignment]
    assert entry["config"]["auth_implementation"] == "**REDACTED**"
    text = json.dumps(diagnostics)
    for secret in (XC90_ID, XC90_VIN, EX30_VIN, DEMO_CLIENT_ID, OWNER_USER_ID):
        assert secret not in text
