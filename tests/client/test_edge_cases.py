"""Answers the simulator never gives on purpose: looping pages, odd token bodies, merges."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import aiohttp
from aiohttp import web
import pytest

from custom_components.smartcar.api import (
    SmartcarClient,
    VehicleSignals,
    async_request_app_token,
    parse_signal,
    signals as sig,
)
from custom_components.smartcar.api.client import MAX_PAGES
from custom_components.smartcar.api.contract import ScheduleContract
from custom_components.smartcar.api.errors import (
    SmartcarResponseError,
    SmartcarValidationError,
)
from custom_components.smartcar.api.parsing import parse_timestamp

from .fakes import Handler, StaticAuth


async def test_paging_that_loops_is_stopped(
    fake_smartcar: Callable[[Handler], Any], http_session: aiohttp.ClientSession
) -> None:
    """A links.next pointing back at a page already read ends with an error."""
    settings = await fake_smartcar(
        lambda request: web.json_response(
            {"data": [], "links": {"next": "/v3/connections?page[number]=1"}}
        )
    )
    client = SmartcarClient(http_session, StaticAuth(), settings)
    with pytest.raises(SmartcarResponseError, match="loops"):
        await client.async_get_connections()


async def test_endless_paging_is_capped(
    fake_smartcar: Callable[[Handler], Any], http_session: aiohttp.ClientSession
) -> None:
    """A listing with more pages than MAX_PAGES ends with an error."""
    calls: list[int] = []

    def handler(request: web.Request) -> web.Response:
        calls.append(1)
        return web.json_response(
            {"data": [], "links": {"next": f"/v3/connections?page={len(calls) + 1}"}}
        )

    settings = await fake_smartcar(handler)
    client = SmartcarClient(http_session, StaticAuth(), settings)
    with pytest.raises(SmartcarResponseError, match="more than"):
        await client.async_get_connections()
    assert len(calls) == MAX_PAGES


async def test_listing_that_is_not_an_object(
    fake_smartcar: Callable[[Handler], Any], http_session: aiohttp.ClientSession
) -> None:
    """A JSON array where an object belongs is a SmartcarResponseError."""
    settings = await fake_smartcar(lambda request: web.json_response([1, 2]))
    client = SmartcarClient(http_session, StaticAuth(), settings)
    with pytest.raises(SmartcarResponseError, match="non-object"):
        await client.async_get_connections()


async def test_connection_without_ids(
    fake_smartcar: Callable[[Handler], Any], http_session: aiohttp.ClientSession
) -> None:
    """A connection that lacks its vehicle id cannot be used."""
    settings = await fake_smartcar(
        lambda request: web.json_response({"data": [{"id": "c1"}]})
    )
    client = SmartcarClient(http_session, StaticAuth(), settings)
    with pytest.raises(SmartcarResponseError):
        await client.async_get_connections()


async def test_error_body_that_is_not_json(
    fake_smartcar: Callable[[Handler], Any], http_session: aiohttp.ClientSession
) -> None:
    """An HTML error page is still typed by its status."""
    settings = await fake_smartcar(
        lambda request: web.Response(status=400, text="<html>bad</html>")
    )
    client = SmartcarClient(http_session, StaticAuth(), settings)
    with pytest.raises(SmartcarValidationError):
        await client.vehicle("v", "u").async_get_signal(sig.VIN)


async def test_unreadable_schedule_is_skipped(
    fake_smartcar: Callable[[Handler], Any], http_session: aiohttp.ClientSession
) -> None:
    """A listed schedule that cannot be read is skipped; the readable ones come back."""
    good = {
        "id": "sch_1",
        "attributes": {
            "scheduleType": "daily",
            "location": {"latitude": 1, "longitude": 2},
            "startTime": "01:00",
            "stopTime": "02:00",
        },
    }
    bad_type = {
        "id": "sch_2",
        "attributes": {
            "scheduleType": "monthly",
            "location": {"latitude": 1, "longitude": 2},
        },
    }
    bad_day = {
        "id": "sch_3",
        "attributes": {
            "scheduleType": "weekly",
            "location": {"latitude": 1, "longitude": 2},
            "days": {"someday": {"startTime": "01:00", "stopTime": "02:00"}},
        },
    }
    settings = await fake_smartcar(
        lambda request: web.json_response({"data": [good, bad_type, bad_day]})
    )
    client = SmartcarClient(
        http_session,
        StaticAuth(),
        settings,
        schedule_contract=ScheduleContract.PARTNER,  # the family with a listing
    )
    listing = await client.vehicle("v", "u").async_list_charge_schedules()
    assert [s.id for s in listing.schedules] == ["sch_1"]


async def test_execution_without_data(
    fake_smartcar: Callable[[Handler], Any], http_session: aiohttp.ClientSession
) -> None:
    """A command answer with no data object is a SmartcarResponseError."""
    settings = await fake_smartcar(lambda request: web.json_response({}))
    client = SmartcarClient(http_session, StaticAuth(), settings)
    with pytest.raises(SmartcarResponseError):
        await client.vehicle("v", "u").async_lock()


async def test_signal_answer_without_signal(
    fake_smartcar: Callable[[Handler], Any], http_session: aiohttp.ClientSession
) -> None:
    """A single-signal answer naming no signal is a SmartcarResponseError."""
    settings = await fake_smartcar(lambda request: web.json_response({"data": {}}))
    client = SmartcarClient(http_session, StaticAuth(), settings)
    with pytest.raises(SmartcarResponseError):
        await client.vehicle("v", "u").async_get_signal(sig.VIN)


@pytest.mark.parametrize(
    "body",
    [
        [],
        {"token_type": "Bearer"},
        {"access_token": "t", "expires_in": "soon"},
        {"access_token": "t", "expires_in": True},
    ],
)
async def test_unusable_token_answers(
    fake_smartcar: Callable[[Handler], Any],
    http_session: aiohttp.ClientSession,
    body: Any,
) -> None:
    """A 200 from the token endpoint without a usable token is a SmartcarResponseError."""
    settings = await fake_smartcar(lambda request: web.json_response(body))
    with pytest.raises(SmartcarResponseError):
        await async_request_app_token(http_session, "id", "secret", settings)


def test_timestamps() -> None:
    """ISO strings (naive read as UTC), epoch seconds and milliseconds; junk is None."""
    moment = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
    assert parse_timestamp("2026-06-01T12:00:00Z") == moment
    assert parse_timestamp("2026-06-01T12:00:00") == moment
    assert parse_timestamp(moment.timestamp()) == moment
    assert parse_timestamp(moment.timestamp() * 1000) == moment
    assert parse_timestamp("yesterday") is None
    assert parse_timestamp(-5) is None
    assert parse_timestamp(1e300) is None
    assert parse_timestamp(None) is None


def _lock_signal(locked: bool, at: datetime) -> Any:
    return parse_signal(
        {
            "code": "closure-islocked",
            "body": {"value": locked},
            "status": {"value": "SUCCESS"},
            "meta": {"oemUpdatedAt": int(at.timestamp() * 1000)},
        }
    )


def test_merge_keeps_the_newest_value() -> None:
    """A delivery older than what is held is ignored; a newer one or one without time applies."""
    now = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
    held = VehicleSignals().merged([_lock_signal(True, now)])
    assert held.body(sig.IS_LOCKED) is not None
    older = held.merged([_lock_signal(False, now - timedelta(minutes=1))])
    assert older.signals["closure-islocked"].raw_body == {"value": True}
    newer = held.updated(sig.IS_LOCKED, {"value": False}, now + timedelta(minutes=1))
    assert newer.signals["closure-islocked"].raw_body == {"value": False}
    undated = parse_signal({"code": "closure-islocked", "body": {"value": False}})
    assert undated is not None
    assert held.merged([undated]).signals["closure-islocked"].raw_body == {
        "value": False
    }
    assert held.get(sig.IS_LOCKED) is not None
    assert held.get(sig.DOORS) is None


def test_the_same_reading_again_keeps_the_held_signal() -> None:
    """A signal sent again with the same time, status and value keeps the object held.

    Entities compare their signals by identity: an unchanged reading must not look new.
    """
    now = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
    held = VehicleSignals().merged([_lock_signal(True, now)])
    again = held.merged([_lock_signal(True, now)])
    assert again.get(sig.IS_LOCKED) is held.get(sig.IS_LOCKED)
    changed = held.merged([_lock_signal(False, now)])
    assert changed.get(sig.IS_LOCKED) is not held.get(sig.IS_LOCKED)


def test_merge_at_the_same_time_takes_the_later_arrival() -> None:
    """Equal timestamps: the later arrival wins (a command's value over a read of that moment).

    Within one batch the order is the arrival order too, and an older value after a newer one
    is still ignored; a held value without a time gives way to any update.
    """
    now = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
    held = VehicleSignals().merged([_lock_signal(True, now)])
    same = held.merged([_lock_signal(False, now)])
    assert same.body(sig.IS_LOCKED) == sig.BooleanValue(False)
    batch = VehicleSignals().merged(
        [
            _lock_signal(True, now),
            _lock_signal(False, now),
            _lock_signal(True, now - timedelta(seconds=1)),
        ]
    )
    assert batch.body(sig.IS_LOCKED) == sig.BooleanValue(False)
    undated = parse_signal({"code": "closure-islocked", "body": {"value": True}})
    assert undated is not None
    older = VehicleSignals().merged(
        [undated, _lock_signal(False, now - timedelta(days=1))]
    )
    assert older.body(sig.IS_LOCKED) == sig.BooleanValue(False)


def test_element_without_code() -> None:
    """An element that names no signal is skipped."""
    assert parse_signal({"attributes": {"body": {}}}) is None


async def test_foreign_link_is_logged_once_per_client(
    fake_smartcar: Callable[[Handler], Any],
    http_session: aiohttp.ClientSession,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Each client (each entry) warns once about a foreign paging link, not once per process."""

    def handler(request: web.Request) -> web.Response:
        return web.json_response(
            {"data": [], "links": {"next": "https://evil.example/v3/x?page=2"}}
        )

    settings = await fake_smartcar(handler)
    for _ in range(2):
        client = SmartcarClient(http_session, StaticAuth(), settings)
        for _ in range(2):
            with pytest.raises(SmartcarResponseError, match="outside"):
                await client.async_get_connections()
    assert caplog.text.count("outside the Smartcar API, to evil.example") == 2
