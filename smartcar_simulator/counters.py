"""Request counters: totals per endpoint and vehicle, and peak concurrency."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


class Counters:
    """Counts every request the simulator receives, including failed ones."""

    def __init__(self) -> None:
        """Start at zero."""
        self._counts: Counter[tuple[str | None, str | None]] = Counter()
        self._in_flight: Counter[str | None] = Counter()
        self._max: Counter[str | None] = Counter()
        self._in_flight_total = 0
        self._max_total = 0

    @contextmanager
    def track(self, endpoint: str | None, vehicle_id: str | None) -> Iterator[None]:
        """Count one request and keep it in flight for the duration of the block."""
        self._counts[endpoint, vehicle_id] += 1
        self._in_flight[endpoint] += 1
        self._in_flight_total += 1
        self._max[endpoint] = max(self._max[endpoint], self._in_flight[endpoint])
        self._max_total = max(self._max_total, self._in_flight_total)
        try:
            yield
        finally:
            self._in_flight[endpoint] -= 1
            self._in_flight_total -= 1

    def count(self, endpoint: str | None = None, vehicle_id: str | None = None) -> int:
        """Return how many requests matched (None = any endpoint / any vehicle)."""
        return sum(
            number
            for (name, vehicle), number in self._counts.items()
            if (endpoint is None or name == endpoint)
            and (vehicle_id is None or vehicle == vehicle_id)
        )

    def max_concurrent(self, endpoint: str | None = None) -> int:
        """Return the most requests in flight at once (for one endpoint, or overall)."""
        if endpoint is None:
            return self._max_total
        return self._max[endpoint]

    def in_flight(self, endpoint: str | None = None) -> int:
        """Return how many requests are being served right now."""
        if endpoint is None:
            return self._in_flight_total
        return self._in_flight[endpoint]

    def reset(self) -> None:
        """Forget all counts; peaks restart from the requests still in flight."""
        self._counts.clear()
        self._max = Counter(
            {name: number for name, number in self._in_flight.items() if number}
        )
        self._max_total = self._in_flight_total

    def snapshot(self) -> dict[str, Any]:
        """Return all counters as JSON-ready data (for the admin route)."""
        endpoints: Counter[str] = Counter()
        vehicles: Counter[str] = Counter()
        for (name, vehicle), number in self._counts.items():
            endpoints[name or "unknown"] += number
            if vehicle is not None:
                vehicles[vehicle] += number
        return {
            "total": self.count(),
            "endpoints": dict(endpoints),
            "vehicles": dict(vehicles),
            "maxConcurrent": {
                name or "unknown": number
                for name, number in self._max.items()
                if number
            },
            "maxConcurrentTotal": self._max_total,
        }
