"""The benchmark (run by `scripts/bench`): the integration against the simulator over 127.0.0.1.

Each test runs in a fresh Home Assistant test instance and records its figures in `FIGURES`
(printed at the end by `conftest.py`). Timing figures are wall-clock times measured inside the
process; the simulator and Home Assistant share one event loop, so what the simulator spends
(building, signing and sending webhooks, serving requests) is counted against Home Assistant.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Generator
from datetime import datetime, timedelta
import json
import logging
from pathlib import Path
import statistics
import sys
import time
from typing import Any, Final
import uuid

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

# Imported up front, so that no figure pays for importing the platforms.
from custom_components.smartcar import binary_sensor, device_tracker, lock, sensor  # noqa: F401
from custom_components.smartcar.api import signals as sig
from custom_components.smartcar.const import (
    CONF_MANAGEMENT_TOKEN,
    CONF_WEBHOOK_ID,
    DEFAULT_SCAN_INTERVAL,
)
from smartcar_simulator import DEMO_MANAGEMENT_TOKEN, Simulator
from smartcar_simulator.clock import ManualClock
from smartcar_simulator.vehicles import EX30_ID, XC60_ID, XC90_ID
from tests.integration.conftest import add_entry

from .conftest import FIGURES, Figure

LATENCY: Final = 0.2
REFRESH_ROUNDS: Final = 5
WEBHOOK_SAMPLES: Final = 300
THROUGHPUT_SECONDS: Final = 5.0
THROUGHPUT_SENDERS: Final = 8
# Noon UTC on 1 November: the month's days all pass in the tests' time zone (US/Pacific).
MONTH_START: Final = datetime(2026, 11, 1, 12, 0, tzinfo=dt_util.UTC)
MONTH: Final = timedelta(days=31)
# The 19 signals a delivery carries for the XC60 (every signal but the VIN).
ODOMETER: Final = "sensor.volvo_xc60_recharge_odometer"
NINETEEN: Final = [code for code in sig.CATALOGUE if code != sig.VIN.code]


def _fleet_entry(
    hass: HomeAssistant,
    smartcar: Simulator,
    size: int,
    options: dict[str, Any] | None = None,
) -> MockConfigEntry:
    """Give a new owner `size` EX30s, connect them, and add that owner's entry."""
    email = f"fleet-{uuid.uuid4().hex[:8]}@example.com"
    for _ in range(size):
        smartcar.add_vehicle(email, "EX30")
    user_id = smartcar.connect(email)
    return add_entry(hass, user_id, f"{size} vehicles", options)


