"""Smartcar's side of the webhook throughput figure, in a process of its own.

Smartcar runs on other machines; sending from Home Assistant's own process would charge the
building, signing and sending of every delivery to Home Assistant. This process builds the XC60's
19-signal `VEHICLE_STATE` events with a simulator of its own (the demo world: same ids, same
owner), moving the odometer on by a kilometre and the clock by a second for each, and delivers
them with the simulator's webhook sender, from several concurrent senders, for a while.

Usage: python -m benchmarks.webhook_sender URL START_ISO ODOMETER SENDERS SECONDS
Prints {"done": n, "elapsed": seconds, "statuses": {status: count}} as JSON.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import datetime
import json
import sys
import time
from typing import Any

from smartcar_simulator import DEMO_MANAGEMENT_TOKEN, OWNER_EMAIL, XC60_ID, Simulator
from smartcar_simulator.clock import ManualClock
from smartcar_simulator.counters import Counters
from smartcar_simulator.signals import VIN_CODE
from smartcar_simulator.webhook_delivery import WebhookSender

ODOMETER = "odometer-traveleddistance"


async def send(
    url: str, start: datetime, odometer: float, senders: int, seconds: float
) -> dict[str, Any]:
    """Deliver events from `senders` concurrent senders for `seconds`; report the outcome."""
    clock = ManualClock(start)
    sim = Simulator(clock)
    sim.connect(OWNER_EMAIL)
    codes = [code for code in sim.vehicle(XC60_ID).signals if code != VIN_CODE]
    sender = WebhookSender(Counters())
    statuses: Counter[int] = Counter()
    distance = [odometer]

    def next_event() -> dict[str, Any]:
        clock.advance(1)
        distance[0] += 1
        sim.set_signal(XC60_ID, ODOMETER, {"value": distance[0], "unit": "kilometers"})
        return sim.vehicle_state_event(XC60_ID, codes=codes)

    deadline = time.perf_counter() + seconds

    async def deliver_until_deadline() -> None:
        while time.perf_counter() < deadline:
            delivery = await sender.deliver(
                url, next_event(), management_token=DEMO_MANAGEMENT_TOKEN
            )
            statuses[delivery.status] += 1

    started = time.perf_counter()
    await asyncio.gather(*(deliver_until_deadline() for _ in range(senders)))
    elapsed = time.perf_counter() - started
    await sender.close()
    return {
        "done": sum(statuses.values()),
        "elapsed": elapsed,
        "statuses": dict(statuses),
        "odometer": distance[0],
        "signals": len(codes),
    }


def main(argv: list[str]) -> None:
    """Run the senders and print the outcome as JSON."""
    url, start, odometer, senders, seconds = argv
    result = asyncio.run(
        send(
            url,
            datetime.fromisoformat(start),
            float(odometer),
            int(senders),
            float(seconds),
        )
    )
    sys.stdout.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
