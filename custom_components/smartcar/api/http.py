"""The one place the client touches the network: a request, its timeout and its failures."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import aiohttp

from . import errors, parsing


@dataclass(frozen=True, slots=True)
class RawResponse:
    """Status, headers and body text of an HTTP answer."""

    status: int
    headers: Mapping[str, str]
    text: str

    def json(self) -> Any:
        """Return the parsed body, or raise `SmartcarResponseError` if it is not JSON."""
        try:
            return parsing.loads(self.text)
        except ValueError as err:
            raise errors.SmartcarResponseError(
                f"Smartcar answered {self.status} with a body that is not JSON"
            ) from err

    def error(self) -> errors.SmartcarApiError | None:
        """Return the typed error of an error answer (400 and up), None for a success."""
        if self.status < 400:
            return None
        retry_after = self.headers.get("Retry-After")
        return errors.error_from_response(self.status, self.text, retry_after)


def bearer_headers(token: str) -> dict[str, str]:
    """Return the headers of a request authorised with `token`."""
    return {"Authorization": f"Bearer {token}", "Accept": "application/json"}


async def send(
    session: aiohttp.ClientSession,
    method: str,
    url: str,
    *,
    time_limit: float,
    headers: Mapping[str, str] | None = None,
    params: Mapping[str, str] | None = None,
    json_body: Any = None,
    data: Mapping[str, str] | None = None,
) -> RawResponse:
    """Send one request and read its whole answer, turning network failures into typed errors."""
    try:
        async with (
            asyncio.timeout(time_limit),
            session.request(
                method, url, headers=headers, params=params, json=json_body, data=data
            ) as response,
        ):
            text = await response.text()
            return RawResponse(response.status, response.headers, text)
    except TimeoutError as err:
        raise errors.SmartcarConnectionError(
            f"Smartcar did not answer {method} within {time_limit:g} s"
        ) from err
    except aiohttp.ClientError as err:
        raise errors.SmartcarConnectionError(
            f"Could not reach Smartcar: {type(err).__name__}"
        ) from err
