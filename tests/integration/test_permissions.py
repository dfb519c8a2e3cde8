"""Permission groups: what Connect is asked for, what the entry keeps, what entities follow."""

from __future__ import annotations

from collections.abc import AsyncGenerator
import json
from pathlib import Path

import aiohttp
from homeassistant.config_entries import SOURCE_USER
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator
from yarl import URL

from custom_components.smartcar.api import ErrorDetail, ErrorType
from custom_components.smartcar.const import (
    CONF_APPLICATION_ID,
    CONF_MODE,
    DOMAIN,
    MODE_LIVE,
    SCOPES,
)
from custom_components.smartcar.issues import error_needs_reauthentication
from custom_components.smartcar.permissions import (
    CONF_PERMISSION_GROUPS,
    PERMISSION_GROUPS,
    REQUIRED_PERMISSIONS,
    chosen_groups,
    scopes_for,
)
from smartcar_simulator import DEMO_APPLICATION_ID, Simulator
from smartcar_simulator.vehicles import EX30_ID, OWNER_EMAIL
from tests.connect import connect_as

from .conftest import setup_entry

APPLICATION = {CONF_APPLICATION_ID: DEMO_APPLICATION_ID, CONF_MODE: MODE_LIVE}
ALL_BUT_SECURITY = [group for group in PERMISSION_GROUPS if group != "security"]


@pytest.fixture(autouse=True)
async def unload_entries(hass: HomeAssistant) -> AsyncGenerator[None]:
    """Unload whatever a flow created or reloaded: nothing keeps polling."""
    yield
    await hass.async_block_till_done()
    for entry in hass.config_entries.async_loaded_entries(DOMAIN):
        await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()


def test_every_permission_asked_for_is_in_one_group() -> None:
    """Each permission of SCOPES can be left out with its group, or is always needed."""
    grouped = {p for permissions in PERMISSION_GROUPS.values() for p in permissions}
    assert grouped | REQUIRED_PERMISSIONS == set(SCOPES)
    assert not grouped & REQUIRED_PERMISSIONS
    # No permission is in two groups.
    assert sum(len(ps) for ps in PERMISSION_GROUPS.values()) == len(grouped)
    assert scopes_for(PERMISSION_GROUPS) == SCOPES
    assert scopes_for([]) == tuple(REQUIRED_PERMISSIONS)


def test_stored_choice() -> None:
    """Entries made before the choice ask for everything; unknown groups are dropped."""
    assert chosen_groups({}) == list(PERMISSION_GROUPS)
    assert chosen_groups({CONF_PERMISSION_GROUPS: "security"}) == list(
        PERMISSION_GROUPS
    )
    assert chosen_groups({CONF_PERMISSION_GROUPS: ["security", "bogus"]}) == [
        "security"
    ]
    assert set(scopes_for(chosen_groups({CONF_PERMISSION_GROUPS: ["security"]}))) == {
        *REQUIRED_PERMISSIONS,
        *PERMISSION_GROUPS["security"],
    }


@pytest.mark.usefixtures("credentials", "current_request_with_host")
async def test_unticked_group_is_not_asked_and_not_shown(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    http_session: aiohttp.ClientSession,
    entity_registry: er.EntityRegistry,
    smartcar: Simulator,
) -> None:
    """Without "Doors and locks", Connect is not asked for them and no lock entity appears."""
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {**APPLICATION, CONF_PERMISSION_GROUPS: ALL_BUT_SECURITY}
    )
    assert result["type"] is FlowResultType.EXTERNAL_STEP
    scope = URL(result["url"]).query["scope"].split()
    assert "read_security" not in scope
    assert "control_security" not in scope
    assert "read_battery" in scope
    redirect = await connect_as(http_session, result["url"], OWNER_EMAIL)
    client = await hass_client_no_auth()
    response = await client.get(redirect.path_qs)
    assert response.status == 200
    result = await hass.config_entries.flow.async_configure(result["flow_id"])
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"][CONF_PERMISSION_GROUPS] == ALL_BUT_SECURITY
    await hass.async_block_till_done()

    entry = result["result"]
    registered = er.async_entries_for_config_entry(entity_registry, entry.entry_id)
    platforms = {e.entity_id.split(".")[0] for e in registered}
    assert "lock" not in platforms
    assert "sensor" in platforms
    assert not [e for e in registered if e.translation_key in {"door", "window"}]


@pytest.mark.usefixtures("credentials", "current_request_with_host")
async def test_no_group_is_refused(hass: HomeAssistant) -> None:
    """Unticking every group is refused with a translated error; then a choice goes on."""
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {**APPLICATION, CONF_PERMISSION_GROUPS: []}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {CONF_PERMISSION_GROUPS: "no_permission_group"}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {**APPLICATION, CONF_PERMISSION_GROUPS: ["location"]}
    )
    assert result["type"] is FlowResultType.EXTERNAL_STEP
    assert set(URL(result["url"]).query["scope"].split()) == {
        *REQUIRED_PERMISSIONS,
        *PERMISSION_GROUPS["location"],
    }


