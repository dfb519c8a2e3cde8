"""The other makes in motion: the Tesla's charge, held errors, schedules, webhooks, the CLI."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator
import json
import re
from typing import Any

import aiohttp
from aiohttp import web
from aiohttp.test_utils import TestServer
import pytest

from smartcar_simulator import (
    DEMO_CLIENT_ID,
    DEMO_CLIENT_SECRET,
    EX30_ID,
    ID4_ID,
    IPACE_ID,
    MODEL_Y_ID,
    OTHER_MAKES_EMAIL,
    OTHER_MAKES_USER_ID,
    OWNER_USER_ID,
    ManualClock,
    Simulator,
    __main__ as cli,
    model_signals_tesla as tesla,
)
from smartcar_simulator.model_signals_kit import SignalSet
from smartcar_simulator.permissions import READ_PERMISSIONS

from .helpers import Api

WEEKLY = {
    "data": {
        "attributes": {
            "location": {"latitude": 52.09, "longitude": 5.11},
            "days": {"monday": {"startTime": "01:00", "stopTime": "05:00"}},
        }
    }
}
DAILY = {
    "data": {
        "attributes": {
            "location": {"latitude": 52.09, "longitude": 5.11},
            "startTime": "01:00",
            "stopTime": "05:00",
        }
    }
}


@pytest.fixture
def makes_user(simulator: Simulator) -> str:
    """Connect the other makes' cars with every permission they need; return the user id."""
    return simulator.connect(
        OTHER_MAKES_EMAIL,
        permissions=[*READ_PERMISSIONS, "control_charge", "control_security"],
    )


def _body(sim: Simulator, vehicle_id: str, code: str) -> dict[str, Any]:
    body = sim.signal_body(vehicle_id, code)
    assert body is not None, code
    return body


def _error_code(sim: Simulator, vehicle_id: str, code: str) -> str | None:
    error = sim.vehicle(vehicle_id).signals[code].error
    return None if error is None else error.code


# -- the Tesla charges --------------------------------------------------------------------


def test_tesla_charges_in_the_demo(
    simulator: Simulator, sim_clock: ManualClock
) -> None:
    """The Model Y charges from 52 % at 11.52 kW: its signals follow the clock."""
    session = simulator.vehicle(MODEL_Y_ID).charge_session
    assert session is not None
    assert (session.start_soc, session.limit, session.watts) == (52, 80, 11520)
    assert session.minutes_to_complete(52) == tesla.MINUTES_TO_LIMIT
    sim_clock.advance(minutes=30)
    assert _body(simulator, MODEL_Y_ID, "tractionbattery-stateofcharge") == {
        "value": 59.7,
        "unit": "percent",
    }
    assert _body(simulator, MODEL_Y_ID, "charge-energyadded") == {
        "value": 5.8,
        "unit": "kWh",
    }
    battery_range = _body(simulator, MODEL_Y_ID, "tractionbattery-range")
    assert battery_range["value"] == round(59.7 * tesla.RANGE_PER_PERCENT)
    assert battery_range["additionalValues"][0] == {
        "type": "ESTIMATED",
        "value": battery_range["value"],
    }
    assert _body(simulator, MODEL_Y_ID, "charge-timetocomplete")["value"] == 80


def test_tesla_readings_go_stale_when_full(
    simulator: Simulator, sim_clock: ManualClock
) -> None:
    """At its limit the Tesla is FULLY_CHARGED; rate, amperage and voltage turn stale."""
    sim_clock.advance(hours=2)
    assert _body(simulator, MODEL_Y_ID, "charge-detailedchargingstatus") == {
        "value": "FULLY_CHARGED"
    }
    assert _body(simulator, MODEL_Y_ID, "charge-energyadded")["value"] == 21
    for code in (
        "charge-wattage",
        "charge-timetocomplete",
        "charge-chargerate",
        "charge-amperage",
        "charge-voltage",
    ):
        assert _error_code(simulator, MODEL_Y_ID, code) == "NOT_CHARGING", code
    assert _body(simulator, MODEL_Y_ID, "charge-amperage") == {
        "value": 48,
        "unit": "ampere",
    }
    # A higher limit and a new charge: a new session, readings current again.
    limits = _body(simulator, MODEL_Y_ID, "charge-chargelimits")
    simulator.set_signal(
        MODEL_Y_ID,
        "charge-chargelimits",
        {**limits, "values": [{"type": "GLOBAL", "limit": 90, "condition": None}]},
    )
    simulator.unplug(MODEL_Y_ID)
    simulator.plug(MODEL_Y_ID)
    simulator.start_charging(MODEL_Y_ID)
    assert _body(simulator, MODEL_Y_ID, "charge-energyadded")["value"] == 0
    assert _body(simulator, MODEL_Y_ID, "charge-chargerate") == {
        "value": tesla.MILES_PER_HOUR_CHARGED,
        "unit": "mph",
    }
    for code in ("charge-chargerate", "charge-amperage", "charge-voltage"):
        assert _error_code(simulator, MODEL_Y_ID, code) is None, code


