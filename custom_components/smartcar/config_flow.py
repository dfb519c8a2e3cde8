"""Config flow: Smartcar Connect consent, then the owner's Smartcar user and vehicles."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
import logging
import re
from typing import Any, Final, override

from homeassistant.config_entries import (
    SOURCE_REAUTH,
    SOURCE_RECONFIGURE,
    ConfigFlowResult,
    OptionsFlowWithReload,
)
from homeassistant.core import callback
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.config_entry_oauth2_flow import AbstractOAuth2FlowHandler
from homeassistant.helpers.selector import (
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
    SelectOptionDict,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
    TextSelector,
    TextSelectorConfig,
    TextSelectorType,
)
from homeassistant.util import dt as dt_util
import voluptuous as vol

from .api import (
    Connection,
    SmartcarAuthenticationError,
    SmartcarClient,
    SmartcarConnectionError,
    SmartcarError,
)
from .api.management import webhook_id_valid
from .auth import FixedTokenAuth, SmartcarAppTokenImplementation
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
)
from .coordinator import SmartcarConfigEntry
from .permissions import (
    CONF_PERMISSION_GROUPS,
    PERMISSION_GROUPS,
    chosen_groups,
    scopes_for,
)
from .webhook import webhook_callback_url

# Connections created or updated this long before the owner was sent to Connect still count
# as theirs (clocks of Home Assistant and Smartcar may differ).
CLOCK_SKEW: Final = timedelta(minutes=5)
# The Application ID is a UUID; the API client id ("client_...") is not, a common mix-up.
_UUID: Final = re.compile(r"[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}")


def _account_title(connections: list[Connection], taken: set[str]) -> str:
    """Title an entry by the carmaker account behind it ("Volvo account"), not by its cars.

    Cars come and go under one login; the carmaker does not. Smartcar tells no account name, so
    a second account of the same make is numbered.
    """
    makes = sorted(
        {c.vehicle.manufacturer for c in connections if c.vehicle.manufacturer}
    )
    base = f"{makes[0]} account" if len(makes) == 1 else "Smartcar account"
    title, number = base, 2
    while title in taken:
        title, number = f"{base} {number}", number + 1
    return title


def _vehicles_label(connections: list[Connection]) -> str:
    names = sorted({c.vehicle.display_name for c in connections})
    return ", ".join(name for name in names if name) or "Smartcar"


class SmartcarOptionsFlow(OptionsFlowWithReload):
    """Webhook token and monthly request budget; the callback URL to paste, with its caveats."""

    config_entry: SmartcarConfigEntry

    async def async_step_init(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Show the options and the callback URL to paste into the Smartcar Dashboard."""
        errors: dict[str, str] = {}
        if user_input is not None:
            # The number selector returns floats; budgets are whole requests.
            budget = int(user_input[CONF_MONTHLY_BUDGET])
            webhook_id = str(user_input.get(CONF_SMARTCAR_WEBHOOK_ID, "")).strip()
            if budget < 2 * reserve_for(budget):
                errors[CONF_MONTHLY_BUDGET] = "budget_too_small"
            elif webhook_id and not webhook_id_valid(webhook_id):
                errors[CONF_SMARTCAR_WEBHOOK_ID] = "webhook_id_invalid"
            else:
                token = str(user_input.get(CONF_MANAGEMENT_TOKEN, "")).strip()
                return self.async_create_entry(
                    data={
                        CONF_MANAGEMENT_TOKEN: token,
                        CONF_MONTHLY_BUDGET: budget,
                        CONF_SMARTCAR_WEBHOOK_ID: webhook_id,
                    }
                )
        callback_url = webhook_callback_url(self.hass, self.config_entry)
        if callback_url.problem is not None:
            # Shown as the form's message (translated), not a refusal: the values still save.
            errors.setdefault("base", f"webhook_url_{callback_url.problem}")
        return self.async_show_form(
            step_id="init",
            data_schema=self.add_suggested_values_to_schema(
                vol.Schema(
                    {
                        vol.Optional(CONF_MANAGEMENT_TOKEN): TextSelector(
                            TextSelectorConfig(type=TextSelectorType.PASSWORD)
                        ),
                        vol.Optional(CONF_SMARTCAR_WEBHOOK_ID): TextSelector(),
                        vol.Required(
                            CONF_MONTHLY_BUDGET, default=DEFAULT_MONTHLY_BUDGET
                        ): NumberSelector(
                            NumberSelectorConfig(
                                min=1,
                                max=1_000_000,
                                step=1,
                                mode=NumberSelectorMode.BOX,
                            )
                        ),
                    }
                ),
                user_input or self.config_entry.options,
            ),
            errors=errors,
            description_placeholders={"webhook_url": callback_url.url or "-"},
        )


