"""A small HTTP helper for talking to the simulator in tests."""

from __future__ import annotations

from dataclasses import dataclass
import json
from typing import Any

import aiohttp
from multidict import CIMultiDictProxy

from smartcar_simulator import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, Simulator


@dataclass(slots=True)
class Reply:
    """A finished HTTP exchange."""

    status: int
    headers: CIMultiDictProxy[str]
    text: str

    @property
    def json(self) -> Any:
        """Return the body parsed as JSON."""
        return json.loads(self.text)

    @property
    def error(self) -> dict[str, Any]:
        """Return the first v3 error object."""
        errors: list[dict[str, Any]] = self.json["errors"]
        return errors[0]


class Api:
    """Calls the simulator with a cached application token."""

    def __init__(self, session: aiohttp.ClientSession, sim: Simulator) -> None:
        """Bind to a started simulator."""
        self.session = session
        self.sim = sim
        self._token: str | None = None

    async def token(self) -> str:
        """Return a valid application token, fetching a new one over HTTP when needed."""
        if self._token is None or not self.sim.token_valid(self._token):
            reply = await self.call(
                "POST",
                "/oauth2/token",
                auth=False,
                data={
                    "grant_type": "client_credentials",
                    "client_id": DEMO_CLIENT_ID,
                    "client_secret": DEMO_CLIENT_SECRET,
                },
            )
            assert reply.status == 200, reply.text
            self._token = reply.json["access_token"]
        return self._token

    async def call(
        self,
        method: str,
        path: str,
        *,
        user: str | None = None,
        auth: bool = True,
        headers: dict[str, str] | None = None,
        **kwargs: Any,
    ) -> Reply:
        """Send a request; `user` sets `sc-user-id`, `auth` adds the bearer token."""
        sent = dict(headers or {})
        if auth:
            sent["Authorization"] = f"Bearer {await self.token()}"
        if user is not None:
            sent["sc-user-id"] = user
        async with self.session.request(
            method, f"{self.sim.url}{path}", headers=sent, **kwargs
        ) as response:
            return Reply(response.status, response.headers, await response.text())

    async def get(self, path: str, **kwargs: Any) -> Reply:
        """Send a GET."""
        return await self.call("GET", path, **kwargs)

    async def post(self, path: str, **kwargs: Any) -> Reply:
        """Send a POST."""
        return await self.call("POST", path, **kwargs)

    async def delete(self, path: str, **kwargs: Any) -> Reply:
        """Send a DELETE."""
        return await self.call("DELETE", path, **kwargs)
