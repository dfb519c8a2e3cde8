"""Smartcar's application token, obtained through Home Assistant's OAuth2 machinery.

Smartcar v3 authenticates the application with the `client_credentials` grant: no code exchange
and no refresh token. Connect only creates the owner's connection. The implementation below makes
both "code exchange" and "refresh" mint a new application token, so `OAuth2Session` keeps the
token in the config entry and renews it before it expires.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast, override

from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.config_entry_oauth2_flow import (
    LocalOAuth2Implementation,
    OAuth2Session,
)

from .api import AbstractAuth, async_request_app_token
from .const import smartcar_settings


class SmartcarAppTokenImplementation(LocalOAuth2Implementation):
    """Connect for consent; the `client_credentials` grant for every token.

    Made with the API client credentials and Smartcar's Connect and token URLs.
    """

    @property
    @override
    def name(self) -> str:
        """Name of the implementation."""
        return "Smartcar"

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
