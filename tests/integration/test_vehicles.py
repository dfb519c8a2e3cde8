"""The entry's vehicles: known from the last run, connected or disconnected while it runs.

At set-up the known vehicles are read while Smartcar lists them; later changes need no
reload. A vehicle the list leaves out stays, unavailable with a repair, until the owner
removes it or several daily checks missed it; then its repairs are cleaned.
"""

from __future__ import annotations

from datetime import timedelta
import re
from typing import Any

import aiohttp
from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.repairs import repairs_flow_manager
from homeassistant.config_entries import SOURCE_USER, ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import (
    device_registry as dr,
    entity_registry as er,
    issue_registry as ir,
)
from homeassistant.helpers.storage import Store
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import (
    ClientSessionGenerator,
    WebSocketGenerator,
)

from custom_components.smartcar.const import (
    CONF_APPLICATION_ID,
    CONF_MODE,
    CONF_USER_ID,
    DOMAIN,
    MODE_LIVE,
)
from custom_components.smartcar.vehicles import (
    CONNECTIONS_CHECK_INTERVAL,
    MISSING_CHECKS_BEFORE_REMOVAL,
    async_load_known_vehicles,
    known_vehicles,
)
from smartcar_simulator import DEMO_APPLICATION_ID, Simulator
from smartcar_simulator.vehicles import EX30_ID, OWNER_EMAIL, XC60_ID, XC90_ID
from tests.connect import connect_as

from .conftest import pass_time, setup_entry, state_of

pytestmark = pytest.mark.usefixtures("credentials")


def _disconnect(smartcar: Simulator, vehicle_id: str) -> None:
    connections = smartcar.world.connections
    for connection_id in [
        cid for cid, c in connections.items() if c.vehicle_id == vehicle_id
    ]:
        del connections[connection_id]


def _device(
    registry: dr.DeviceRegistry, entry: MockConfigEntry, vehicle_id: str
) -> dr.DeviceEntry | None:
    return registry.async_get_device_by_identifier((DOMAIN, vehicle_id), entry.entry_id)


