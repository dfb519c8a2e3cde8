"""Config flow: Smartcar Connect consent, then the owner's Smartcar user and vehicles."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
import logging
import re
from typing import Any, Final, override

from homeassistant.config_entries import (
    SOURCE_REAUTH,
    SOURCE_RECONFIGURE,
    ConfigEntry,
    ConfigFlowResult,
    OptionsFlowWithReload,
)
from homeassistant.core import callback
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.config_entry_oauth2_flow import AbstractOAuth2FlowHandler
from homeassistant.helpers.selector import selector
from homeassistant.util import dt as dt_util
import voluptuous as vol

from . import vehicles
from .api import (
    Connection,
    SmartcarAuthenticationError,
    SmartcarClient,
    SmartcarConnectionError,
    SmartcarError,
)
from .api.management import webhook_id_valid
from .budget import reserve_for
from .const import (
    CONF_APPLICATION_ID,
    CONF_MANAGEMENT_TOKEN,
    CONF_MODE,
    CONF_MONTHLY_BUDGET,
    CONF_SMARTCAR_WEBHOOK_ID,
    CONF_USER_ID,
    DEFAULT_MONTHLY_BUDGET,
    DOMAIN,
    MODE_LIVE,
    MODE_SIMULATED,
    smartcar_settings,
)
from .coordinator import SmartcarConfigEntry
from .oauth import FixedTokenAuth, SmartcarAppTokenImplementation, connect_error_abort
from .permissions import (
    CONF_PERMISSION_GROUPS,
    PERMISSION_GROUPS,
    chosen_groups,
    scopes_for,
)
from .subscriptions import webhook_callback_url

# The Application ID is a UUID; the API client id ("client_...") is not, a common mix-up.
_UUID: Final = re.compile(r"[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}")

# Budgets from twice the smallest reserve keep half of themselves out of the reserve.
MIN_MONTHLY_BUDGET: Final = 2 * reserve_for(0)
MAX_MONTHLY_BUDGET: Final = 1_000_000
OPTIONS_SCHEMA: Final = vol.Schema(
    {
        vol.Optional(CONF_MANAGEMENT_TOKEN): selector({"text": {"type": "password"}}),
        vol.Optional(CONF_SMARTCAR_WEBHOOK_ID): selector({"text": {}}),
        # No min or max: the step checks the range, with a translated error.
        vol.Required(CONF_MONTHLY_BUDGET, default=DEFAULT_MONTHLY_BUDGET): selector(
            {"number": {"step": 1, "mode": "box"}}
        ),
    }
)
APPLICATION_SCHEMA: Final = vol.Schema(
    {
        vol.Required(CONF_APPLICATION_ID): selector({"text": {}}),
        vol.Required(CONF_MODE, default=MODE_LIVE): selector(
            {
                "select": {
                    "options": [MODE_LIVE, MODE_SIMULATED],
                    "mode": "list",
                    "translation_key": "mode",
                }
            }
        ),
        vol.Required(CONF_PERMISSION_GROUPS, default=list(PERMISSION_GROUPS)): selector(
            {
                "select": {
                    "options": list(PERMISSION_GROUPS),
                    "multiple": True,
                    "mode": "list",
                    "translation_key": CONF_PERMISSION_GROUPS,
                }
            }
        ),
    }
)


class SmartcarOptionsFlow(OptionsFlowWithReload):
    """Webhook token and monthly request budget; the callback URL to paste, with its caveats."""

    config_entry: SmartcarConfigEntry

    async def async_step_init(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Show the options and the callback URL to paste into the Smartcar Dashboard."""
        errors: dict[str, str] = {}
        if user_input is not None:
            data: dict[str, Any] = {
                key: str(user_input.get(key, "")).strip()
                for key in (CONF_MANAGEMENT_TOKEN, CONF_SMARTCAR_WEBHOOK_ID)
            }
            # The number selector returns floats; budgets are whole requests.
            budget = float(user_input[CONF_MONTHLY_BUDGET])
            webhook_id = data[CONF_SMARTCAR_WEBHOOK_ID]
            if not budget.is_integer() or budget > MAX_MONTHLY_BUDGET:
                errors[CONF_MONTHLY_BUDGET] = "budget_invalid"
            elif budget < MIN_MONTHLY_BUDGET:
                errors[CONF_MONTHLY_BUDGET] = "budget_too_small"
            elif webhook_id and not webhook_id_valid(webhook_id):
                errors[CONF_SMARTCAR_WEBHOOK_ID] = "webhook_id_invalid"
            else:
                return self.async_create_entry(
                    data={**data, CONF_MONTHLY_BUDGET: int(budget)}
                )
        callback_url = webhook_callback_url(self.hass, self.config_entry)
        if callback_url.problem is not None:
            # Shown as the form's message (translated), not a refusal: the values still save.
            errors.setdefault("base", f"webhook_url_{callback_url.problem}")
        return self.async_show_form(
            step_id="init",
            data_schema=self.add_suggested_values_to_schema(
                OPTIONS_SCHEMA, user_input or self.config_entry.options
            ),
            errors=errors,
            description_placeholders={
                "webhook_url": callback_url.url or "-",
                "min_budget": str(MIN_MONTHLY_BUDGET),
                "max_budget": str(MAX_MONTHLY_BUDGET),
            },
        )


