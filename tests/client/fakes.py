"""A fixed-token auth and a one-handler HTTP server for answers the simulator never gives."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Callable
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestServer
import pytest

from custom_components.smartcar.api import AbstractAuth, SmartcarSettings

type Handler = Callable[[web.Request], web.Response]


class StaticAuth(AbstractAuth):
    """A fixed token."""

    async def async_get_access_token(self) -> str:
        """Return the token."""
        return "token"

    async def async_renew_access_token(self, rejected_token: str) -> str:
        """Return the same token."""
        return "token"


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