async def test_new_vehicle_appears_without_a_reload(
    hass: HomeAssistant,
    config_entry: MockConfigEntry,
    smartcar: Simulator,
    device_registry: dr.DeviceRegistry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A car connected later gets its device and entities at the daily connections check."""
    await setup_entry(hass, config_entry)
    new_id = smartcar.add_vehicle(OWNER_EMAIL, "EX30", permissions=None)
    smartcar.connect(OWNER_EMAIL, [new_id])
    await pass_time(hass, freezer, CONNECTIONS_CHECK_INTERVAL)
    device = _device(device_registry, config_entry, new_id)
    assert device is not None
    assert new_id in config_entry.runtime_data.coordinators
    entities = er.async_entries_for_device(er.async_get(hass), device.id)
    shown = {e.entity_id for e in entities}
    # The per-vehicle sensors come too, not only those fed by signals.
    assert "sensor.volvo_ex30_api_requests_this_month_2" in shown
    assert "binary_sensor.volvo_ex30_vehicle_problem_2" in shown
    state = hass.states.get("sensor.volvo_ex30_battery_2")
    assert state is not None
    assert state.state not in ("unavailable", "unknown")


async def test_shorter_list_keeps_the_vehicle_unavailable_with_a_repair(
    hass: HomeAssistant,
    config_entry: MockConfigEntry,
    smartcar: Simulator,
    *,
    device_registry: dr.DeviceRegistry,
    entity_registry: er.EntityRegistry,
    issue_registry: ir.IssueRegistry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A car the list leaves out keeps device and entities, unavailable, with a repair.

    Listed again, it is available again with the same entities, name and area; the repair goes.
    """
    await setup_entry(hass, config_entry)
    device = _device(device_registry, config_entry, XC90_ID)
    assert device is not None
    device_registry.async_update_device(
        device.id, name_by_user="Family", area_id="garage"
    )
    entities = {
        e.entity_id for e in er.async_entries_for_device(entity_registry, device.id)
    }
    _disconnect(smartcar, XC90_ID)
    await pass_time(hass, freezer, CONNECTIONS_CHECK_INTERVAL)
    assert _device(device_registry, config_entry, XC90_ID) is not None
    assert XC90_ID in config_entry.runtime_data.coordinators
    assert state_of(hass, "lock.volvo_xc90_lock") == "unavailable"
    assert state_of(hass, "sensor.volvo_xc90_fuel_level") == "unavailable"
    assert state_of(hass, "lock.volvo_ex30_lock") != "unavailable"
    # An action on it is refused before any request, with what to do.
    requests = smartcar.counters.count()
    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(
            DOMAIN,
            "list_charge_schedules",
            {"device_id": device.id},
            blocking=True,
            return_response=True,
        )
    assert err.value.translation_key == "vehicle_not_connected"
    assert err.value.translation_placeholders == {"device": "Volvo XC90"}
    assert smartcar.counters.count() == requests
    issue = issue_registry.async_get_issue(DOMAIN, f"vehicle_disconnected_{XC90_ID}")
    assert issue is not None
    assert issue.is_fixable
    assert issue.translation_placeholders == {"vehicle": "Volvo XC90", "checks": "6"}
    # Not polled while it is missing: no request for it, however long.
    smartcar.counters.reset()
    await pass_time(hass, freezer, timedelta(hours=12), timedelta(hours=1))
    assert smartcar.counters.count("signals", vehicle_id=XC90_ID) == 0
    smartcar.connect(OWNER_EMAIL, [XC90_ID])
    await pass_time(hass, freezer, CONNECTIONS_CHECK_INTERVAL)
    assert state_of(hass, "lock.volvo_xc90_lock") != "unavailable"
    assert state_of(hass, "sensor.volvo_xc90_fuel_level") != "unavailable"
    assert (
        issue_registry.async_get_issue(DOMAIN, f"vehicle_disconnected_{XC90_ID}")
        is None
    )
    back = _device(device_registry, config_entry, XC90_ID)
    assert back is not None
    assert (back.id, back.name_by_user, back.area_id) == (device.id, "Family", "garage")
    assert {
        e.entity_id for e in er.async_entries_for_device(entity_registry, device.id)
    } == entities


async def test_vehicle_missing_from_seven_checks_is_removed(
    hass: HomeAssistant,
    config_entry: MockConfigEntry,
    smartcar: Simulator,
    *,
    device_registry: dr.DeviceRegistry,
    issue_registry: ir.IssueRegistry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """After MISSING_CHECKS_BEFORE_REMOVAL daily checks without it a car goes, with repairs.

    The count survives a restart, and a missing car is not read at set-up.
    """
    await setup_entry(hass, config_entry)
    ir.async_create_issue(
        hass,
        DOMAIN,
        f"request_limit_{XC90_ID}",
        is_fixable=False,
        severity=ir.IssueSeverity.WARNING,
        translation_key="request_limit",
    )
    _disconnect(smartcar, XC90_ID)
    await pass_time(
        hass, freezer, CONNECTIONS_CHECK_INTERVAL * 2, CONNECTIONS_CHECK_INTERVAL
    )
    assert await hass.config_entries.async_unload(config_entry.entry_id)
    smartcar.counters.reset()
    await setup_entry(hass, config_entry)
    assert smartcar.counters.count("signals") == 2  # not the missing XC90
    assert config_entry.runtime_data.coordinators[XC90_ID].missing == 2
    issue = issue_registry.async_get_issue(DOMAIN, f"vehicle_disconnected_{XC90_ID}")
    assert issue is not None
    assert (issue.translation_placeholders or {})["checks"] == str(
        MISSING_CHECKS_BEFORE_REMOVAL - 2
    )
    for _ in range(MISSING_CHECKS_BEFORE_REMOVAL - 3):
        await pass_time(hass, freezer, CONNECTIONS_CHECK_INTERVAL)
    assert _device(device_registry, config_entry, XC90_ID) is not None
    await pass_time(hass, freezer, CONNECTIONS_CHECK_INTERVAL)
    assert _device(device_registry, config_entry, XC90_ID) is None
    assert XC90_ID not in config_entry.runtime_data.coordinators
    assert hass.states.get("lock.volvo_xc90_lock") is None
    for kind in ("request_limit", "vehicle_disconnected"):
        assert issue_registry.async_get_issue(DOMAIN, f"{kind}_{XC90_ID}") is None
    stored = await async_load_known_vehicles(hass, config_entry)
    assert stored is not None
    assert {c.vehicle_id for c, _ in stored} == {EX30_ID, XC60_ID}
    assert _device(device_registry, config_entry, EX30_ID) is not None


async def test_owner_confirms_the_repair_to_remove_the_vehicle(
    hass: HomeAssistant,
    config_entry: MockConfigEntry,
    smartcar: Simulator,
    *,
    device_registry: dr.DeviceRegistry,
    issue_registry: ir.IssueRegistry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """The repair's fix flow asks, then removes the car's device and entities."""
    assert await async_setup_component(hass, "repairs", {})
    await setup_entry(hass, config_entry)
    _disconnect(smartcar, XC90_ID)
    await pass_time(hass, freezer, CONNECTIONS_CHECK_INTERVAL)
    flows = repairs_flow_manager(hass)
    assert flows is not None
    issue_id = f"vehicle_disconnected_{XC90_ID}"
    flow = await flows.async_init(DOMAIN, data={"issue_id": issue_id})
    assert (flow["type"], flow.get("step_id")) == ("form", "confirm")
    assert (flow.get("description_placeholders") or {})["vehicle"] == "Volvo XC90"
    assert _device(device_registry, config_entry, XC90_ID) is not None
    done = await flows.async_configure(flow["flow_id"], {})
    assert done["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    assert _device(device_registry, config_entry, XC90_ID) is None
    assert XC90_ID not in config_entry.runtime_data.coordinators
    assert hass.states.get("lock.volvo_xc90_lock") is None
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is None
    stored = await async_load_known_vehicles(hass, config_entry)
    assert stored is not None
    assert XC90_ID not in {c.vehicle_id for c, _ in stored}


async def test_failed_connections_check_changes_nothing(
    hass: HomeAssistant,
    config_entry: MockConfigEntry,
    smartcar: Simulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """When Smartcar cannot list the connections, every vehicle stays as it was."""
    await setup_entry(hass, config_entry)
    vehicles = set(config_entry.runtime_data.coordinators)
    smartcar.faults.fail_next("connections", status=500, error_type="SERVER")
    await pass_time(hass, freezer, CONNECTIONS_CHECK_INTERVAL)
    assert set(config_entry.runtime_data.coordinators) == vehicles


async def test_device_removable_only_once_disconnected(
    hass: HomeAssistant,
    config_entry: MockConfigEntry,
    smartcar: Simulator,
    *,
    device_registry: dr.DeviceRegistry,
    hass_ws_client: WebSocketGenerator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """The owner may delete a car's device only when the car is no longer connected.

    The car is then forgotten: not stored for the next set-up, its repair gone.
    """
    assert await async_setup_component(hass, "config", {})
    await setup_entry(hass, config_entry)
    device = _device(device_registry, config_entry, XC90_ID)
    assert device is not None
    client = await hass_ws_client(hass)

    async def remove() -> bool:
        await client.send_json_auto_id(
            {
                "type": "config/device_registry/remove_config_entry",
                "config_entry_id": config_entry.entry_id,
                "device_id": device.id,
            }
        )
        response = await client.receive_json()
        return bool(response["success"])

    assert not await remove()
    _disconnect(smartcar, XC90_ID)
    await pass_time(hass, freezer, CONNECTIONS_CHECK_INTERVAL)
    assert await remove()
    assert _device(device_registry, config_entry, XC90_ID) is None
    assert XC90_ID not in config_entry.runtime_data.coordinators
    issues = ir.async_get(hass)
    assert issues.async_get_issue(DOMAIN, f"vehicle_disconnected_{XC90_ID}") is None
    stored = await async_load_known_vehicles(hass, config_entry)
    assert stored is not None
    assert XC90_ID not in {c.vehicle_id for c, _ in stored}


async def test_removing_the_entry_removes_its_repairs(
    hass: HomeAssistant,
    config_entry: MockConfigEntry,
    smartcar: Simulator,
    issue_registry: ir.IssueRegistry,
) -> None:
    """Removing the entry leaves none of its vehicles' repair issues behind."""
    await setup_entry(hass, config_entry)
    for kind in ("request_limit", "polling_paused"):
        ir.async_create_issue(
            hass,
            DOMAIN,
            f"{kind}_{EX30_ID}",
            is_fixable=False,
            severity=ir.IssueSeverity.WARNING,
            translation_key=kind,
        )
    await hass.config_entries.async_remove(config_entry.entry_id)
    await hass.async_block_till_done()
    assert issue_registry.async_get_issue(DOMAIN, f"request_limit_{EX30_ID}") is None
    assert issue_registry.async_get_issue(DOMAIN, f"polling_paused_{EX30_ID}") is None


@pytest.mark.usefixtures("only_platforms")
async def test_restart_reads_known_vehicles_with_the_listing(
    hass: HomeAssistant, config_entry: MockConfigEntry, smartcar: Simulator
) -> None:
    """After a restart the known vehicles' reads go out together with GET /connections."""
    await setup_entry(hass, config_entry)
    stored = await async_load_known_vehicles(hass, config_entry)
    assert stored is not None
    assert {c.vehicle_id for c, _ in stored} == {EX30_ID, XC60_ID, XC90_ID}
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


@pytest.mark.usefixtures("current_request_with_host", "only_platforms")
async def test_first_setup_reads_what_the_flow_listed_while_listing(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    http_session: aiohttp.ClientSession,
    smartcar: Simulator,
) -> None:
    """A new entry starts with the flow's token and listing: one round trip, as a restart."""
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {CONF_APPLICATION_ID: DEMO_APPLICATION_ID, CONF_MODE: MODE_LIVE},
    )
    redirect = await connect_as(http_session, result["url"], OWNER_EMAIL)
    client = await hass_client_no_auth()
    callback = await client.get(redirect.path_qs)
    assert callback.status == 200
    smartcar.counters.reset()
    smartcar.faults.latency = 0.2
    result = await hass.config_entries.flow.async_configure(result["flow_id"])
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    entry = result["result"]
    assert entry.state is ConfigEntryState.LOADED
    assert set(entry.runtime_data.coordinators) == {EX30_ID, XC60_ID, XC90_ID}
    # The flow mints the token, lists the connections and stores the owner's vehicles; the
    # set-up mints none and reads the three vehicles while it lists the connections again
    # (one round trip: no listing before the first refresh).
    assert smartcar.counters.count("token") == 1
    assert smartcar.counters.count("connections") == 2
    assert smartcar.counters.count("signals") == 3
    assert smartcar.counters.max_concurrent("signals") == 3
    assert smartcar.counters.max_concurrent() == 4
    assert await hass.config_entries.async_unload(entry.entry_id)


@pytest.mark.usefixtures("only_platforms")
async def test_listing_corrects_the_known_vehicles(
    hass: HomeAssistant, config_entry: MockConfigEntry, smartcar: Simulator
) -> None:
    """A vehicle gone since is marked missing (kept, counted once), at the same set-up."""
    await setup_entry(hass, config_entry)
    assert await hass.config_entries.async_unload(config_entry.entry_id)
    _disconnect(smartcar, XC90_ID)
    await setup_entry(hass, config_entry)
    coordinators = config_entry.runtime_data.coordinators
    assert {v for v, c in coordinators.items() if not c.missing} == {EX30_ID, XC60_ID}
    assert coordinators[XC90_ID].missing == 1
    stored = await async_load_known_vehicles(hass, config_entry)
    assert stored is not None
    assert {(c.vehicle_id, n) for c, n in stored} == {
        (EX30_ID, 0),
        (XC60_ID, 0),
        (XC90_ID, 1),
    }
    assert state_of(hass, "lock.volvo_xc90_lock") == "unavailable"


@pytest.mark.usefixtures("only_platforms")
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
    await known_vehicles(hass, config_entry.data[CONF_USER_ID]).async_save(content)
    await setup_entry(hass, config_entry)
    assert config_entry.state is ConfigEntryState.LOADED
    assert set(config_entry.runtime_data.coordinators) == {EX30_ID, XC60_ID, XC90_ID}
    assert smartcar.counters.count("signals") == 3


@pytest.mark.parametrize("user_id", ["../../configuration.yaml", "a/b", "ä\x00", ""])
async def test_store_key_is_safe_whatever_the_user_id(
    hass: HomeAssistant, user_id: str
) -> None:
    """The user id comes from Smartcar: the store's file is named by its hash alone."""
    key = known_vehicles(hass, user_id).key
    assert re.fullmatch(rf"{DOMAIN}\.[0-9a-f]{{64}}\.vehicles", key)


@pytest.mark.usefixtures("only_platforms")
async def test_list_stored_by_entry_id_is_moved(
    hass: HomeAssistant,
    config_entry: MockConfigEntry,
    smartcar: Simulator,
    hass_storage: dict[str, Any],
) -> None:
    """A list stored by the entry's id (before) is read once, then kept by the user's id."""
    await setup_entry(hass, config_entry)
    assert await hass.config_entries.async_unload(config_entry.entry_id)
    by_user = known_vehicles(hass, config_entry.data[CONF_USER_ID])
    by_entry: Store[Any] = Store(hass, 1, f"{DOMAIN}.{config_entry.entry_id}.vehicles")
    await by_entry.async_save(await by_user.async_load() or [])
    await by_user.async_remove()
    smartcar.counters.reset()
    smartcar.faults.latency = 0.2
    await setup_entry(hass, config_entry)
    # The old list was read: the reads went out with the listing (one round trip).
    assert smartcar.counters.count("connections") == 1
    assert smartcar.counters.max_concurrent() == 4
    assert by_entry.key not in hass_storage
    stored = await async_load_known_vehicles(hass, config_entry)
    assert stored is not None
    assert {c.vehicle_id for c, _ in stored} == {EX30_ID, XC60_ID, XC90_ID}


@pytest.mark.usefixtures("only_platforms")
async def test_removed_entry_forgets_its_vehicles(
    hass: HomeAssistant, config_entry: MockConfigEntry
) -> None:
    """Removing the entry deletes the stored list."""
    await setup_entry(hass, config_entry)
    assert await hass.config_entries.async_remove(config_entry.entry_id)
    await hass.async_block_till_done()
    assert await async_load_known_vehicles(hass, config_entry) is None
