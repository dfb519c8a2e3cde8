"""The application token: Smartcar v3 authenticates the app, not each vehicle owner."""

from __future__ import annotations

from abc import ABC, abstractmethod
import asyncio
from collections.abc import Callable
from dataclasses import dataclass
import time
from typing import Any

import aiohttp

from .contract import TOKEN_RETRY_STATUSES, TokenBody
from .errors import SmartcarResponseError, error_from_response
from .http import RawResponse, send
from .settings import DEFAULT_SETTINGS, SmartcarSettings

# Mint a new token this long before the old one expires, so no request carries a dying token.
TOKEN_EXPIRY_MARGIN = 60.0


@dataclass(frozen=True, slots=True)
class AppToken:
    """An application access token from the `client_credentials` grant."""

    access_token: str
    expires_in: float
    token_type: str = "Bearer"
    body: TokenBody = TokenBody.FORM


async def async_request_app_token(
    session: aiohttp.ClientSession,
    client_id: str,
    client_secret: str,
    settings: SmartcarSettings = DEFAULT_SETTINGS,
    body: TokenBody = TokenBody.FORM,
) -> AppToken:
    """Mint an application token with the `client_credentials` grant.

    The body goes as `body` says; a form body answered 400 or 415 is retried once as JSON, and
    the token names the encoding that worked so the caller can start with it next time.
    """
    fields = {
        "grant_type": "client_credentials",
        "client_id": client_id,
        "client_secret": client_secret,
    }
    response = await _send_token_request(session, settings, fields, body)
    if body is TokenBody.FORM and response.status in TOKEN_RETRY_STATUSES:
        retried = await _send_token_request(session, settings, fields, TokenBody.JSON)
        if retried.status not in TOKEN_RETRY_STATUSES:
            response, body = retried, TokenBody.JSON
    payload = response.json_or_none()
    if response.status >= 400:
        raise error_from_response(response.status, payload)
    return _app_token(payload, body)


async def _send_token_request(
    session: aiohttp.ClientSession,
    settings: SmartcarSettings,
    fields: dict[str, str],
    body: TokenBody,
) -> RawResponse:
    return await send(
        session,
        "POST",
        settings.token_url,
        time_limit=settings.request_timeout,
        data=fields if body is TokenBody.FORM else None,
        json_body=fields if body is TokenBody.JSON else None,
    )


def _app_token(payload: Any, body: TokenBody) -> AppToken:
    if not isinstance(payload, dict):
        raise SmartcarResponseError("Token response is not a JSON object")
    token = payload.get("access_token")
    expires_in = payload.get("expires_in", 3600)
    if not isinstance(token, str) or not token:
        raise SmartcarResponseError("Token response has no access_token")
    if not isinstance(expires_in, int | float) or isinstance(expires_in, bool):
        raise SmartcarResponseError("Token response has an invalid expires_in")
    return AppToken(
        token, float(expires_in), str(payload.get("token_type", "Bearer")), body
    )


class AbstractAuth(ABC):
    """Supplies the application token for the client's requests."""

    @abstractmethod
    async def async_get_access_token(self) -> str:
        """Return a valid application access token."""

    @abstractmethod
    async def async_renew_access_token(self, rejected_token: str) -> str:
        """Return a new token after Smartcar refused `rejected_token` with a 401."""


class ClientCredentialsAuth(AbstractAuth):
    """Mints and caches the application token; concurrent callers share one token request."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        client_id: str,
        client_secret: str,
        settings: SmartcarSettings = DEFAULT_SETTINGS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """Keep the API client credentials; no request is made until a token is needed."""
        self._session = session
        self._client_id = client_id
        self._client_secret = client_secret
        self._settings = settings
        self._clock = clock
        self._token: str | None = None
        self._valid_until = 0.0
        self._minting: asyncio.Future[str] | None = None
        self.token_body = TokenBody.FORM

    async def async_get_access_token(self) -> str:
        """Return the cached token, or mint one when it is missing or about to expire."""
        if self._token is not None and self._clock() < self._valid_until:
            return self._token
        return await self._async_mint()

    async def async_renew_access_token(self, rejected_token: str) -> str:
        """Mint a new token, unless another caller already replaced the rejected one."""
        if self._token is not None and self._token != rejected_token:
            return self._token
        self._token = None
        return await self._async_mint()

    async def _async_mint(self) -> str:
        if self._minting is None:
            self._minting = asyncio.ensure_future(self._async_request())
            self._minting.add_done_callback(self._forget_minting)
        # shield: one caller being cancelled must not cancel the request the others wait for.
        return await asyncio.shield(self._minting)

    def _forget_minting(self, future: asyncio.Future[str]) -> None:
        self._minting = None
        if not future.cancelled():
            future.exception()  # retrieved here so a failure nobody awaited is not logged

    async def _async_request(self) -> str:
        token = await async_request_app_token(
            self._session,
            self._client_id,
            self._client_secret,
            self._settings,
            self.token_body,
        )
        self.token_body = token.body
        self._token = token.access_token
        self._valid_until = self._clock() + max(
            0.0, token.expires_in - TOKEN_EXPIRY_MARGIN
        )
        return token.access_token