# -- held errors --------------------------------------------------------------------------


def test_held_error_survives_new_values(simulator: Simulator) -> None:
    """A held error outlives values and errors until released; the next value clears it."""
    simulator.hold_signal_error(
        EX30_ID, "charge-ischarging", "UPSTREAM", "NO_RESPONSE", keep_body=True
    )
    record = simulator.vehicle(EX30_ID).signals["charge-ischarging"]
    assert record.body == {"value": True}
    simulator.set_signal(EX30_ID, "charge-ischarging", {"value": False})
    simulator.set_signal_error(EX30_ID, "charge-ischarging", "VEHICLE_STATE", "ASLEEP")
    simulator.stop_charging(EX30_ID)
    assert record.error is not None
    assert (record.error.type, record.body) == ("UPSTREAM", {"value": True})
    simulator.release_signal_error(EX30_ID, "charge-ischarging")
    assert record.error is not None
    simulator.set_signal(EX30_ID, "charge-ischarging", {"value": False})
    released = simulator.vehicle(EX30_ID).signals["charge-ischarging"]
    assert (released.error, released.body) == (None, {"value": False})


def test_held_error_without_body(simulator: Simulator) -> None:
    """Held without `keep_body`, the signal answers its error with no body."""
    simulator.hold_signal_error(
        EX30_ID, "charge-wattage", "COMPATIBILITY", "VEHICLE_NOT_CAPABLE"
    )
    record = simulator.vehicle(EX30_ID).signals["charge-wattage"]
    assert record.body is None
    assert record.held


def test_jaguar_charges_around_what_it_cannot_report(
    simulator: Simulator, sim_clock: ManualClock
) -> None:
    """Plugged in, the I-PACE charges; its wattage stays not capable, its rate reads."""
    simulator.plug(IPACE_ID)
    simulator.start_charging(IPACE_ID)
    assert _error_code(simulator, IPACE_ID, "charge-wattage") == "VEHICLE_NOT_CAPABLE"
    assert simulator.signal_body(IPACE_ID, "charge-wattage") is None
    assert _error_code(simulator, IPACE_ID, "charge-chargerate") is None
    assert _body(simulator, IPACE_ID, "charge-chargerate") == {
        "value": 46,
        "unit": "km/h",
    }
    sim_clock.advance(hours=1)
    assert _body(simulator, IPACE_ID, "charge-energyadded")["value"] == 11
    assert _error_code(simulator, IPACE_ID, "charge-amperage") == "VEHICLE_NOT_CAPABLE"


# -- commands and schedules ---------------------------------------------------------------


async def test_schedules_only_where_the_make_takes_them(
    api: Api, makes_user: str
) -> None:
    """Volkswagen and Jaguar answer schedules not capable; the Tesla takes every type."""
    for vehicle_id in (ID4_ID, IPACE_ID):
        reply = await api.post(
            f"/v3/vehicles/{vehicle_id}/charge-schedules/daily",
            user=makes_user,
            json=DAILY,
        )
        assert reply.status == 501
        assert (reply.error["type"], reply.error["code"]) == (
            "COMPATIBILITY",
            "VEHICLE_NOT_CAPABLE",
        )
    reply = await api.post(
        f"/v3/vehicles/{MODEL_Y_ID}/charge-schedules/weekly",
        user=makes_user,
        json=WEEKLY,
    )
    assert reply.status == 200, reply.text
    assert reply.json["data"]["attributes"]["scheduleType"] == "weekly"


async def test_a_car_may_take_some_schedule_types(
    api: Api, simulator: Simulator, makes_user: str
) -> None:
    """A type the car does not take answers not capable, naming the type."""
    simulator.vehicle(MODEL_Y_ID).schedule_types = frozenset({"daily"})
    reply = await api.post(
        f"/v3/vehicles/{MODEL_Y_ID}/charge-schedules/weekly",
        user=makes_user,
        json=WEEKLY,
    )
    assert reply.status == 501
    assert "weekly" in reply.error["detail"]


