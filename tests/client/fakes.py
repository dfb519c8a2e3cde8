"""A fixed-token auth and a one-handler HTTP server for answers the simulator never gives."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, Callable
from typing import Any

import aiohttp
from aiohttp import web
from aiohttp.test_utils import TestServer
import pytest

from custom_components.smartcar.api import (
    AbstractAuth,
    SmartcarSettings,
    async_request_app_token,
)
from smartcar_simulator import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET

type Handler = Callable[[web.Request], web.Response]


class StaticAuth(AbstractAuth):
    """A fixed token."""

    async def async_get_access_token(self) -> str:
        """Return the token."""
        return "token"

    async def async_renew_access_token(self, rejected_token: str) -> str:
        """Return the same token."""
        return "token"


class MintingAuth(AbstractAuth):
    """The application token from the `client_credentials` grant, minted when none is held.

    What the integration's `ConfigEntryAuth` does through Home Assistant's OAuth2 session, for
    tests without Home Assistant: concurrent callers share one mint; a refused token is
    replaced once.
    """

    def __init__(
        self,
        session: aiohttp.ClientSession,
        settings: SmartcarSettings,
        client_id: str = DEMO_CLIENT_ID,
        client_secret: str = DEMO_CLIENT_SECRET,
    ) -> None:
        """Keep the credentials; nothing is requested yet."""
        self._credentials = session, client_id, client_secret, settings
        self._token: str | None = None
        self._lock = asyncio.Lock()

    async def async_get_access_token(self) -> str:
        """Return the token held, or mint one."""
        async with self._lock:
            if self._token is None:
                token = await async_request_app_token(*self._credentials)
                self._token = token.access_token
            return self._token

    async def async_renew_access_token(self, rejected_token: str) -> str:
        """Mint a new token unless another caller already replaced the rejected one."""
        if self._token == rejected_token:
            self._token = None
        return await self.async_get_access_token()


@pytest.fixture
async def fake_smartcar(
    socket_enabled: None,
) -> AsyncGenerator[Callable[[Handler], Any]]:
    """Start a one-handler HTTP server on 127.0.0.1 that answers every path."""
    servers: list[TestServer] = []

    async def start(handler: Handler) -> SmartcarSettings:
        async def serve(request: web.Request) -> web.StreamResponse:
            return handler(request)

        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", serve)
        server = TestServer(app, host="127.0.0.1")
        await server.start_server()
        servers.append(server)
        return SmartcarSettings.at(str(server.make_url("")))

    yield start
    for server in servers:
        await server.close()
