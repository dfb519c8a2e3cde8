"""Smartcar's application token, obtained through Home Assistant's OAuth2 machinery.

Smartcar v3 authenticates the application with the `client_credentials` grant: no code exchange
and no refresh token. Connect only creates the owner's connection. The implementation below makes
both "code exchange" and "refresh" mint a new application token, so `OAuth2Session` keeps the
token in the config entry and renews it before it expires.

Connect redirects to the integration's own callback (`ConnectCallbackView`), not to Home
Assistant's: the documented redirect carries `user_id` and `state` without a `code`, which Home
Assistant's callback refuses, and that callback passes only `code`, `error` and `state` on.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final, cast, override

from aiohttp import web
from homeassistant.components.http import KEY_HASS, HomeAssistantView
from homeassistant.core import HomeAssistant
from homeassistant.helpers import http
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.config_entry_oauth2_flow import (
    HEADER_FRONTEND_BASE,
    LocalOAuth2Implementation,
    OAuth2Session,
    _decode_jwt,
)
from homeassistant.helpers.network import get_url

from .api import AbstractAuth, async_request_app_token
from .api.contract import (
    CONNECT_ERROR_PATTERN,
    CONNECT_USER_ID,
    CONNECT_USER_ID_PATTERN,
)
from .const import CONF_USER_ID, DOMAIN, smartcar_settings

CONNECT_CALLBACK_PATH: Final = "/api/smartcar/connect"
_DATA_VIEW: Final = f"{DOMAIN}_connect_view"
# Connect's documented errors, each told in the config flow's own words (its abort reason).
CONNECT_ERROR_REASONS: Final = {
    "access_denied": "connect_denied",
    "configuration_error": "connect_configuration_error",
    "invalid_subscription": "connect_invalid_subscription",
    "no_vehicles": "no_vehicles",
    "server_error": "connect_server_error",
    "vehicle_incompatible": "connect_vehicle_incompatible",
}


def connect_error_abort(error: object) -> tuple[str, dict[str, str]]:
    """Return the flow's abort reason, and its placeholders, for an error Connect redirected with.

    Another error is named inside a translated sentence; one of an unexpected form reads
    "unknown" (Home Assistant's own callback passes any `error` on).
    """
    code = error if isinstance(error, str) else ""
    if not CONNECT_ERROR_PATTERN.fullmatch(code):
        code = "unknown"
    if (reason := CONNECT_ERROR_REASONS.get(code)) is not None:
        return reason, {}
    return "connect_failed", {"error": code}


def connect_redirect_uri(hass: HomeAssistant) -> str:
    """Return the integration's callback on the address the owner's browser has open.

    The base is Home Assistant's own (its callback's, without my.home-assistant.io, which can
    forward only to that callback), else the instance's URL, external preferred.
    """
    request = http.current_request.get()
    if request is not None and (base := request.headers.get(HEADER_FRONTEND_BASE)):
        return f"{base}{CONNECT_CALLBACK_PATH}"
    return f"{get_url(hass, prefer_external=True)}{CONNECT_CALLBACK_PATH}"


class ConnectCallbackView(HomeAssistantView):
    """Receive Connect's redirect: check `state` as Home Assistant does, resume the flow.

    The flow gets the `user_id` (when plausible) and the `code` or `error`; anything else, or a
    state that is not one of this integration's flows waiting for Connect, gets a plain error.
    """

    requires_auth = False
    url = CONNECT_CALLBACK_PATH
    name = f"api:{DOMAIN}:connect"

    async def get(self, request: web.Request) -> web.Response:
        """Check the redirect and hand it to its flow."""
        hass, query = request.app[KEY_HASS], request.query
        # The state token Home Assistant signed for the flow, read by its callback's own helper.
        state = _decode_jwt(hass, query.get("state", ""))
        user_id, code, error = (
            query.get(k) for k in (CONNECT_USER_ID, "code", "error")
        )
        waiting = {  # this integration's flows waiting for Connect
            flow["flow_id"]
            for flow in hass.config_entries.flow.async_progress_by_handler(DOMAIN)
            if flow.get("step_id") == "auth"
        }
        if (
            state is None
            or state.get("flow_id") not in waiting
            or (user_id is not None and not CONNECT_USER_ID_PATTERN.fullmatch(user_id))
            or (user_id is None and code is None and error is None)
        ):
            return web.Response(text="Invalid Smartcar Connect redirect.", status=400)
        user_input: dict[str, Any] = {"state": state}
        if error is not None:  # the flow reads it (connect_error_abort)
            user_input["error"] = error
        else:
            user_input |= {
                k: v for k, v in ((CONF_USER_ID, user_id), ("code", code)) if v
            }
        await hass.config_entries.flow.async_configure(state["flow_id"], user_input)
        return web.Response(
            headers={"content-type": "text/html"},
            text="<script>window.close()</script>",
        )


class SmartcarAppTokenImplementation(LocalOAuth2Implementation):
    """Connect for consent; the `client_credentials` grant for every token.

    Made with the API client credentials and Smartcar's Connect and token URLs.
    """

    @property
    @override
    def name(self) -> str:
        """Name of the implementation."""
        return "Smartcar"

    @property
    @override
    def redirect_uri(self) -> str:
        """Connect's redirect goes to the integration's own callback."""
        return connect_redirect_uri(self.hass)

    @override
    async def async_generate_authorize_url(self, flow_id: str) -> str:
        """Register the callback (once), then build Connect's URL."""
        if not self.hass.data.get(_DATA_VIEW):
            self.hass.http.register_view(ConnectCallbackView())
            self.hass.data[_DATA_VIEW] = True
        return await super().async_generate_authorize_url(flow_id)

    @override
    async def async_resolve_external_data(self, external_data: Any) -> dict[str, Any]:
        """Mint the application token once the owner has finished Connect."""
        token = await async_request_app_token(
            async_get_clientsession(self.hass),
            self.client_id,
            self.client_secret,
            smartcar_settings(),
        )
        return {
            "access_token": token.access_token,
            "token_type": token.token_type,
            "expires_in": int(token.expires_in),
        }

    @override
    async def _async_refresh_token(self, token: dict[str, Any]) -> dict[str, Any]:
        """Mint a new application token (there is no refresh token to use)."""
        return {**token, **await self.async_resolve_external_data(None)}


@dataclass(frozen=True, slots=True)
class ConfigEntryAuth(AbstractAuth):
    """The application token kept in a config entry by `OAuth2Session`."""

    oauth_session: OAuth2Session

    @override
    async def async_get_access_token(self) -> str:
        """Return a valid token, minting a new one when it is about to expire."""
        await self.oauth_session.async_ensure_token_valid()
        return cast(str, self.oauth_session.token["access_token"])

    @override
    async def async_renew_access_token(self, rejected_token: str) -> str:
        """Mint a new token after a 401, unless another request already did."""
        session, entry = self.oauth_session, self.oauth_session.config_entry
        if session.token["access_token"] == rejected_token:
            expired = {**session.token, "expires_at": 0}
            session.hass.config_entries.async_update_entry(
                entry, data={**entry.data, "token": expired}
            )
        return await self.async_get_access_token()


@dataclass(frozen=True, slots=True)
class FixedTokenAuth(AbstractAuth):
    """A token minted moments ago, for the config flow (before any entry exists)."""

    access_token: str

    @override
    async def async_get_access_token(self) -> str:
        """Return the token."""
        return self.access_token

    @override
    async def async_renew_access_token(self, rejected_token: str) -> str:
        """Return the same token: a fresh one was refused, so a retry would be too."""
        return self.access_token
