"""Hostile values: non-finite numbers, impossible ranges, future timestamps, floods, foreign links."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
import json
import logging
from typing import Any

import aiohttp
from aiohttp import web
import pytest

from custom_components.smartcar.api import (
    SmartcarClient,
    SmartcarSettings,
    VehicleSignals,
    async_request_app_token,
    parse_signal,
    signals as sig,
)
from custom_components.smartcar.api.bodies import Records
from custom_components.smartcar.api.errors import SmartcarResponseError
from custom_components.smartcar.api.parsing import loads, parse_timestamp
from custom_components.smartcar.api.signals import OnceLogger

from .fakes import Handler, StaticAuth

NOW = datetime(2026, 6, 15, 12, tzinfo=UTC)


def _signal(
    code: str,
    body: Any,
    at: Any = None,
    received: datetime = NOW,
    log: OnceLogger | None = None,
) -> Any:
    return parse_signal(
        {
            "code": code,
            "body": body,
            "status": {"value": "SUCCESS"},
            "meta": {"oemUpdatedAt": at},
        },
        received_at=received,
        log=log,
    )


def test_non_finite_numbers_are_refused_where_they_stand() -> None:
    """NaN, Infinity and 1e309 read as null; deep nesting is a ValueError, not a crash."""
    assert loads("[NaN, Infinity, -Infinity, 1e309, -1e309, 1.5, 7]") == [
        None,
        None,
        None,
        None,
        None,
        1.5,
        7,
    ]
    with pytest.raises(ValueError, match="deeply"):
        loads("[" * 100_000)


@pytest.mark.parametrize(
    ("code", "body"),
    [
        ("tractionbattery-stateofcharge", {"value": float("nan"), "unit": "percent"}),
        ("tractionbattery-stateofcharge", {"value": float("inf")}),
        ("tractionbattery-stateofcharge", {"value": 250, "unit": "percent"}),
        ("tractionbattery-stateofcharge", {"value": -5, "unit": "percent"}),
        ("tractionbattery-stateofcharge", {"value": 10**400}),
        ("tractionbattery-stateofcharge", {"value": True}),
        ("odometer-traveleddistance", {"value": -1000, "unit": "km"}),
        ("odometer-traveleddistance", {"value": 1e300, "unit": "km"}),
        ("charge-timetocomplete", {"value": 1e12}),
        ("charge-timetocomplete", {"value": -30}),
        ("location-preciselocation", {"latitude": None, "longitude": -500}),
        ("location-preciselocation", {"latitude": 52.0}),
        ("location-preciselocation", {"latitude": 91, "longitude": 5}),
        ("charge-chargelimits", {"values": [{"type": "GLOBAL", "limit": 150}]}),
        ("charge-chargelimits", {"values": [], "activeLimit": -1}),
        ("vehicleidentification-vin", {"value": "V" * 1000}),
        ("wheel-tires", {"values": [{"row": 0, "column": 0, "tirePressure": 5000}]}),
        ("closure-doors", {"values": [{"row": -1, "column": 0, "isOpen": True}]}),
        ("charge-wattage", {"value": 11, "unit": "percent"}),
    ],
)
def test_impossible_values_are_read_errors(
    code: str, body: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    """Each is a read error (status ERROR, no body) and never shown; the value is not logged."""
    signal = _signal(code, body)
    assert signal is not None
    assert not signal.ok
    assert signal.body is None
    assert signal.raw_body is None
    assert signal.error is not None
    assert signal.error.code == sig.READ_ERROR_CODE
    assert "-500" not in caplog.text


def test_read_error_is_logged_once_per_signal(caplog: pytest.LogCaptureFixture) -> None:
    """A car that keeps sending an impossible value fills no log."""
    caplog.set_level(logging.WARNING)
    log = OnceLogger()
    for _ in range(5):
        _signal("charge-amperagemax", {"value": -3, "unit": "ampere"}, log=log)
        _signal("closure-islocked", {"value": True}, "9999-01-01T00:00:00Z", log=log)
    assert caplog.text.count("unreadable charge-amperagemax") == 1
    assert caplog.text.count("closure-islocked dated in the future") == 1


def test_each_log_warns_once_on_its_own(caplog: pytest.LogCaptureFixture) -> None:
    """The log-once state belongs to its owner (a client, a vehicle's data), not the module.

    Two entries each warn about their own first unreadable body; a parse given no log (no
    lifetime to warn once in) only logs at debug level.
    """
    caplog.set_level(logging.WARNING)
    first, second = OnceLogger(), OnceLogger()
    for log in (first, second, first, second, None, None):
        _signal("charge-amperagemax", {"value": -3, "unit": "ampere"}, log=log)
    assert caplog.text.count("unreadable charge-amperagemax") == 2
    flood = [
        _signal(f"future-signal{n}", {}) for n in range(sig.MAX_UNKNOWN_SIGNALS + 2)
    ]
    for _ in range(2):
        VehicleSignals().merged(flood).merged(flood)
    assert caplog.text.count("unknown signals") == 2


def test_the_error_rule_of_a_stale_body_is_kept() -> None:
    """An ERROR element whose stale body is impossible keeps Smartcar's error, loses the body."""
    signal = parse_signal(
        {
            "code": "charge-wattage",
            "body": {"value": float("nan")},
            "status": {
                "value": "ERROR",
                "error": {"type": "VEHICLE_STATE", "code": "NOT_CHARGING"},
            },
        }
    )
    assert signal is not None
    assert signal.error is not None
    assert signal.error.code == "NOT_CHARGING"
    assert signal.body is None


def test_a_future_timestamp_cannot_freeze_a_signal() -> None:
    """After a delivery dated 9999, later correct deliveries still apply (arrival order)."""
    bogus = _signal("closure-islocked", {"value": False}, "9999-12-31T23:59:59Z")
    assert bogus.oem_updated_at is None
    assert bogus.future_dated
    held = VehicleSignals().merged([bogus])
    later = _signal(
        "closure-islocked",
        {"value": True},
        (NOW + timedelta(minutes=1)).isoformat(),
        received=NOW + timedelta(minutes=2),
    )
    assert held.merged([later]).body(sig.IS_LOCKED) == sig.BooleanValue(True)
    # A value measured before the bogus delivery arrived is still older than it.
    earlier = _signal(
        "closure-islocked", {"value": True}, (NOW - timedelta(hours=1)).isoformat()
    )
    assert held.merged([earlier]).body(sig.IS_LOCKED) == sig.BooleanValue(False)


def test_small_clock_skew_is_trusted() -> None:
    """A timestamp a minute ahead (clock skew) still orders the signal."""
    ahead = _signal(
        "closure-islocked", {"value": True}, (NOW + timedelta(minutes=1)).isoformat()
    )
    assert ahead.oem_updated_at == NOW + timedelta(minutes=1)
    assert not ahead.future_dated


def test_unknown_signals_are_bounded_per_vehicle(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """10,000 unknown codes keep MAX_UNKNOWN_SIGNALS; big bodies and bad codes are dropped."""
    flood = [
        _signal(f"future-signal{n}", {"value": n, "pad": "x" * 50})
        for n in range(10_000)
    ]
    held = VehicleSignals().merged(flood)
    assert len(held.signals) == sig.MAX_UNKNOWN_SIGNALS
    # A second flood adds nothing, and catalogue signals still apply.
    soc = _signal("tractionbattery-stateofcharge", {"value": 50, "unit": "percent"})
    again = held.merged([*flood[:10], _signal("other-code", {}), soc])
    assert len(again.signals) == sig.MAX_UNKNOWN_SIGNALS + 1
    assert again.body(sig.STATE_OF_CHARGE) is not None
    assert caplog.text.count("unknown signals") == 1
    big = _signal("future-big", {"value": "x" * (sig.MAX_UNKNOWN_BODY_CHARS + 1)})
    assert big.raw_body is None
    assert parse_signal({"code": "x" * 65}) is None
    assert parse_signal({"code": "bad code!"}) is None
    size = len(json.dumps({c: s.raw_body for c, s in again.signals.items()}))
    assert size < sig.MAX_UNKNOWN_SIGNALS * (sig.MAX_UNKNOWN_BODY_CHARS + 100)


def test_error_details_are_bounded() -> None:
    """A megabyte of error text is cut to what a state attribute can hold."""
    signal = parse_signal(
        {
            "code": "charge-wattage",
            "status": {
                "value": "ERROR",
                "error": {"type": "T" * 10**6, "detail": "d" * 10**6},
            },
        }
    )
    assert signal is not None
    assert signal.error is not None
    assert len(signal.error.type) == 255
    assert signal.error.detail is not None
    assert len(signal.error.detail) == 255


async def test_non_finite_number_in_an_answer_is_one_read_error(
    fake_smartcar: Callable[[Handler], Any], http_session: aiohttp.ClientSession
) -> None:
    """`NaN` in one signal of `/signals` spoils that signal only."""
    text = (
        '{"data": ['
        '{"attributes": {"code": "tractionbattery-stateofcharge", "body": {"value": NaN}}},'
        '{"attributes": {"code": "odometer-traveleddistance", "body": {"value": 1e309}}},'
        '{"attributes": {"code": "closure-islocked", "body": {"value": true}}}]}'
    )
    settings = await fake_smartcar(
        lambda request: web.Response(text=text, content_type="application/json")
    )
    client = SmartcarClient(http_session, StaticAuth(), settings)
    signals = await client.vehicle("v", "u").async_get_signals()
    assert signals.body(sig.IS_LOCKED) == sig.BooleanValue(True)
    for spec in (sig.STATE_OF_CHARGE, sig.TRAVELED_DISTANCE):
        signal = signals.get(spec)
        assert signal is not None
        assert not signal.ok
        assert signal.body is None


async def test_each_client_warns_once_of_an_unreadable_signal(
    fake_smartcar: Callable[[Handler], Any],
    http_session: aiohttp.ClientSession,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A client warns of a car's unreadable value at its first read only; another client too."""
    text = '{"data": [{"attributes": {"code": "charge-amperagemax", "body": {"value": -3}}}]}'
    settings = await fake_smartcar(
        lambda request: web.Response(text=text, content_type="application/json")
    )
    caplog.set_level(logging.WARNING)
    first, second = (SmartcarClient(http_session, StaticAuth(), settings) for _ in "12")
    for client in (first, first, second, second):
        await client.vehicle("v", "u").async_get_signals()
    assert caplog.text.count("unreadable charge-amperagemax") == 2


@pytest.mark.parametrize(
    "next_link",
    [
        "/vehicles/v/signals?page=2",  # docs: relative to the API root
        "/v3/vehicles/v/signals?page=2",  # with the version
        "signals?page=2",  # relative to the page
        "{origin}/v3/vehicles/v/signals?page=2",  # absolute, same origin
    ],
)
async def test_next_link_reaches_the_versioned_path(
    fake_smartcar: Callable[[Handler], Any],
    http_session: aiohttp.ClientSession,
    next_link: str,
) -> None:
    """Every spelling of the next page lands on /v3/vehicles/v/signals?page=2."""
    paths: list[str] = []
    origin: list[str] = []

    def handler(request: web.Request) -> web.Response:
        paths.append(request.path_qs)
        if len(paths) == 1:
            link = next_link.format(origin=origin[0])
            element = {
                "attributes": {"code": "closure-islocked", "body": {"value": True}}
            }
            return web.json_response({"data": [element], "links": {"next": link}})
        element = {
            "attributes": {
                "code": "tractionbattery-stateofcharge",
                "body": {"value": 5},
            }
        }
        return web.json_response({"data": [element], "links": {}})

    settings = await fake_smartcar(handler)
    origin.append(settings.vehicle_api_url.removesuffix("/v3"))
    client = SmartcarClient(http_session, StaticAuth(), settings)
    signals = await client.vehicle("v", "u").async_get_signals()
    assert paths == ["/v3/vehicles/v/signals", "/v3/vehicles/v/signals?page=2"]
    assert signals.get(sig.STATE_OF_CHARGE) is not None
    assert signals.get(sig.IS_LOCKED) is not None


@pytest.mark.parametrize(
    "next_link",
    [
        "https://evil.example/v3/vehicles/v/signals?page=2",
        "//evil.example/v3/vehicles/v/signals?page=2",
        "http://127.0.0.1:1/v3/vehicles/v/signals?page=2",
    ],
)
async def test_foreign_next_link_is_an_error_and_gets_no_token(
    fake_smartcar: Callable[[Handler], Any],
    http_session: aiohttp.ClientSession,
    next_link: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A link to another origin is not followed (no request, no token sent); logged once."""
    requests: list[str] = []

    def handler(request: web.Request) -> web.Response:
        requests.append(request.path_qs)
        return web.json_response({"data": [], "links": {"next": next_link}})

    settings = await fake_smartcar(handler)
    client = SmartcarClient(http_session, StaticAuth(), settings)
    for _ in range(2):
        with pytest.raises(SmartcarResponseError, match="outside"):
            await client.vehicle("v", "u").async_get_signals()
    assert requests == ["/v3/vehicles/v/signals"] * 2
    assert caplog.text.count("not followed") == 1


async def test_token_request_falls_back_to_json(
    fake_smartcar: Callable[[Handler], Any], http_session: aiohttp.ClientSession
) -> None:
    """A 415 to the form body is retried once as JSON."""
    bodies: list[str] = []

    def handler(request: web.Request) -> web.Response:
        bodies.append(request.content_type)
        if request.content_type != "application/json":
            return web.json_response({"error": "unsupported_media_type"}, status=415)
        return web.json_response({"access_token": f"t{len(bodies)}", "expires_in": 0})

    settings: SmartcarSettings = await fake_smartcar(handler)
    token = await async_request_app_token(http_session, "id", "secret", settings)
    assert token.access_token == "t2"
    assert bodies == ["application/x-www-form-urlencoded", "application/json"]


async def test_token_form_body_stays_when_json_fails_too(
    fake_smartcar: Callable[[Handler], Any], http_session: aiohttp.ClientSession
) -> None:
    """When JSON is refused as well, the form answer's error is raised."""
    bodies: list[str] = []

    def handler(request: web.Request) -> web.Response:
        bodies.append(request.content_type)
        return web.json_response(
            {"error": "invalid_request", "error_description": "bad"}, status=400
        )

    settings: SmartcarSettings = await fake_smartcar(handler)
    with pytest.raises(Exception) as raised:
        await async_request_app_token(http_session, "id", "secret", settings)
    assert "400" in str(raised.value) or raised.type.__name__.endswith(
        "ValidationError"
    )
    assert bodies == ["application/x-www-form-urlencoded", "application/json"]


async def test_unknown_signals_of_a_poll_are_bounded(
    fake_smartcar: Callable[[Handler], Any], http_session: aiohttp.ClientSession
) -> None:
    """A `/signals` answer with 5,000 unknown codes keeps MAX_UNKNOWN_SIGNALS of them."""
    elements = [
        {"attributes": {"code": f"new-code{n}", "body": {"value": n}}}
        for n in range(5000)
    ]
    elements.append(
        {"attributes": {"code": "closure-islocked", "body": {"value": True}}}
    )
    settings = await fake_smartcar(
        lambda request: web.json_response({"data": elements})
    )
    client = SmartcarClient(http_session, StaticAuth(), settings)
    signals = await client.vehicle("v", "u").async_get_signals()
    assert len(signals.signals) == sig.MAX_UNKNOWN_SIGNALS + 1
    assert signals.body(sig.IS_LOCKED) == sig.BooleanValue(True)


def test_oversized_and_unserialisable_bodies() -> None:
    """A known body over MAX_BODY_CHARS is a read error; one that is not JSON is dropped."""
    records = {"values": [{"id": str(n), "note": "x" * 1000} for n in range(150)]}
    big = _signal("charge-chargerecords", records)
    assert big is not None
    assert not big.ok
    assert big.body is None
    odd = _signal("future-code", {"value": {1, 2}})
    assert odd is not None
    assert odd.raw_body is None
    odd_known = _signal("closure-islocked", {"value": True, "extra": {1}})
    assert odd_known is not None
    assert odd_known.body is None


def test_timestamps_beyond_the_calendar() -> None:
    """An offset that moves a time before year 1 is no time, not an overflow later."""
    assert parse_timestamp("0001-01-01T00:00:00+05:00") is None
    assert parse_timestamp("9999-12-31T23:59:59-05:00") is None


def test_records_keep_only_plausible_json() -> None:
    """Records come as they are, but without impossible numbers, long texts or deep nesting."""
    huge = 10**300
    deep: dict[str, object] = {"x": {"y": {"z": {"w": {"v": 1}}}}}
    body = {
        "values": [
            {"energy": huge, "cost": 12.5, "id": "r" * 1000, "when": 1.0e20, **deep}
        ]
    }
    signal = parse_signal(
        {
            "code": sig.CHARGE_RECORDS.code,
            "name": "ChargeRecords",
            "group": "Charge",
            "status": {"value": "SUCCESS"},
            "body": body,
        }
    )
    assert signal is not None
    records = signal.body
    assert isinstance(records, Records)
    (record,) = records.items
    assert record["energy"] is None
    assert record["when"] is None
    assert record["cost"] == 12.5
    assert len(record["id"]) == 255
    assert record["x"]["y"]["z"] == {"w": None}
