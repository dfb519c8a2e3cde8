"""Webhooks under attack, over real HTTP: the VERIFY signing oracle, malformed input, isolation."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import sys
from typing import Any

from aiohttp import ClientSession
from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
import pytest

from custom_components.smartcar.api import signals as sig
from custom_components.smartcar.webhook import VERIFY_PER_MINUTE
from smartcar_simulator import DEMO_MANAGEMENT_TOKEN, Simulator
from smartcar_simulator.vehicles import EX30_ID, XC90_ID
from smartcar_simulator.webhook_delivery import sign

from .conftest import state_of, unhandled_exceptions

pytestmark = pytest.mark.usefixtures("credentials", "only_platforms")
XC90_LOCK = "lock.volvo_xc90_lock"
EX30_BATTERY = "sensor.volvo_ex30_battery"
EX30_PROBLEM = "binary_sensor.volvo_ex30_vehicle_problem"


async def _post(url: str, body: bytes, headers: dict[str, str] | None = None) -> Any:
    async with (
        ClientSession() as session,
        session.post(url, data=body, headers=headers or {}) as response,
    ):
        return response.status, await response.text()


async def test_verify_signing_oracle_is_closed(
    hass: HomeAssistant,
    smartcar: Simulator,
    callback_url: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The attack of issue 10: sign a forged body through VERIFY, then post it. Refused."""
    lock_before = state_of(hass, XC90_LOCK)
    battery_before = state_of(hass, EX30_BATTERY)
    smartcar.set_locked(XC90_ID, lock_before != "locked")
    smartcar.set_signal(
        EX30_ID, sig.STATE_OF_CHARGE.code, {"value": 3, "unit": "percent"}
    )
    forged_bodies = [
        json.dumps(smartcar.vehicle_state_event(vehicle), separators=(",", ":"))
        for vehicle in (XC90_ID, EX30_ID)
    ]
    for forged_body in forged_bodies:
        verify = smartcar.verify_event(forged_body)
        answer = await smartcar.deliver(callback_url, verify, signature=None)
        assert answer.status == 400
        assert "challenge" not in (answer.json or {})
        assert sign(forged_body.encode(), DEMO_MANAGEMENT_TOKEN) not in answer.body
        returned = (answer.json or {}).get("challenge") or answer.body
        status, _ = await _post(
            callback_url, forged_body.encode(), {"SC-Signature": returned}
        )
        assert status == 401
    assert state_of(hass, XC90_LOCK) == lock_before
    assert state_of(hass, EX30_BATTERY) == battery_before
    warnings = [r for r in caplog.records if "holds a brace, quote" in r.getMessage()]
    assert len(warnings) == 1


async def test_verify_with_a_signature_is_checked(
    smartcar: Simulator, callback_url: str
) -> None:
    """Smartcar does not sign VERIFY; one that carries a signature must carry the right one."""
    event = smartcar.verify_event("abc123")
    body = json.dumps(event).encode()
    status, text = await _post(callback_url, body, {"SC-Signature": "0" * 64})
    assert status == 401
    assert "challenge" not in text
    status, text = await _post(
        callback_url, body, {"SC-Signature": sign(body, DEMO_MANAGEMENT_TOKEN)}
    )
    assert status == 200
    assert json.loads(text) == {
        "challenge": hmac.new(
            DEMO_MANAGEMENT_TOKEN.encode(), b"abc123", hashlib.sha256
        ).hexdigest()
    }


async def test_verify_answers_are_rate_limited(
    smartcar: Simulator, callback_url: str, freezer: FrozenDateTimeFactory
) -> None:
    """An entry answers a few VERIFY a minute; the next gets 429 until the minute has passed."""
    for number in range(VERIFY_PER_MINUTE):
        delivery = await smartcar.deliver(
            callback_url, smartcar.verify_event(f"c{number}")
        )
        assert delivery.status == 200
    refused = await smartcar.deliver(callback_url, smartcar.verify_event("more"))
    assert refused.status == 429
    assert "challenge" not in (refused.json or {})
    freezer.tick(61)
    assert (
        await smartcar.deliver(callback_url, smartcar.verify_event("later"))
    ).status == 200