class SmartcarFlowHandler(AbstractOAuth2FlowHandler, domain=DOMAIN):
    """Set up a Smartcar user: Application ID, Connect, then the vehicles it connected."""

    DOMAIN = DOMAIN
    VERSION = 1

    def __init__(self) -> None:
        """Start with nothing known."""
        super().__init__()
        self._application: dict[str, str] = {}
        self._connect_started: datetime | None = None
        self._token: dict[str, Any] = {}
        self._connections: list[Connection] = []
        self._groups: list[str] = list(PERMISSION_GROUPS)

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
            "client_id": self._application[CONF_APPLICATION_ID],
            "scope": " ".join(scopes_for(self._groups)),
            "mode": self._application[CONF_MODE],
        }

    @override
    async def async_step_auth(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for the Application ID once credentials are picked, then go to Connect."""
        if user_input is None and not self._application:
            return await self.async_step_application()
        return await super().async_step_auth(user_input)

    async def async_step_application(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for the Smartcar Application ID and mode."""
        errors: dict[str, str] = {}
        if user_input is not None:
            errors = self._read_application(user_input)
            if not errors:
                return await super().async_step_auth()
        return self.async_show_form(
            step_id="application",
            data_schema=self._application_schema(
                user_input or self._known_application()
            ),
            errors=errors,
        )

    def _known_application(self) -> dict[str, Any]:
        """Suggest the Application ID of an entry already set up (one app, several owners)."""
        known = (
            entry.data[CONF_APPLICATION_ID]
            for entry in self._async_current_entries(include_ignore=False)
            if CONF_APPLICATION_ID in entry.data
        )
        application_id = next(known, None)
        return {} if application_id is None else {CONF_APPLICATION_ID: application_id}

    def _read_application(self, user_input: Mapping[str, Any]) -> dict[str, str]:
        """Keep the Application ID, mode and permission groups; return the fields' errors.

        The ID must look like one (a UUID); at least one group of permissions is asked for.
        """
        errors: dict[str, str] = {}
        application_id = str(user_input[CONF_APPLICATION_ID]).strip()
        if _UUID.fullmatch(application_id) is None:
            errors[CONF_APPLICATION_ID] = "invalid_application_id"
        groups = chosen_groups(
            {CONF_PERMISSION_GROUPS: list(user_input[CONF_PERMISSION_GROUPS])}
        )
        if not groups:
            errors[CONF_PERMISSION_GROUPS] = "no_permission_group"
        if not errors:
            self._application = {
                CONF_APPLICATION_ID: application_id,
                CONF_MODE: user_input[CONF_MODE],
            }
            self._groups = groups
        return errors

    def _application_schema(self, values: Mapping[str, Any]) -> vol.Schema:
        return self.add_suggested_values_to_schema(
            vol.Schema(
                {
                    vol.Required(CONF_APPLICATION_ID): TextSelector(),
                    vol.Required(CONF_MODE, default=MODE_LIVE): SelectSelector(
                        SelectSelectorConfig(
                            options=[MODE_LIVE, MODE_SIMULATED],
                            mode=SelectSelectorMode.LIST,
                            translation_key="mode",
                        )
                    ),
                    vol.Required(
                        CONF_PERMISSION_GROUPS, default=list(PERMISSION_GROUPS)
                    ): SelectSelector(
                        SelectSelectorConfig(
                            options=list(PERMISSION_GROUPS),
                            multiple=True,
                            mode=SelectSelectorMode.LIST,
                            translation_key=CONF_PERMISSION_GROUPS,
                        )
                    ),
                }
            ),
            values,
        )

    @override
    async def async_generate_authorize_url(self) -> str:
        """Remember when the owner went to Connect: their connections are the newer ones."""
        self._connect_started = dt_util.utcnow()
        return await super().async_generate_authorize_url()

    @override
    async def async_step_creation(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Mint the application token, then find the owner's Smartcar user."""
        if not isinstance(self.flow_impl, SmartcarAppTokenImplementation):
            # Only this integration's implementation is registered for the domain.
            return self.async_abort(reason="missing_credentials")
        try:
            token = await self.flow_impl.async_resolve_external_data(self.external_data)
            client = SmartcarClient(
                async_get_clientsession(self.hass),
                FixedTokenAuth(token["access_token"]),
                self.flow_impl.settings,
            )
            self._connections = await client.async_get_connections(
                mode=self._application.get(CONF_MODE)
            )
        except SmartcarError as err:
            self.logger.warning("Setting up Smartcar failed: %s", err)
            if isinstance(err, SmartcarAuthenticationError):
                return self.async_abort(reason="invalid_credentials")
            if isinstance(err, SmartcarConnectionError):
                return self.async_abort(reason="cannot_connect")
            return self.async_abort(reason="api_error")
        token["expires_at"] = dt_util.utcnow().timestamp() + token["expires_in"]
        self._token = {"auth_implementation": self.flow_impl.domain, "token": token}
        return await self.async_step_pick_user()

    async def async_step_pick_user(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Pick the Smartcar user the owner just connected, asking only when it is ambiguous."""
        by_user = self._recent_connections_by_user()
        if not by_user:
            return self.async_abort(reason="no_vehicles")
        if user_input is not None:
            return await self._async_finish(
                user_input[CONF_USER_ID], by_user[user_input[CONF_USER_ID]]
            )
        if len(by_user) == 1:
            ((user_id, connections),) = by_user.items()
            return await self._async_finish(user_id, connections)
        options = [
            SelectOptionDict(value=user_id, label=_vehicles_label(connections))
            for user_id, connections in by_user.items()
        ]
        return self.async_show_form(
            step_id="pick_user",
            data_schema=vol.Schema(
                {
                    vol.Required(CONF_USER_ID): SelectSelector(
                        SelectSelectorConfig(options=options)
                    )
                }
            ),
        )

    def _recent_connections_by_user(self) -> dict[str, list[Connection]]:
        """Group by user the connections made or renewed since the owner went to Connect.

        With none that recent, a Smartcar application with a single user still tells.
        """
        since = (self._connect_started or dt_util.utcnow()) - CLOCK_SKEW
        recent = [
            c
            for c in self._connections
            if (c.updated_at or c.created_at or since) >= since
        ]
        if not recent and len({c.user_id for c in self._connections}) == 1:
            recent = self._connections
        by_user: dict[str, list[Connection]] = {}
        for connection in recent:
            by_user.setdefault(connection.user_id, []).append(connection)
        return by_user

    async def _async_finish(
        self, user_id: str, connections: list[Connection]
    ) -> ConfigFlowResult:
        await self.async_set_unique_id(user_id)
        data = {
            **self._token,
            **self._application,
            CONF_USER_ID: user_id,
            CONF_PERMISSION_GROUPS: self._groups,
        }
        if self.source == SOURCE_REAUTH:
            self._abort_if_unique_id_mismatch(reason="wrong_account")
            return self.async_update_reload_and_abort(
                self._get_reauth_entry(), data_updates=data
            )
        if self.source == SOURCE_RECONFIGURE:
            self._abort_if_unique_id_mismatch(reason="wrong_account")
            return self.async_update_reload_and_abort(
                self._get_reconfigure_entry(), data_updates=data
            )
        self._abort_if_unique_id_configured()
        taken = {entry.title for entry in self._async_current_entries()}
        return self.async_create_entry(
            title=_account_title(connections, taken), data=data
        )

    async def async_step_reauth(
        self, entry_data: Mapping[str, Any]
    ) -> ConfigFlowResult:
        """Start again with Smartcar Connect when Smartcar refuses the entry."""
        self._application = {
            CONF_APPLICATION_ID: entry_data[CONF_APPLICATION_ID],
            CONF_MODE: entry_data[CONF_MODE],
        }
        self._groups = chosen_groups(entry_data)
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

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Change the Application ID or mode, then go through Connect again."""
        entry = self._get_reconfigure_entry()
        errors: dict[str, str] = {}
        if user_input is not None:
            errors = self._read_application(user_input)
            if not errors:
                return await self.async_step_pick_implementation()
        return self.async_show_form(
            step_id="reconfigure",
            data_schema=self._application_schema(
                user_input
                or {
                    **entry.data,
                    CONF_PERMISSION_GROUPS: chosen_groups(entry.data),
                }
            ),
            errors=errors,
        )
