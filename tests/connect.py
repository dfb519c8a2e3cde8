"""Go through the simulator's Smartcar Connect pages as a person would, over HTTP."""

from __future__ import annotations

from html import unescape
import re

import aiohttp
from yarl import URL

from smartcar_simulator.vehicles import DEMO_PASSWORD

_HIDDEN = re.compile(r"<input type='hidden' name='([^']*)' value='([^']*)'>")
_VEHICLE = re.compile(r"<input type='checkbox' name='vehicle' value='([^']*)'")


def _hidden_fields(html: str) -> list[tuple[str, str]]:
    return [(unescape(name), unescape(value)) for name, value in _HIDDEN.findall(html)]


async def connect_as(
    session: aiohttp.ClientSession,
    authorize_url: str,
    email: str,
    *,
    action: str = "approve",
    vehicles: list[str] | None = None,
) -> URL:
    """Log in, tick vehicles (default: all) and approve or deny; return where Connect redirects."""
    url = URL(authorize_url)
    form_url = url.with_path("/oauth/authorize").with_query(None)
    async with session.get(url) as response:
        assert response.status == 200, await response.text()
        login = await response.text()
    fields = [*_hidden_fields(login), ("email", email), ("password", DEMO_PASSWORD)]
    async with session.post(form_url, data=fields, allow_redirects=False) as response:
        if response.status == 302:  # e.g. an account without vehicles
            return URL(response.headers["Location"])
        consent = await response.text()
    ticked = _VEHICLE.findall(consent) if vehicles is None else vehicles
    answer = [
        *_hidden_fields(consent),
        *(("vehicle", v) for v in ticked),
        ("action", action),
    ]
    async with session.post(form_url, data=answer, allow_redirects=False) as response:
        assert response.status == 302, await response.text()
        return URL(response.headers["Location"])
