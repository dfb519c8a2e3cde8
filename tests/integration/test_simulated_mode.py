"""A flow in simulated mode finds the vehicles of Smartcar's vehicle simulator and sets them up."""

from __future__ import annotations

import aiohttp
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import device_registry as dr
import pytest
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.smartcar.const import (
    CONF_MODE,
    DOMAIN,
    MODE_LIVE,
    MODE_SIMULATED,
)
from smartcar_simulator import Simulator
from tests.integration.test_config_flow import (
    APPLICATION,
    _through_connect,
    _to_connect,
)

pytestmark = pytest.mark.usefixtures("credentials", "current_request_with_host")

SIM_EMAIL = "simulated@example.com"


@pytest.mark.parametrize(
    ("mode", "outcome"),
    [(MODE_SIMULATED, FlowResultType.CREATE_ENTRY), (MODE_LIVE, FlowResultType.ABORT)],
)
async def test_simulated_vehicle_found_in_simulated_mode(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    http_session: aiohttp.ClientSession,
    smartcar: Simulator,
    *,
    mode: str,
    outcome: FlowResultType,
) -> None:
    """Simulated mode asks `/connections` for simulated cars; live mode cannot see them."""
    vehicle_id = smartcar.add_vehicle(SIM_EMAIL, "EX30", mode="simulated")
    result = await _to_connect(hass, {**APPLICATION, CONF_MODE: mode})
    result = await _through_connect(
        hass, hass_client_no_auth, http_session, result, SIM_EMAIL
    )
    assert result["type"] is outcome
    if outcome is FlowResultType.ABORT:
        assert result["reason"] == "no_vehicles"
        return
    assert result["data"][CONF_MODE] == MODE_SIMULATED
    assert result["title"] == "Volvo account"
    await hass.async_block_till_done()
    entry = result["result"]
    assert entry.state is ConfigEntryState.LOADED
    device = dr.async_get(hass).async_get_device_by_identifier(
        (DOMAIN, vehicle_id), entry.entry_id
    )
    assert device is not None