SIGNATURES = [
    pytest.param(None, id="missing"),
    pytest.param("", id="empty"),
    pytest.param("0" * 63, id="short"),
    pytest.param("0" * 65, id="long"),
    pytest.param("z" * 64, id="not-hex"),
    pytest.param("sha256=" + "0" * 57, id="prefixed"),
    pytest.param("é" * 64, id="non-ascii"),
    pytest.param("٣" * 64, id="unicode-digits"),
    pytest.param("0" * 10_000, id="huge"),
]


@pytest.mark.parametrize("signature", SIGNATURES)
async def test_malformed_signature_header(
    hass: HomeAssistant, smartcar: Simulator, callback_url: str, signature: str | None
) -> None:
    """Any SC-Signature that is not 64 hex digits: 401, no traceback, nothing changes."""
    smartcar.set_locked(XC90_ID, state_of(hass, XC90_LOCK) != "locked")
    before = state_of(hass, XC90_LOCK)
    body = json.dumps(smartcar.vehicle_state_event(XC90_ID)).encode()
    headers = {} if signature is None else {"SC-Signature": signature}
    # aiohttp sends header values as UTF-8 bytes, so a non-ASCII value reaches the server.
    status, _ = await _post(callback_url, body, headers)
    assert status == 401
    assert state_of(hass, XC90_LOCK) == before


BODIES = [
    pytest.param(b"", 400, 400, id="empty"),
    pytest.param(b"{not json", 400, 400, id="not-json"),
    pytest.param(b"[1, 2]", 400, 400, id="array"),
    pytest.param(b"null", 400, 400, id="null"),
    pytest.param(b"42", 400, 400, id="number"),
    pytest.param(b'"VERIFY"', 400, 400, id="string"),
    pytest.param(b"\xff\xfe{}", 400, 400, id="not-utf8"),
    pytest.param(b"[" * 200_000, 400, 401, id="deeply-nested"),
    pytest.param(b"x" * (1024 * 1024 + 1), 413, 401, id="too-large"),
]


@pytest.mark.parametrize(("body", "signed", "unsigned"), BODIES)
async def test_malformed_body(
    callback_url: str, body: bytes, signed: int, unsigned: int
) -> None:
    """Bodies that are not a JSON object: a 4xx, signed or not, and no traceback.

    Unsigned, only a body small enough to be a VERIFY is read as JSON; a larger one is
    refused as unsigned.
    """
    assert (await _post(callback_url, body))[0] == unsigned
    headers = {"SC-Signature": sign(body, DEMO_MANAGEMENT_TOKEN)}
    assert (await _post(callback_url, body, headers))[0] == signed


