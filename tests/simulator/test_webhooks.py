"""Webhook deliveries: signed VERIFY, VEHICLE_STATE and VEHICLE_ERROR events, and pushes."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator
from dataclasses import dataclass
import hashlib
import hmac
import json
import logging
import re
import socket
from typing import Any
import uuid

import aiohttp
from aiohttp import web
from aiohttp.test_utils import TestServer
from multidict import CIMultiDictProxy
import pytest

from smartcar_simulator import (
    DEMO_MANAGEMENT_TOKEN,
    EX30_ID,
    OWNER_EMAIL,
    OWNER_USER_ID,
    USER_AGENT,
    WEBHOOK_ID,
    WEBHOOK_NAME,
    XC40_ID,
    XC60_ID,
    XC90_ID,
    Delivery,
    ManualClock,
    Simulator,
    Subscription,
    __main__ as cli,
    sign,
)
from smartcar_simulator.signals import render_signal
from smartcar_simulator.webhook_push import push_periodically

from .helpers import Api

START_MS = 1793527200000
"""2026-11-01 10:00 UTC (the test clock's start) in epoch milliseconds."""
IS_LOCKED_REF = {"code": "closure-islocked", "name": "IsLocked", "group": "Closure"}
DOORS_REF = {"code": "closure-doors", "name": "Doors", "group": "Closure"}
TIMERS_REF = {"code": "charge-chargetimers", "name": "ChargeTimers", "group": "Charge"}
SOC = "tractionbattery-stateofcharge"
UNLOCK_EX30 = f"/v3/vehicles/{EX30_ID}/commands/security/unlock"
DAILY = {
    "data": {
        "attributes": {
            "location": {"latitude": 57.7, "longitude": 11.97},
            "startTime": "01:00",
            "stopTime": "06:00",
        }
    }
}


@dataclass(slots=True)
class Received:
    """One delivery as the callback endpoint saw it."""

    headers: CIMultiDictProxy[str]
    raw: bytes

    @property
    def event(self) -> dict[str, Any]:
        """Return the body parsed as JSON."""
        event: dict[str, Any] = json.loads(self.raw)
        return event


class Receiver:
    """A callback endpoint that records deliveries and answers VERIFY like an app."""

    def __init__(self) -> None:
        """Answer 200 with a small JSON body until told otherwise."""
        self.url = ""
        self.status = 200
        self.reply: str | None = None
        self.release: asyncio.Event | None = None
        self.arrivals: asyncio.Queue[Received] = asyncio.Queue()

    async def handle(self, request: web.Request) -> web.Response:
        """Record the delivery; answer a challenge with its HMAC."""
        received = Received(request.headers, await request.read())
        self.arrivals.put_nowait(received)
        if self.release is not None:
            await self.release.wait()
        if self.reply is not None:
            return web.Response(status=self.status, text=self.reply)
        event = received.event
        challenge = event.get("data", event.get("payload", {})).get("challenge")
        if challenge is not None:
            answer = sign(challenge.encode(), DEMO_MANAGEMENT_TOKEN)
            return web.json_response({"challenge": answer}, status=self.status)
        return web.json_response({"ok": True}, status=self.status)

    async def next(self) -> Received:
        """Return the next delivery (waits up to 5 s)."""
        return await asyncio.wait_for(self.arrivals.get(), 5)


@pytest.fixture
async def receiver(socket_enabled: None) -> AsyncGenerator[Receiver]:
    """Serve a callback endpoint on 127.0.0.1."""
    receiver = Receiver()
    app = web.Application()
    app.router.add_post("/hook", receiver.handle)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    receiver.url = str(server.make_url("/hook"))
    yield receiver
    if receiver.release is not None:
        receiver.release.set()
    await server.close()


@pytest.fixture
def refused_url(socket_enabled: None) -> str:
    """Return a URL on 127.0.0.1 where nothing listens."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/hook"


def _codes(signals: list[dict[str, Any]]) -> list[str]:
    return [signal["code"] for signal in signals]


def _session_open(sim: Simulator) -> bool:
    return sim.webhooks.session_open


def _signal(event: dict[str, Any], code: str) -> dict[str, Any]:
    signals: list[dict[str, Any]] = event["data"]["signals"]
    return next(signal for signal in signals if signal["code"] == code)


# -- signing and delivery ------------------------------------------------------------


def test_sign_is_hex_hmac_sha256() -> None:
    """`sign` is the hex HMAC-SHA256 of the body keyed with the token."""
    expected = hmac.new(b"key", b"body", hashlib.sha256).hexdigest()
    assert sign(b"body", "key") == expected
    assert re.fullmatch(r"[0-9a-f]{64}", expected)


async def test_state_delivery_headers_and_signature(
    simulator: Simulator, receiver: Receiver, owner: str
) -> None:
    """A delivery is a JSON POST with Smartcar's User-Agent, signed over the raw bytes."""
    event = simulator.vehicle_state_event(EX30_ID)
    delivery = await simulator.deliver(receiver.url, event)
    got = await receiver.next()
    assert got.headers["Content-Type"] == "application/json"
    assert got.headers["User-Agent"] == USER_AGENT == "Smartcar/1.0"
    expected = sign(got.raw, DEMO_MANAGEMENT_TOKEN)
    assert hmac.compare_digest(got.headers["SC-Signature"], expected)
    assert got.event == event
    assert delivery == Delivery(200, '{"ok": true}', {"ok": True}, delivery.elapsed)
    assert delivery.ok
    assert delivery.elapsed >= 0


async def test_explicit_and_absent_signature(
    simulator: Simulator, receiver: Receiver, owner: str
) -> None:
    """An explicit signature is sent as is, None sends none, another token signs."""
    event = simulator.vehicle_state_event(EX30_ID)
    await simulator.deliver(receiver.url, event, signature="deadbeef")
    assert (await receiver.next()).headers["SC-Signature"] == "deadbeef"
    await simulator.deliver(receiver.url, event, signature=None)
    assert "SC-Signature" not in (await receiver.next()).headers
    await simulator.deliver(receiver.url, event, management_token="amt_other")
    got = await receiver.next()
    assert got.headers["SC-Signature"] == sign(got.raw, "amt_other")
    await simulator.deliver(receiver.url, simulator.verify_event(), signature="cafe")
    assert (await receiver.next()).headers["SC-Signature"] == "cafe"


async def test_receiver_answers_are_reported(
    simulator: Simulator, receiver: Receiver, owner: str
) -> None:
    """A non-2xx, non-JSON answer is returned as is, with `json` None."""
    receiver.status, receiver.reply = 500, "down"
    delivery = await simulator.deliver(
        receiver.url, simulator.vehicle_state_event(EX30_ID)
    )
    assert (delivery.status, delivery.body, delivery.json) == (500, "down", None)
    assert not delivery.ok


async def test_network_failures_raise(
    simulator: Simulator, receiver: Receiver, refused_url: str, owner: str
) -> None:
    """A refused connection and a timeout raise; both still count as deliveries."""
    event = simulator.vehicle_state_event(EX30_ID)
    with pytest.raises(aiohttp.ClientConnectionError):
        await simulator.deliver(refused_url, event)
    receiver.release = asyncio.Event()
    with pytest.raises(TimeoutError):
        await simulator.deliver(receiver.url, event, timeout=0.05)
    receiver.release.set()
    assert simulator.counters.count("webhook", EX30_ID) == 2


async def test_counters(simulator: Simulator, receiver: Receiver, owner: str) -> None:
    """Deliveries count under `webhook`, keyed by vehicle id when the event has one."""
    for vehicle_id in (EX30_ID, EX30_ID, XC60_ID):
        await simulator.deliver(receiver.url, simulator.vehicle_state_event(vehicle_id))
    await simulator.deliver(receiver.url, simulator.verify_event())
    counters = simulator.counters
    assert counters.count("webhook") == 4
    assert counters.count("webhook", EX30_ID) == 2
    assert counters.count("webhook", XC60_ID) == 1
    snapshot = counters.snapshot()
    assert snapshot["endpoints"] == {"webhook": 4}
    assert snapshot["vehicles"] == {EX30_ID: 2, XC60_ID: 1}


async def test_deliver_without_running_server(
    socket_enabled: None, receiver: Receiver
) -> None:
    """Delivering needs no started server; stop() closes the session, which reopens."""
    sim = Simulator(ManualClock())
    sim.connect(OWNER_EMAIL)
    assert not _session_open(sim)
    assert (await sim.deliver(receiver.url, sim.verify_event())).ok
    assert _session_open(sim)
    await sim.stop()
    assert not _session_open(sim)
    assert (await sim.deliver(receiver.url, sim.vehicle_state_event(EX30_ID))).ok
    await sim.stop()
    assert not _session_open(sim)


# -- VERIFY --------------------------------------------------------------------------


async def test_verify(simulator: Simulator, receiver: Receiver) -> None:
    """VERIFY (v4.0) carries a challenge, is not signed and gets the HMAC back."""
    event = simulator.verify_event("abc")
    assert event == {
        "eventId": event["eventId"],
        "eventType": "VERIFY",
        "data": {"challenge": "abc"},
        "meta": {
            "version": "4.0",
            "webhookId": WEBHOOK_ID,
            "webhookName": WEBHOOK_NAME,
            "deliveryId": event["meta"]["deliveryId"],
            "deliveredAt": START_MS,
            "mode": "LIVE",
        },
    }
    assert "vehicleId" not in event
    uuid.UUID(event["eventId"])
    delivery = await simulator.deliver(receiver.url, event)
    assert "SC-Signature" not in (await receiver.next()).headers
    assert delivery.json == {"challenge": sign(b"abc", DEMO_MANAGEMENT_TOKEN)}


async def test_legacy_verify(simulator: Simulator, receiver: Receiver) -> None:
    """The v2.0 VERIFY has the old shape and is not signed either."""
    event = simulator.verify_event("xyz", legacy=True)
    assert event == {
        "version": "2.0",
        "webhookId": WEBHOOK_ID,
        "eventName": "verify",
        "payload": {"challenge": "xyz"},
    }
    delivery = await simulator.deliver(receiver.url, event)
    assert "SC-Signature" not in (await receiver.next()).headers
    assert delivery.json == {"challenge": sign(b"xyz", DEMO_MANAGEMENT_TOKEN)}


def test_verify_challenges_are_random(simulator: Simulator) -> None:
    """Without a challenge each VERIFY gets a fresh random one."""
    first = simulator.verify_event()["data"]["challenge"]
    second = simulator.verify_event(legacy=True)["payload"]["challenge"]
    assert re.fullmatch(r"[0-9a-f]{32}", first)
    assert first != second


# -- VEHICLE_STATE -------------------------------------------------------------------


def test_state_event_shape(simulator: Simulator, owner: str) -> None:
    """Envelope, user, vehicle, every granted signal and top-level triggers."""
    event = simulator.vehicle_state_event(EX30_ID)
    assert list(event) == [
        "eventId",
        "eventType",
        "vehicleId",
        "data",
        "triggers",
        "meta",
    ]
    assert (event["eventType"], event["vehicleId"]) == ("VEHICLE_STATE", EX30_ID)
    uuid.UUID(event["eventId"])
    data = event["data"]
    assert data["user"] == {"id": OWNER_USER_ID}
    assert data["vehicle"] == {
        "id": EX30_ID,
        "make": "VOLVO",
        "model": "EX30",
        "year": 2025,
        "powertrainType": "BEV",
        "mode": "live",
    }
    vehicle = simulator.vehicle(EX30_ID)
    assert data["signals"] == [
        render_signal(record, vehicle_id=EX30_ID, form="webhook")
        for record in vehicle.signals.values()
    ]
    assert "triggers" not in data
    assert [trigger["type"] for trigger in event["triggers"]] == [
        "SIGNAL_UPDATED"
    ] * len(vehicle.signals)
    assert [trigger["signal"]["code"] for trigger in event["triggers"]] == list(
        vehicle.signals
    )
    assert event["meta"] == {
        "version": "4.0",
        "webhookId": WEBHOOK_ID,
        "webhookName": WEBHOOK_NAME,
        "deliveryId": event["meta"]["deliveryId"],
        "deliveredAt": START_MS,
        "mode": "LIVE",
    }
    again = simulator.vehicle_state_event(EX30_ID, event_id="evt-1")
    assert again["eventId"] == "evt-1"
    assert again["meta"]["deliveryId"] != event["meta"]["deliveryId"]


def test_trigger_placements_and_first_delivery(
    simulator: Simulator, owner: str
) -> None:
    """Triggers go inside `data` when asked; FIRST_DELIVERY replaces SIGNAL_UPDATED."""
    top = simulator.vehicle_state_event(XC90_ID, trigger_codes=["closure-islocked"])
    assert top["triggers"] == [{"type": "SIGNAL_UPDATED", "signal": IS_LOCKED_REF}]
    inside = simulator.vehicle_state_event(
        XC90_ID,
        trigger_codes=["closure-islocked", "closure-doors"],
        first_delivery=True,
        triggers_in_data=True,
    )
    assert "triggers" not in inside
    assert inside["data"]["triggers"] == [
        {"type": "FIRST_DELIVERY", "signal": IS_LOCKED_REF},
        {"type": "FIRST_DELIVERY", "signal": DOORS_REF},
    ]
    assert simulator.vehicle_state_event(XC90_ID, trigger_codes=[])["triggers"] == []
    # A catalogue signal the car lacks still names itself; an unknown one is refused.
    no_battery = simulator.vehicle_state_event(XC90_ID, trigger_codes=[SOC])
    assert no_battery["triggers"][0]["signal"] == {
        "code": SOC,
        "name": "StateOfCharge",
        "group": "TractionBattery",
    }
    with pytest.raises(ValueError, match="unknown signal 'nope-nope'"):
        simulator.vehicle_state_event(XC90_ID, trigger_codes=["nope-nope"])


def test_test_mode(simulator: Simulator, owner: str) -> None:
    """TEST mode is upper-case in meta; the vehicle's own mode stays lower-case."""
    event = simulator.vehicle_state_event(EX30_ID, mode="TEST")
    assert event["meta"]["mode"] == "TEST"
    assert event["data"]["vehicle"]["mode"] == "live"


def test_epoch_millisecond_times_and_moving_values(
    simulator: Simulator, sim_clock: ManualClock, owner: str
) -> None:
    """Times are epoch ms (VIN 0); values are the state at simulator time."""
    first = simulator.vehicle_state_event(EX30_ID)
    sim_clock.advance(minutes=30)
    second = simulator.vehicle_state_event(EX30_ID)
    assert second["meta"]["deliveredAt"] == START_MS + 30 * 60 * 1000
    before, after = _signal(first, SOC), _signal(second, SOC)
    assert after["body"]["value"] > before["body"]["value"]
    assert isinstance(after["meta"]["oemUpdatedAt"], int)
    assert after["meta"]["oemUpdatedAt"] > before["meta"]["oemUpdatedAt"]
    assert after["meta"]["retrievedAt"] <= second["meta"]["deliveredAt"]
    assert _signal(second, "vehicleidentification-vin")["meta"] == {
        "oemUpdatedAt": 0,
        "retrievedAt": 0,
    }


def test_only_granted_signals(simulator: Simulator) -> None:
    """Only signals the connection grants (or that need no permission) are carried."""
    user = simulator.connect(OWNER_EMAIL, [XC90_ID], ["read_security"])
    simulator.add_raw_signal(XC90_ID, "custom-thing", {"value": 1})
    event = simulator.vehicle_state_event(XC90_ID)
    assert event["data"]["user"] == {"id": user}
    assert _codes(event["data"]["signals"]) == [
        "closure-doors",
        "closure-windows",
        "closure-islocked",
        "custom-thing",
    ]
    narrowed = simulator.vehicle_state_event(
        XC90_ID, codes=["odometer-traveleddistance", "closure-islocked"]
    )
    assert _codes(narrowed["data"]["signals"]) == ["closure-islocked"]
    assert narrowed["triggers"] == [{"type": "SIGNAL_UPDATED", "signal": IS_LOCKED_REF}]
    with pytest.raises(ValueError, match=f"vehicle {XC90_ID} has no signal 'x-y'"):
        simulator.vehicle_state_event(XC90_ID, codes=["x-y"])


def test_events_need_a_connection(simulator: Simulator, owner: str) -> None:
    """An unconnected vehicle or a foreign user is refused; an unknown id is a KeyError."""
    with pytest.raises(ValueError, match=f"vehicle {XC40_ID} is not connected$"):
        simulator.vehicle_state_event(XC40_ID)
    with pytest.raises(ValueError, match="is not connected to user someone"):
        simulator.vehicle_error_event(
            EX30_ID, "VEHICLE_STATE", "ASLEEP", user_id="someone"
        )
    with pytest.raises(KeyError):
        simulator.vehicle_state_event("no-such-car")


# -- VEHICLE_ERROR -------------------------------------------------------------------


async def test_error_event(
    simulator: Simulator, receiver: Receiver, owner: str
) -> None:
    """VEHICLE_ERROR carries one error with defaults per type, plus user and vehicle."""
    event = simulator.vehicle_error_event(
        EX30_ID, "VEHICLE_STATE", "ASLEEP", signal_codes=[SOC], event_id="evt-err"
    )
    assert event["eventId"] == "evt-err"
    assert (event["eventType"], event["vehicleId"]) == ("VEHICLE_ERROR", EX30_ID)
    assert "triggers" not in event
    assert event["meta"]["mode"] == "LIVE"
    assert event["data"]["user"] == {"id": OWNER_USER_ID}
    assert event["data"]["vehicle"]["id"] == EX30_ID
    assert event["data"]["errors"] == [
        {
            "type": "VEHICLE_STATE",
            "code": "ASLEEP",
            "state": "ERROR",
            "description": "Vehicle state prevents this request",
            "docURL": "https://smartcar.com/docs/errors/api-errors/vehicle-state-errors#asleep",
            "resolution": {"type": "RETRY_LATER"},
            "suggestedUserMessage": "Your vehicle is not in a state that allows this request.",
            "signals": [
                {"code": SOC, "name": "StateOfCharge", "group": "TractionBattery"}
            ],
        }
    ]
    await simulator.deliver(receiver.url, event)
    got = await receiver.next()
    assert got.headers["SC-Signature"] == sign(got.raw, DEMO_MANAGEMENT_TOKEN)
    assert simulator.counters.count("webhook", EX30_ID) == 1


def test_resolved_error_event(simulator: Simulator, owner: str) -> None:
    """A RESOLVED error keeps the given texts; no signal codes means an empty list."""
    event = simulator.vehicle_error_event(
        XC90_ID,
        "CONNECTED_SERVICES_ACCOUNT",
        "SUBSCRIPTION",
        state="RESOLVED",
        resolution="CONTACT_SUPPORT",
        description="The subscription is active again.",
        mode="TEST",
    )
    (error,) = event["data"]["errors"]
    assert error["state"] == "RESOLVED"
    assert error["description"] == "The subscription is active again."
    assert error["resolution"] == {"type": "CONTACT_SUPPORT"}
    assert error["signals"] == []
    assert event["meta"]["mode"] == "TEST"


# -- subscription and pushes ---------------------------------------------------------


async def test_push_with_nobody_subscribed(simulator: Simulator, owner: str) -> None:
    """Without a subscription `push` and `push_soon` do nothing."""
    assert await simulator.push(EX30_ID) is None
    assert simulator.push_soon(EX30_ID) is None
    simulator.subscribe("http://127.0.0.1:1/hook")
    subscribed = simulator.subscription
    assert subscribed == Subscription("http://127.0.0.1:1/hook", DEMO_MANAGEMENT_TOKEN)
    simulator.unsubscribe()
    assert simulator.subscription is None
    assert await simulator.push(EX30_ID) is None
    assert simulator.counters.count("webhook") == 0


async def test_push(simulator: Simulator, receiver: Receiver, owner: str) -> None:
    """`push` delivers a VEHICLE_STATE, signed with the subscription's token."""
    simulator.subscribe(receiver.url, "amt_custom")
    delivery = await simulator.push(
        XC60_ID, first_delivery=True, triggers_in_data=True, codes=[SOC]
    )
    assert delivery is not None and delivery.ok
    got = await receiver.next()
    assert got.headers["SC-Signature"] == sign(got.raw, "amt_custom")
    event = got.event
    assert event["vehicleId"] == XC60_ID
    assert _codes(event["data"]["signals"]) == [SOC]
    assert event["data"]["triggers"][0]["type"] == "FIRST_DELIVERY"
    task = simulator.push_soon(XC60_ID, mode="TEST")
    assert task is not None
    background = await task
    assert background is not None and background.ok
    assert (await receiver.next()).event["meta"]["mode"] == "TEST"


async def test_push_after_http_lock_and_unlock(
    api: Api, simulator: Simulator, receiver: Receiver, owner: str
) -> None:
    """A successful lock/unlock pushes the new state, triggered by the lock signals."""
    simulator.subscribe(receiver.url)
    lock = f"/v3/vehicles/{XC90_ID}/commands/security/lock"
    assert (await api.post(lock, user=owner)).status == 200
    got = await receiver.next()
    assert got.headers["SC-Signature"] == sign(got.raw, DEMO_MANAGEMENT_TOKEN)
    event = got.event
    assert (event["eventType"], event["vehicleId"]) == ("VEHICLE_STATE", XC90_ID)
    assert event["data"]["user"] == {"id": owner}
    assert event["triggers"] == [
        {"type": "SIGNAL_UPDATED", "signal": IS_LOCKED_REF},
        {"type": "SIGNAL_UPDATED", "signal": DOORS_REF},
    ]
    assert _signal(event, "closure-islocked")["body"] == {"value": True}
    unlock = f"/v3/vehicles/{XC90_ID}/commands/security/unlock"
    assert (await api.post(unlock, user=owner)).status == 200
    assert _signal((await receiver.next()).event, "closure-islocked")["body"] == {
        "value": False
    }
    await simulator.webhooks.drain()
    assert simulator.webhooks.pending_pushes == 0
    assert simulator.counters.count("webhook", XC90_ID) == 2
    assert simulator.counters.count("lock", XC90_ID) == 1


async def test_push_after_schedule_changes(
    api: Api, simulator: Simulator, receiver: Receiver, owner: str
) -> None:
    """Creating and deleting a charge schedule push `charge-chargetimers`."""
    simulator.subscribe(receiver.url)
    base = f"/v3/vehicles/{EX30_ID}/charge-schedules"
    created = await api.post(f"{base}/daily", user=owner, json=DAILY)
    assert created.status == 200
    event = (await receiver.next()).event
    assert event["triggers"] == [{"type": "SIGNAL_UPDATED", "signal": TIMERS_REF}]
    timers = _signal(event, "charge-chargetimers")["body"]["values"]
    schedule_id = created.json["data"]["attributes"]["scheduleId"]
    assert len(timers) == 1
    deleted = await api.delete(f"{base}/{schedule_id}", user=owner)
    assert deleted.status == 200
    event = (await receiver.next()).event
    assert _signal(event, "charge-chargetimers")["body"]["values"] == []


async def test_no_push_after_reads_or_failed_commands(
    api: Api, simulator: Simulator, receiver: Receiver, owner: str
) -> None:
    """Reads, refused commands and unsubscribed commands push nothing."""
    lock = f"/v3/vehicles/{XC90_ID}/commands/security/lock"
    assert (await api.post(lock, user=owner)).status == 200
    simulator.subscribe(receiver.url)
    assert (await api.get(f"/v3/vehicles/{XC90_ID}/signals", user=owner)).status == 200
    simulator.open_door(XC90_ID)
    assert (await api.post(lock, user=owner)).status == 409
    assert (await api.post(lock, user="stranger")).status == 404
    await simulator.webhooks.drain()
    assert receiver.arrivals.empty()
    assert simulator.counters.count("webhook") == 0


async def test_rejected_push_is_logged(
    api: Api,
    simulator: Simulator,
    receiver: Receiver,
    owner: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A non-2xx answer to a push is logged as a warning; the command still succeeds."""
    receiver.status, receiver.reply = 503, "busy"
    simulator.subscribe(receiver.url)
    assert (await api.post(UNLOCK_EX30, user=owner)).status == 200
    await simulator.webhooks.drain()
    assert (
        f"Webhook push of vehicle {EX30_ID} was answered with HTTP 503" in caplog.text
    )


async def test_unreachable_push_is_logged(
    api: Api,
    simulator: Simulator,
    refused_url: str,
    owner: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A refused push is logged with its exception, never raised into the request."""
    simulator.subscribe(refused_url)
    assert (await api.post(UNLOCK_EX30, user=owner)).status == 200
    await simulator.webhooks.drain()
    (failed,) = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert failed.getMessage() == f"Webhook push of vehicle {EX30_ID} failed"
    assert failed.exc_info is not None
    assert simulator.counters.count("webhook", EX30_ID) == 1


async def test_stop_cancels_pending_pushes(
    simulator: Simulator, receiver: Receiver, owner: str
) -> None:
    """stop() cancels a push still waiting for its answer and closes the session."""
    simulator.subscribe(receiver.url)
    receiver.release = asyncio.Event()
    task = simulator.push_soon(EX30_ID)
    assert task is not None
    await receiver.next()
    assert simulator.webhooks.pending_pushes == 1
    await simulator.stop()
    assert task.cancelled()
    assert simulator.webhooks.pending_pushes == 0
    assert not _session_open(simulator)


async def test_push_periodically(
    simulator: Simulator, receiver: Receiver, caplog: pytest.LogCaptureFixture
) -> None:
    """Rounds push each connection; FIRST_DELIVERY repeats until one succeeds."""
    simulator.connect(OWNER_EMAIL, [EX30_ID])
    task = asyncio.create_task(push_periodically(simulator, 0.01))
    try:
        await asyncio.sleep(0.05)  # a few rounds with nobody subscribed
        receiver.status = 500
        simulator.subscribe(receiver.url)
        first = (await receiver.next()).event
        receiver.status = 200
        retried = (await receiver.next()).event
        later = (await receiver.next()).event
    finally:
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
    assert first["triggers"][0]["type"] == "FIRST_DELIVERY"
    assert retried["triggers"][0]["type"] == "FIRST_DELIVERY"
    assert later["triggers"][0]["type"] == "SIGNAL_UPDATED"
    assert later["vehicleId"] == EX30_ID
    assert "answered with HTTP 500" in caplog.text


# -- command line --------------------------------------------------------------------


def test_cli_webhook_defaults() -> None:
    """By default nothing is subscribed and nothing is pushed periodically."""
    args = cli.parse_args([])
    assert args.webhook_url is None
    assert args.push_every == 0
    assert cli.configure(args).subscription is None


def test_cli_webhook_options() -> None:
    """`--webhook-url` subscribes with the demo token; `--push-every` takes seconds."""
    args = cli.parse_args(
        ["--webhook-url", "http://127.0.0.1:8123/api/webhook/x", "--push-every", "2.5"]
    )
    assert args.push_every == 2.5
    assert cli.configure(args).subscription == Subscription(
        "http://127.0.0.1:8123/api/webhook/x", DEMO_MANAGEMENT_TOKEN
    )


@pytest.mark.parametrize(
    "argv",
    [
        ["--webhook-url", "http://x/hook", "--push-every", "-1"],
        ["--webhook-url", "http://x/hook", "--push-every", "nan"],
        ["--webhook-url", "http://x/hook", "--push-every", "soon"],
        ["--push-every", "5"],
    ],
)
def test_cli_rejects_bad_push_options(argv: list[str]) -> None:
    """Negative or non-numeric intervals, and an interval without URL, are usage errors."""
    with pytest.raises(SystemExit):
        cli.parse_args(argv)


async def test_cli_serve_pushes_periodically(
    receiver: Receiver, capsys: pytest.CaptureFixture[str]
) -> None:
    """`serve` names the webhook and pushes each connected car, first as FIRST_DELIVERY."""
    args = cli.parse_args(
        [
            "--port",
            "0",
            "--connect-all",
            "--webhook-url",
            receiver.url,
            "--push-every",
            "0.05",
        ]
    )
    stop = asyncio.Event()
    task = asyncio.create_task(cli.serve(args, stop))
    try:
        events = [(await receiver.next()).event for _ in range(5)]
    finally:
        stop.set()
        await task
    first_round = events[:4]
    assert {event["vehicleId"] for event in first_round} == {
        EX30_ID,
        XC60_ID,
        XC90_ID,
        XC40_ID,
    }
    assert {event["triggers"][0]["type"] for event in first_round} == {"FIRST_DELIVERY"}
    assert events[4]["triggers"][0]["type"] == "SIGNAL_UPDATED"
    output = capsys.readouterr().out
    assert f"Webhook URL    {receiver.url}" in output
    assert "after lock/unlock and schedule changes, and every 0.05 s" in output
