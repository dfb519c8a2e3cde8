"""Vehicles not subscribed to a webhook: the entry sets up, a repair per vehicle, self-subscribing."""

from __future__ import annotations

import json
import logging
from typing import Any

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, issue_registry as ir
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.smartcar.const import (
    CONF_MANAGEMENT_TOKEN,
    CONF_SMARTCAR_WEBHOOK_ID,
    CONF_WEBHOOK_ID,
    DOMAIN,
)
from custom_components.smartcar.diagnostics import async_get_config_entry_diagnostics
from custom_components.smartcar.issues import issue_id as vehicle_issue_id
from custom_components.smartcar.subscriptions import (
    DISABLED_TRANSLATION,
    ISSUE,
    CallbackUrl,
    SubscriptionWatch,
)
from smartcar_simulator import DEMO_MANAGEMENT_TOKEN, WEBHOOK_ID, Simulator
from smartcar_simulator.vehicles import EX30_ID, XC60_ID, XC90_ID

from .conftest import setup_entry

pytestmark = pytest.mark.usefixtures("credentials", "only_platforms")

VEHICLES = (EX30_ID, XC60_ID, XC90_ID)
HOOK_ID = "smartcar-hook-id"
EX30_SOC = "sensor.volvo_ex30_battery"


@pytest.fixture
async def callback_url(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    config_entry: MockConfigEntry,
) -> str:
    """Give the entry a webhook id and Home Assistant a reachable URL; return the callback URL."""
    assert await async_setup_component(hass, "webhook", {})
    client = await hass_client_no_auth()
    await hass.config.async_update(internal_url=str(client.make_url("/")).rstrip("/"))
    hass.config_entries.async_update_entry(
        config_entry, data={**config_entry.data, CONF_WEBHOOK_ID: HOOK_ID}
    )
    return str(client.make_url(f"/api/webhook/{HOOK_ID}"))


def _issue_id(vehicle_id: str) -> str:
    return vehicle_issue_id(ISSUE, vehicle_id)


def _issues(hass: HomeAssistant) -> set[str]:
    return {
        issue_id_
        for (domain, issue_id_) in ir.async_get(hass).issues
        if domain == DOMAIN
    }