@pytest.mark.usefixtures("credentials", "current_request_with_host")
async def test_reconfigure_changes_the_choice(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    http_session: aiohttp.ClientSession,
    config_entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
) -> None:
    """Reconfigure shows the stored choice, asks Connect anew and the entities follow."""
    await setup_entry(hass, config_entry)
    assert entity_registry.async_get("lock.volvo_ex30_lock") is not None
    door = entity_registry.async_get_entity_id(
        "binary_sensor", DOMAIN, f"{EX30_ID}_door_0_0"
    )
    assert door is not None
    hass.config_entries.async_update_entry(
        config_entry,
        data={**config_entry.data, CONF_PERMISSION_GROUPS: ["security", "location"]},
    )
    result = await config_entry.start_reconfigure_flow(hass)
    schema = result["data_schema"]
    assert schema is not None
    (key,) = (k for k in schema.schema if k == CONF_PERMISSION_GROUPS)
    assert key.description == {"suggested_value": ["location", "security"]}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {**APPLICATION, CONF_PERMISSION_GROUPS: ALL_BUT_SECURITY}
    )
    assert "control_security" not in URL(result["url"]).query["scope"].split()
    redirect = await connect_as(http_session, result["url"], OWNER_EMAIL)
    client = await hass_client_no_auth()
    await client.get(redirect.path_qs)
    result = await hass.config_entries.flow.async_configure(result["flow_id"])
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    await hass.async_block_till_done()
    assert config_entry.data[CONF_PERMISSION_GROUPS] == ALL_BUT_SECURITY
    # The lock is no longer provided: it is gone, not left restored and unavailable.
    assert hass.states.get("lock.volvo_ex30_lock") is None
    assert entity_registry.async_get("lock.volvo_ex30_lock") is None
    assert entity_registry.async_get(door) is None  # one per place too
    assert entity_registry.async_get("sensor.volvo_ex30_battery") is not None
    coordinator = config_entry.runtime_data.coordinators[EX30_ID]
    assert not coordinator.has_permission("control_security")
    assert coordinator.has_permission("read_battery")

    # Reauth keeps the choice: Connect is asked for the same permissions.
    result = await config_entry.start_reauth_flow(hass)
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {})
    assert "read_security" not in URL(result["url"]).query["scope"].split()


@pytest.mark.usefixtures("credentials")
async def test_granted_but_not_chosen_is_not_shown(
    hass: HomeAssistant,
    config_entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
) -> None:
    """A permission Smartcar still grants from an earlier consent does not bring entities back."""
    hass.config_entries.async_update_entry(
        config_entry,
        data={**config_entry.data, CONF_PERMISSION_GROUPS: ALL_BUT_SECURITY},
    )
    await setup_entry(hass, config_entry)
    coordinator = config_entry.runtime_data.coordinators[EX30_ID]
    assert "control_security" in coordinator.connection.permissions
    assert not coordinator.has_permission("control_security")
    assert (
        entity_registry.async_get_entity_id("lock", DOMAIN, f"{EX30_ID}_lock") is None
    )


def test_reauth_only_for_what_the_entry_asks() -> None:
    """A PERMISSION error about a group the owner left out starts no reauth."""
    error = ErrorDetail(
        type=ErrorType.PERMISSION, code=None, resolution="REAUTHENTICATE"
    )
    without_location = scopes_for(
        chosen_groups(
            {CONF_PERMISSION_GROUPS: [g for g in PERMISSION_GROUPS if g != "location"]}
        )
    )
    assert not error_needs_reauthentication(error, ["read_location"], without_location)
    assert error_needs_reauthentication(error, ["read_battery"], without_location)
    # An error that names no signal concerns the whole connection.
    assert error_needs_reauthentication(error, [], without_location)


def test_readme_lists_the_groups() -> None:
    """README's permission table names each group (as the form does) and its permissions."""
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    begin, end = "<!-- permission groups: begin", "<!-- permission groups: end -->"
    table = readme[readme.index(begin) : readme.index(end)].splitlines()[3:]
    strings = json.loads(
        (
            Path(__file__).parents[2] / "custom_components/smartcar/strings.json"
        ).read_text(encoding="utf-8")
    )
    labels = strings["selector"][CONF_PERMISSION_GROUPS]["options"]
    assert table == [
        f"| {labels[group].split(':')[0]} | "
        + ", ".join(f"`{p}`" for p in permissions)
        + " |"
        for group, permissions in PERMISSION_GROUPS.items()
    ]


@pytest.mark.usefixtures("credentials", "current_request_with_host")
async def test_reconfigure_without_location_removes_its_entities(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    http_session: aiohttp.ClientSession,
    config_entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
) -> None:
    """Without "Location", Parked location goes; the rest keep their entries and names."""
    await setup_entry(hass, config_entry)
    tracker = entity_registry.async_get_entity_id(
        "device_tracker", DOMAIN, f"{EX30_ID}_parked_location"
    )
    assert tracker is not None
    battery = entity_registry.async_update_entity(
        "sensor.volvo_ex30_battery", name="Little car"
    )
    without_location = [g for g in PERMISSION_GROUPS if g != "location"]
    result = await config_entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {**APPLICATION, CONF_PERMISSION_GROUPS: without_location}
    )
    redirect = await connect_as(http_session, result["url"], OWNER_EMAIL)
    await (await hass_client_no_auth()).get(redirect.path_qs)
    result = await hass.config_entries.flow.async_configure(result["flow_id"])
    assert result["reason"] == "reconfigure_successful"
    await hass.async_block_till_done()

    assert entity_registry.async_get(tracker) is None
    assert hass.states.get(tracker) is None
    kept = entity_registry.async_get("sensor.volvo_ex30_battery")
    assert kept is not None
    assert (kept.id, kept.name) == (battery.id, "Little car")
    state = hass.states.get("sensor.volvo_ex30_battery")
    assert state is not None
    assert state.name == "Little car"
    assert state.state not in ("unavailable", "unknown")
