"""Answers the docs allow (issue 20 §2): empty 2xx, a 202 create without an id, a bare signal.

Each against the simulator with its variant flag, and on hand-written shapes (a one-handler
server answering exactly what the docs or the live capture show).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, time
from typing import Any

import aiohttp
from aiohttp import web
import pytest

from custom_components.smartcar.api import (
    ChargeSchedule,
    ChargeWindow,
    ExecutionStatus,
    GeoLocation,
    SmartcarClient,
    created_schedule_id,
    signals as sig,
)
from smartcar_simulator import OWNER_EMAIL, Simulator
from smartcar_simulator.vehicles import EX30_ID

from .fakes import Handler, StaticAuth

HOME = GeoLocation(57.7089, 11.9746)
NIGHT = ChargeWindow(time(1, 0), time(6, 0))
VIN = "LYVXFEDA8SL012345"
VIN_RESOURCE = {
    "id": "vehicleidentification-vin",
    "type": "signal",
    "attributes": {
        "code": "vehicleidentification-vin",
        "name": "VIN",
        "group": "VehicleIdentification",
        "status": {"value": "SUCCESS"},
        "body": {"value": VIN},
    },
    "meta": {"retrievedAt": "2026-12-01T10:00:00.000Z"},
}


async def _fake(
    fake_smartcar: Callable[[Handler], Any],
    http_session: aiohttp.ClientSession,
    handler: Handler,
) -> SmartcarClient:
    return SmartcarClient(http_session, StaticAuth(), await fake_smartcar(handler))


# -- 1. An empty 2xx is success -------------------------------------------------------------


async def test_schedule_delete_answered_204(
    client: SmartcarClient, simulator: Simulator
) -> None:
    """A delete answered `204 No Content` is a success (it was a response error before)."""
    user_id = simulator.connect(OWNER_EMAIL)
    simulator.schedule_delete_answer = "204"
    vehicle = client.vehicle(EX30_ID, user_id)
    created = await vehicle.async_create_charge_schedule(
        ChargeSchedule.daily(HOME, NIGHT)
    )
    execution = await vehicle.async_delete_charge_schedule(created_schedule_id(created))
    assert execution.status is ExecutionStatus.SUCCESS
    assert execution.id is None
    assert simulator.schedules(EX30_ID) == []


@pytest.mark.parametrize("status", [200, 201, 202, 204])
@pytest.mark.parametrize("action", ["delete", "lock"])
async def test_any_empty_2xx_is_success(
    fake_smartcar: Callable[[Handler], Any],
    http_session: aiohttp.ClientSession,
    status: int,
    action: str,
) -> None:
    """A 2xx without a body is success, for a schedule delete as for a command."""
    client = await _fake(
        fake_smartcar, http_session, lambda request: web.Response(status=status)
    )
    vehicle = client.vehicle("v", "u")
    if action == "delete":
        execution = await vehicle.async_delete_charge_schedule("sched_1")
    else:
        execution = await vehicle.async_lock()
    assert execution.status is ExecutionStatus.SUCCESS
    assert (execution.id, dict(execution.attributes)) == (None, {})


# -- 2. A 202 create without scheduleId is pending -------------------------------------------


def _pending_create(request: web.Request, timers: list[Any]) -> web.Response:
    """202 without scheduleId to a create; ChargeTimers with `timers` to a signal read."""
    if request.method == "POST":
        return web.json_response(
            {
                "data": {
                    "id": "exec_123",
                    "type": "charge-schedule-execution",
                    "attributes": {
                        "action": "create",
                        "scheduleType": "daily",
                        "status": {"value": "PENDING"},
                        "executionMode": "async",
                    },
                }
            },
            status=202,
        )
    body = {"values": timers}
    resource = {
        "id": "charge-chargetimers",
        "type": "signal",
        "attributes": {"code": "charge-chargetimers", "body": body},
    }
    return web.json_response(resource)


async def test_202_create_is_pending_not_the_execution_id(
    fake_smartcar: Callable[[Handler], Any], http_session: aiohttp.ClientSession
) -> None:
    """No scheduleId: the execution id is never handed back; the read-back finds nothing."""
    client = await _fake(
        fake_smartcar, http_session, lambda request: _pending_create(request, [])
    )
    vehicle = client.vehicle("v", "u")
    schedule = ChargeSchedule.daily(HOME, NIGHT)
    execution = await vehicle.async_create_charge_schedule(schedule)
    assert execution.status is ExecutionStatus.PENDING
    assert created_schedule_id(execution) == ""
    created = await vehicle.async_add_charge_schedule(schedule)
    assert created.pending
    assert created.schedule_id is None
    assert created.execution.id == "exec_123"
    assert created.timers_read is not None  # what was read back, to show


async def test_202_create_read_back_from_the_timers(
    fake_smartcar: Callable[[Handler], Any], http_session: aiohttp.ClientSession
) -> None:
    """The schedule like the one asked for, not among the known ids, is the new one."""
    schedule = ChargeSchedule.daily(HOME, NIGHT)
    timers = [
        schedule.with_id("sched_old").to_timer(),
        schedule.with_id("sched_new").to_timer(),
        ChargeSchedule.daily(HOME, ChargeWindow(time(2, 0), time(5, 0)))
        .with_id("sched_other")
        .to_timer(),
    ]
    client = await _fake(
        fake_smartcar, http_session, lambda request: _pending_create(request, timers)
    )
    vehicle = client.vehicle("v", "u")
    created = await vehicle.async_add_charge_schedule(schedule, {"sched_old"})
    assert not created.pending
    assert created.schedule_id == "sched_new"
    assert created.schedule == schedule.with_id("sched_new")
    # Without the known ids two schedules match: which one is new cannot be told.
    assert (await vehicle.async_add_charge_schedule(schedule)).pending


async def test_202_create_with_a_failed_read_back_is_pending(
    fake_smartcar: Callable[[Handler], Any], http_session: aiohttp.ClientSession
) -> None:
    """The create went through; a read-back that fails leaves it pending, not failed."""

    def handler(request: web.Request) -> web.Response:
        if request.method == "POST":
            return _pending_create(request, [])
        return web.Response(status=500, text="{}")

    client = await _fake(fake_smartcar, http_session, handler)
    created = await client.vehicle("v", "u").async_add_charge_schedule(
        ChargeSchedule.daily(HOME, NIGHT)
    )
    assert created.pending
    assert created.timers_read is None


@pytest.mark.parametrize("answer", ["sync", "202"])
async def test_add_schedule_against_the_simulator(
    client: SmartcarClient, simulator: Simulator, answer: str
) -> None:
    """The simulator's 202 create has no scheduleId: the real id is read back from ChargeTimers.

    A 200 create names it, and nothing is read back.
    """
    user_id = simulator.connect(OWNER_EMAIL)
    simulator.schedule_create_answer = answer  # type: ignore[assignment]
    vehicle = client.vehicle(EX30_ID, user_id)
    schedule = ChargeSchedule.daily(HOME, NIGHT)
    reads = simulator.counters.count("signal", EX30_ID)
    created = await vehicle.async_add_charge_schedule(schedule)
    (stored,) = simulator.schedules(EX30_ID)
    assert created.schedule == schedule.with_id(stored.id)
    assert created.execution.id != stored.id
    read_back = simulator.counters.count("signal", EX30_ID) - reads
    assert read_back == (1 if answer == "202" else 0)
    assert (created.timers_read is not None) is (answer == "202")
    # The id read back deletes the schedule.
    await vehicle.async_delete_charge_schedule(stored.id)
    assert simulator.schedules(EX30_ID) == []


# -- 3. A single signal with or without the `data` wrapper ------------------------------------


@pytest.mark.parametrize(
    "payload",
    [
        pytest.param(VIN_RESOURCE, id="bare (docs, Node SDK)"),
        pytest.param({"data": VIN_RESOURCE}, id="wrapped (live capture)"),
    ],
)
async def test_single_signal_shapes(
    fake_smartcar: Callable[[Handler], Any],
    http_session: aiohttp.ClientSession,
    payload: dict[str, Any],
) -> None:
    """`GET .../signals/{code}` reads with and without `data`."""
    client = await _fake(
        fake_smartcar, http_session, lambda request: web.json_response(payload)
    )
    signal = await client.vehicle("v", "u").async_get_signal(sig.VIN)
    assert signal.body is not None
    assert signal.body.value == VIN
    assert signal.retrieved_at == datetime(2026, 12, 1, 10, tzinfo=UTC)


@pytest.mark.parametrize("form", ["data", "bare"])
async def test_single_signal_against_the_simulator(
    client: SmartcarClient, simulator: Simulator, form: str
) -> None:
    """Both forms the simulator serves read the same signal."""
    user_id = simulator.connect(OWNER_EMAIL)
    simulator.signal_form = form  # type: ignore[assignment]
    signal = await client.vehicle(EX30_ID, user_id).async_get_signal(
        sig.STATE_OF_CHARGE
    )
    assert signal.body is not None
    expected = simulator.signal_body(EX30_ID, sig.STATE_OF_CHARGE.code)
    assert expected is not None
    assert signal.body.value == expected["value"]
