"""Set-up benchmarks (run by `scripts/bench`): time to available entities, and round trips.

Round trips are the set-up's wall time over the simulator's latency (200 ms a request), for
1 and 10 vehicles: the first set-up of an entry the config flow has just created, a restart
within the application token's hour, and a set-up with nothing stored (token expired, no
vehicle list: the worst case, e.g. after the list was lost).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
import time

import aiohttp
from homeassistant.config_entries import SOURCE_USER
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
import pytest
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

import custom_components.smartcar as integration
from custom_components.smartcar.const import (
    CONF_APPLICATION_ID,
    CONF_MODE,
    DOMAIN,
    MODE_LIVE,
)
from custom_components.smartcar.coordinator import SmartcarConfigEntry
from smartcar_simulator import DEMO_APPLICATION_ID, Simulator
from tests.connect import connect_as

from .conftest import FIGURES, Figure
from .helpers import LATENCY, all_available, fleet_email, fleet_entry, setup

type SetupEntry = Callable[[HomeAssistant, SmartcarConfigEntry], Awaitable[bool]]


class _Requests:
    """When each request reached the simulator and when it was answered (wall clock)."""

    def __init__(self, smartcar: Simulator, monkeypatch: pytest.MonkeyPatch) -> None:
        self.spans: list[tuple[float, float]] = []
        track = smartcar.counters.track

        @contextmanager
        def timed(endpoint: str | None, vehicle_id: str | None) -> Iterator[None]:
            started = time.perf_counter()
            with track(endpoint, vehicle_id):
                yield
            self.spans.append((started, time.perf_counter()))

        monkeypatch.setattr(smartcar.counters, "track", timed)

    def sequential(self) -> int:
        """Return the longest chain of requests each sent after the previous was answered."""
        chains: list[tuple[float, int]] = []  # (answered, chain length), by answer time
        for started, answered in sorted(self.spans, key=lambda span: span[1]):
            before = [length for end, length in chains if end <= started]
            chains.append((answered, 1 + max(before, default=0)))
        return max((length for _, length in chains), default=0)


def _vehicles(size: int) -> str:
    return f"{size}_vehicle{'s' if size > 1 else ''}"


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
    entry = fleet_entry(hass, smartcar, size)
    smartcar.faults.latency = latency
    started = time.perf_counter()
    await setup(hass, entry)
    ready, entities = all_available(hass, entry)
    for _ in range(5000):  # set-up normally returns with everything in place
        if ready:
            break
        await asyncio.sleep(0.001)
        ready, entities = all_available(hass, entry)
    assert ready
    elapsed = time.perf_counter() - started
    goal = "< 1000 ms" if size == 10 else None
    FIGURES.append(
        Figure(
            f"setup_to_all_available_{_vehicles(size)}_{latency * 1000:.0f}ms_latency",
            elapsed * 1000,
            "ms",
            goal,
            elapsed < 1 if goal else None,
            f"{entities} entities, nothing stored: token + connections + signals",
        )
    )


def _round_trips(
    label: str, size: int, elapsed: float, requests: _Requests, goal: float | None
) -> None:
    """Record the set-up's wall time in round trips, and its chain of sequential requests."""
    round_trips = elapsed / LATENCY
    FIGURES.append(
        Figure(
            f"setup_round_trips_{label}_{_vehicles(size)}",
            round_trips,
            "round trips",
            None if goal is None else f"<= {goal:g}",
            None if goal is None else round_trips < goal + 0.5,
            f"{elapsed * 1000:.0f} ms at {LATENCY * 1000:.0f} ms latency; "
            f"{requests.sequential()} sequential of {len(requests.spans)} requests",
        )
    )
    requests.spans.clear()


@pytest.mark.usefixtures("credentials", "current_request_with_host")
@pytest.mark.parametrize("size", [1, 10])
async def test_setup_round_trips(
    hass: HomeAssistant,
    *,
    hass_client_no_auth: ClientSessionGenerator,
    http_session: aiohttp.ClientSession,
    smartcar: Simulator,
    monkeypatch: pytest.MonkeyPatch,
    size: int,
) -> None:
    """The first set-up after the config flow, then a restart within the token's hour."""
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {CONF_APPLICATION_ID: DEMO_APPLICATION_ID, CONF_MODE: MODE_LIVE},
    )
    redirect = await connect_as(
        http_session, result["url"], fleet_email(smartcar, size)
    )
    client = await hass_client_no_auth()
    callback = await client.get(redirect.path_qs)
    assert callback.status == 200
    # Only the set-up is timed (the flow's own token and listing come before it).
    timed: list[float] = []
    setup_entry: SetupEntry = integration.async_setup_entry

    async def timed_setup(hass: HomeAssistant, entry: SmartcarConfigEntry) -> bool:
        started = time.perf_counter()
        try:
            return await setup_entry(hass, entry)
        finally:
            timed.append(time.perf_counter() - started)

    monkeypatch.setattr(integration, "async_setup_entry", timed_setup)
    requests = _Requests(smartcar, monkeypatch)
    smartcar.faults.latency = LATENCY
    result = await hass.config_entries.flow.async_configure(result["flow_id"])
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    entry = result["result"]
    assert len(entry.runtime_data.coordinators) == size
    # The flow's own token and listing come first; they are not the set-up's.
    assert len(timed) == 1
    del requests.spans[:2]
    _round_trips("first_after_config_flow", size, timed[-1], requests, 2)
    assert await hass.config_entries.async_unload(entry.entry_id)
    requests.spans.clear()
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    _round_trips("restart", size, timed[-1], requests, 1)
    assert await hass.config_entries.async_unload(entry.entry_id)


@pytest.mark.parametrize("size", [1, 10])
async def test_setup_round_trips_nothing_stored(
    hass: HomeAssistant,
    credentials: None,
    smartcar: Simulator,
    monkeypatch: pytest.MonkeyPatch,
    size: int,
) -> None:
    """An entry with an expired token and no stored vehicle list: token, listing, reads."""
    entry = fleet_entry(hass, smartcar, size)
    requests = _Requests(smartcar, monkeypatch)
    smartcar.faults.latency = LATENCY
    started = time.perf_counter()
    await setup(hass, entry)
    elapsed = time.perf_counter() - started
    _round_trips("nothing_stored", size, elapsed, requests, None)
