"""Config flow: Connect through the simulator's pages, user resolution, reauth, reconfigure, errors."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Any
from unittest.mock import patch

import aiohttp
from homeassistant.config_entries import SOURCE_USER, ConfigFlowResult
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.config_entry_oauth2_flow import (
    AUTH_CALLBACK_PATH,
    _encode_jwt,
)
from homeassistant.helpers.translation import async_get_translations
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator
from yarl import URL

from custom_components.smartcar.api import SmartcarConnectionError
from custom_components.smartcar.const import (
    CONF_APPLICATION_ID,
    CONF_MODE,
    CONF_USER_ID,
    DOMAIN,
    MODE_LIVE,
    MODE_SIMULATED,
    SCOPES,
)
from custom_components.smartcar.vehicles import async_load_known_vehicles
from smartcar_simulator import DEMO_APPLICATION_ID, Simulator
from smartcar_simulator.clock import ManualClock
from smartcar_simulator.vehicles import (
    EX30_ID,
    NO_VEHICLES_EMAIL,
    OWNER_EMAIL,
    OWNER_USER_ID,
    SECOND_EMAIL,
    SECOND_USER_ID,
    XC40_ID,
    XC60_ID,
    XC90_ID,
)
from tests.connect import connect_as
from tests.integration.conftest import add_entry, setup_entry

pytestmark = pytest.mark.usefixtures("credentials", "current_request_with_host")

APPLICATION = {CONF_APPLICATION_ID: DEMO_APPLICATION_ID, CONF_MODE: MODE_LIVE}


@pytest.fixture(autouse=True)
async def unload_created_entries(hass: HomeAssistant) -> AsyncGenerator[None]:
    """Let the entries a flow created finish setting up, then unload them: nothing lingers."""
    yield
    await hass.async_block_till_done()
    for entry in hass.config_entries.async_loaded_entries(DOMAIN):
        await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()


@pytest.fixture
def sim_clock() -> ManualClock:
    """Run Smartcar's clock with Home Assistant's: connections are dated by it."""
    return ManualClock(dt_util.utcnow())


@pytest.fixture
def owner_user_id(smartcar: Simulator, sim_clock: ManualClock) -> str:
    """Connect the owner's vehicles a day ago, when their entry was set up."""
    sim_clock.advance(days=-1)
    user_id = smartcar.connect(OWNER_EMAIL)
    sim_clock.advance(days=1)
    return user_id


async def _to_connect(
    hass: HomeAssistant, application: dict[str, str] = APPLICATION
) -> ConfigFlowResult:
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "application"
    return await hass.config_entries.flow.async_configure(
        result["flow_id"], application
    )


async def _callback(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    redirect: URL,
    flow_id: str,
    path: str | None = None,
) -> ConfigFlowResult:
    """Follow Connect's redirect (or send its query to `path`), then resume the flow."""
    client = await hass_client_no_auth()
    response = await client.get(f"{path or redirect.path}?{redirect.query_string}")
    assert response.status == 200
    assert await response.text() == "<script>window.close()</script>"
    return await hass.config_entries.flow.async_configure(flow_id)


async def _through_connect(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    http_session: aiohttp.ClientSession,
    result: ConfigFlowResult,
    email: str = OWNER_EMAIL,
    *,
    path: str | None = None,
    **connect: Any,
) -> ConfigFlowResult:
    """Log in to Connect as `email`; its redirect goes to `path` (None: where it points)."""
    assert result["type"] is FlowResultType.EXTERNAL_STEP
    redirect = await connect_as(http_session, result["url"], email, **connect)
    return await _callback(hass, hass_client_no_auth, redirect, result["flow_id"], path)


async def test_connect_step_names_smartcar_connect(hass: HomeAssistant) -> None:
    """The external step's header and text name Smartcar Connect, in every language.

    The frontend shows its own "visit an external website" line, then the step's title
    (`config.step.<step>.title`) as the header and `config.step.<step>.description` below it.
    """
    result = await _to_connect(hass)
    assert result["type"] is FlowResultType.EXTERNAL_STEP
    step = result["step_id"]
    for language in ("en", "de", "fr", "nl", "sv", "es"):
        texts = await async_get_translations(hass, language, "config", [DOMAIN])
        prefix = f"component.{DOMAIN}.config"
        assert "Smartcar Connect" in texts[f"{prefix}.step.{step}.title"], language
        assert "Smartcar Connect" in texts[f"{prefix}.step.{step}.description"], (
            language
        )


