"""A vehicle's month of driving and charging, and how fresh Smartcar's copy of it is (model layer).

`month_pattern(seed, start)` builds a reproducible month: weekday commutes and weekend trips that
drain the battery, 3-5 charging sessions a week (some started by a 01:00 charge timer after
plugging in at night, some ad hoc in the evening), as a timeline of segments. `Upstream` says what
Smartcar shows at a moment: `live` (the car as it is, each value stamped when it last changed) or
`daily` (Smartcar's cached copy, refreshed once a day and stamped with the refresh time).

Pure and stdlib-only: the bottom layer of the simulator, used by the benchmark and tests. A
simulator vehicle set to follow a month (`Simulator.follow_month`, `FollowedMonth`) serves the
same over HTTP (`following.py` writes its signals on each read).
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from datetime import datetime, time, timedelta, tzinfo
import math
import random
from typing import Final, Literal
from zoneinfo import ZoneInfo

type Refresh = Literal["live", "daily"]

# Where a car lives unless told: the demo owner's (and the tests') US Pacific time.
DEFAULT_HOME_ZONE: Final = ZoneInfo("America/Los_Angeles")
TIMER_START: Final = time(1, 0)
PLUG_IN_AT_NIGHT: Final = time(19, 30)
UNPLUG_IN_THE_MORNING: Final = time(7, 0)
# The month's ChargeTimers body: the night sessions start at the timer's start (every day).
CHARGE_TIMERS_BODY: Final = {
    "values": [
        {
            "type": "TIMER",
            "schedules": [
                {
                    "start": TIMER_START.isoformat(),
                    "end": UNPLUG_IN_THE_MORNING.isoformat(),
                }
            ],
        }
    ]
}


@dataclass(frozen=True, slots=True)
class Segment:
    """From `start` to `end` the level goes linearly from `level0` to `level1`."""

    start: datetime
    end: datetime
    level0: float
    level1: float
    kind: Literal["park", "drive", "charge"]
    plugged: bool

    def level(self, at: datetime) -> float:
        """Return the battery level at `at` (within the segment)."""
        span = (self.end - self.start).total_seconds()
        done = (at - self.start).total_seconds() / span if span else 1.0
        return self.level0 + (self.level1 - self.level0) * min(1.0, max(0.0, done))

    def crossing_before(self, at: datetime) -> datetime:
        """Return when the whole-percent level shown at `at` was first reached in the segment."""
        if self.level0 == self.level1:
            return self.start
        target = float(
            math.floor(self.level(at))
            if self.level1 > self.level0
            else math.ceil(self.level(at))
        )
        share = (target - self.level0) / (self.level1 - self.level0)
        moment = self.start + (self.end - self.start) * max(0.0, min(1.0, share))
        return min(at, max(self.start, moment))


@dataclass(frozen=True, slots=True)
class Snapshot:
    """What Smartcar reports: values and the time they are stamped with (`oem_updated_at`)."""

    level: int
    charging: bool
    plugged: bool
    minutes_to_complete: float | None
    updated_at: datetime
    true_at: datetime  # the moment of the car these values describe


@dataclass(frozen=True, slots=True)
class MonthPattern:
    """A vehicle's month as a timeline of segments, sorted and contiguous."""

    segments: tuple[Segment, ...]

    def segment(self, at: datetime) -> Segment:
        """Return the segment `at` falls in (the last one past the end)."""
        index = bisect_right([s.start for s in self.segments], at) - 1
        return self.segments[max(0, min(index, len(self.segments) - 1))]

    def snapshot(self, at: datetime) -> Snapshot:
        """Return the car as it is at `at`, stamped with when its values last changed."""
        segment = self.segment(at)
        level = segment.level(at)
        charging = segment.kind == "charge" and at < segment.end
        minutes = None
        if charging:
            minutes = (segment.end - at).total_seconds() / 60
        changed = (
            segment.crossing_before(at) if segment.kind != "park" else segment.start
        )
        return Snapshot(int(level), charging, segment.plugged, minutes, changed, at)


