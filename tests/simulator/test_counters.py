"""Request counters."""

from __future__ import annotations

from smartcar_simulator import EX30_ID, XC90_ID, Simulator
from smartcar_simulator.counters import Counters

from .helpers import Api


async def test_counts_every_request(api: Api, simulator: Simulator, owner: str) -> None:
    """Successful and failed requests are counted per endpoint and vehicle."""
    await api.get(f"/v3/vehicles/{EX30_ID}/signals", user=owner)
    await api.get(f"/v3/vehicles/{EX30_ID}/signals", auth=False, user=owner)
    await api.get(f"/v3/vehicles/{XC90_ID}/signals/closure-islocked", user=owner)
    await api.get("/v3/nowhere")
    counters = simulator.counters
    assert counters.count("token") == 1
    assert counters.count("signals") == 2
    assert counters.count("signals", EX30_ID) == 2
    assert counters.count(vehicle_id=XC90_ID) == 1
    assert counters.count("signal") == 1
    assert counters.count() == 5
    assert counters.max_concurrent("signals") == 1
    assert counters.max_concurrent() == 1
    snapshot = counters.snapshot()
    assert snapshot["endpoints"] == {
        "token": 1,
        "signals": 2,
        "signal": 1,
        "unknown": 1,
    }
    assert snapshot["vehicles"] == {EX30_ID: 2, XC90_ID: 1}
    counters.reset()
    assert counters.count() == 0
    assert counters.max_concurrent("signals") == 0


def test_reset_keeps_requests_in_flight() -> None:
    """A reset during a request keeps the in-flight request as the new peak."""
    counters = Counters()
    with counters.track("signals", None):
        counters.reset()
        assert counters.in_flight("signals") == 1
        assert counters.max_concurrent("signals") == 1
        assert counters.count() == 0
    assert counters.in_flight("signals") == 0
    assert counters.max_concurrent() == 1