@pytest.mark.parametrize("redirect", ["docs", "code"])
async def test_full_flow(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    http_session: aiohttp.ClientSession,
    smartcar: Simulator,
    redirect: str,
) -> None:
    """Application ID, Connect, then an entry for the Smartcar user the redirect names.

    Connect's documented redirect (user_id and state) and one that also has a code both reach
    the integration's own callback and bind that user without asking.
    """
    smartcar.connect_redirect = redirect
    result = await _to_connect(hass)
    assert result["type"] is FlowResultType.EXTERNAL_STEP
    query = URL(result["url"]).query
    assert URL(result["url"]).path == "/oauth/authorize"
    assert query["client_id"] == DEMO_APPLICATION_ID
    assert query["mode"] == MODE_LIVE
    assert query["scope"].split() == list(SCOPES)
    assert query["redirect_uri"] == "https://example.com/api/smartcar/connect"

    result = await _through_connect(hass, hass_client_no_auth, http_session, result)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Volvo account"
    assert result["result"].unique_id == OWNER_USER_ID
    data = result["data"]
    assert data[CONF_USER_ID] == OWNER_USER_ID
    assert data[CONF_APPLICATION_ID] == DEMO_APPLICATION_ID
    assert data["auth_implementation"] == DOMAIN
    assert smartcar.token_valid(data["token"]["access_token"])
    assert len(hass.config_entries.async_entries(DOMAIN)) == 1


async def test_invalid_application_id(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    http_session: aiohttp.ClientSession,
) -> None:
    """The API client id in place of the Application ID is caught; corrected, the flow ends."""
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {CONF_APPLICATION_ID: "client_7d1e4b2a9c3f", CONF_MODE: MODE_LIVE},
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {CONF_APPLICATION_ID: "invalid_application_id"}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], APPLICATION
    )
    assert result["type"] is FlowResultType.EXTERNAL_STEP
    result = await _through_connect(hass, hass_client_no_auth, http_session, result)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"][CONF_APPLICATION_ID] == DEMO_APPLICATION_ID
    await hass.async_block_till_done()


async def test_simulated_mode_is_sent(hass: HomeAssistant) -> None:
    """Smartcar's Vehicle Simulator is reached with mode=simulated."""
    result = await _to_connect(hass, {**APPLICATION, CONF_MODE: MODE_SIMULATED})
    assert URL(result["url"]).query["mode"] == MODE_SIMULATED


