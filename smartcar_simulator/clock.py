"""Simulator time: every time-dependent behaviour reads one injectable clock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

type Clock = Callable[[], datetime]


def utc_now() -> datetime:
    """Return the current UTC time, read at call time (so freezegun can move it)."""
    return datetime.now(UTC)


class ManualClock:
    """A clock that only moves when told to; handy for tests and benchmarks."""

    def __init__(self, start: datetime | None = None) -> None:
        """Start at `start` (default: 2026-11-01 10:00 UTC)."""
        self._now = start or datetime(2026, 11, 1, 10, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        """Return the current simulator time."""
        return self._now

    def advance(self, seconds: float = 0, **delta: float) -> datetime:
        """Move forward by `seconds` plus any `timedelta` keywords; return the new time."""
        self._now += timedelta(seconds=seconds, **delta)
        return self._now

    def set(self, moment: datetime) -> None:
        """Jump to `moment` (timezone-aware)."""
        self._now = moment


def iso(moment: datetime) -> str:
    """Format a time the way the v3 API does: UTC ISO-8601 with milliseconds and `Z`."""
    text = moment.astimezone(UTC).isoformat(timespec="milliseconds")
    return text.replace("+00:00", "Z")


def epoch_seconds(moment: datetime) -> int:
    """Return whole seconds since the Unix epoch."""
    return int(moment.timestamp())


def epoch_millis(moment: datetime) -> int:
    """Return milliseconds since the Unix epoch."""
    return int(moment.timestamp() * 1000)
