"""api.delivery: typed events from raw bodies, the SC-Signature check and the VERIFY answer."""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

import pytest

from custom_components.smartcar.api import signals as sig
from custom_components.smartcar.api.contract import (
    VERIFY_CHALLENGE_MAX_LENGTH as MAX_CHALLENGE_LENGTH,
)
from custom_components.smartcar.api.delivery import (
    EventType,
    WebhookPayloadError,
    parse_event,
    sign,
    signature_valid,
    verify_answer,
)

TOKEN = "management-token"


def _body(event: Any) -> bytes:
    return json.dumps(event).encode()


def _soc(percent: float) -> dict[str, Any]:
    return {
        "code": sig.STATE_OF_CHARGE.code,
        "name": "StateOfCharge",
        "group": "TractionBattery",
        "body": {"value": percent, "unit": "percent"},
        "status": {"value": "SUCCESS"},
        "meta": {"oemUpdatedAt": 1_700_000_000_000, "retrievedAt": 1_700_000_000_000},
    }


def test_vehicle_state_event() -> None:
    """A VEHICLE_STATE carries its id, the vehicle and the parsed signals."""
    event = parse_event(
        _body(
            {
                "eventId": "e1",
                "eventType": "VEHICLE_STATE",
                "vehicleId": "v1",
                "data": {"signals": [_soc(62), "junk", {"code": 5}]},
                "meta": {"mode": "LIVE"},
            }
        )
    )
    assert event.type is EventType.VEHICLE_STATE
    assert (event.event_id, event.vehicle_id) == ("e1", "v1")
    assert [signal.code for signal in event.read_signals()] == [
        sig.STATE_OF_CHARGE.code
    ]


def test_vehicle_id_from_data_and_test_mode() -> None:
    """The vehicle id may sit in data.vehicle; a TEST delivery is typed TEST, never applied."""
    raw = {
        "eventType": "VEHICLE_STATE",
        "data": {"vehicle": {"id": "v2"}, "signals": [_soc(10)]},
        "meta": {"mode": "test"},
    }
    event = parse_event(_body(raw))
    assert event.type is EventType.TEST
    assert event.vehicle_id == "v2"
    assert event.read_signals() == ()


@pytest.mark.parametrize(
    ("signals", "permissions"),
    [
        ([], ()),
        (["VehicleUserAccount.Role"], ("read_user_profile",)),
        (
            [{"code": "vehicleuseraccount-permissions", "name": "Permissions"}],
            ("read_user_profile",),
        ),
        (["NoSuchGroup.Thing", {"code": "nosuchgroup-thing"}], (None, None)),
        ([{"code": sig.STATE_OF_CHARGE.code}], ("read_battery",)),
        (["TractionBattery.StateOfCharge", 7, None], ("read_battery", None, None)),
        ([{"group": "closure", "code": "x"}], ("read_security",)),
        # A signal with its own permission is not read as its group's.
        (["VehicleIdentification.VIN"], ("read_vin",)),
        ([{"code": "vehicleidentification-vin"}], ("read_vin",)),
    ],
)
def test_vehicle_error_event(
    signals: list[Any], permissions: tuple[str | None, ...]
) -> None:
    """Each error keeps its detail, whether it is resolved and its signals' permissions."""
    raw = {
        "eventType": "VEHICLE_ERROR",
        "vehicleId": "v1",
        "data": {
            "errors": [
                {
                    "type": "PERMISSION",
                    "code": None,
                    "state": "ERROR",
                    "resolution": {"type": "REAUTHENTICATE"},
                    "signals": signals,
                },
                {"type": "VEHICLE_STATE", "code": "ASLEEP", "state": "resolved"},
            ]
        },
    }
    event = parse_event(_body(raw))
    assert event.type is EventType.VEHICLE_ERROR
    first, second = event.read_errors()
    assert first.detail.type == "PERMISSION"
    assert first.detail.needs_reauthentication
    assert not first.resolved
    assert first.permissions == permissions
    assert second.resolved
    assert second.key == ("VEHICLE_STATE", "ASLEEP", ())


def test_error_identity_reads_both_signal_forms() -> None:
    """An error names its signals as "Group.Name" or as objects: the same identity."""
    errors = [
        {"type": "PERMISSION", "code": "X", "signals": signals}
        for signals in (
            ["TractionBattery.StateOfCharge", "Closure.IsLocked"],
            [{"code": "closure-islocked"}, {"code": "TractionBattery-StateOfCharge"}],
        )
    ]
    raw = {"eventType": "VEHICLE_ERROR", "data": {"errors": errors}}
    first, second = parse_event(_body(raw)).read_errors()
    assert (
        first.key
        == second.key
        == (
            "PERMISSION",
            "X",
            ("closure-islocked", "tractionbattery-stateofcharge"),
        )
    )


