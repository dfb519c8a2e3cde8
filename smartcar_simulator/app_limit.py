"""Smartcar's application-level rate limit as the server enforces it (model layer, stdlib only).

A bucket of `capacity` requests (120) refilling at `per_minute` (2), shared by every vehicle of
the application; a request finding it empty is answered 429 RATE_LIMIT:SMARTCAR_API with a
Retry-After of the seconds until a request would be admitted.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
import math
from typing import Final

CAPACITY: Final = 120
PER_MINUTE: Final = 2


class AppRateLimit:
    """Admits or refuses each request of one application, by the clock it is given (seconds)."""

    def __init__(
        self,
        clock: Callable[[], float],
        capacity: float = CAPACITY,
        per_minute: float = PER_MINUTE,
    ) -> None:
        """Start full."""
        self._clock = clock
        self.capacity = float(capacity)
        self.rate = per_minute / 60.0
        self._tokens = float(capacity)
        self._stamp = clock()
        self.admitted = 0
        self.refused = 0

    def admit(self) -> int | None:
        """Take a token and return None, or return the Retry-After seconds of a 429."""
        now = self._clock()
        self._tokens = min(
            self.capacity, self._tokens + (now - self._stamp) * self.rate
        )
        self._stamp = now
        if self._tokens >= 1.0:
            self._tokens -= 1.0
            self.admitted += 1
            return None
        self.refused += 1
        return max(1, math.ceil((1.0 - self._tokens) / self.rate))

    @classmethod
    def following(
        cls, now: Callable[[], datetime], capacity: float = CAPACITY
    ) -> AppRateLimit:
        """Return a limit on the simulator's clock (`Simulator.now`)."""
        return cls(lambda: now().timestamp(), capacity)