async def test_vw_locks_and_unlocks(
    api: Api, simulator: Simulator, makes_user: str
) -> None:
    """Lock commands work on the other makes' closures."""
    reply = await api.post(
        f"/v3/vehicles/{ID4_ID}/commands/security/unlock", user=makes_user
    )
    assert reply.status == 200, reply.text
    assert _body(simulator, ID4_ID, "closure-islocked") == {"value": False}
    doors = _body(simulator, ID4_ID, "closure-doors")["values"]
    assert not any(door["isLocked"] for door in doors)


async def test_unknown_error_keeps_its_own_words_live(
    api: Api, simulator: Simulator, makes_user: str
) -> None:
    """A live-shaped car words an error no capture shows with its own title and detail."""
    simulator.set_signal_error(
        ID4_ID, "charge-ischarging", "VEHICLE_STATE", "ASLEEP", "The car sleeps."
    )
    reply = await api.get(
        f"/v3/vehicles/{ID4_ID}/signals/charge-ischarging", user=makes_user
    )
    assert reply.json["data"]["attributes"]["status"]["error"] == {
        "type": "VEHICLE_STATE",
        "code": "ASLEEP",
        "title": "Signal unavailable",
        "detail": "The car sleeps.",
        "description": "Deprecated. Use detail",
        "resolution": {"type": "UNKNOWN_RESOLUTION_TYPE"},
    }


async def test_stale_answer_dates_live_meta_back(
    api: Api, simulator: Simulator, makes_user: str
) -> None:
    """An unsubscribed ID.4 answering day-old values shows a day-old `ingestedAt`."""
    simulator.set_unsubscribed(ID4_ID, "stale")
    reply = await api.get(
        f"/v3/vehicles/{ID4_ID}/signals/tractionbattery-stateofcharge", user=makes_user
    )
    assert reply.json["data"]["meta"]["ingestedAt"] == "2026-10-31T10:00:00.000Z"


# -- webhook deliveries -------------------------------------------------------------------


@pytest.fixture
async def deliveries(
    socket_enabled: None,
) -> AsyncGenerator[tuple[str, asyncio.Queue[dict[str, Any]]]]:
    """Serve a callback that acknowledges and queues every delivered event."""
    queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue()

    async def handle(request: web.Request) -> web.Response:
        queue.put_nowait(json.loads(await request.read()))
        return web.json_response({"ok": True})

    app = web.Application()
    app.router.add_post("/hook", handle)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    yield str(server.make_url("/hook")), queue
    await server.close()


async def test_vehicle_state_deliveries_carry_the_cars_signals(
    simulator: Simulator,
    makes_user: str,
    deliveries: tuple[str, asyncio.Queue[dict[str, Any]]],
) -> None:
    """Each car's VEHICLE_STATE delivery carries every one of its signals."""
    url, queue = deliveries
    simulator.subscribe(url)
    for vehicle_id, make in (
        (MODEL_Y_ID, "TESLA"),
        (ID4_ID, "VOLKSWAGEN"),
        (IPACE_ID, "JAGUAR"),
    ):
        delivery = await simulator.push(vehicle_id, first_delivery=True)
        assert delivery is not None
        assert delivery.ok
        event = await asyncio.wait_for(queue.get(), 5)
        assert event["eventType"] == "VEHICLE_STATE"
        assert event["vehicleId"] == vehicle_id
        assert event["data"]["user"] == {"id": OTHER_MAKES_USER_ID}
        assert event["data"]["vehicle"]["make"] == make
        codes = [entry["code"] for entry in event["data"]["signals"]]
        assert codes == list(simulator.vehicle(vehicle_id).signals)
        assert {trigger["type"] for trigger in event["triggers"]} == {"FIRST_DELIVERY"}


async def test_tesla_delivery_after_a_schedule_change(
    api: Api,
    simulator: Simulator,
    makes_user: str,
    deliveries: tuple[str, asyncio.Queue[dict[str, Any]]],
) -> None:
    """Creating a schedule on the Tesla pushes its ChargeTimers with the new timer."""
    url, queue = deliveries
    simulator.subscribe(url)
    reply = await api.post(
        f"/v3/vehicles/{MODEL_Y_ID}/charge-schedules/daily",
        user=makes_user,
        json=DAILY,
    )
    assert reply.status == 200
    event = await asyncio.wait_for(queue.get(), 5)
    timers = next(
        entry
        for entry in event["data"]["signals"]
        if entry["code"] == "charge-chargetimers"
    )
    assert [item["type"] for item in timers["body"]["values"]].count("LOCATION") == 4


