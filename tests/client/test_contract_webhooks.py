"""Issue 20 §2, webhooks and signal times: VERIFY challenges, `GET /webhooks`, `fetchedAt`."""

from __future__ import annotations

import base64
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
import json
from typing import Any

import aiohttp
from aiohttp import web
import pytest

from custom_components.smartcar.api import (
    AbstractAuth,
    SmartcarSettings,
    VehicleSignals,
    parse_signal,
    signals as sig,
)
from custom_components.smartcar.api.delivery import (
    EventType,
    parse_event,
    sign,
    verify_answer,
)
from custom_components.smartcar.api.management import SmartcarManagement, Webhook
from smartcar_simulator import Simulator

from .fakes import Handler, StaticAuth

TOKEN = "amt-0123456789"
CALLBACK = "https://ha.example.com/api/webhook/0123"
ERRORS = "https://ha.example.com/api/webhook/errors"


# -- 4. VERIFY challenges ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "challenge",
    [
        base64.b64encode(bytes(range(250, 256)) * 3).decode(),  # with + and /
        base64.b64encode(b"\xfb\xff\xfe").decode(),  # +//+
        base64.b64encode(b"random!").decode(),  # padded: =
        base64.b64encode(bytes(range(192))).decode(),  # 256 characters, the most
        "a b",
        "é",
    ],
)
def test_base64_challenges_verify(challenge: str) -> None:
    """A base64 (or any other non-JSON) challenge is answered with its HMAC.

    Refused before issue 20 (only `[A-Za-z0-9._~-]{1,256}` was answered).
    """
    body = json.dumps({"eventType": "VERIFY", "data": {"challenge": challenge}})
    event = parse_event(body.encode())
    assert event.type is EventType.VERIFY
    assert verify_answer(TOKEN, event.challenge) == {
        "challenge": sign(TOKEN, challenge.encode())
    }


def test_a_forged_delivery_is_never_signed() -> None:
    """A delivery body sent as a challenge is refused: VERIFY is no signing oracle."""
    forged = json.dumps({"eventType": "VEHICLE_STATE", "data": {"signals": []}})
    assert verify_answer(TOKEN, forged) is None
    # Not even its inside: no quote, no brace.
    assert verify_answer(TOKEN, forged[1:-1]) is None


# -- 5. GET /webhooks -------------------------------------------------------------------------


@pytest.fixture
def management(
    http_session: aiohttp.ClientSession, auth: AbstractAuth, settings: SmartcarSettings
) -> SmartcarManagement:
    """Return a Management API client on the simulator (application token only)."""
    return SmartcarManagement(http_session, auth, settings=settings)


async def test_webhook_attributes(
    management: SmartcarManagement, simulator: Simulator
) -> None:
    """The typed webhook carries isEnabled, autoSubscribe and errorCallbackUri."""
    simulator.add_webhook("https://other.example.com/hook", webhook_id="other")
    simulator.add_webhook(
        CALLBACK,
        webhook_id="ours",
        enabled=False,
        auto_subscribe=True,
        error_callback_uri=ERRORS,
    )
    expected = Webhook(
        "ours", "Simulator webhook", CALLBACK, False, True, ERRORS
    )  # name as the simulator's dashboard gives it
    assert await management.async_get_webhook(CALLBACK + "/") == expected
    assert await management.async_webhook("ours") == expected
    assert await management.async_webhook("missing") is None
    other = await management.async_get_webhook("https://other.example.com/hook")
    assert other is not None
    assert (other.is_enabled, other.auto_subscribe, other.error_callback_uri) == (
        True,
        False,
        None,
    )
    assert await management.async_get_webhook("https://nowhere.example.com") is None


async def test_webhook_looked_up_by_its_callback(
    fake_smartcar: Callable[[Handler], Any], http_session: aiohttp.ClientSession
) -> None:
    """The listing is asked with `filter[callbackUri]` and `page[size]=100`, app token only.

    Hand-written shape from the list-webhooks page (attributes missing or malformed: None).
    """
    asked: list[tuple[str, dict[str, str]]] = []

    def handler(request: web.Request) -> web.Response:
        asked.append((request.headers["Authorization"], dict(request.query)))
        uri = request.query.get("filter[callbackUri]")
        data = [
            {
                "id": "wh_1",
                "type": "webhook",
                "attributes": {
                    "name": "Home",
                    "callbackUri": uri,
                    "isEnabled": "yes",
                    "autoSubscribe": False,
                },
            }
        ]
        return web.json_response({"data": data if uri == CALLBACK else []})

    settings = await fake_smartcar(handler)
    management = SmartcarManagement(http_session, StaticAuth(), TOKEN, settings)
    webhook = await management.async_get_webhook(CALLBACK)
    assert webhook == Webhook("wh_1", "Home", CALLBACK, None, False, None)
    assert asked == [
        (
            "Bearer token",
            {"filter[callbackUri]": CALLBACK, "page[size]": "100"},
        )
    ]
    # A URL registered without (or with) the trailing slash is asked for in both forms.
    assert await management.async_find_webhook(CALLBACK + "/") == "wh_1"
    assert [query["filter[callbackUri]"] for _, query in asked[1:]] == [
        CALLBACK + "/",
        CALLBACK,
    ]
    assert all(auth == "Bearer token" for auth, _ in asked)


# -- 6. meta.fetchedAt ------------------------------------------------------------------------

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)


def _soc(value: int, meta: dict[str, Any]) -> dict[str, Any]:
    return {
        "code": "tractionbattery-stateofcharge",
        "body": {"value": value, "unit": "percent"},
        "meta": meta,
    }


def test_fetched_at_is_read() -> None:
    """`fetchedAt` is read beside `oemUpdatedAt` and `retrievedAt`; a future one is dropped."""
    signal = parse_signal(
        _soc(
            57,
            {
                "oemUpdatedAt": "2026-12-07T10:00:00Z",
                "retrievedAt": "2026-12-07T11:00:00Z",
                "fetchedAt": "2026-12-07T11:30:00Z",
            },
        ),
        received_at=NOW,
    )
    assert signal is not None
    assert signal.oem_updated_at == NOW - timedelta(hours=2)
    assert signal.retrieved_at == NOW - timedelta(hours=1)
    assert signal.fetched_at == NOW - timedelta(minutes=30)
    ahead = parse_signal(
        _soc(57, {"fetchedAt": (NOW + timedelta(hours=1)).timestamp() * 1000}),
        received_at=NOW,
    )
    assert ahead is not None
    assert ahead.fetched_at is None


def test_merge_orders_by_oem_updated_at_not_fetched_at() -> None:
    """A later fetch of an older car value does not win; `fetchedAt` alone dates the data."""
    held = parse_signal(
        _soc(60, {"oemUpdatedAt": "2026-12-07T11:00:00Z"}), received_at=NOW
    )
    older = parse_signal(
        _soc(
            55,
            {
                "oemUpdatedAt": "2026-12-07T10:00:00Z",
                "fetchedAt": "2026-12-07T11:59:00Z",
            },
        ),
        received_at=NOW,
    )
    assert held is not None
    assert older is not None
    data = VehicleSignals().merged([held]).merged([older])
    assert data.body(sig.STATE_OF_CHARGE) == held.body
    fetched_only = parse_signal(
        _soc(50, {"fetchedAt": "2026-12-07T11:45:00Z"}), received_at=NOW
    )
    assert fetched_only is not None
    assert VehicleSignals().merged([fetched_only]).latest_update() == datetime(
        2026, 12, 7, 11, 45, tzinfo=UTC
    )