@dataclass(frozen=True, slots=True)
class Upstream:
    """How fresh Smartcar's data for a vehicle is.

    `daily` refreshes at `daily_at` in the vehicle's `home` time zone (04:00 local: the car is
    parked, the evening's charging done), whatever the zone of the clock that asks.
    """

    refresh: Refresh
    daily_at: time = time(4, 0)
    home: tzinfo = DEFAULT_HOME_ZONE

    def visible_at(self, at: datetime) -> datetime:
        """Return the moment of the car that Smartcar shows at `at` (in `at`'s zone)."""
        if self.refresh == "live":
            return at
        local = at.astimezone(self.home)
        day = local.date()
        if local.time() < self.daily_at:  # before today's refresh: yesterday's
            day -= timedelta(days=1)
        return datetime.combine(day, self.daily_at, self.home).astimezone(at.tzinfo)

    def report(self, pattern: MonthPattern, at: datetime) -> Snapshot:
        """Return what a read at `at` brings, with the timestamp the upstream model gives."""
        seen = self.visible_at(at)
        snapshot = pattern.snapshot(seen)
        if self.refresh == "daily":
            # The cached copy is stamped with the refresh, not the car's own change.
            return Snapshot(
                snapshot.level,
                snapshot.charging,
                snapshot.plugged,
                snapshot.minutes_to_complete,
                seen,
                seen,
            )
        return snapshot


@dataclass(frozen=True, slots=True)
class FollowedMonth:
    """A vehicle's month and how fresh Smartcar's copy of it is (set on a simulator vehicle)."""

    pattern: MonthPattern
    upstream: Upstream

    def report(self, at: datetime) -> Snapshot:
        """Return what a read at `at` brings."""
        return self.upstream.report(self.pattern, at)


def month_pattern(seed: int, start: datetime, days: int = 31) -> MonthPattern:
    """Build a reproducible month of driving and charging from `seed`."""
    rng = random.Random(seed)
    builder = _Builder(start, rng.uniform(40, 80))
    for day in range(days):
        midnight = datetime.combine(
            (start + timedelta(days=day)).date(), time(0), start.tzinfo
        )
        weekday = midnight.weekday() < 5
        charge_today = rng.random() < 4 / 7
        if weekday:
            builder.drive(
                midnight + timedelta(hours=7, minutes=30), 35, rng.uniform(4, 9)
            )
            builder.drive(
                midnight + timedelta(hours=17, minutes=30), 35, rng.uniform(4, 9)
            )
        else:
            builder.drive(midnight + timedelta(hours=11), 70, rng.uniform(6, 15))
        if not charge_today:
            continue
        hours = rng.uniform(1, 8)
        rate = rng.uniform(6, 20)  # percent an hour
        if rng.random() < 0.5:
            plug = midnight + timedelta(hours=PLUG_IN_AT_NIGHT.hour, minutes=30)
            begin = midnight + timedelta(days=1, hours=TIMER_START.hour)
        else:
            plug = midnight + timedelta(hours=rng.uniform(18.5, 21.5))
            begin = plug
        builder.charge(plug, begin, hours, rate)
    builder.park_until(start + timedelta(days=days + 1))
    return MonthPattern(tuple(builder.segments))


class _Builder:
    """Appends segments in order, parking in between."""

    def __init__(self, start: datetime, level: float) -> None:
        self.segments: list[Segment] = []
        self.at = start
        self.level = level

    def park_until(self, moment: datetime, *, plugged: bool = False) -> None:
        if moment > self.at:
            self.segments.append(
                Segment(self.at, moment, self.level, self.level, "park", plugged)
            )
            self.at = moment

    def drive(self, moment: datetime, minutes: float, used: float) -> None:
        if moment < self.at:
            return
        self.park_until(moment)
        end = moment + timedelta(minutes=minutes)
        level = max(5.0, self.level - used)
        self.segments.append(Segment(moment, end, self.level, level, "drive", False))
        self.at, self.level = end, level

    def charge(
        self, plug: datetime, begin: datetime, hours: float, rate: float
    ) -> None:
        if plug < self.at:
            return
        self.park_until(plug)
        self.park_until(begin, plugged=True)
        gain = min(100.0 - self.level, hours * rate)
        end = begin + timedelta(hours=gain / rate) if gain > 0 else begin
        if gain > 0:
            self.segments.append(
                Segment(begin, end, self.level, self.level + gain, "charge", True)
            )
            self.at, self.level = end, self.level + gain
        # Unplugged the next morning (or two hours after an ad hoc session).
        morning = datetime.combine(
            (begin + timedelta(hours=12)).date(), UNPLUG_IN_THE_MORNING, begin.tzinfo
        )
        unplug = morning if begin != plug else end + timedelta(hours=2)
        self.park_until(max(unplug, self.at), plugged=True)
