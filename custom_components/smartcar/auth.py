"""Smartcar's application token, obtained through Home Assistant's OAuth2 machinery.

Smartcar v3 authenticates the application with the `client_credentials` grant: no code exchange
and no refresh token. Connect only creates the owner's connection. The implementation below makes
both "code exchange" and "refresh" mint a new application token, so `OAuth2Session` keeps the
token in the config entry and renews it before it expires.
"""

from __future__ import annotations

from typing import Any, cast, override

from homeassistant.core import HomeAssistant
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.config_entry_oauth2_flow import (
    LocalOAuth2Implementation,
    OAuth2Session,
)

from .api import AbstractAuth, SmartcarSettings, async_request_app_token


class SmartcarAppTokenImplementation(LocalOAuth2Implementation):
    """Connect for consent; the `client_credentials` grant for every token."""

    def __init__(
        self,
        hass: HomeAssistant,
        domain: str,
        client_id: str,
        client_secret: str,
        settings: SmartcarSettings,
    ) -> None:
        """Keep the API client credentials and Smartcar's URLs."""
        super().__init__(
            hass,
            domain,
            client_id,
            client_secret,
            settings.connect_url,
            settings.token_url,
        )
        self.settings = settings

    @property
    @override
    def name(self) -> str:
        """Name of the implementation."""
        return "Smartcar"

    @override
    async def async_resolve_external_data(self, external_data: Any) -> dict[str, Any]:
        """Mint the application token once the owner has finished Connect."""
        return await self._async_mint()

    @override
    async def _async_refresh_token(self, token: dict[str, Any]) -> dict[str, Any]:
        """Mint a new application token (there is no refresh token to use)."""
        return {**token, **await self._async_mint()}

    async def _async_mint(self) -> dict[str, Any]:
        token = await async_request_app_token(
            async_get_clientsession(self.hass),
            self.client_id,
            self.client_secret,
            self.settings,
        )
        return {
            "access_token": token.access_token,
            "token_type": token.token_type,
            "expires_in": int(token.expires_in),
        }


class ConfigEntryAuth(AbstractAuth):
    """The application token kept in a config entry by `OAuth2Session`."""

    def __init__(self, oauth_session: OAuth2Session) -> None:
        """Wrap the entry's OAuth2 session."""
        self._oauth_session = oauth_session

    @override
    async def async_get_access_token(self) -> str:
        """Return a valid token, minting a new one when it is about to expire."""
        await self._oauth_session.async_ensure_token_valid()
        return cast(str, self._oauth_session.token["access_token"])

    @override
    async def async_renew_access_token(self, rejected_token: str) -> str:
        """Mint a new token after a 401, unless another request already did."""
        session = self._oauth_session
        if session.token["access_token"] == rejected_token:
            session.hass.config_entries.async_update_entry(
                session.config_entry,
                data={
                    **session.config_entry.data,
                    "token": {**session.token, "expires_at": 0},
                },
            )
        return await self.async_get_access_token()


class FixedTokenAuth(AbstractAuth):
    """A token minted moments ago, for the config flow (before any entry exists)."""

    def __init__(self, access_token: str) -> None:
        """Keep the token."""
        self._access_token = access_token

    @override
    async def async_get_access_token(self) -> str:
        """Return the token."""
        return self._access_token

    @override
    async def async_renew_access_token(self, rejected_token: str) -> str:
        """Return the same token: a fresh one was refused, so a retry would be too."""
        return self._access_token