async def test_already_configured(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    http_session: aiohttp.ClientSession,
    config_entry: MockConfigEntry,
) -> None:
    """The same Smartcar user cannot be added twice."""
    result = await _through_connect(
        hass, hass_client_no_auth, http_session, await _to_connect(hass)
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"


async def test_connect_denied(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    http_session: aiohttp.ClientSession,
) -> None:
    """Denying access in Connect ends the flow with the reason, and nothing is created."""
    result = await _through_connect(
        hass, hass_client_no_auth, http_session, await _to_connect(hass), action="deny"
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "connect_denied"
    assert not hass.config_entries.async_entries(DOMAIN)


async def test_account_without_vehicles(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    http_session: aiohttp.ClientSession,
) -> None:
    """Connect reports no_vehicles for an account that has none."""
    result = await _through_connect(
        hass,
        hass_client_no_auth,
        http_session,
        await _to_connect(hass),
        NO_VEHICLES_EMAIL,
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "no_vehicles"


async def test_no_connection_found(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    http_session: aiohttp.ClientSession,
    smartcar: Simulator,
) -> None:
    """Connect succeeded but Smartcar lists no connection for it: a translated abort."""
    result = await _to_connect(hass)
    redirect = await connect_as(http_session, result["url"], OWNER_EMAIL)
    smartcar.world.connections.clear()
    result = await _callback(hass, hass_client_no_auth, redirect, result["flow_id"])
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "no_vehicles"


async def test_two_users_connect_in_the_same_minute(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    http_session: aiohttp.ClientSession,
    smartcar: Simulator,
) -> None:
    """Another owner of the application connects alongside: the redirect's user is bound."""
    result = await _to_connect(hass)
    smartcar.connect(SECOND_EMAIL)
    result = await _through_connect(hass, hass_client_no_auth, http_session, result)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"][CONF_USER_ID] == OWNER_USER_ID
    stored = await async_load_known_vehicles(hass, result["result"])
    assert stored is not None
    assert {c.user_id for c, _ in stored} == {OWNER_USER_ID}


async def test_home_assistant_callback_with_a_code_asks_to_confirm(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    http_session: aiohttp.ClientSession,
    smartcar: Simulator,
) -> None:
    """Home Assistant's own callback passes no user id: the owner confirms the inferred cars."""
    smartcar.connect_redirect = "code"
    result = await _to_connect(hass)
    result = await _through_connect(
        hass, hass_client_no_auth, http_session, result, path=AUTH_CALLBACK_PATH
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "confirm"
    vehicles = result["description_placeholders"]
    assert vehicles == {"vehicles": "Volvo EX30, Volvo XC60 Recharge, Volvo XC90"}
    assert not hass.config_entries.async_entries(DOMAIN)
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"][CONF_USER_ID] == OWNER_USER_ID


async def test_home_assistant_callback_several_users_pick(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    http_session: aiohttp.ClientSession,
    smartcar: Simulator,
) -> None:
    """Without a user id and with two owners connected just now, the owner picks theirs."""
    smartcar.connect_redirect = "code"
    result = await _to_connect(hass)
    smartcar.connect(SECOND_EMAIL)
    result = await _through_connect(
        hass, hass_client_no_auth, http_session, result, path=AUTH_CALLBACK_PATH
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "pick_user"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_USER_ID: SECOND_USER_ID}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Volvo account"
    assert result["data"][CONF_USER_ID] == SECOND_USER_ID


async def test_vehicles_of_a_loaded_entry_are_not_offered_again(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    http_session: aiohttp.ClientSession,
    smartcar: Simulator,
) -> None:
    """The Volvos set up a moment ago in the first entry are not offered to the second.

    Without a user id, the owners who connected just now are offered: the first entry's
    owner is not among them again, so the second owner only confirms their XC40.
    """
    first = add_entry(hass, smartcar.connect(OWNER_EMAIL), "Volvo account")
    await setup_entry(hass, first)
    smartcar.connect_redirect = "code"
    result = await _to_connect(hass)
    result = await _through_connect(
        hass,
        hass_client_no_auth,
        http_session,
        result,
        SECOND_EMAIL,
        path=AUTH_CALLBACK_PATH,
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "confirm"
    assert result["description_placeholders"] == {"vehicles": "Volvo XC40 Recharge"}
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"][CONF_USER_ID] == SECOND_USER_ID


async def test_nothing_new_connected_aborts(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    http_session: aiohttp.ClientSession,
    smartcar: Simulator,
) -> None:
    """Connect again with the vehicles already set up: a translated reason, nothing offered."""
    first = add_entry(hass, smartcar.connect(OWNER_EMAIL), "Volvo account")
    await setup_entry(hass, first)
    smartcar.connect_redirect = "code"
    result = await _to_connect(hass)
    result = await _through_connect(
        hass, hass_client_no_auth, http_session, result, path=AUTH_CALLBACK_PATH
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "no_new_vehicles"
    texts = await async_get_translations(hass, "en", "config", [DOMAIN])
    assert "already set up" in texts[f"component.{DOMAIN}.config.abort.no_new_vehicles"]
    assert hass.config_entries.async_entries(DOMAIN) == [first]


async def _connect_again(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    http_session: aiohttp.ClientSession,
    redirect_kind: str,
    *,
    email: str,
    smartcar: Simulator,
) -> ConfigFlowResult:
    """Go through Connect as `email`, back by Connect's redirect or Home Assistant's."""
    smartcar.connect_redirect = redirect_kind
    result = await _to_connect(hass)
    redirect = await connect_as(http_session, result["url"], email)
    path = AUTH_CALLBACK_PATH if redirect_kind == "code" else None
    return await _callback(hass, hass_client_no_auth, redirect, result["flow_id"], path)


@pytest.mark.parametrize("redirect_kind", ["docs", "code"])
async def test_a_vehicle_two_users_share_stays_in_the_first_entry(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    http_session: aiohttp.ClientSession,
    smartcar: Simulator,
    redirect_kind: str,
) -> None:
    """The XC90 set up under the owner is also the second user's: their entry has only the XC40.

    Neither the new entry's stored vehicles nor its set-up's listing take the shared car: one
    coordinator and one device (of the first entry) for it.
    """
    first = add_entry(hass, smartcar.connect(OWNER_EMAIL), "Volvo account")
    await setup_entry(hass, first)
    smartcar.world.account(SECOND_EMAIL).vehicle_ids.append(XC90_ID)
    result = await _connect_again(
        hass,
        hass_client_no_auth,
        http_session,
        redirect_kind,
        email=SECOND_EMAIL,
        smartcar=smartcar,
    )
    if redirect_kind == "code":
        assert result["type"] is FlowResultType.FORM
        assert result["description_placeholders"] == {"vehicles": "Volvo XC40 Recharge"}
        result = await hass.config_entries.flow.async_configure(result["flow_id"], {})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"][CONF_USER_ID] == SECOND_USER_ID
    second = result["result"]
    stored = await async_load_known_vehicles(hass, second)
    assert stored is not None
    assert [c.vehicle_id for c, _ in stored] == [XC40_ID]
    await hass.async_block_till_done()
    assert set(second.runtime_data.coordinators) == {XC40_ID}
    assert XC90_ID in first.runtime_data.coordinators
    devices = dr.async_get(hass).async_get_devices(identifiers={(DOMAIN, XC90_ID)})
    assert [device.config_entry_id for device in devices] == [first.entry_id]


@pytest.mark.parametrize("redirect_kind", ["docs", "code"])
async def test_a_new_vehicle_of_an_owner_set_up_joins_their_entry(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    http_session: aiohttp.ClientSession,
    smartcar: Simulator,
    redirect_kind: str,
) -> None:
    """An owner set up already who ticks another car in Connect: it joins their entry now.

    Not "already set up": the entry reloads, takes the XC90, and the flow says so.
    """
    user_id = smartcar.connect(OWNER_EMAIL, vehicle_ids=[EX30_ID, XC60_ID])
    first = add_entry(hass, user_id, "Volvo account")
    await setup_entry(hass, first)
    assert set(first.runtime_data.coordinators) == {EX30_ID, XC60_ID}
    result = await _connect_again(
        hass,
        hass_client_no_auth,
        http_session,
        redirect_kind,
        email=OWNER_EMAIL,
        smartcar=smartcar,
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "vehicles_added"
    assert result["description_placeholders"] == {"account": "Volvo account"}
    texts = await async_get_translations(hass, "en", "config", [DOMAIN])
    text = texts[f"component.{DOMAIN}.config.abort.vehicles_added"]
    assert "added to {account}" in text
    await hass.async_block_till_done()
    assert hass.config_entries.async_entries(DOMAIN) == [first]
    assert set(first.runtime_data.coordinators) == {EX30_ID, XC60_ID, XC90_ID}


async def test_old_connections_bound_by_user_id_never_guessed(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    http_session: aiohttp.ClientSession,
    smartcar: Simulator,
    sim_clock: ManualClock,
) -> None:
    """With clocks far apart, the redirect's user id still binds; without it nobody is guessed.

    Not even the application's only user: the owner's cars are not found among the recent.
    """
    result = await _to_connect(hass)
    sim_clock.advance(days=-30)
    redirect = await connect_as(http_session, result["url"], OWNER_EMAIL)
    result = await _callback(hass, hass_client_no_auth, redirect, result["flow_id"])
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"][CONF_USER_ID] == OWNER_USER_ID
    await hass.async_block_till_done()
    for entry in hass.config_entries.async_entries(DOMAIN):
        await hass.config_entries.async_remove(entry.entry_id)
    smartcar.connect_redirect = "code"
    result = await _to_connect(hass)
    result = await _through_connect(
        hass, hass_client_no_auth, http_session, result, path=AUTH_CALLBACK_PATH
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "no_vehicles"


@pytest.mark.parametrize(
    "query",
    [
        {"user_id": OWNER_USER_ID, "state": "forged"},
        {"user_id": OWNER_USER_ID},
        {"user_id": "0b6f6d7e;3c1a=x", "state": None},
        {"user_id": "0b6f6d7e' OR '1'='1", "state": None},
        {"user_id": "x" * 65, "state": None},
        {"user_id": "short", "state": None},
        {"state": None},
        {"user_id": OWNER_USER_ID, "state": "other handler"},
    ],
)
async def test_invalid_redirects_refused(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    query: dict[str, str | None],
) -> None:
    """A forged state, another flow's state, a hostile user id or nothing to say: a plain 400."""
    result = await _to_connect(hass)
    redirect = URL(result["url"])
    state = redirect.query["state"]
    if query.get("state") == "other handler":
        other = _encode_jwt(hass, {"flow_id": "0123abcd", "redirect_uri": "x"})
        query = {**query, "state": other}
    params = {k: state if v is None else v for k, v in query.items()}
    client = await hass_client_no_auth()
    response = await client.get("/api/smartcar/connect", params=params)
    assert response.status == 400
    assert await response.text() == "Invalid Smartcar Connect redirect."
    # The flow still waits for Connect; nothing was created.
    flow = hass.config_entries.flow.async_get(result["flow_id"])
    assert flow["step_id"] == "auth"
    assert not hass.config_entries.async_entries(DOMAIN)


async def test_replayed_redirect_refused(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    http_session: aiohttp.ClientSession,
    smartcar: Simulator,
) -> None:
    """A redirect replayed once its flow moved on (here to the confirm step) is refused."""
    smartcar.connect_redirect = "code"
    result = await _to_connect(hass)
    redirect = await connect_as(http_session, result["url"], OWNER_EMAIL)
    result = await _callback(
        hass, hass_client_no_auth, redirect, result["flow_id"], AUTH_CALLBACK_PATH
    )
    assert result["step_id"] == "confirm"
    client = await hass_client_no_auth()
    response = await client.get(f"{redirect.path}?{redirect.query_string}")
    assert response.status == 400
    # Home Assistant's callback hands it on, but the confirm step takes no redirect's fields.
    response = await client.get(f"{AUTH_CALLBACK_PATH}?{redirect.query_string}")
    assert response.status == 400
    assert hass.config_entries.flow.async_get(result["flow_id"])["step_id"] == "confirm"
    assert not hass.config_entries.async_entries(DOMAIN)


@pytest.mark.parametrize("path", [None, AUTH_CALLBACK_PATH])
@pytest.mark.parametrize(
    ("error", "reason", "shown"),
    [
        ("access_denied", "connect_denied", "You denied access in Smartcar Connect"),
        ("no_vehicles", "no_vehicles", "No vehicles were connected"),
        ("vehicle_incompatible", "connect_vehicle_incompatible", "not compatible"),
        ("invalid_subscription", "connect_invalid_subscription", "subscription"),
        ("configuration_error", "connect_configuration_error", "redirect URI"),
        ("server_error", "connect_server_error", "server error"),
        ("login_timeout", "connect_failed", 'it reported "login_timeout"'),
        ("<b>x</b>", "connect_failed", 'it reported "unknown"'),
    ],
)
async def test_connect_errors_are_translated_reasons(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    *,
    path: str | None,
    error: str,
    reason: str,
    shown: str,
) -> None:
    """Each error Connect redirects with ends the flow with the integration's own sentence.

    Through its callback and Home Assistant's alike: never Home Assistant's "Account linking
    rejected: no_vehicles"; an unknown code is named, a malformed one is not echoed.
    """
    result = await _to_connect(hass)
    state = URL(result["url"]).query["state"]
    redirect = URL("/api/smartcar/connect").with_query(error=error, state=state)
    result = await _callback(
        hass, hass_client_no_auth, redirect, result["flow_id"], path
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == reason
    assert result.get("translation_domain") is None  # the integration's strings
    texts = await async_get_translations(hass, "en", "config", [DOMAIN])
    text = texts[f"component.{DOMAIN}.config.abort.{reason}"]
    assert shown in text.format(**(result["description_placeholders"] or {}))
    assert not hass.config_entries.async_entries(DOMAIN)


@pytest.mark.parametrize(
    ("endpoint", "fault", "reason"),
    [
        (
            "token",
            {"status": 401, "error_type": "AUTHENTICATION"},
            "invalid_credentials",
        ),
        ("token", {"status": 500, "error_type": "SERVER"}, "api_error"),
        (
            "connections",
            {"status": 500, "error_type": "SERVER", "code": "INTERNAL"},
            "api_error",
        ),
        ("connections", {"status": 502, "error_type": "UPSTREAM"}, "api_error"),
    ],
)
async def test_api_errors_after_connect(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    http_session: aiohttp.ClientSession,
    smartcar: Simulator,
    *,
    endpoint: str,
    fault: dict[str, Any],
    reason: str,
) -> None:
    """A refused token or a failing listing ends the flow with a translated reason."""
    result = await _to_connect(hass)
    redirect = await connect_as(http_session, result["url"], OWNER_EMAIL)
    smartcar.faults.fail_next(endpoint, **fault)
    result = await _callback(hass, hass_client_no_auth, redirect, result["flow_id"])
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == reason
    assert not hass.config_entries.async_entries(DOMAIN)
    # Once Smartcar answers again, the owner's next try sets the entry up.
    result = await _through_connect(
        hass, hass_client_no_auth, http_session, await _to_connect(hass)
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()


async def test_smartcar_unreachable_for_the_token(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    http_session: aiohttp.ClientSession,
    smartcar: Simulator,
) -> None:
    """Smartcar unreachable when the token is minted: cannot_connect."""
    result = await _to_connect(hass)
    redirect = await connect_as(http_session, result["url"], OWNER_EMAIL)
    await smartcar.stop()
    result = await _callback(hass, hass_client_no_auth, redirect, result["flow_id"])
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "cannot_connect"


async def test_smartcar_unreachable_for_the_connections(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    http_session: aiohttp.ClientSession,
) -> None:
    """The connection drops while listing the connections: cannot_connect."""
    result = await _to_connect(hass)
    redirect = await connect_as(http_session, result["url"], OWNER_EMAIL)
    with patch(
        "custom_components.smartcar.config_flow.SmartcarClient.async_get_connections",
        side_effect=SmartcarConnectionError("connection reset"),
    ):
        result = await _callback(hass, hass_client_no_auth, redirect, result["flow_id"])
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "cannot_connect"


async def test_reauth_same_account(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    http_session: aiohttp.ClientSession,
    config_entry: MockConfigEntry,
    smartcar: Simulator,
) -> None:
    """Reauth goes through Connect again and stores a fresh token in the same entry."""
    result = await config_entry.start_reauth_flow(hass)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reauth_confirm"
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {})
    result = await _through_connect(hass, hass_client_no_auth, http_session, result)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    assert smartcar.token_valid(config_entry.data["token"]["access_token"])
    assert config_entry.data[CONF_USER_ID] == OWNER_USER_ID


async def test_reauth_other_account(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    http_session: aiohttp.ClientSession,
    config_entry: MockConfigEntry,
) -> None:
    """Logging in as another owner during reauth aborts and leaves the entry as it was."""
    before = dict(config_entry.data)
    result = await config_entry.start_reauth_flow(hass)
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {})
    result = await _through_connect(
        hass, hass_client_no_auth, http_session, result, SECOND_EMAIL
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "wrong_account"
    assert dict(config_entry.data) == before


@pytest.mark.parametrize(
    ("email", "reason"),
    [(OWNER_EMAIL, "reauth_successful"), (SECOND_EMAIL, "wrong_account")],
)
async def test_reauth_through_home_assistant_callback(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    http_session: aiohttp.ClientSession,
    config_entry: MockConfigEntry,
    smartcar: Simulator,
    *,
    email: str,
    reason: str,
) -> None:
    """Without a user id, reauth takes the entry's own user if it just connected, none other."""
    smartcar.connect_redirect = "code"
    before = dict(config_entry.data)
    result = await config_entry.start_reauth_flow(hass)
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {})
    result = await _through_connect(
        hass, hass_client_no_auth, http_session, result, email, path=AUTH_CALLBACK_PATH
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == reason
    assert (config_entry.data == before) is (reason == "wrong_account")


async def test_reconfigure(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    http_session: aiohttp.ClientSession,
    config_entry: MockConfigEntry,
    smartcar: Simulator,
) -> None:
    """Reconfigure changes the mode after going through Connect again."""
    # Simulated mode lists only the cars of Smartcar's vehicle simulator.
    for vehicle in smartcar.world.vehicles.values():
        vehicle.mode = MODE_SIMULATED
    result = await config_entry.start_reconfigure_flow(hass)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reconfigure"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {**APPLICATION, CONF_MODE: MODE_SIMULATED}
    )
    assert URL(result["url"]).query["mode"] == MODE_SIMULATED
    result = await _through_connect(hass, hass_client_no_auth, http_session, result)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert config_entry.data[CONF_MODE] == MODE_SIMULATED
    # The reconfigured entry reloads; unload it so that nothing keeps polling.
    await hass.async_block_till_done()
    assert await hass.config_entries.async_unload(config_entry.entry_id)


async def test_reconfigure_other_account(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    http_session: aiohttp.ClientSession,
    config_entry: MockConfigEntry,
) -> None:
    """Reconfigure cannot move an entry to another owner."""
    result = await config_entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], APPLICATION
    )
    result = await _through_connect(
        hass, hass_client_no_auth, http_session, result, SECOND_EMAIL, vehicles=None
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "wrong_account"
    assert config_entry.data[CONF_MODE] == MODE_LIVE


async def test_only_some_vehicles_ticked(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    http_session: aiohttp.ClientSession,
) -> None:
    """The entry is named after the account, whichever vehicles the owner shared."""
    result = await _through_connect(
        hass,
        hass_client_no_auth,
        http_session,
        await _to_connect(hass),
        vehicles=[XC60_ID],
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Volvo account"


async def test_reconfigure_invalid_application_id(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    http_session: aiohttp.ClientSession,
    config_entry: MockConfigEntry,
) -> None:
    """Reconfigure also refuses a client id in place of the Application ID; corrected, it ends."""
    result = await config_entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_APPLICATION_ID: "client_x", CONF_MODE: MODE_LIVE}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reconfigure"
    assert result["errors"] == {CONF_APPLICATION_ID: "invalid_application_id"}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], APPLICATION
    )
    result = await _through_connect(hass, hass_client_no_auth, http_session, result)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    # The reconfigured entry reloads; unload it so that nothing keeps polling.
    await hass.async_block_till_done()
    assert await hass.config_entries.async_unload(config_entry.entry_id)


async def test_implementation_of_another_kind_aborts(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    http_session: aiohttp.ClientSession,
) -> None:
    """Without this integration's own OAuth implementation the flow ends, translated."""
    result = await _to_connect(hass)
    redirect = await connect_as(http_session, result["url"], OWNER_EMAIL)

    class Unknown:
        """Not the integration's implementation."""

    with patch(
        "custom_components.smartcar.config_flow.SmartcarAppTokenImplementation",
        Unknown,
    ):
        result = await _callback(hass, hass_client_no_auth, redirect, result["flow_id"])
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "missing_credentials"


async def test_second_owner_gets_a_numbered_title_and_the_known_application_id(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    http_session: aiohttp.ClientSession,
    config_entry: MockConfigEntry,
) -> None:
    """A second entry suggests the Application ID already set up and is told apart by number."""
    config_entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(config_entry, title="Volvo account")
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "application"
    schema = result["data_schema"]
    assert schema is not None
    suggested = {
        str(key): (key.description or {}).get("suggested_value")
        for key in schema.schema
    }
    assert suggested[CONF_APPLICATION_ID] == DEMO_APPLICATION_ID
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], APPLICATION
    )
    result = await _through_connect(
        hass, hass_client_no_auth, http_session, result, SECOND_EMAIL
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Volvo account 2"
    assert result["data"][CONF_USER_ID] == SECOND_USER_ID
