"""Application credentials: the Smartcar API client id and secret."""

from __future__ import annotations

from homeassistant.components.application_credentials import ClientCredential
from homeassistant.core import HomeAssistant
from homeassistant.helpers.config_entry_oauth2_flow import AbstractOAuth2Implementation
from homeassistant.helpers.network import NoURLAvailableError

from .const import smartcar_settings
from .oauth import (
    CONNECT_CALLBACK_PATH,
    SmartcarAppTokenImplementation,
    connect_redirect_uri,
)


async def async_get_auth_implementation(
    hass: HomeAssistant, auth_domain: str, credential: ClientCredential
) -> AbstractOAuth2Implementation:
    """Return the implementation that mints Smartcar application tokens."""
    settings = smartcar_settings()
    return SmartcarAppTokenImplementation(
        hass,
        auth_domain,
        credential.client_id,
        credential.client_secret,
        settings.connect_url,
        settings.token_url,
    )


async def async_get_description_placeholders(hass: HomeAssistant) -> dict[str, str]:
    """Return what the credentials dialog shows: the redirect URI to register."""
    try:
        redirect_url = connect_redirect_uri(hass)
    except NoURLAvailableError:
        redirect_url = f"https://<your Home Assistant>{CONNECT_CALLBACK_PATH}"
    return {
        "dashboard_url": "https://dashboard.smartcar.com",
        "redirect_url": redirect_url,
    }
