"""The `Simulator` object: lifecycle, app factory and state helpers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
import socket

import aiohttp
from freezegun import freeze_time
import pytest

from smartcar_simulator import EX30_ID, XC90_ID, Simulator
from smartcar_simulator.clock import ManualClock, iso


async def test_lifecycle(socket_enabled: None) -> None:
    """Start returns the URL; a second start fails; stop is idempotent."""
    sim = Simulator(ManualClock())
    with pytest.raises(RuntimeError, match="not running"):
        _ = sim.url
    url = await sim.start()
    assert url == sim.url
    assert url.startswith("http://127.0.0.1:")
    with pytest.raises(RuntimeError, match="already running"):
        await sim.start()
    await sim.stop()
    await sim.stop()
    with pytest.raises(RuntimeError):
        _ = sim.url
    with pytest.raises(aiohttp.ClientConnectionError):
        async with aiohttp.ClientSession() as session:
            await session.get(f"{url}/v3/connections")


async def test_port_in_use(socket_enabled: None) -> None:
    """A port that cannot be bound raises OSError and leaves the simulator stopped."""
    blocker = socket.socket()
    blocker.bind(("127.0.0.1", 0))
    blocker.listen()
    port = blocker.getsockname()[1]
    sim = Simulator(ManualClock())
    try:
        with pytest.raises(OSError):
            await sim.start(port=port)
        with pytest.raises(RuntimeError):
            _ = sim.url
    finally:
        blocker.close()


async def test_ipv6_url(socket_enabled: None) -> None:
    """An IPv6 bind address is bracketed in the URL."""
    sim = Simulator(ManualClock())
    try:
        url = await sim.start("::1")
    except OSError:
        pytest.skip("no IPv6 loopback here")
    try:
        assert url.startswith("http://[::1]:")
    finally:
        await sim.stop()


def test_make_app_routes() -> None:
    """`make_app` builds an application with the admin routes."""
    app = Simulator(ManualClock()).make_app()
    paths = {resource.canonical for resource in app.router.resources()}
    assert "/oauth2/token" in paths
    assert "/_simulator/counters" in paths


def test_closure_helpers(simulator: Simulator) -> None:
    """Doors, windows and the lock can be set directly."""
    simulator.open_door(EX30_ID, 0, 1)
    vehicle = simulator.vehicle(EX30_ID)
    door = vehicle.body("closure-doors")["values"][1]
    assert door == {"row": 0, "column": 1, "isOpen": True, "isLocked": False}
    assert vehicle.body("closure-islocked") == {"value": False}
    simulator.set_window(XC90_ID, 1, 0, is_open=False)
    windows = simulator.vehicle(XC90_ID).body("closure-windows")["values"]
    assert not any(window["isOpen"] for window in windows)
    simulator.set_locked(XC90_ID, True)
    assert simulator.vehicle(XC90_ID).body("closure-islocked") == {"value": True}
    with pytest.raises(ValueError, match="row 2"):
        simulator.open_door(EX30_ID, 2, 0)


def test_default_clock_follows_freezegun() -> None:
    """Without a clock the simulator reads the (frozen) current time at call time."""
    with freeze_time("2026-03-15 08:30:00") as frozen:
        sim = Simulator()
        assert sim.now() == datetime(2026, 3, 15, 8, 30, tzinfo=UTC)
        frozen.tick(timedelta(minutes=10))
        assert sim.now() == datetime(2026, 3, 15, 8, 40, tzinfo=UTC)
        token = sim.issue_token()
        frozen.tick(timedelta(seconds=sim.token_lifetime))
        assert not sim.token_valid(token)


def test_clock_helpers(sim_clock: ManualClock) -> None:
    """ManualClock moves and jumps; iso renders milliseconds and Z."""
    start = sim_clock()
    sim_clock.advance(1.5, minutes=1)
    assert (sim_clock() - start).total_seconds() == 61.5
    sim_clock.set(start)
    assert iso(sim_clock()) == "2026-11-01T10:00:00.000Z"


def test_signal_body_raises_for_missing(simulator: Simulator) -> None:
    """`Vehicle.body` raises KeyError for a signal without body."""
    vehicle = simulator.vehicle(EX30_ID)
    vehicle.signals["charge-wattage"].body = None
    with pytest.raises(KeyError):
        vehicle.body("charge-wattage")
