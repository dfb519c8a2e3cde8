"""Smartcar's application-level rate limit, kept on the client side: one token bucket per app.

Smartcar limits each application (client id), all its vehicles together, with a bucket of 120
requests refilling at 2 a minute. Every client of the same application shares one
`TokenBucket` (`bucket_for(client_id)`), so many vehicles' polls are spread over time instead of
bursting into 429s: a request waits for a token, first come first served.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
import time
from typing import Final

from .contract import APP_BUCKET_CAPACITY, APP_BUCKET_REFILL_PER_MINUTE

# Never wait longer than this for a token: past it the request goes and Smartcar decides.
MAX_WAIT_SECONDS: Final = 600.0


def _monotonic() -> float:
    # Looked up at each call (not bound once), so a patched clock is followed.
    return time.monotonic()


class TokenBucket:
    """A token bucket: `capacity` tokens, refilled continuously at `per_minute` a minute."""

    def __init__(
        self,
        capacity: float = APP_BUCKET_CAPACITY,
        per_minute: float = APP_BUCKET_REFILL_PER_MINUTE,
        *,
        clock: Callable[[], float] | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        """Start full; `clock` and `sleep` are replaceable for a simulated clock."""
        self.capacity = float(capacity)
        self.rate = per_minute / 60.0
        self._clock = clock or _monotonic
        self._sleep = sleep
        self._tokens = float(capacity)
        self._stamp = self._clock()
        self._lock = asyncio.Lock()

    def _refill(self) -> None:
        now = self._clock()
        self._tokens = min(
            self.capacity, self._tokens + max(0.0, now - self._stamp) * self.rate
        )
        self._stamp = now

    def wait_time(self) -> float:
        """Seconds until a token is available (0 when one is)."""
        self._refill()
        return max(0.0, (1.0 - self._tokens) / self.rate)

    async def acquire(self) -> None:
        """Take one token, waiting (in order of arrival) until one is available."""
        async with self._lock:
            wait = min(self.wait_time(), MAX_WAIT_SECONDS)
            if wait > 0:
                await self._sleep(wait)
            self.consume()

    def consume(self) -> None:
        """Take one token now, without waiting (for callers that waited on their own clock)."""
        self._refill()
        self._tokens = max(0.0, self._tokens - 1.0)

    def drain(self, seconds: float) -> None:
        """Empty the bucket, as when Smartcar answered 429 with `Retry-After: seconds`.

        The bucket then holds no token before that time has passed.
        """
        self._refill()
        self._tokens = min(self._tokens, 1.0 - max(0.0, seconds) * self.rate)


# Deliberately shared by the whole process, keyed by client id: the limit is Smartcar's per
# application, so every config entry (and every vehicle) of one application draws from one
# bucket. Nothing else is shared between entries.
_BUCKETS: dict[str, TokenBucket] = {}


def bucket_for(client_id: str) -> TokenBucket:
    """Return the bucket shared by every client of the application `client_id`.

    The bucket is per application, not per entry: entries of the same application share it.
    """
    return _BUCKETS.setdefault(client_id, TokenBucket())
