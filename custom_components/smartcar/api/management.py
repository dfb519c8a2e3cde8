"""Smartcar's Management API: the application's webhooks and which vehicles they cover.

A vehicle that no webhook subscription covers may have no data at all (see
`contract.ROUTE_NOT_FOUND_CODES`); subscribing it makes Smartcar read it and deliver.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from enum import StrEnum
from functools import partial
import logging
import re
from typing import Any, Final

import aiohttp

from . import contract
from .auth import AbstractAuth
from .contract import Endpoint
from .errors import SmartcarApiError, SmartcarError, SmartcarNotFoundError
from .http import RawResponse, bearer_headers, send
from .paging import iterate_pages
from .parsing import as_list, as_mapping, as_str
from .settings import DEFAULT_SETTINGS, SmartcarSettings

_LOGGER = logging.getLogger(__name__)

MAX_PAGES: Final = 20
PAGE_SIZE: Final = 100
# A webhook id as the dashboard shows it (a UUID in the docs' examples); only this form is sent.
_WEBHOOK_ID: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")


def webhook_id_valid(webhook_id: str) -> bool:
    """Whether a webhook id typed by the owner has the form of one (safe in a request)."""
    return _WEBHOOK_ID.fullmatch(webhook_id) is not None


class ManagementAuth(StrEnum):
    """The token sent to the Management API (which one it takes is UNCONFIRMED)."""

    APP_TOKEN = "app_token"
    MANAGEMENT_TOKEN = "management_token"


def _related_id(resource: Mapping[str, Any], name: str) -> str | None:
    relation = as_mapping(as_mapping(resource.get("relationships")).get(name))
    return as_str(as_mapping(relation.get("data")).get("id"))


def is_missing_data(err: SmartcarError) -> bool:
    """Whether a failed signal list means the vehicle has no data yet (not subscribed).

    A 404 whose code names a wrong path or API version is a real error.
    """
    return isinstance(err, SmartcarNotFoundError) and not err.unknown_route


class SmartcarManagement:
    """Lists webhooks and subscribes or unsubscribes vehicles.

    The Management API's token is tried in `contract.MANAGEMENT_AUTH_ORDER`; the first one
    it takes is remembered in `auth_choice`.
    """

    def __init__(
        self,
        session: aiohttp.ClientSession,
        auth: AbstractAuth,
        management_token: str,
        settings: SmartcarSettings = DEFAULT_SETTINGS,
    ) -> None:
        """Bind the session, the app token source and the application management token."""
        self._session = session
        self._auth = auth
        self._management_token = management_token
        self.settings = settings
        self.auth_choice: ManagementAuth | None = None

    async def async_request(
        self, endpoint: Endpoint, url: str, **kwargs: Any
    ) -> RawResponse:
        """Send a request with the token the Management API takes; raise typed errors.

        The remembered choice goes first, then the others in the contract's order, each
        after a 401 of the one before.
        """
        limit = self.settings.request_timeout
        request = partial(send, self._session, endpoint.method, url, time_limit=limit)
        order = [ManagementAuth(name) for name in contract.MANAGEMENT_AUTH_ORDER]
        for choice in sorted(order, key=lambda choice: choice is not self.auth_choice):
            if choice is ManagementAuth.MANAGEMENT_TOKEN:
                token = self._management_token
            else:
                token = await self._auth.async_get_access_token()
            response = await request(headers=bearer_headers(token), **kwargs)
            # A remembered app token that is refused may just have expired.
            refused = response.status == 401 and choice is self.auth_choice
            if refused and choice is ManagementAuth.APP_TOKEN:
                token = await self._auth.async_renew_access_token(token)
                response = await request(headers=bearer_headers(token), **kwargs)
            if response.status != 401:
                if choice is not self.auth_choice:
                    _LOGGER.debug("The Management API takes the %s", choice.value)
                    self.auth_choice = choice
                break
        if (error := response.error()) is not None:
            raise error
        return response

    async def _resources(
        self, endpoint: Endpoint, params: Mapping[str, str]
    ) -> AsyncIterator[tuple[str, Mapping[str, Any]]]:
        """Yield the id and the object of every listed resource that has an id."""

        async def fetch(url: str, query: Mapping[str, str] | None) -> Any:
            return (await self.async_request(endpoint, url, params=query)).json()

        async for page in iterate_pages(
            endpoint.name,
            fetch,
            root_url=self.settings.management_api_url,
            first_url=endpoint.url(self.settings.management_api_url),
            params=params,
            max_pages=MAX_PAGES,
        ):
            for item in as_list(page.get("data")):
                resource = as_mapping(item)
                if resource_id := as_str(resource.get("id")):
                    yield resource_id, resource

    async def async_find_webhook(self, callback_url: str) -> str | None:
        """Return the id of the application's webhook that delivers to `callback_url`."""
        wanted = callback_url.rstrip("/")
        async for webhook_id, resource in self._resources(contract.WEBHOOKS, {}):
            uri = as_str(as_mapping(resource.get("attributes")).get("callbackUri"))
            if uri and uri.rstrip("/") == wanted:
                return webhook_id
        return None

    async def async_subscribe(
        self, webhook_id: str, user_id: str, vehicle_id: str
    ) -> bool:
        """Subscribe a user's vehicle to a webhook; False when it already was (409)."""
        ids = {"webhookId": webhook_id, "userId": user_id, "vehicleId": vehicle_id}
        try:
            await self.async_request(
                contract.SUBSCRIBE,
                contract.SUBSCRIBE.url(self.settings.management_api_url),
                json_body={"data": {"attributes": ids}},
            )
        except SmartcarApiError as err:
            if err.status == 409:
                return False
            raise
        return True

    async def async_unsubscribe(self, webhook_id: str, user_id: str) -> int:
        """Remove the subscriptions of a user's vehicles to a webhook; return how many went."""
        params = {
            "page[size]": str(PAGE_SIZE),
            "filter[webhookId]": webhook_id,
            "filter[userId]": user_id,
        }
        # All listed first (deleting while paging would shift the pages); a server that
        # ignores the filters cannot make the client delete others' subscriptions.
        ours = [
            subscription_id
            async for subscription_id, resource in self._resources(
                contract.SUBSCRIPTIONS, params
            )
            if _related_id(resource, "webhook") == webhook_id
            and _related_id(resource, "user") == user_id
        ]
        removed = 0
        for subscription_id in ours:
            url = contract.UNSUBSCRIBE.url(
                self.settings.management_api_url, subscription_id=subscription_id
            )
            try:
                await self.async_request(contract.UNSUBSCRIBE, url)
            except SmartcarNotFoundError:
                continue  # gone meanwhile
            removed += 1
        return removed
