"""The application token: Smartcar v3 authenticates the app, not each vehicle owner."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass

import aiohttp

from .contract import TOKEN_RETRY_STATUSES
from .errors import SmartcarResponseError
from .http import send
from .parsing import as_float, as_mapping, as_str
from .settings import DEFAULT_SETTINGS, SmartcarSettings


@dataclass(frozen=True, slots=True)
class AppToken:
    """An application access token from the `client_credentials` grant."""

    access_token: str
    expires_in: float
    token_type: str = "Bearer"


async def async_request_app_token(
    session: aiohttp.ClientSession,
    client_id: str,
    client_secret: str,
    settings: SmartcarSettings = DEFAULT_SETTINGS,
) -> AppToken:
    """Mint an application token with the `client_credentials` grant.

    The body goes as a form; a form answered 400 or 415 is retried once as JSON.
    """
    fields = {
        "grant_type": "client_credentials",
        "client_id": client_id,
        "client_secret": client_secret,
    }
    url, limit = settings.token_url, settings.request_timeout
    response = await send(session, "POST", url, time_limit=limit, data=fields)
    if response.status in TOKEN_RETRY_STATUSES:
        retried = await send(session, "POST", url, time_limit=limit, json_body=fields)
        if retried.status not in TOKEN_RETRY_STATUSES:
            response = retried
    if (error := response.error()) is not None:
        raise error
    payload = as_mapping(response.json())
    token = as_str(payload.get("access_token"))
    expires_in = as_float(payload.get("expires_in", 3600))
    if not token or expires_in is None:
        raise SmartcarResponseError(
            "Token response without a usable access_token and expires_in"
        )
    return AppToken(token, expires_in, str(payload.get("token_type", "Bearer")))


class AbstractAuth(ABC):
    """Supplies the application token for the client's requests."""

    @abstractmethod
    async def async_get_access_token(self) -> str:
        """Return a valid application access token."""

    @abstractmethod
    async def async_renew_access_token(self, rejected_token: str) -> str:
        """Return a new token after Smartcar refused `rejected_token` with a 401."""
