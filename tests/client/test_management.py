"""The Management API client against the simulator: webhooks, subscribe, unsubscribe, tokens.

Also the three answers an unsubscribed vehicle's `GET /signals` may give.
"""

from __future__ import annotations

import json
from typing import Any

import aiohttp
import pytest

from custom_components.smartcar.api import (
    AbstractAuth,
    SmartcarAuthenticationError,
    SmartcarClient,
    SmartcarNotFoundError,
    SmartcarSettings,
    signals,
)
from custom_components.smartcar.api.contract import Endpoint
from custom_components.smartcar.api.errors import (
    ErrorDetail,
    SmartcarResponseError,
    SmartcarServerError,
    SmartcarValidationError,
)
from custom_components.smartcar.api.http import RawResponse
from custom_components.smartcar.api.management import (
    MAX_PAGES,
    SmartcarManagement,
    is_missing_data,
)
from smartcar_simulator import EX30_ID, OWNER_EMAIL, WEBHOOK_ID, XC60_ID, Simulator
from smartcar_simulator.clock import ManualClock

CALLBACK = "https://ha.example.com/api/webhook/0123"
OTHER = "https://other.example.com/hook"


@pytest.fixture
def management(
    http_session: aiohttp.ClientSession,
    auth: AbstractAuth,
    settings: SmartcarSettings,
) -> SmartcarManagement:
    """Return a Management API client talking to the simulator."""
    return SmartcarManagement(http_session, auth, settings=settings)


@pytest.fixture
def owner(simulator: Simulator) -> str:
    """Connect the owner's cars; the EX30 answers 404 until subscribed."""
    user_id = simulator.connect(OWNER_EMAIL)
    simulator.add_webhook("https://elsewhere.example.com/hook", webhook_id="other")
    simulator.add_webhook(CALLBACK, webhook_id=WEBHOOK_ID)
    return user_id


@pytest.mark.parametrize("answer", ["404", "empty", "stale"])
async def test_subscribe_brings_the_signals(
    client: SmartcarClient,
    management: SmartcarManagement,
    simulator: Simulator,
    sim_clock: ManualClock,
    owner: str,
    *,
    answer: str,
) -> None:
    """Each unsubscribed answer reads as no data (or old data) until subscribed."""
    simulator.set_unsubscribed(EX30_ID, answer)  # type: ignore[arg-type]
    sim_clock.advance(days=2)
    simulator.set_locked(EX30_ID, True)
    vehicle = client.vehicle(EX30_ID, owner)
    if answer == "404":
        with pytest.raises(SmartcarNotFoundError) as caught:
            await vehicle.async_get_signals()
        assert is_missing_data(caught.value)
    else:
        before = await vehicle.async_get_signals()
        if answer == "empty":
            assert not before.signals
        else:
            assert before.signals
            assert all(
                signal.retrieved_at is not None
                and (sim_clock() - signal.retrieved_at).days >= 1
                for signal in before.signals.values()
            )

    assert await management.async_find_webhook(CALLBACK + "/") == WEBHOOK_ID
    assert await management.async_subscribe(WEBHOOK_ID, owner, EX30_ID) is True
    assert await management.async_subscribe(WEBHOOK_ID, owner, EX30_ID) is False
    after = await vehicle.async_get_signals()
    locked = after.get(signals.IS_LOCKED)
    assert locked is not None
    assert locked.retrieved_at == sim_clock()

    (subscription,) = simulator.subscriptions()
    assert (subscription.webhook_id, subscription.user_id) == (WEBHOOK_ID, owner)
    assert await management.async_unsubscribe(WEBHOOK_ID, owner) == 1
    assert await management.async_unsubscribe(WEBHOOK_ID, owner) == 0
    assert simulator.subscriptions() == []


async def test_webhook_not_found(management: SmartcarManagement, owner: str) -> None:
    """No webhook delivers to an unknown URL; each other URL finds its own webhook."""
    assert await management.async_find_webhook("https://nowhere.example.com") is None
    elsewhere = "https://elsewhere.example.com/hook"
    assert await management.async_find_webhook(elsewhere) == "other"
    assert await management.async_find_webhook(CALLBACK) == WEBHOOK_ID


async def test_application_token_only(
    management: SmartcarManagement, simulator: Simulator, owner: str
) -> None:
    """The docs name the application token: the AMT is never sent, a refusal is raised.

    (Before issue 20 the client fell back to the management token after a 401.)
    """
    assert await management.async_find_webhook(CALLBACK) == WEBHOOK_ID
    simulator.management_auth = "amt"
    first = simulator.counters.count("webhooks")
    with pytest.raises(SmartcarAuthenticationError):
        await management.async_find_webhook(CALLBACK)
    # The refused token once renewed and sent again; no other token tried.
    assert simulator.counters.count("webhooks") - first == 2


async def test_expired_app_token_is_renewed(
    management: SmartcarManagement, simulator: Simulator, owner: str
) -> None:
    """An app token that expired is minted again."""
    await management.async_find_webhook(CALLBACK)
    simulator.revoke_tokens()
    assert await management.async_find_webhook(CALLBACK) == WEBHOOK_ID


async def test_subscribe_errors(
    management: SmartcarManagement, simulator: Simulator, owner: str
) -> None:
    """Unknown webhook: 404; a server failure is raised as such."""
    with pytest.raises(SmartcarNotFoundError):
        await management.async_subscribe("unknown", owner, EX30_ID)
    with pytest.raises(SmartcarValidationError):
        await management.async_subscribe(WEBHOOK_ID, owner, "")
    simulator.faults.fail_next("subscribe", status=500, error_type="SERVER")
    with pytest.raises(SmartcarServerError):
        await management.async_subscribe(WEBHOOK_ID, owner, XC60_ID)


