"""Set-up from the vehicles known from the last run: read at once, while Smartcar lists them."""

from __future__ import annotations

from typing import Any

import aiohttp
from homeassistant.config_entries import SOURCE_USER, ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers.storage import Store
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.smartcar.const import (
    CONF_APPLICATION_ID,
    CONF_MODE,
    DOMAIN,
    MODE_LIVE,
)
from custom_components.smartcar.vehicles import KnownVehicles
from smartcar_simulator import DEMO_APPLICATION_ID, Simulator
from smartcar_simulator.vehicles import EX30_ID, OWNER_EMAIL, XC60_ID, XC90_ID
from tests.connect import connect_as

from .conftest import setup_entry

pytestmark = pytest.mark.usefixtures("credentials", "only_platforms")


async def test_restart_reads_known_vehicles_with_the_listing(
    hass: HomeAssistant, config_entry: MockConfigEntry, smartcar: Simulator
) -> None:
    """After a restart the known vehicles' reads go out together with GET /connections."""
    await setup_entry(hass, config_entry)
    stored = await KnownVehicles(hass, config_entry.entry_id).async_load(
        config_entry.unique_id or ""
    )
    assert stored is not None
    assert {c.vehicle_id for c in stored} == {EX30_ID, XC60_ID, XC90_ID}
    assert await hass.config_entries.async_unload(config_entry.entry_id)
    smartcar.counters.reset()
    smartcar.faults.latency = 0.2
    await setup_entry(hass, config_entry)
    assert config_entry.state is ConfigEntryState.LOADED
    # The stored token is still valid: no token request; one listing, one read per vehicle,
    # the listing and the reads in flight at the same time (one round trip).
    assert smartcar.counters.count("token") == 0
    assert smartcar.counters.count("connections") == 1
    assert smartcar.counters.count("signals") == 3
    assert smartcar.counters.max_concurrent("signals") == 3
    assert smartcar.counters.max_concurrent() >= 4


@pytest.mark.usefixtures("current_request_with_host")
async def test_first_setup_reads_what_the_flow_listed(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    http_session: aiohttp.ClientSession,
    smartcar: Simulator,
) -> None:
    """A new entry starts with the flow's token: it lists the vehicles, then reads them all at once."""
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {CONF_APPLICATION_ID: DEMO_APPLICATION_ID, CONF_MODE: MODE_LIVE},
    )
    redirect = await connect_as(http_session, result["url"], OWNER_EMAIL)
    client = await hass_client_no_auth()
    callback = await client.get(f"/auth/external/callback?{redirect.query_string}")
    assert callback.status == 200
    smartcar.counters.reset()
    smartcar.faults.latency = 0.2
    result = await hass.config_entries.flow.async_configure(result["flow_id"])
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    entry = result["result"]
    assert entry.state is ConfigEntryState.LOADED
    assert set(entry.runtime_data.coordinators) == {EX30_ID, XC60_ID, XC90_ID}
    # The flow mints the token and lists the connections; the set-up mints none, lists the
    # connections (nothing is handed over from the flow) and then reads the three vehicles
    # at the same time (two round trips).
    assert smartcar.counters.count("token") == 1
    assert smartcar.counters.count("connections") == 2
    assert smartcar.counters.count("signals") == 3
    assert smartcar.counters.max_concurrent("signals") == 3
    assert smartcar.counters.max_concurrent() == 3
    assert await hass.config_entries.async_unload(entry.entry_id)


async def test_listing_corrects_the_known_vehicles(
    hass: HomeAssistant, config_entry: MockConfigEntry, smartcar: Simulator
) -> None:
    """A vehicle gone since is dropped, one connected since is added, at the same set-up."""
    await setup_entry(hass, config_entry)
    assert await hass.config_entries.async_unload(config_entry.entry_id)
    connections = smartcar.world.connections
    for connection_id in [
        cid for cid, c in connections.items() if c.vehicle_id == XC90_ID
    ]:
        del connections[connection_id]
    await setup_entry(hass, config_entry)
    assert set(config_entry.runtime_data.coordinators) == {EX30_ID, XC60_ID}
    stored = await KnownVehicles(hass, config_entry.entry_id).async_load(
        config_entry.unique_id or ""
    )
    assert stored is not None
    assert {c.vehicle_id for c in stored} == {EX30_ID, XC60_ID}


@pytest.mark.parametrize(
    "content",
    [
        [{"id": "c", "user_id": "someone else", "vehicle_id": "v", "permissions": []}],
        [{"id": 1, "vehicle_id": None}],
        ["not an object"],
        {"not": "a list"},
        [],
    ],
)
async def test_unusable_stored_list_is_ignored(
    hass: HomeAssistant,
    config_entry: MockConfigEntry,
    smartcar: Simulator,
    content: Any,
) -> None:
    """A stored list of another user, or a damaged one, is not used: set-up lists as before."""
    store: Store[Any] = Store(hass, 1, f"{DOMAIN}.{config_entry.entry_id}.vehicles")
    await store.async_save(content)
    await setup_entry(hass, config_entry)
    assert config_entry.state is ConfigEntryState.LOADED
    assert set(config_entry.runtime_data.coordinators) == {EX30_ID, XC60_ID, XC90_ID}
    assert smartcar.counters.count("signals") == 3


async def test_removed_entry_forgets_its_vehicles(
    hass: HomeAssistant, config_entry: MockConfigEntry
) -> None:
    """Removing the entry deletes the stored list."""
    await setup_entry(hass, config_entry)
    assert await hass.config_entries.async_remove(config_entry.entry_id)
    await hass.async_block_till_done()
    assert (
        await KnownVehicles(hass, config_entry.entry_id).async_load(
            config_entry.unique_id or ""
        )
        is None
    )
