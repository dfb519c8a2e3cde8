"""`--state FILE`: the simulator keeps its users, connections and cars across restarts."""

from __future__ import annotations

import asyncio
import json
import logging
import os
from pathlib import Path
import signal

import pytest

from smartcar_simulator import (
    EX30_ID,
    OWNER_EMAIL,
    XC60_ID,
    XC90_ID,
    Simulator,
    __main__ as cli,
    persist,
)
from smartcar_simulator.state import ChargeSchedule, Destination


def _connected(sim: Simulator) -> set[tuple[str, str]]:
    return {(c.user_id, c.vehicle_id) for c in sim.world.connections.values()}


def test_restart_keeps_users_connections_and_subscriptions(tmp_path: Path) -> None:
    """A second simulator on the same file has the same user ids and connections."""
    state = tmp_path / "config" / "simulator-state.json"
    first = cli.configure(cli.parse_args(["--state", str(state)]))
    first.connect(OWNER_EMAIL)
    first.world.connections.pop(
        next(c.id for c in first.world.connections.values() if c.vehicle_id == EX30_ID)
    )
    first.subscribe("http://127.0.0.1:8123/api/webhook/x")
    token = first.issue_token()
    persist.write(first.world, state)
    second = cli.configure(cli.parse_args(["--state", str(state)]))
    user_id = first.world.accounts[OWNER_EMAIL].user_id
    assert second.world.accounts[OWNER_EMAIL].user_id == user_id
    assert _connected(second) == _connected(first)
    assert len(_connected(second)) == 2  # the EX30 stays disconnected
    assert second.world.tokens[token] == first.world.tokens[token]
    assert second.world.webhooks.keys() == first.world.webhooks.keys()
    # A new connection is numbered after the kept ones.
    second.connect(OWNER_EMAIL)
    numbers = [c.sequence for c in second.world.connections.values()]
    assert len(set(numbers)) == len(numbers) == 3


def _cars(sim: Simulator) -> object:
    return persist.dump(sim.world)["vehicles"]


def test_restart_keeps_the_cars_values(tmp_path: Path) -> None:
    """Charge level, lock, charging, odometer, schedules and destinations survive a restart."""
    state = tmp_path / "simulator-state.json"
    first = cli.configure(cli.parse_args(["--state", str(state)]))
    fresh = _cars(first)
    first.stop_charging(EX30_ID)
    first.set_signal(EX30_ID, "tractionbattery-stateofcharge", {"value": 63})
    first.set_locked(XC60_ID, False)
    first.start_charging(XC60_ID)
    first.set_signal(
        XC90_ID, "odometer-traveleddistance", {"value": 9, "unit": "miles"}
    )
    now = first.now()
    first.world.vehicles[EX30_ID].schedules.append(
        ChargeSchedule("sch_1", "daily", {"startTime": "01:00"}, now)
    )
    first.world.vehicles[XC90_ID].destinations.append(
        Destination(57.7, 11.9, "Opera", now)
    )
    persist.write(first.world, state)
    second = cli.configure(cli.parse_args(["--state", str(state)]))
    assert _cars(second) == _cars(first) != fresh
    assert second.world.vehicles[EX30_ID].charge_session is None
    assert second.world.vehicles[XC60_ID].charge_session is not None
    assert second.signal_body(EX30_ID, "tractionbattery-stateofcharge") == {"value": 63}
    assert second.signal_body(XC60_ID, "closure-islocked") == {"value": False}
    assert second.schedules(EX30_ID)[0].attributes == {"startTime": "01:00"}


