"""Webhook benchmarks (run by `scripts/bench`): delivery to states written, and throughput.

One delivery at a time for latency; then sustained deliveries from another process, and from
Home Assistant's own process (its CPU then pays for the senders too).
"""

from __future__ import annotations

import asyncio
from collections import deque
from datetime import timedelta
import json
from pathlib import Path
import sys
import time
from typing import Any, Final

from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.smartcar.api import signals as sig
from smartcar_simulator import Simulator
from smartcar_simulator.clock import ManualClock
from smartcar_simulator.vehicles import XC60_ID

from .conftest import FIGURES, Figure
from .helpers import percentile, state

WEBHOOK_SAMPLES: Final = 300
THROUGHPUT_SECONDS: Final = 5.0
THROUGHPUT_SENDERS: Final = 8
ODOMETER: Final = "sensor.volvo_xc60_recharge_odometer"


def _codes(smartcar: Simulator) -> list[str]:
    """Return the signals a delivery carries for the XC60: every one it has but the VIN."""
    return [code for code in smartcar.vehicle(XC60_ID).signals if code != sig.VIN.code]


def _next_state_event(
    smartcar: Simulator, sim_clock: ManualClock, odometer: list[float]
) -> dict[str, Any]:
    """Move the XC60 on by a kilometre, a second later, and return its event."""
    sim_clock.advance(1)
    odometer[0] += 1
    smartcar.set_signal(
        XC60_ID,
        sig.TRAVELED_DISTANCE.code,
        {"value": odometer[0], "unit": "kilometers"},
    )
    return smartcar.vehicle_state_event(XC60_ID, codes=_codes(smartcar))


async def test_webhook_latency_and_throughput(
    hass: HomeAssistant,
    smartcar: Simulator,
    sim_clock: ManualClock,
    config_entry: MockConfigEntry,
    webhook_url: str,
) -> None:
    """Delivery of the XC60's signals to states written: p50 and p95, then payloads per second."""
    signals = len(_codes(smartcar))
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
        assert len(event["data"]["signals"]) == signals
        written.clear()
        started = time.perf_counter()
        delivery = await smartcar.deliver(webhook_url, event)
        answered = time.perf_counter()
        assert delivery.json == {"status": "applied"}
        # This listener was added last: when it runs, every entity has written its state.
        (states_written,) = written
        latencies.append(states_written - started)
        round_trips.append(answered - started)
    assert float(state(hass, ODOMETER)) == odometer[0]

    p50 = percentile(latencies, 0.5) * 1000
    p95 = percentile(latencies, 0.95) * 1000
    note = (
        f"{WEBHOOK_SAMPLES} deliveries of {signals} signals one at a time, "
        "HTTP POST to listeners done"
    )
    FIGURES.append(
        Figure("webhook_to_states_p50", p50, "ms", "< 10 ms", p50 < 10, note)
    )
    FIGURES.append(Figure("webhook_to_states_p95", p95, "ms", note=note))
    FIGURES.append(
        Figure(
            "webhook_round_trip_p50",
            percentile(round_trips, 0.5) * 1000,
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
    assert result["signals"] == signals
    assert result["statuses"] == {"200": result["done"]}
    assert len(written) == result["done"]
    assert float(state(hass, ODOMETER)) == result["odometer"]
    rate = result["done"] / result["elapsed"]
    FIGURES.append(
        Figure(
            "webhook_payloads_per_second",
            rate,
            "/s",
            ">= 500/s",
            rate >= 500,
            f"{result['done']} deliveries of {signals} signals in {result['elapsed']:.1f} s "
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
