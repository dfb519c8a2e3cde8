"""The benchmark (run by `scripts/bench`): the integration against the simulator over 127.0.0.1.

Each test runs in a fresh Home Assistant test instance and records its figures in `FIGURES`
(printed at the end by `conftest.py`). Timing figures are wall-clock times measured inside the
process; the simulator and Home Assistant share one event loop, so what the simulator spends
(building, signing and sending webhooks, serving requests) is counted against Home Assistant.
This module: requests and wall time of a refresh. Set-up: `test_setup_bench.py`; webhooks:
`test_webhook_bench.py`; a month of polling: `test_month_bench.py` and `test_policy_bench.py`.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
import statistics
import time
from typing import Final

from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

# Imported up front, so that no figure pays for importing the platforms.
from custom_components.smartcar import binary_sensor, device_tracker, lock, sensor  # noqa: F401
from smartcar_simulator import Simulator

from .conftest import FIGURES, Figure
from .helpers import LATENCY, all_available, fleet_entry, setup

REFRESH_ROUNDS: Final = 5


async def test_warm_up(
    hass: HomeAssistant, credentials: None, config_entry: MockConfigEntry
) -> None:
    """Load Home Assistant's platforms once, so that no figure pays for first imports."""
    await setup(hass, config_entry)
    assert all_available(hass, config_entry)[0]


async def test_requests_per_vehicle_per_refresh(
    hass: HomeAssistant, credentials: None, smartcar: Simulator
) -> None:
    """A scheduled refresh of ten vehicles, counted by the simulator."""
    entry = fleet_entry(hass, smartcar, 10)
    await setup(hass, entry)
    smartcar.counters.reset()
    # Just past the vehicles' next scheduled polls (the policy's choice).
    coordinators = entry.runtime_data.coordinators.values()
    due = max(c.next_poll for c in coordinators if c.next_poll is not None)
    async_fire_time_changed(hass, due + timedelta(seconds=1))
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
    entries = {size: fleet_entry(hass, smartcar, size) for size in (1, 10)}
    await setup(hass, entries[1])  # sets up every entry of the integration
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