async def _setup(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()


def _all_available(hass: HomeAssistant, entry: MockConfigEntry) -> tuple[bool, int]:
    """Whether every enabled entity of the entry has an available state; and how many."""
    entities = [
        e
        for e in er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
        if e.disabled_by is None
    ]
    states = [hass.states.get(e.entity_id) for e in entities]
    ready = bool(entities) and all(
        s is not None and s.state != STATE_UNAVAILABLE for s in states
    )
    return ready, len(entities)


def _state(hass: HomeAssistant, entity_id: str) -> str:
    state = hass.states.get(entity_id)
    assert state is not None, entity_id
    return state.state


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


@pytest.fixture(autouse=True)
def quiet_logs() -> Generator[None]:
    """Log at WARNING, as a production Home Assistant does for this integration."""
    loggers = [logging.getLogger(name) for name in ("", "aiohttp.access")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.WARNING)
    yield
    for logger, level in zip(loggers, levels, strict=True):
        logger.setLevel(level)


async def test_warm_up(
    hass: HomeAssistant, credentials: None, config_entry: MockConfigEntry
) -> None:
    """Load Home Assistant's platforms once, so that no figure pays for first imports."""
    await _setup(hass, config_entry)
    assert _all_available(hass, config_entry)[0]


async def test_requests_per_vehicle_per_refresh(
    hass: HomeAssistant, credentials: None, smartcar: Simulator
) -> None:
    """A scheduled refresh of ten vehicles, counted by the simulator."""
    entry = _fleet_entry(hass, smartcar, 10)
    await _setup(hass, entry)
    smartcar.counters.reset()
    async_fire_time_changed(
        hass, dt_util.utcnow() + DEFAULT_SCAN_INTERVAL + timedelta(seconds=1)
    )
    await hass.async_block_till_done(wait_background_tasks=True)
    total = smartcar.counters.count()
    polls = smartcar.counters.count("signals")
    per_vehicle = total / 10
    FIGURES.append(
        Figure(
            "requests_per_vehicle_per_refresh",
            per_vehicle,
            "",
            "1",
            per_vehicle == 1,
            f"10 vehicles, {total} requests, {polls} GET /signals",
        )
    )


async def test_refresh_wall_time(
    hass: HomeAssistant, credentials: None, smartcar: Simulator
) -> None:
    """Refreshing 1 and 10 vehicles with 200 ms per request: the median of five rounds."""
    entries = {size: _fleet_entry(hass, smartcar, size) for size in (1, 10)}
    await _setup(hass, entries[1])  # sets up every entry of the integration
    assert all(entry.runtime_data.coordinators for entry in entries.values())
    smartcar.faults.latency = LATENCY
    medians: dict[int, float] = {}
    for size, entry in entries.items():
        coordinators = list(entry.runtime_data.coordinators.values())
        assert len(coordinators) == size
        rounds = []
        for _ in range(REFRESH_ROUNDS):
            started = time.perf_counter()
            await asyncio.gather(*(c.async_refresh() for c in coordinators))
            rounds.append(time.perf_counter() - started)
            assert all(c.last_update_success for c in coordinators)
        medians[size] = statistics.median(rounds)
        FIGURES.append(
            Figure(
                f"refresh_wall_time_{size}_vehicle{'s' if size > 1 else ''}",
                medians[size] * 1000,
                "ms",
                note=f"{LATENCY * 1000:.0f} ms latency, median of {REFRESH_ROUNDS}",
            )
        )
    ratio = medians[10] / medians[1]
    FIGURES.append(
        Figure(
            "refresh_wall_time_ratio_10_to_1",
            ratio,
            "",
            "<= 1.3",
            ratio <= 1.3,
        )
    )


@pytest.mark.parametrize("latency", [0.0, LATENCY], ids=["0ms", "200ms"])
@pytest.mark.parametrize("size", [1, 10])
async def test_setup_to_available(
    hass: HomeAssistant,
    credentials: None,
    smartcar: Simulator,
    size: int,
    latency: float,
) -> None:
    """From the config entry's set-up to every entity of every vehicle available."""
    entry = _fleet_entry(hass, smartcar, size)
    smartcar.faults.latency = latency
    started = time.perf_counter()
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    ready, entities = _all_available(hass, entry)
    for _ in range(5000):  # set-up normally returns with everything in place
        if ready:
            break
        await asyncio.sleep(0.001)
        ready, entities = _all_available(hass, entry)
    assert ready
    elapsed = time.perf_counter() - started
    goal = "< 1000 ms" if size == 10 else None
    FIGURES.append(
        Figure(
            f"setup_to_all_available_{size}_vehicle{'s' if size > 1 else ''}"
            f"_{latency * 1000:.0f}ms_latency",
            elapsed * 1000,
            "ms",
            goal,
            elapsed < 1 if goal else None,
            f"{entities} entities, token + connections + signals",
        )
    )


@pytest.mark.parametrize("size", [1, 10])
async def test_setup_round_trips(
    hass: HomeAssistant, credentials: None, smartcar: Simulator, size: int
) -> None:
    """Set-up at 200 ms latency, in round trips: first, and after a restart.

    First: token expired, vehicles unknown. Restart: within the token's hour, the vehicles
    known from the last run.
    """
    entry = _fleet_entry(hass, smartcar, size)
    smartcar.faults.latency = LATENCY
    for label in ("first", "restart"):
        if label == "restart":
            assert await hass.config_entries.async_unload(entry.entry_id)
        started = time.perf_counter()
        assert await hass.config_entries.async_setup(entry.entry_id)
        await hass.async_block_till_done()
        elapsed = time.perf_counter() - started
        round_trips = elapsed / LATENCY
        goal = "<= 2" if label == "first" else "<= 1"
        FIGURES.append(
            Figure(
                f"setup_round_trips_{label}_{size}_vehicle{'s' if size > 1 else ''}",
                round_trips,
                "round trips",
                goal,
                round_trips < (2.5 if label == "first" else 1.5),
                f"{elapsed * 1000:.0f} ms at {LATENCY * 1000:.0f} ms latency",
            )
        )


@pytest.fixture
async def webhook_url(
    hass: HomeAssistant,
    credentials: None,
    config_entry: MockConfigEntry,
    hass_client_no_auth: ClientSessionGenerator,
) -> str:
    """Load the owner's entry with webhooks on; return its URL on the test HTTP server."""
    hass.config_entries.async_update_entry(
        config_entry, options={CONF_MANAGEMENT_TOKEN: DEMO_MANAGEMENT_TOKEN}
    )
    await _setup(hass, config_entry)
    client = await hass_client_no_auth()
    return str(client.make_url(f"/api/webhook/{config_entry.data[CONF_WEBHOOK_ID]}"))


def _next_state_event(
    smartcar: Simulator, sim_clock: ManualClock, odometer: list[float]
) -> dict[str, Any]:
    """Move the XC60 on by a kilometre, a second later, and return its 19-signal event."""
    sim_clock.advance(1)
    odometer[0] += 1
    smartcar.set_signal(
        XC60_ID,
        sig.TRAVELED_DISTANCE.code,
        {"value": odometer[0], "unit": "kilometers"},
    )
    return smartcar.vehicle_state_event(XC60_ID, codes=NINETEEN)


async def test_webhook_latency_and_throughput(
    hass: HomeAssistant,
    smartcar: Simulator,
    sim_clock: ManualClock,
    config_entry: MockConfigEntry,
    webhook_url: str,
) -> None:
    """Delivery of 19 signals to states written: p50 and p95 alone, then payloads per second."""
    coordinator = config_entry.runtime_data.coordinators[XC60_ID]
    held = coordinator.data.signals[sig.TRAVELED_DISTANCE.code].raw_body
    assert held is not None
    odometer = [float(held["value"])]
    written: list[float] = []
    unlisten = coordinator.async_add_listener(
        lambda: written.append(time.perf_counter())
    )
    latencies, round_trips = [], []
    for _ in range(WEBHOOK_SAMPLES):
        event = _next_state_event(smartcar, sim_clock, odometer)
        assert len(event["data"]["signals"]) == 19
        written.clear()
        started = time.perf_counter()
        delivery = await smartcar.deliver(webhook_url, event)
        answered = time.perf_counter()
        assert delivery.json == {"status": "applied"}
        # This listener was added last: when it runs, every entity has written its state.
        (states_written,) = written
        latencies.append(states_written - started)
        round_trips.append(answered - started)
    assert float(_state(hass, ODOMETER)) == odometer[0]

    p50 = _percentile(latencies, 0.5) * 1000
    p95 = _percentile(latencies, 0.95) * 1000
    note = f"{WEBHOOK_SAMPLES} deliveries one at a time, HTTP POST to listeners done"
    FIGURES.append(
        Figure("webhook_to_states_p50", p50, "ms", "< 10 ms", p50 < 10, note)
    )
    FIGURES.append(Figure("webhook_to_states_p95", p95, "ms", note=note))
    FIGURES.append(
        Figure(
            "webhook_round_trip_p50",
            _percentile(round_trips, 0.5) * 1000,
            "ms",
            note="until the simulator has the 200",
        )
    )

    # Sustained, as Smartcar sends: from another process, 8 senders at once, for 5 s.
    written.clear()
    sender = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "benchmarks.webhook_sender",
        webhook_url,
        (smartcar.now() + timedelta(hours=1)).isoformat(),
        str(odometer[0]),
        str(THROUGHPUT_SENDERS),
        str(THROUGHPUT_SECONDS),
        stdout=asyncio.subprocess.PIPE,
        cwd=Path(__file__).parent.parent,
    )
    output, _ = await sender.communicate()
    assert sender.returncode == 0
    result = json.loads(output)
    assert result["signals"] == 19
    assert result["statuses"] == {"200": result["done"]}
    assert len(written) == result["done"]
    assert float(_state(hass, ODOMETER)) == result["odometer"]
    rate = result["done"] / result["elapsed"]
    FIGURES.append(
        Figure(
            "webhook_payloads_per_second",
            rate,
            "/s",
            ">= 500/s",
            rate >= 500,
            f"{result['done']} deliveries of 19 signals in {result['elapsed']:.1f} s "
            f"from {THROUGHPUT_SENDERS} concurrent senders in another process",
        )
    )

    # The same, sending from Home Assistant's own process (its CPU pays for the sender too).
    odometer[0] = result["odometer"]
    sim_clock.advance(hours=1, seconds=result["done"] + 60)  # after the other process's
    events = deque(
        _next_state_event(smartcar, sim_clock, odometer)
        for _ in range(int(THROUGHPUT_SECONDS * 1500))
    )
    written.clear()
    done = 0
    deadline = time.perf_counter() + THROUGHPUT_SECONDS

    async def deliver_until_deadline() -> None:
        nonlocal done
        while events and time.perf_counter() < deadline:
            delivery = await smartcar.deliver(webhook_url, events.popleft())
            assert delivery.json == {"status": "applied"}
            done += 1

    started = time.perf_counter()
    await asyncio.gather(*(deliver_until_deadline() for _ in range(THROUGHPUT_SENDERS)))
    elapsed = time.perf_counter() - started
    unlisten()
    assert len(written) == done
    FIGURES.append(
        Figure(
            "webhook_payloads_per_second_sender_in_process",
            done / elapsed,
            "/s",
            note=f"{done} deliveries in {elapsed:.1f} s, "
            f"{THROUGHPUT_SENDERS} senders sharing Home Assistant's event loop",
        )
    )