class SmartcarFlowHandler(AbstractOAuth2FlowHandler, domain=DOMAIN):
    """Set up a Smartcar user: Application ID, Connect, then the vehicles it connected."""

    DOMAIN = DOMAIN
    VERSION = 1

    def __init__(self) -> None:
        """Start with nothing known."""
        super().__init__()
        # The entry's data as it is learnt: Application ID, mode, permission groups, token.
        self._data: dict[str, Any] = {}
        self._connect_started: datetime | None = None
        self._connections: list[Connection] = []
        self._by_user: dict[str, list[Connection]] = {}

    @staticmethod
    @callback
    def async_get_options_flow(
        config_entry: SmartcarConfigEntry,
    ) -> SmartcarOptionsFlow:
        """Return the options flow."""
        return SmartcarOptionsFlow()

    @property
    @override
    def logger(self) -> logging.Logger:
        """Return the flow's logger."""
        return logging.getLogger(__name__)

    @property
    @override
    def extra_authorize_data(self) -> dict[str, str]:
        """Connect's parameters: the Application ID as `client_id`, permissions and mode."""
        return {
            "client_id": self._data[CONF_APPLICATION_ID],
            "scope": " ".join(scopes_for(self._data[CONF_PERMISSION_GROUPS])),
            "mode": self._data[CONF_MODE],
        }

    @override
    async def async_step_auth(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for the Application ID once credentials are picked, then go to Connect."""
        if user_input is None and CONF_APPLICATION_ID not in self._data:
            return await self.async_step_application()
        return await super().async_step_auth(user_input)

    async def async_step_application(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for the Smartcar Application ID, mode and permission groups.

        The ID must look like one (a UUID); at least one group of permissions is asked for.
        A new entry suggests the Application ID of one already set up (one app, several
        owners), then goes to Connect; reconfiguring suggests the entry's values, then goes
        through the credentials and Connect again.
        """
        reconfiguring = self.source == SOURCE_RECONFIGURE
        errors: dict[str, str] = {}
        if user_input is not None:
            application_id = str(user_input[CONF_APPLICATION_ID]).strip()
            if _UUID.fullmatch(application_id) is None:
                errors[CONF_APPLICATION_ID] = "invalid_application_id"
            groups = chosen_groups(user_input)  # a list: the selector is multiple
            if not groups:
                errors[CONF_PERMISSION_GROUPS] = "no_permission_group"
            if not errors:
                self._data = {
                    CONF_APPLICATION_ID: application_id,
                    CONF_MODE: user_input[CONF_MODE],
                    CONF_PERMISSION_GROUPS: groups,
                }
                if reconfiguring:
                    return await self.async_step_pick_implementation()
                return await super().async_step_auth()
        if reconfiguring:
            data = self._get_reconfigure_entry().data
            suggested = {**data, CONF_PERMISSION_GROUPS: chosen_groups(data)}
        else:
            known = [
                entry.data[CONF_APPLICATION_ID]
                for entry in self._async_current_entries(include_ignore=False)
                if CONF_APPLICATION_ID in entry.data
            ]
            suggested = {CONF_APPLICATION_ID: known[0]} if known else {}
        return self.async_show_form(
            step_id="reconfigure" if reconfiguring else "application",
            data_schema=self.add_suggested_values_to_schema(
                APPLICATION_SCHEMA, user_input or suggested
            ),
            errors=errors,
        )

    # Changing the Application ID or mode asks the same, then goes through Connect again.
    async_step_reconfigure = async_step_application

    @override
    async def async_generate_authorize_url(self) -> str:
        """Remember when the owner went to Connect: their connections are the newer ones."""
        self._connect_started = dt_util.utcnow()
        return await super().async_generate_authorize_url()

    @override
    async def async_step_creation(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Mint the application token, then bind the Smartcar user Connect named.

        Without a user id (Home Assistant's own callback passes only the code on), the owner's
        connections are inferred: those made or renewed since they went to Connect. An entry is
        then created only once the owner confirms its vehicles (or picks them among several
        owners'); reauth and reconfigure take only the entry's own user.
        """
        if not isinstance(self.flow_impl, SmartcarAppTokenImplementation):
            # Only this integration's implementation is registered for the domain.
            return self.async_abort(reason="missing_credentials")
        try:
            token = await self.flow_impl.async_resolve_external_data(self.external_data)
            session = async_get_clientsession(self.hass)
            auth = FixedTokenAuth(token["access_token"])
            client = SmartcarClient(session, auth, smartcar_settings())
            connections = await client.async_get_connections(mode=self._data[CONF_MODE])
        except SmartcarError as err:
            self.logger.warning("Setting up Smartcar failed: %s", err)
            if isinstance(err, SmartcarAuthenticationError):
                return self.async_abort(reason="invalid_credentials")
            if isinstance(err, SmartcarConnectionError):
                return self.async_abort(reason="cannot_connect")
            return self.async_abort(reason="api_error")
        token["expires_at"] = dt_util.utcnow().timestamp() + token["expires_in"]
        self._data |= {"auth_implementation": self.flow_impl.domain, "token": token}
        self._connections = connections
        if (user_id := self.external_data.get(CONF_USER_ID)) is not None:
            return await self._async_bind(str(user_id))
        self._by_user = vehicles.connected_since(connections, self._connect_started)
        if self.source in (SOURCE_REAUTH, SOURCE_RECONFIGURE):
            entry_id = self.context["entry_id"]
            own = self.hass.config_entries.async_get_known_entry(entry_id).unique_id
            if own not in self._by_user:
                return self.async_abort(reason="wrong_account")
            return await self._async_bind(str(own))
        # Neither owners set up already nor vehicles another entry has are offered again;
        # an owner set up already who connected another vehicle gets it in their entry.
        configured = {entry.unique_id: entry for entry in self._async_current_entries()}
        offered: dict[str, list[Connection]] = {}
        grown: list[ConfigEntry] = []
        for user_id, recent in self._by_user.items():
            if (new := vehicles.unclaimed(self.hass, recent)) and user_id in configured:
                grown.append(configured[user_id])
            elif new:
                offered[user_id] = new
        if self._by_user and not offered:
            return self._added(grown) or self.async_abort(reason="no_new_vehicles")
        self._by_user = offered
        if len(self._by_user) == 1:
            return await self.async_step_confirm()
        return await self.async_step_pick_user()

    def _added(self, entries: list[ConfigEntry]) -> ConfigFlowResult | None:
        """Say that the owners' entries take their new vehicles now (None: none loaded)."""
        if not (titles := vehicles.async_take_new_vehicles(self.hass, entries)):
            return None
        placeholders = {"account": ", ".join(titles)}
        return self.async_abort(
            reason="vehicles_added", description_placeholders=placeholders
        )

    async def async_step_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask the owner to confirm the vehicles inferred to be theirs."""
        ((user_id, connections),) = self._by_user.items()
        if user_input is None:
            names = sorted({c.vehicle.display_name for c in connections} - {""})
            return self.async_show_form(
                step_id="confirm",
                data_schema=vol.Schema({}),
                description_placeholders={"vehicles": ", ".join(names) or "Smartcar"},
            )
        return await self._async_bind(user_id)

    async def async_step_pick_user(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask which of the users who connected just now is the owner."""
        if not self._by_user:
            return self.async_abort(reason="no_vehicles")
        if user_input is None:
            options = []
            for user_id, connections in self._by_user.items():
                names = sorted({c.vehicle.display_name for c in connections} - {""})
                label = ", ".join(names) or "Smartcar"
                options.append({"value": user_id, "label": label})
            select = selector({"select": {"options": options}})
            schema = vol.Schema({vol.Required(CONF_USER_ID): select})
            return self.async_show_form(step_id="pick_user", data_schema=schema)
        return await self._async_bind(user_input[CONF_USER_ID])

    async def _async_bind(self, user_id: str) -> ConfigFlowResult:
        """Create the entry of a Smartcar user, or renew the entry being reauthenticated.

        A new entry is titled by the carmaker account behind it (`account_title`).
        """
        # Only the vehicles offered, which no loaded entry has: a car two users share stays
        # in one entry.
        mine = [c for c in self._connections if c.user_id == user_id]
        listed = self._by_user.get(user_id) or vehicles.unclaimed(self.hass, mine)
        await self.async_set_unique_id(user_id)
        data = {**self._data, CONF_USER_ID: user_id}
        if self.source in (SOURCE_REAUTH, SOURCE_RECONFIGURE):
            self._abort_if_unique_id_mismatch(reason="wrong_account")
            entry_id = self.context["entry_id"]
            entry = self.hass.config_entries.async_get_known_entry(entry_id)
            return self.async_update_reload_and_abort(entry, data_updates=data)
        own = self.hass.config_entries.async_entry_for_domain_unique_id(DOMAIN, user_id)
        if own and listed and (added := self._added([own])):
            return added
        self._abort_if_unique_id_configured()
        if not listed:
            return self.async_abort(reason="no_new_vehicles" if mine else "no_vehicles")
        taken = {entry.title for entry in self._async_current_entries()}
        # The entry's first set-up starts from this listing: it lists again only alongside
        # the vehicles' first reads (one round trip).
        await vehicles.async_save_known_vehicles(self.hass, user_id, listed)
        return self.async_create_entry(
            title=vehicles.account_title(listed, taken), data=data
        )

    @override
    async def async_step_authorize_rejected(
        self, data: None = None
    ) -> ConfigFlowResult:
        """End with Connect's error in the flow's own words (not Home Assistant's)."""
        reason, placeholders = connect_error_abort(self.external_data["error"])
        return self.async_abort(reason=reason, description_placeholders=placeholders)

    async def async_step_reauth(
        self, entry_data: Mapping[str, Any]
    ) -> ConfigFlowResult:
        """Start again with Smartcar Connect when Smartcar refuses the entry."""
        self._data = {key: entry_data[key] for key in (CONF_APPLICATION_ID, CONF_MODE)}
        self._data[CONF_PERMISSION_GROUPS] = chosen_groups(entry_data)
        return await self.async_step_reauth_confirm()

    async def async_step_reauth_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Tell the owner why they log in again."""
        if user_input is None:
            return self.async_show_form(
                step_id="reauth_confirm",
                description_placeholders={"name": self._get_reauth_entry().title},
            )
        return await self.async_step_pick_implementation()