# -- the command line ---------------------------------------------------------------------


def test_cli_connect_account() -> None:
    """`--connect EMAIL` connects one account's cars; `--connect-all` the Volvo accounts."""
    sim = cli.configure(cli.parse_args(["--connect", OTHER_MAKES_EMAIL.upper()]))
    assert {item.vehicle_id for item in sim.connections()} == {
        MODEL_Y_ID,
        ID4_ID,
        IPACE_ID,
    }
    both = cli.configure(
        cli.parse_args(["--connect-all", "--connect", OTHER_MAKES_EMAIL])
    )
    assert len(both.connections()) == 7
    assert len(both.connections(OWNER_USER_ID)) == 3


def test_cli_add_vehicle() -> None:
    """`--add-vehicle EMAIL:TEMPLATE` adds cars from any template."""
    args = cli.parse_args(
        [
            "--add-vehicle",
            "fleet@example.com:IPACE",
            "--add-vehicle",
            "fleet@example.com:MODEL_Y",
            "--connect",
            "fleet@example.com",
        ]
    )
    sim = cli.configure(args)
    account = sim.world.accounts["fleet@example.com"]
    makes = [sim.vehicle(vehicle_id).make for vehicle_id in account.vehicle_ids]
    assert makes == ["JAGUAR", "TESLA"]
    assert len(sim.connections(account.user_id)) == 2


@pytest.mark.parametrize(
    "argv",
    [
        ["--add-vehicle", "fleet@example.com:ROADSTER"],
        ["--add-vehicle", "IPACE"],
        ["--add-vehicle", "nobody:IPACE"],
    ],
)
def test_cli_rejects_bad_vehicles(argv: list[str]) -> None:
    """An unknown template or a missing account email is a usage error."""
    with pytest.raises(SystemExit):
        cli.parse_args(argv)


def test_cli_rejects_unknown_account() -> None:
    """`--connect` of an account the world does not know stops with a message."""
    with pytest.raises(SystemExit, match="nobody@example.com"):
        cli.configure(cli.parse_args(["--connect", "nobody@example.com"]))


def test_cli_connect_account_without_vehicles() -> None:
    """Connecting an account without cars connects nothing."""
    sim = cli.configure(cli.parse_args(["--connect", "novehicles@example.com"]))
    assert sim.connections() == []


async def test_cli_serves_the_other_makes(
    socket_enabled: None, capsys: pytest.CaptureFixture[str]
) -> None:
    """`serve` names the other makes' login and cars and serves them once connected."""
    stop = asyncio.Event()
    args = cli.parse_args(["--port", "0", "--connect", OTHER_MAKES_EMAIL])
    task = asyncio.create_task(cli.serve(args, stop))
    output = ""
    for _ in range(200):
        await asyncio.sleep(0.01)
        output += capsys.readouterr().out
        if "Press Ctrl-C" in output:
            break
    match = re.search(r"running at (http://127\.0\.0\.1:\d+)", output)
    assert match, output
    base = match.group(1)
    try:
        async with aiohttp.ClientSession() as session:
            async with session.post(
                f"{base}/oauth2/token",
                data={
                    "grant_type": "client_credentials",
                    "client_id": DEMO_CLIENT_ID,
                    "client_secret": DEMO_CLIENT_SECRET,
                },
            ) as response:
                token = (await response.json())["access_token"]
            async with session.get(
                f"{base}/v3/connections",
                headers={"Authorization": f"Bearer {token}"},
            ) as response:
                listed = await response.json()
    finally:
        stop.set()
        await task
    assert {item["attributes"]["vehicle"]["make"] for item in listed["data"]} == {
        "TESLA",
        "VOLKSWAGEN",
        "JAGUAR",
    }
    for text in (
        f"{OTHER_MAKES_EMAIL}  user_id={OTHER_MAKES_USER_ID}",
        f"2024 Tesla Model Y (BEV) id={MODEL_Y_ID}",
        f"2023 Volkswagen ID.4 (BEV) id={ID4_ID}",
        f"2021 Jaguar I-PACE (BEV) id={IPACE_ID}",
    ):
        assert text in output, text


def test_a_signal_set_refuses_a_signal_twice(sim_clock: ManualClock) -> None:
    """Building a car with one signal added twice is a mistake, caught at once."""
    data = SignalSet(sim_clock(), "docs")
    data.value("charge-ischarging", {"value": True})
    data.value("charge-ischarging", {"value": False})
    with pytest.raises(ValueError, match="twice"):
        data.result("catalogue")