async def test_unsubscribe_tolerates_a_vanished_subscription(
    management: SmartcarManagement, simulator: Simulator, owner: str
) -> None:
    """A subscription deleted between listing and deleting is not an error."""
    simulator.add_subscription(WEBHOOK_ID, owner, EX30_ID)
    simulator.faults.fail_next(
        "unsubscribe", status=404, error_type="RESOURCE_NOT_FOUND"
    )
    assert await management.async_unsubscribe(WEBHOOK_ID, owner) == 0


async def test_subscriptions_are_paged(
    management: SmartcarManagement, simulator: Simulator, owner: str
) -> None:
    """Every listed subscription of the user's vehicles goes."""
    for _ in range(4):
        vehicle_id = simulator.add_vehicle(OWNER_EMAIL, "XC40")
        simulator.connect(OWNER_EMAIL, [vehicle_id])
        simulator.add_subscription(WEBHOOK_ID, owner, vehicle_id)
    assert await management.async_unsubscribe(WEBHOOK_ID, owner) == 4
    assert simulator.subscriptions() == []


def test_missing_data_rule() -> None:
    """A 404 about the path or the API version is an error, any other 404 is no data yet."""
    assert is_missing_data(
        SmartcarNotFoundError(404, ErrorDetail("RESOURCE_NOT_FOUND", None, None))
    )
    assert not is_missing_data(
        SmartcarNotFoundError(404, ErrorDetail("RESOURCE_NOT_FOUND", "PATH", None))
    )
    assert not is_missing_data(
        SmartcarServerError(500, ErrorDetail("SERVER", None, None))
    )


async def test_unsubscribe_a_users_vehicles(
    management: SmartcarManagement, simulator: Simulator, owner: str
) -> None:
    """Every subscription of the user's vehicles to the webhook goes; others stay."""
    simulator.add_subscription(WEBHOOK_ID, owner, EX30_ID)
    simulator.add_subscription(WEBHOOK_ID, owner, XC60_ID)
    simulator.add_subscription("other", owner, EX30_ID)
    assert await management.async_unsubscribe(WEBHOOK_ID, owner) == 2
    assert [s.webhook_id for s in simulator.subscriptions()] == ["other"]


async def test_unsubscribe_skips_what_filters_should_have_dropped(
    management: SmartcarManagement,
    simulator: Simulator,
    owner: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A server that ignores the filters cannot make the client delete others' subscriptions."""
    simulator.add_subscription("other", owner, EX30_ID)
    simulator.add_subscription(WEBHOOK_ID, "someone-else", XC60_ID)
    request = management.async_request

    async def ignore_filters(
        endpoint: Endpoint, url: str, **kwargs: Any
    ) -> RawResponse:
        kwargs.pop("params", None)
        return await request(endpoint, url, **kwargs)

    monkeypatch.setattr(management, "async_request", ignore_filters)
    assert await management.async_unsubscribe(WEBHOOK_ID, owner) == 0
    assert len(simulator.subscriptions()) == 2


@pytest.mark.parametrize(
    "next_link",
    [
        "https://elsewhere.example.com/management/v3/subscriptions?page[number]=2",
        "/management/v3/subscriptions?page[number]=1",
        "loop",
    ],
)
async def test_paging_stays_on_the_api(
    management: SmartcarManagement,
    monkeypatch: pytest.MonkeyPatch,
    next_link: str,
) -> None:
    """A `links.next` to another host, or one that loops, is an error: the token stays home."""
    asked: list[str] = []

    async def answer(endpoint: Endpoint, url: str, **_: Any) -> RawResponse:
        asked.append(url)
        link = url if next_link == "loop" and len(asked) > 1 else next_link
        if next_link == "loop" and len(asked) == 1:
            link = "/management/v3/subscriptions?page[number]=2"
        body = {"data": [], "links": {"next": link}}
        return RawResponse(200, {}, json.dumps(body))

    monkeypatch.setattr(management, "async_request", answer)
    with pytest.raises(SmartcarResponseError, match="outside the Smartcar API|loops"):
        await management.async_unsubscribe(WEBHOOK_ID, "user")
    assert all(url.startswith(management.settings.management_api_url) for url in asked)


async def test_paging_is_bounded(
    management: SmartcarManagement, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Endless distinct pages stop after `MAX_PAGES` requests."""
    asked: list[str] = []

    async def answer(endpoint: Endpoint, url: str, **_: Any) -> RawResponse:
        asked.append(url)
        body = {"links": {"next": f"/management/v3/webhooks?page={len(asked) + 1}"}}
        return RawResponse(200, {}, json.dumps(body))

    monkeypatch.setattr(management, "async_request", answer)
    with pytest.raises(SmartcarResponseError, match="more than"):
        await management.async_find_webhook(CALLBACK)
    assert len(asked) == MAX_PAGES


async def test_hostile_listing_entries_are_skipped(
    management: SmartcarManagement, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Entries without an id, or not objects at all, are left out."""

    async def answer(endpoint: Endpoint, url: str, **_: Any) -> RawResponse:
        body = {
            "data": [
                "text",
                {"id": 5, "attributes": {"callbackUri": CALLBACK}},
                {"id": "ok", "attributes": ["not", "an", "object"]},
                {"id": "found", "attributes": {"callbackUri": OTHER}},
            ]
        }
        return RawResponse(200, {}, json.dumps(body))

    monkeypatch.setattr(management, "async_request", answer)
    # The webhook delivering to CALLBACK has no usable id; "ok" has no URL.
    assert await management.async_find_webhook(CALLBACK) is None
    assert await management.async_find_webhook(OTHER) == "found"