def _with_token(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    hass.config_entries.async_update_entry(
        entry, options={CONF_MANAGEMENT_TOKEN: DEMO_MANAGEMENT_TOKEN}
    )


@pytest.mark.parametrize("answer", ["404", "empty"])
async def test_unsubscribed_vehicles_set_up_with_a_repair(
    hass: HomeAssistant,
    smartcar: Simulator,
    config_entry: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
    answer: str,
) -> None:
    """No car has data: the entry loads, each device appears, one repair per car."""
    for vehicle_id in VEHICLES:
        smartcar.set_unsubscribed(vehicle_id, answer)  # type: ignore[arg-type]
    await setup_entry(hass, config_entry)
    assert config_entry.state is ConfigEntryState.LOADED
    for vehicle_id in VEHICLES:
        assert device_registry.async_get_device_by_identifier(
            (DOMAIN, vehicle_id), config_entry.entry_id
        )
    assert _issues(hass) == {_issue_id(vehicle_id) for vehicle_id in VEHICLES}
    issue = ir.async_get(hass).async_get_issue(DOMAIN, _issue_id(EX30_ID))
    assert issue is not None
    assert issue.translation_key == "vehicle_not_subscribed"
    assert issue.translation_placeholders == {"vehicle": "Volvo EX30"}
    assert hass.states.get(EX30_SOC) is None
    assert smartcar.subscriptions() == []
    watch = config_entry.runtime_data.subscriptions
    assert isinstance(watch, SubscriptionWatch)
    coordinator = config_entry.runtime_data.coordinators[EX30_ID]
    assert await watch.async_subscribe(coordinator) is False  # no management token

    # The owner subscribes the EX30 in the dashboard: the next poll brings its data.
    smartcar.add_webhook("https://example.com/hook", webhook_id=WEBHOOK_ID)
    smartcar.add_subscription(WEBHOOK_ID, config_entry.unique_id or "", EX30_ID)
    await config_entry.runtime_data.coordinators[EX30_ID].async_refresh()
    await hass.async_block_till_done()
    assert _issues(hass) == {_issue_id(XC60_ID), _issue_id(XC90_ID)}
    state = hass.states.get(EX30_SOC)
    assert state is not None
    assert state.state not in {"unavailable", "unknown"}

    assert await hass.config_entries.async_unload(config_entry.entry_id)
    assert _issues(hass) == set()


async def test_day_old_data_is_data(
    hass: HomeAssistant, smartcar: Simulator, config_entry: MockConfigEntry
) -> None:
    """The third answer (day-old values) cannot be told from a parked car: no repair."""
    smartcar.set_unsubscribed(EX30_ID, "stale")
    await setup_entry(hass, config_entry)
    assert config_entry.state is ConfigEntryState.LOADED
    assert _issues(hass) == set()
    state = hass.states.get(EX30_SOC)
    assert state is not None
    assert state.state not in {"unavailable", "unknown"}


async def test_a_wrong_path_is_still_an_error(
    hass: HomeAssistant, smartcar: Simulator, config_entry: MockConfigEntry
) -> None:
    """A 404 naming the path is a failure, not "no data": no repair about subscribing."""
    smartcar.faults.fail_next(
        "signals", status=404, error_type="RESOURCE_NOT_FOUND", code="PATH", count=3
    )
    await setup_entry(hass, config_entry)
    assert config_entry.state is ConfigEntryState.SETUP_RETRY
    assert _issues(hass) == set()


async def _diagnostics(hass: HomeAssistant, entry: MockConfigEntry) -> dict[str, Any]:
    # Called directly: the callback URL's test server froze the router the view needs.
    return await async_get_config_entry_diagnostics(hass, entry)


def _tokens_sent(smartcar: Simulator, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record the bearer token of every Management API request."""
    sent: list[str] = []
    check = smartcar.management_token_valid

    def record(token: str) -> bool:
        sent.append(token)
        return check(token)

    monkeypatch.setattr(smartcar, "management_token_valid", record)
    return sent


async def test_management_token_subscribes_the_vehicle(
    hass: HomeAssistant,
    smartcar: Simulator,
    config_entry: MockConfigEntry,
    callback_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With the management token the entry subscribes the car to its own webhook.

    The Management API gets the application token only. Smartcar's first delivery then
    brings the data and clears the repair without a poll.
    """
    sent = _tokens_sent(smartcar, monkeypatch)
    smartcar.subscribe(callback_url)
    smartcar.add_webhook("https://other.example.com/hook", webhook_id="other")
    smartcar.set_unsubscribed(EX30_ID, "404")
    _with_token(hass, config_entry)
    await setup_entry(hass, config_entry)
    await hass.async_block_till_done(wait_background_tasks=True)
    await smartcar.webhooks.drain()  # the first delivery
    await hass.async_block_till_done()

    (subscription,) = smartcar.subscriptions()
    assert (subscription.webhook_id, subscription.vehicle_id) == (WEBHOOK_ID, EX30_ID)
    assert subscription.user_id == config_entry.unique_id
    # Asked with the callback filter, then subscribed: both with the application token.
    assert (
        smartcar.counters.count("webhooks") == smartcar.counters.count("subscribe") == 1
    )
    assert len(sent) == 2
    assert all(smartcar.token_valid(token) for token in sent)
    assert _issues(hass) == set()
    coordinator = config_entry.runtime_data.coordinators[EX30_ID]
    assert coordinator.last_delivery is not None
    state = hass.states.get(EX30_SOC)
    assert state is not None
    assert state.state not in {"unavailable", "unknown"}

    # Removing the entry takes the subscription away again.
    assert await hass.config_entries.async_remove(config_entry.entry_id)
    await hass.async_block_till_done()
    assert smartcar.subscriptions() == []


async def test_the_management_token_is_never_sent(
    hass: HomeAssistant,
    smartcar: Simulator,
    config_entry: MockConfigEntry,
    callback_url: str,
    *,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A Management API that took only the management token: nothing is sent with it.

    The docs name the application token; the request fails (401, after one renewal), the
    repair stays, and no fallback sends the token that signs deliveries.
    """
    sent = _tokens_sent(smartcar, monkeypatch)
    smartcar.management_auth = "amt"
    smartcar.subscribe(callback_url)
    smartcar.set_unsubscribed(EX30_ID, "404")
    _with_token(hass, config_entry)
    await setup_entry(hass, config_entry)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert "Subscribing Volvo EX30 to the webhook failed" in caplog.text
    assert smartcar.subscriptions() == []
    assert smartcar.counters.count("subscribe") == 0
    assert sent
    assert DEMO_MANAGEMENT_TOKEN not in sent
    assert _issues(hass) == {_issue_id(EX30_ID)}


@pytest.mark.parametrize("found_by", ["url", "options_id"])
async def test_a_disabled_webhook_is_not_subscribed_to(
    hass: HomeAssistant,
    smartcar: Simulator,
    config_entry: MockConfigEntry,
    callback_url: str,
    *,
    caplog: pytest.LogCaptureFixture,
    found_by: str,
) -> None:
    """Smartcar lists the webhook as disabled: no vehicle is subscribed, the repair says why.

    The repair keeps its id (it clears when data arrives as before); diagnostics show the
    webhook's flags.
    """
    smartcar.add_webhook(callback_url, webhook_id=WEBHOOK_ID, enabled=False)
    smartcar.set_unsubscribed(EX30_ID, "404")
    options = {CONF_MANAGEMENT_TOKEN: DEMO_MANAGEMENT_TOKEN}
    if found_by == "options_id":
        options[CONF_SMARTCAR_WEBHOOK_ID] = WEBHOOK_ID
    hass.config_entries.async_update_entry(config_entry, options=options)
    await setup_entry(hass, config_entry)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert config_entry.state is ConfigEntryState.LOADED
    assert smartcar.counters.count("subscribe") == 0
    assert smartcar.subscriptions() == []
    assert "the Smartcar webhook that delivers to Home Assistant is disabled" in (
        caplog.text
    )
    assert _issues(hass) == {_issue_id(EX30_ID)}
    issue = ir.async_get(hass).async_get_issue(DOMAIN, _issue_id(EX30_ID))
    assert issue is not None
    assert issue.translation_key == DISABLED_TRANSLATION
    assert issue.translation_placeholders == {"vehicle": "Volvo EX30"}
    # A car with data is not subscribed either, and gets no repair.
    watch = config_entry.runtime_data.subscriptions
    assert isinstance(watch, SubscriptionWatch)
    xc60 = config_entry.runtime_data.coordinators[XC60_ID]
    assert await watch.async_subscribe(xc60) is False
    assert _issues(hass) == {_issue_id(EX30_ID)}
    assert smartcar.counters.count("subscribe") == 0
    shown = await _diagnostics(hass, config_entry)
    assert shown["entry"]["webhook"] == {
        "found": True,
        "is_enabled": False,
        "auto_subscribe": False,
        "error_events": "ours",
    }

    # The owner enables it and subscribes the EX30 in the dashboard: data clears the repair.
    smartcar.world.webhooks[WEBHOOK_ID].is_enabled = True
    smartcar.add_subscription(WEBHOOK_ID, config_entry.unique_id or "", EX30_ID)
    await config_entry.runtime_data.coordinators[EX30_ID].async_refresh()
    await hass.async_block_till_done()
    assert _issues(hass) == set()


@pytest.mark.parametrize(
    ("error_callback", "shown"),
    [
        (None, "ours"),
        ("same", "ours"),
        ("https://errors.example.com/hook/secret-error-hook-id", "elsewhere"),
    ],
)
async def test_where_error_events_go_shows_in_diagnostics(
    hass: HomeAssistant,
    smartcar: Simulator,
    config_entry: MockConfigEntry,
    callback_url: str,
    caplog: pytest.LogCaptureFixture,
    *,
    error_callback: str | None,
    shown: str,
) -> None:
    """`errorCallbackUri` elsewhere: said in diagnostics, without the URL (it may hold an id).

    Subscribing goes on (data deliveries still come here).
    """
    smartcar.add_webhook(
        callback_url,
        webhook_id=WEBHOOK_ID,
        auto_subscribe=True,
        error_callback_uri=callback_url if error_callback == "same" else error_callback,
    )
    smartcar.set_unsubscribed(EX30_ID, "404")
    _with_token(hass, config_entry)
    await setup_entry(hass, config_entry)
    await hass.async_block_till_done(wait_background_tasks=True)
    (subscription,) = smartcar.subscriptions()
    assert subscription.vehicle_id == EX30_ID
    diagnostics = await _diagnostics(hass, config_entry)
    assert diagnostics["entry"]["webhook"] == {
        "found": True,
        "is_enabled": True,
        "auto_subscribe": True,
        "error_events": shown,
    }
    elsewhere = "Smartcar sends the webhook's error events to another URL"
    assert (elsewhere in caplog.text) is (shown == "elsewhere")
    text = json.dumps(diagnostics)
    assert "errors.example.com" not in text
    assert "secret-error-hook-id" not in text
    assert HOOK_ID not in text


async def test_already_subscribed(
    hass: HomeAssistant,
    smartcar: Simulator,
    config_entry: MockConfigEntry,
    callback_url: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A 409 (already subscribed, data not there yet) is fine: the repair waits for data."""
    smartcar.subscribe(callback_url)
    smartcar.set_unsubscribed(EX30_ID, "empty")
    smartcar.faults.fail_next("subscribe", status=409, error_type="CONFLICT")
    _with_token(hass, config_entry)
    caplog.set_level(logging.INFO, "custom_components.smartcar")
    await setup_entry(hass, config_entry)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert "Smartcar already had subscribed Volvo EX30" in caplog.text
    assert _issues(hass) == {_issue_id(EX30_ID)}


@pytest.mark.parametrize(
    ("webhook", "fault", "message"),
    [
        (None, None, "no Smartcar webhook delivers to this Home Assistant"),
        ("match", "subscribe", "Subscribing Volvo EX30 to the webhook failed"),
        ("match", "webhooks", "Subscribing Volvo EX30 to the webhook failed"),
    ],
)
async def test_subscribing_fails(
    hass: HomeAssistant,
    smartcar: Simulator,
    config_entry: MockConfigEntry,
    callback_url: str,
    caplog: pytest.LogCaptureFixture,
    *,
    webhook: str | None,
    fault: str | None,
    message: str,
) -> None:
    """No matching webhook, or a failing Management API: a warning, and the repair stays."""
    if webhook is not None:
        smartcar.add_webhook(callback_url, webhook_id=WEBHOOK_ID)
    else:
        smartcar.add_webhook("https://elsewhere.example.com/hook")
    if fault is not None:
        smartcar.faults.fail_next(fault, status=500, error_type="SERVER")
    smartcar.set_unsubscribed(EX30_ID, "404")
    _with_token(hass, config_entry)
    await setup_entry(hass, config_entry)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert config_entry.state is ConfigEntryState.LOADED
    assert message in caplog.text
    assert smartcar.subscriptions() == []
    assert _issues(hass) == {_issue_id(EX30_ID)}
    if fault is None:  # looked up, none found; after a failure it is asked again
        shown = await _diagnostics(hass, config_entry)
        assert shown["entry"]["webhook"] == {"found": False}
    # One attempt per set-up: the next poll does not try again.
    calls = smartcar.counters.count("subscribe") + smartcar.counters.count("webhooks")
    await config_entry.runtime_data.coordinators[EX30_ID].async_refresh()
    await hass.async_block_till_done(wait_background_tasks=True)
    assert (
        smartcar.counters.count("subscribe") + smartcar.counters.count("webhooks")
        == calls
    )


async def test_no_webhook_url(
    hass: HomeAssistant,
    smartcar: Simulator,
    config_entry: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Without a URL Home Assistant can be reached at, there is nothing to match."""
    monkeypatch.setattr(
        "custom_components.smartcar.subscriptions.webhook_callback_url",
        lambda *_: CallbackUrl(None, "missing"),
    )
    smartcar.set_unsubscribed(EX30_ID, "404")
    _with_token(hass, config_entry)
    await setup_entry(hass, config_entry)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert "no Smartcar webhook delivers" in caplog.text
    assert smartcar.counters.count("webhooks") == 0


async def test_webhook_id_from_the_options_when_the_url_does_not_match(
    hass: HomeAssistant,
    smartcar: Simulator,
    config_entry: MockConfigEntry,
    callback_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Behind a proxy no webhook matches the URL: the id from the options is used."""
    monkeypatch.setattr(
        "custom_components.smartcar.subscriptions.webhook_callback_url",
        lambda *_: CallbackUrl("https://proxy.example.com/hook"),
    )
    smartcar.subscribe(callback_url)
    smartcar.set_unsubscribed(EX30_ID, "404")
    hass.config_entries.async_update_entry(
        config_entry,
        options={
            CONF_MANAGEMENT_TOKEN: DEMO_MANAGEMENT_TOKEN,
            CONF_SMARTCAR_WEBHOOK_ID: WEBHOOK_ID,
        },
    )
    await setup_entry(hass, config_entry)
    await hass.async_block_till_done(wait_background_tasks=True)
    (subscription,) = smartcar.subscriptions()
    assert (subscription.webhook_id, subscription.vehicle_id) == (WEBHOOK_ID, EX30_ID)


@pytest.mark.parametrize("situation", ["no_token", "no_webhook", "server_error"])
async def test_removal_without_unsubscribing(
    hass: HomeAssistant,
    smartcar: Simulator,
    config_entry: MockConfigEntry,
    callback_url: str,
    situation: str,
) -> None:
    """Removal succeeds whatever the Management API says; without a token it is not asked."""
    smartcar.add_webhook(
        "https://elsewhere.example.com" if situation == "no_webhook" else callback_url,
        webhook_id=WEBHOOK_ID,
    )
    smartcar.add_subscription(WEBHOOK_ID, config_entry.unique_id or "", EX30_ID)
    if situation != "no_token":
        _with_token(hass, config_entry)
    await setup_entry(hass, config_entry)
    if situation == "server_error":
        smartcar.faults.fail_next("subscriptions", status=500, error_type="SERVER")
    assert await hass.config_entries.async_remove(config_entry.entry_id)
    await hass.async_block_till_done()
    assert len(smartcar.subscriptions()) == 1
    if situation == "no_token":
        assert smartcar.counters.count("webhooks") == 0


async def test_removal_without_application_credentials(
    hass: HomeAssistant,
    smartcar: Simulator,
    config_entry: MockConfigEntry,
    callback_url: str,
) -> None:
    """Credentials deleted before the entry: removal still succeeds, nothing is asked."""
    _with_token(hass, config_entry)
    await setup_entry(hass, config_entry)
    await hass.config_entries.async_unload(config_entry.entry_id)
    with pytest.MonkeyPatch.context() as patcher:
        patcher.setattr(
            "custom_components.smartcar.subscriptions.async_get_config_entry_implementation",
            _no_implementation,
        )
        assert await hass.config_entries.async_remove(config_entry.entry_id)
    assert smartcar.counters.count("webhooks") == 0


async def _no_implementation(*_: object) -> None:
    raise ValueError("Implementation not available")