async def test_bad_signature_is_refused_before_parsing(
    callback_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A wrongly signed body is refused as unsigned (401) without being read as JSON."""

    def parse(*_: Any) -> Any:
        raise AssertionError("a body was parsed before its signature was checked")

    monkeypatch.setattr("custom_components.smartcar.webhook.parse_event", parse)
    for body in (b"{not json", b'{"eventType": "VEHICLE_STATE"}'):
        status, _ = await _post(callback_url, body, {"SC-Signature": "0" * 64})
        assert status == 401


async def test_refusals_are_logged_once_a_minute(
    smartcar: Simulator,
    callback_url: str,
    caplog: pytest.LogCaptureFixture,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A flood of unsigned or forged deliveries logs one warning a minute, not one each."""

    def warnings() -> int:
        return sum(
            record.levelno == logging.WARNING
            and record.name == "custom_components.smartcar.webhook"
            for record in caplog.records
        )

    event = smartcar.vehicle_state_event(XC90_ID)
    for signature in [None, "0" * 64] * 10:
        delivery = await smartcar.deliver(callback_url, event, signature=signature)
        assert delivery.status == 401
    assert warnings() == 1
    freezer.tick(59)
    assert (await smartcar.deliver(callback_url, event, signature=None)).status == 401
    assert warnings() == 1
    freezer.tick(2)
    for _ in range(5):
        assert (
            await smartcar.deliver(callback_url, event, signature=None)
        ).status == 401
    assert warnings() == 2


VALUES: list[Any] = [
    pytest.param({"eventType": "VEHICLE_STATE"}, "ignored", id="no-vehicle"),
    pytest.param({"eventType": 7, "vehicleId": XC90_ID}, "ignored", id="type-number"),
    pytest.param(
        {"eventType": ["VEHICLE_STATE"], "vehicleId": XC90_ID},
        "ignored",
        id="type-list",
    ),
    pytest.param(
        {"eventType": "VEHICLE_STATE", "vehicleId": [XC90_ID]},
        "ignored",
        id="vehicle-list",
    ),
    pytest.param(
        {"eventType": "VEHICLE_STATE", "vehicleId": XC90_ID, "data": []},
        "applied",
        id="data-list",
    ),
    pytest.param(
        {"eventType": "VEHICLE_STATE", "vehicleId": XC90_ID, "data": {"signals": 5}},
        "applied",
        id="signals-number",
    ),
    pytest.param(
        {
            "eventType": "VEHICLE_STATE",
            "vehicleId": XC90_ID,
            "data": {
                "signals": [
                    None,
                    1,
                    "x",
                    [],
                    {"code": None},
                    {"code": {"a": 1}, "body": "x"},
                    {"code": sig.STATE_OF_CHARGE.code, "body": [1]},
                    {"code": sig.STATE_OF_CHARGE.code, "meta": {"oemUpdatedAt": "x"}},
                    {"code": "x" * 10_000, "body": {"value": 1}},
                ]
            },
        },
        "applied",
        id="signal-elements",
    ),
    pytest.param(
        {"eventType": "VEHICLE_ERROR", "vehicleId": EX30_ID, "data": {"errors": 1}},
        "applied",
        id="errors-number",
    ),
    pytest.param(
        {
            "eventType": "VEHICLE_ERROR",
            "vehicleId": EX30_ID,
            "data": {"errors": [None, "x", {"signals": [1, None, {"code": 2}]}]},
        },
        "applied",
        id="error-elements",
    ),
    pytest.param(
        {"eventType": "VEHICLE_STATE", "vehicleId": XC90_ID, "eventId": {"a": 1}},
        "applied",
        id="event-id-object",
    ),
    pytest.param(
        {"eventType": "VEHICLE_STATE", "vehicleId": XC90_ID, "meta": "TEST"},
        "applied",
        id="meta-string",
    ),
    pytest.param(
        {"eventType": "SOMETHING_NEW", "vehicleId": XC90_ID}, "ignored", id="new-type"
    ),
]


@pytest.mark.parametrize(("event", "outcome"), VALUES)
async def test_malformed_values_signed(
    hass: HomeAssistant, callback_url: str, event: dict[str, Any], outcome: str
) -> None:
    """Signed events with odd values of any type are answered 200, never a traceback."""
    body = json.dumps(event).encode()
    status, text = await _post(
        callback_url, body, {"SC-Signature": sign(body, DEMO_MANAGEMENT_TOKEN)}
    )
    assert status == 200
    assert json.loads(text) == {"status": outcome}
    assert state_of(hass, XC90_LOCK) in ("locked", "unlocked")


CHALLENGES: list[Any] = [
    pytest.param({"challenge": None}, id="null"),
    pytest.param({"challenge": 12345}, id="number"),
    pytest.param({"challenge": ["a"]}, id="list"),
    pytest.param({"challenge": {"a": "b"}}, id="object"),
    pytest.param({"challenge": ""}, id="empty"),
    pytest.param({"challenge": "x" * 257}, id="too-long"),
    pytest.param({"challenge": '{"eventType":"VEHICLE_STATE"}'}, id="json"),
    pytest.param({"challenge": "abc{"}, id="open-brace"),
    pytest.param({"challenge": "abc}"}, id="close-brace"),
    pytest.param({"challenge": 'ab"c'}, id="quote"),
    pytest.param({"challenge": "ab\\c"}, id="backslash"),
    pytest.param({"challenge": "ab\nc"}, id="newline"),
    pytest.param({"challenge": "ab\x00c"}, id="nul"),
    pytest.param({"challenge": "ab\x7fc"}, id="delete"),
    pytest.param([], id="data-list"),
]
# Challenges answered (contract.VERIFY_CHALLENGE_REFUSED): "a random string" may be hex,
# base64 (`+`, `/`, `=`), hold a space or Unicode; up to 256 characters.
ANSWERED_CHALLENGES: list[Any] = [
    pytest.param("0f1e2d3c4b5a69788796a5b4c3d2e1f0", id="hex"),
    pytest.param("q83vEjRWeJA=", id="base64-padding"),
    pytest.param("+/+/ab==", id="base64-plus-slash"),
    pytest.param("Pz8/Pz8+Pj4+", id="base64-no-padding"),
    pytest.param("a b", id="space"),
    pytest.param("ünïcödé", id="unicode"),
    pytest.param("x" * 256, id="longest"),
]


@pytest.mark.parametrize("data", CHALLENGES)
async def test_bad_challenges_are_not_signed(callback_url: str, data: Any) -> None:
    """A VERIFY whose challenge could be signed into a delivery gets 400, nothing signed."""
    status, text = await _post(
        callback_url, json.dumps({"eventType": "VERIFY", "data": data}).encode()
    )
    assert status == 400
    assert "challenge" not in json.loads(text)


@pytest.mark.parametrize("challenge", ANSWERED_CHALLENGES)
async def test_random_string_challenges_are_answered(
    smartcar: Simulator, callback_url: str, challenge: str
) -> None:
    """Any other random string, base64 included, verifies: its HMAC (of UTF-8) comes back."""
    answer = await smartcar.deliver(callback_url, smartcar.verify_event(challenge))
    assert answer.status == 200
    expected = hmac.new(
        DEMO_MANAGEMENT_TOKEN.encode(), challenge.encode(), hashlib.sha256
    ).hexdigest()
    assert answer.json == {"challenge": expected}


def _fail() -> None:
    raise ValueError("boom")


def test_traceback_guard_catches_unhandled_errors() -> None:
    """The suite-wide guard flags tracebacks of the integration and ignores others."""
    try:
        _fail()
    except ValueError:
        exc_info = sys.exc_info()

    def record(name: str, message: str, *, traceback: bool) -> logging.LogRecord:
        return logging.LogRecord(
            name,
            logging.ERROR,
            __file__,
            1,
            message,
            None,
            exc_info if traceback else None,
        )

    assert unhandled_exceptions(
        [
            record("custom_components.smartcar.webhook", "x", traceback=True),
            record("homeassistant", "Error doing job: smartcar task", traceback=False),
            record(
                "homeassistant.components.webhook",
                "Error processing webhook smartcar",
                traceback=True,
            ),
            record(
                "custom_components.smartcar", "Error fetching data", traceback=False
            ),
            record("homeassistant.core", "Error doing job: other", traceback=False),
        ]
    ) == ["x", "Error doing job: smartcar task", "Error processing webhook smartcar"]


async def test_a_forged_delivery_reads_no_signal(
    smartcar: Simulator,
    callback_url: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A delivery with a wrong signature is refused before its signals are read.

    So it cannot spend the one warning a real unreadable value gets.
    """
    code = sig.STATE_OF_CHARGE.code
    smartcar.set_signal(EX30_ID, code, {"value": 500, "unit": "percent"})
    event = smartcar.vehicle_state_event(EX30_ID, codes=[code])
    forged = await smartcar.deliver(callback_url, event, signature="0" * 64)
    assert forged.status == 401
    assert "unreadable" not in caplog.text
    signed = await smartcar.deliver(callback_url, event)
    assert signed.status == 200
    assert caplog.text.count(f"unreadable {code}") == 1