def test_state_file_stays_bounded(tmp_path: Path) -> None:
    """The newest 100 tokens and 10 destinations a car are kept; unknown signals are not read."""
    state = tmp_path / "simulator-state.json"
    first = cli.configure(cli.parse_args(["--state", str(state)]))
    tokens = [first.issue_token() for _ in range(150)]
    for index in range(15):
        first.world.vehicles[EX30_ID].destinations.append(
            Destination(float(index), 0.0, None, first.now())
        )
    data = persist.dump(first.world)
    data["vehicles"][EX30_ID]["signals"]["made-up-signal"] = {"body": {"value": 1}}
    state.write_text(json.dumps(data), encoding="utf-8")
    second = cli.configure(cli.parse_args(["--state", str(state)]))
    assert len(data["tokens"]) == 100
    assert set(tokens[-100:]) <= second.world.tokens.keys()
    kept = second.world.vehicles[EX30_ID].destinations
    assert [item.latitude for item in kept] == [float(i) for i in range(5, 15)]
    assert "made-up-signal" not in second.world.vehicles[EX30_ID].signals


def test_older_state_file_keeps_connections(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A file of the first format (no cars) keeps the connections; the cars start afresh."""
    state = tmp_path / "simulator-state.json"
    first = cli.configure(cli.parse_args(["--state", str(state)]))
    first.connect(OWNER_EMAIL)
    first.set_locked(XC60_ID, False)
    data = persist.dump(first.world)
    del data["version"], data["vehicles"]
    state.write_text(json.dumps(data), encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        second = cli.configure(cli.parse_args(["--state", str(state)]))
    assert _connected(second) == _connected(first)
    assert second.signal_body(XC60_ID, "closure-islocked") == {"value": True}
    assert "older format: connections kept, the cars start afresh" in caplog.text


def _damaged_car(text: str) -> str:
    """Return a file whose connections read but whose one car's charge does not."""
    sim = cli.configure(cli.parse_args([]))
    sim.connect(OWNER_EMAIL)
    data = persist.dump(sim.world)
    data["vehicles"][EX30_ID]["charge_session"] = {"started_at": text}
    return json.dumps(data)


@pytest.mark.parametrize(
    "content",
    [
        "not json",
        json.dumps({"connections": [{"id": 1, "vehicle_id": EX30_ID}]}),
        "[]",
        '{"version": 2, "vehicles": {"x": 1}, "users": []}',
        "damaged car",
    ],
)
def test_damaged_state_file_starts_afresh(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, content: str
) -> None:
    """A state file that does not read is ignored as a whole, with a warning.

    Nothing of it is taken (not even the connections of a file whose one car is damaged):
    the demo world starts as without one.
    """
    state = tmp_path / "simulator-state.json"
    if content == "damaged car":
        content = _damaged_car("yesterday")
    state.write_text(content, encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        sim = cli.configure(cli.parse_args(["--state", str(state)]))
    assert OWNER_EMAIL in sim.world.accounts
    assert not sim.world.connections
    assert sim.world.vehicles[EX30_ID].charge_session is not None  # the demo's charge
    assert "does not read" in caplog.text
    assert "starting afresh" in caplog.text


async def test_serve_writes_the_state_file_while_running_and_at_stop(
    socket_enabled: None, tmp_path: Path
) -> None:
    """The file follows the connections while serving, and holds them once stopped."""
    state = tmp_path / "simulator-state.json"
    stop = asyncio.Event()
    args = cli.parse_args(["--port", "0", "--connect-all", "--state", str(state)])
    task = asyncio.create_task(cli.serve(args, stop))
    for _ in range(200):
        await asyncio.sleep(0.01)
        if state.exists():
            break
    assert "connections" in state.read_text(encoding="utf-8")
    stop.set()
    await task
    sim = cli.configure(cli.parse_args(["--state", str(state)]))
    assert len(_connected(sim)) >= 3


async def test_sigterm_stops_and_writes_the_state_file(
    socket_enabled: None, tmp_path: Path
) -> None:
    """SIGTERM (how scripts/develop stops it) ends `serve` as Ctrl-C does, file written."""
    state = tmp_path / "simulator-state.json"
    args = cli.parse_args(["--port", "0", "--connect-all", "--state", str(state)])
    task = asyncio.create_task(cli.serve_until_terminated(args))
    for _ in range(200):
        await asyncio.sleep(0.01)
        if state.exists():
            break
    os.kill(os.getpid(), signal.SIGTERM)
    await asyncio.wait_for(task, 10)
    assert len(_connected(cli.configure(cli.parse_args(["--state", str(state)])))) >= 3