@pytest.mark.parametrize("legacy", [False, True])
def test_verify_event(legacy: bool) -> None:
    """VERIFY in the v4.0 and the legacy v2.0 envelope."""
    raw = (
        {"eventName": "verify", "payload": {"challenge": "abc"}}
        if legacy
        else {"eventType": "VERIFY", "data": {"challenge": "abc"}}
    )
    event = parse_event(_body(raw))
    assert event.type is EventType.VERIFY
    assert event.challenge == "abc"


@pytest.mark.parametrize(
    "raw",
    [
        {},
        {"eventType": ["VEHICLE_STATE"]},
        {"eventType": "SOMETHING_NEW", "vehicleId": "v"},
        {"eventType": "VEHICLE_STATE", "data": []},
        {"eventType": "VEHICLE_STATE", "data": {"signals": {"a": 1}}},
        {"eventType": "VEHICLE_ERROR", "data": {"errors": "x"}},
        {"eventType": "VEHICLE_ERROR", "data": {"errors": [1, "two", None]}},
        {"eventType": "VERIFY", "data": {"challenge": {"x": 1}}},
        {"eventType": "VEHICLE_STATE", "meta": "TEST", "vehicleId": 12},
    ],
)
def test_malformed_values_read_leniently(raw: dict[str, Any]) -> None:
    """Odd values of any type give an event with empty parts, never an exception."""
    event = parse_event(_body(raw))
    assert event.type in EventType
    assert event.vehicle_id is None or isinstance(event.vehicle_id, str)
    assert event.read_signals() == ()
    assert all(not error.permissions for error in event.read_errors())


@pytest.mark.parametrize(
    "body",
    [b"", b"{not json", b"[1]", b"null", b'"text"', b"\xff\xfe", b"[" * 100_000],
)
def test_not_an_object(body: bytes) -> None:
    """Anything but a JSON object (including invalid UTF-8 and deep nesting) is refused."""
    with pytest.raises(WebhookPayloadError):
        parse_event(body)


def test_signature() -> None:
    """The signature is hex HMAC-SHA256 of the raw body; case does not matter."""
    body = b'{"eventType":"VEHICLE_STATE"}'
    good = hmac.new(TOKEN.encode(), body, hashlib.sha256).hexdigest()
    assert sign(TOKEN, body) == good
    assert signature_valid(TOKEN, body, good)
    assert signature_valid(TOKEN, body, good.upper())
    assert not signature_valid(TOKEN, body + b" ", good)
    assert not signature_valid("other", body, good)
    assert not signature_valid(TOKEN, body, None)


@pytest.mark.parametrize(
    "signature",
    [
        "",
        "0" * 63,
        "0" * 65,
        "g" * 64,
        "é" * 64,
        "٣" * 64,
        " " + "0" * 63,
        "0" * 64 + "\n",
    ],
)
def test_malformed_signature_refused(signature: str) -> None:
    """Wrong length, non-hex or non-ASCII digits are refused before comparing (no TypeError)."""
    assert not signature_valid(TOKEN, b"{}", signature)


def test_verify_answer() -> None:
    """The VERIFY answer is the HMAC of the challenge."""
    expected = hmac.new(TOKEN.encode(), b"c0ffee-1.2_3~", hashlib.sha256).hexdigest()
    assert verify_answer(TOKEN, "c0ffee-1.2_3~") == {"challenge": expected}


@pytest.mark.parametrize(
    "challenge",
    [
        None,
        "",
        '{"eventType":"VEHICLE_STATE"}',
        "{",
        "}",
        'a"b',
        "a\\b",
        "ab\n",
        "a\tb",
        "\x00",
        "a\x7f",
        "x" * (MAX_CHALLENGE_LENGTH + 1),
    ],
)
def test_unsafe_challenge_never_signed(challenge: str | None) -> None:
    """A challenge that could be (part of) a delivery, or is too long, is not signed."""
    assert verify_answer(TOKEN, challenge) is None


def test_longest_safe_challenge() -> None:
    """A token of the maximum length is still answered."""
    assert verify_answer(TOKEN, "x" * MAX_CHALLENGE_LENGTH) is not None