async def _month(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    sim_clock: ManualClock,
    deliver: Any = None,
) -> None:
    """Let 31 days pass an hour at a time; every 12 hours, `deliver()` if given."""
    for hour in range(int(MONTH / timedelta(hours=1))):
        freezer.tick(timedelta(hours=1))
        sim_clock.set(dt_util.utcnow())
        async_fire_time_changed(hass)
        await hass.async_block_till_done(wait_background_tasks=True)
        if deliver is not None and hour % 12 == 0:
            await deliver()


def _month_figure(smartcar: Simulator, name: str, goal: int, note: str) -> None:
    polls = {
        v: smartcar.counters.count("signals", v) for v in (EX30_ID, XC60_ID, XC90_ID)
    }
    worst = max(polls.values())
    FIGURES.append(
        Figure(
            name,
            worst,
            "requests",
            f"<= {goal}",
            worst <= goal,
            f"most polled of 3 vehicles over 31 days, {note}; each: "
            + ", ".join(str(p) for p in polls.values()),
        )
    )


@pytest.fixture
def sim_clock() -> ManualClock:
    """Return the simulator's clock, starting with the month."""
    return ManualClock(MONTH_START)


@pytest.mark.freeze_time(MONTH_START)
@pytest.mark.usefixtures("credentials")
async def test_month_of_polling_without_webhooks(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    smartcar: Simulator,
    sim_clock: ManualClock,
    config_entry: MockConfigEntry,
) -> None:
    """A month under the default policy, without webhooks."""
    hass.loop.slow_callback_duration = MONTH.total_seconds()
    await _setup(hass, config_entry)
    await _month(hass, freezer, sim_clock)
    _month_figure(
        smartcar, "polls_per_vehicle_month_without_webhooks", 150, "adaptive cadence"
    )


@pytest.mark.freeze_time(MONTH_START)
async def test_month_of_polling_with_webhooks(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    smartcar: Simulator,
    sim_clock: ManualClock,
    webhook_url: str,
) -> None:
    """A month under the default policy, each vehicle's state pushed twice a day."""
    hass.loop.slow_callback_duration = MONTH.total_seconds()

    async def deliver() -> None:
        for vehicle_id in (EX30_ID, XC60_ID, XC90_ID):
            event = smartcar.vehicle_state_event(vehicle_id)
            assert (await smartcar.deliver(webhook_url, event)).ok

    await deliver()
    await _month(hass, freezer, sim_clock, deliver)
    _month_figure(
        smartcar,
        "polls_per_vehicle_month_with_webhooks",
        31,
        "signed deliveries every 12 h over HTTP; a safety poll every 25 h",
    )
