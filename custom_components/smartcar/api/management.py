"""Smartcar's Management API: the application's webhooks and which vehicles they cover.

A vehicle that no webhook subscription covers may have no data at all (see
`contract.ROUTE_NOT_FOUND_CODES`); subscribing it makes Smartcar read it and deliver.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, replace
import logging
import re
from typing import Any, Final

import aiohttp

from . import contract
from .auth import AbstractAuth
from .client import SmartcarClient
from .contract import Endpoint
from .errors import SmartcarApiError, SmartcarError, SmartcarNotFoundError
from .http import RawResponse
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


@dataclass(frozen=True, slots=True)
class Webhook:
    """One of the application's webhooks, as the Management API lists it.

    `is_enabled` and `auto_subscribe` are None when Smartcar does not say; error events go to
    `error_callback_uri` when one is set (else to `callback_uri`).
    """

    id: str
    name: str | None
    callback_uri: str | None
    is_enabled: bool | None
    auto_subscribe: bool | None
    error_callback_uri: str | None

    @classmethod
    def from_resource(cls, webhook_id: str, resource: Mapping[str, Any]) -> Webhook:
        """Read a `webhook` resource (attributes that are missing or malformed read None)."""
        attributes = as_mapping(resource.get("attributes"))

        def flag(key: str) -> bool | None:
            value = attributes.get(key)
            return value if isinstance(value, bool) else None

        return cls(
            webhook_id,
            as_str(attributes.get("name")),
            as_str(attributes.get("callbackUri")),
            flag("isEnabled"),
            flag("autoSubscribe"),
            as_str(attributes.get("errorCallbackUri")),
        )

    def delivers_to(self, url: str) -> bool:
        """Whether this webhook's callback is `url` (a trailing `/` aside)."""
        uri = self.callback_uri
        return uri is not None and uri.rstrip("/") == url.rstrip("/")


def _related_id(resource: Mapping[str, Any], name: str) -> str | None:
    relation = as_mapping(as_mapping(resource.get("relationships")).get(name))
    return as_str(as_mapping(relation.get("data")).get("id"))


def is_missing_data(err: SmartcarError) -> bool:
    """Whether a failed signal list means the vehicle has no data yet (not subscribed).

    A 404 whose code names a wrong path or API version is a real error.
    """
    return isinstance(err, SmartcarNotFoundError) and not err.unknown_route


class SmartcarManagement:
    """Lists webhooks and subscribes or unsubscribes vehicles, with the application token."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        auth: AbstractAuth,
        management_token: str | None = None,
        settings: SmartcarSettings = DEFAULT_SETTINGS,
    ) -> None:
        """Bind the session and the application token source.

        `management_token` is never sent (the docs name the application token; see
        `contract.SUBSCRIBE`); it is still accepted so that older callers keep working.
        """
        del management_token
        self.settings = settings
        # The vehicle client's requests (token, one renewal on a 401, typed errors), without
        # its request counting and rate limit. Subscribing is no carmaker command: every
        # Management API request waits the request timeout.
        self._client = SmartcarClient(
            session,
            auth,
            replace(settings, command_timeout=settings.request_timeout),
        )

    async def async_request(
        self, endpoint: Endpoint, url: str, **kwargs: Any
    ) -> RawResponse:
        """Send a request with the application token; raise typed errors.

        A 401 renews the token once and the request is sent again once.
        """
        return await self._client.async_request(endpoint, url=url, **kwargs)

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

    async def async_get_webhook(self, callback_url: str) -> Webhook | None:
        """Return the application's webhook that delivers to `callback_url`, if one does.

        Asked with `filter[callbackUri]` (the URL as given, then with or without its trailing
        `/`); the answer is checked again here, should the filter be ignored.
        """
        stripped = callback_url.rstrip("/")
        for uri in dict.fromkeys((callback_url, stripped, f"{stripped}/")):
            params = {
                contract.WEBHOOKS_CALLBACK_FILTER: uri,
                "page[size]": str(PAGE_SIZE),
            }
            async for webhook_id, resource in self._resources(
                contract.WEBHOOKS, params
            ):
                webhook = Webhook.from_resource(webhook_id, resource)
                if webhook.delivers_to(callback_url):
                    return webhook
        return None

    async def async_webhook(self, webhook_id: str) -> Webhook | None:
        """Return one of the application's webhooks by its id; None when there is none (404)."""
        url = contract.WEBHOOK.url(
            self.settings.management_api_url, webhook_id=webhook_id
        )
        try:
            payload = (await self.async_request(contract.WEBHOOK, url)).json()
        except SmartcarNotFoundError:
            return None
        resource = as_mapping(as_mapping(payload).get("data"))
        return Webhook.from_resource(as_str(resource.get("id")) or webhook_id, resource)

    async def async_find_webhook(self, callback_url: str) -> str | None:
        """Return the id of the application's webhook that delivers to `callback_url`."""
        webhook = await self.async_get_webhook(callback_url)
        return webhook.id if webhook is not None else None

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
