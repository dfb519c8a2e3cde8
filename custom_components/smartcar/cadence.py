"""When to read a vehicle next: a pure decision from time, its signals and the month's budget.

No Home Assistant here, no clock, no I/O: `plan_next_poll` maps (now, what the last read showed,
what the signals' own timestamps taught, the month's polling budget) to the moment of the next
poll, so the same code runs in the integration, in the benchmark and under property tests.

- Never faster than the data can change: `Freshness` learns the upstream refresh period from the
  signals' `oem_updated_at` (the shortest gap between two newer values seen); the floor is half
  of it (15 min at least, 12 h at most). Data seen to change at most daily is read right after
  its predicted refresh. Reads that brought nothing newer double the wait (twice at most).
- Charging: every half hour, and right after the predicted completion (TimeToComplete).
  Plugged in and waiting: shortly after the next charge timer's start (ChargeTimers).
  Parked and unplugged: at half the month's even pace or slower, except in the hours the owner
  has been seen to plug in (learned), which are read hourly.
- The month: polls never exceed the polling share of the budget (30 % by default), and are paced
  by what is left (`pace` = time left / polls left); the reserve is never spent by polls.
- Webhooks delivering: only the daily safety poll.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, time, timedelta
from typing import Final

from .api import VehicleSignals, signals as sig

POLLING_SHARE_PERCENT: Final = 30
# Never two polls closer than this, whatever the car does.
MIN_INTERVAL: Final = timedelta(minutes=15)
# The learned floor is capped: data that changes less than daily is still read daily.
MAX_FLOOR: Final = timedelta(hours=12)
MAX_BACKOFF: Final = timedelta(hours=24)
CHARGING_INTERVAL: Final = timedelta(minutes=30)
PLUGGED_INTERVAL: Final = timedelta(hours=3)
PARKED_INTERVAL: Final = timedelta(hours=4)
HABIT_INTERVAL: Final = timedelta(minutes=60)
# Data seen to change at most this often is Smartcar's daily copy: read right after its refresh.
# Plug-ins seen in an hour of the day (spread) before it is watched more closely.
LIKELY_PLUG_INS: Final = 0.75
SLOW_UPSTREAM: Final = timedelta(hours=20)
MAX_DOUBLINGS: Final = 2
UNKNOWN_INTERVAL: Final = timedelta(hours=6)
SAFETY_INTERVAL: Final = timedelta(hours=25)
# How long after a predicted completion or a timer's start the car is read.
AFTER_EVENT: Final = timedelta(minutes=10)
# How many upstream change moments are remembered to learn the refresh period.
REMEMBERED_CHANGES: Final = 24
# A charging car may spend this many times faster than the month's even pace.
CHARGING_SPEEDUP: Final = 10.0
# An idle car is read at least this many times slower than the month's even pace.
IDLE_PACE: Final = 2.0
KEPT_PER_DAY: Final = 3
_DAYS: Final = (
    "MONDAY",
    "TUESDAY",
    "WEDNESDAY",
    "THURSDAY",
    "FRIDAY",
    "SATURDAY",
    "SUNDAY",
)


def polling_share(budget: int) -> int:
    """Return the requests a month's polls may use: 30 % of the budget."""
    return budget * POLLING_SHARE_PERCENT // 100


@dataclass(frozen=True, slots=True)
class MonthBudget:
    """The month's requests as the policy sees them (all counts are this calendar month)."""

    polls: int  # scheduled polls sent
    used: int  # every request (polls, commands, actions, forced refreshes)
    budget: int
    reserve: int
    month_end: datetime

    @property
    def share(self) -> int:
        """Polls the month allows."""
        return polling_share(self.budget)

    @property
    def polls_left(self) -> int:
        """Polls still allowed: within the share, and never out of the reserve."""
        return max(
            0, min(self.share - self.polls, self.budget - self.reserve - self.used)
        )


@dataclass(frozen=True, slots=True)
class Freshness:
    """What the signals' own timestamps taught about how often the data changes upstream."""

    newest: datetime | None = None
    changes: tuple[datetime, ...] = ()
    stale_reads: int = 0
    last_poll: datetime | None = None
    plugged: bool | None = None
    # Per local hour of the day: how many plug-ins were seen in it (spread over the hours
    # between the read that saw the car unplugged and the one that saw it plugged in).
    plug_ins: tuple[float, ...] = (0.0,) * 24

    def observe(self, now: datetime, signals: VehicleSignals) -> Freshness:
        """Return what is known after a read at `now` that returned `signals`."""
        plugged = _flag(signals, sig.IS_CHARGING_CABLE_CONNECTED)
        habit = self.plug_ins
        if plugged and self.plugged is False and self.last_poll is not None:
            habit = _spread(habit, self.last_poll, now)
        newest = newest_timestamp(signals)
        if newest is None or (self.newest is not None and newest <= self.newest):
            return replace(
                self,
                stale_reads=self.stale_reads + 1,
                last_poll=now,
                plugged=self.plugged if plugged is None else plugged,
                plug_ins=habit,
            )
        changes = (*self.changes, newest)[-REMEMBERED_CHANGES:]
        return Freshness(newest, changes, 0, now, plugged, habit)

    def plug_in_likely(self, at: datetime) -> bool:
        """Whether the owner has often plugged the car in at this hour of the day."""
        weight = self.plug_ins[at.hour]
        return weight >= LIKELY_PLUG_INS and weight >= max(self.plug_ins) / 3

    @property
    def period(self) -> timedelta | None:
        """The shortest gap between two newer values seen (None before two were seen)."""
        gaps = [b - a for a, b in zip(self.changes, self.changes[1:], strict=False)]
        return min(gaps) if gaps else None

    @property
    def floor(self) -> timedelta:
        """The shortest wait between polls: never faster than the data has been seen to change."""
        period = self.period
        if period is None:
            return MIN_INTERVAL
        return min(MAX_FLOOR, max(MIN_INTERVAL, period / 2))


def _spread(
    habit: tuple[float, ...], since: datetime, until: datetime
) -> tuple[float, ...]:
    """Add one plug-in, spread evenly over the hours between two reads (at most a day)."""
    hours = max(1, min(24, round((until - since).total_seconds() / 3600)))
    counts = list(habit)
    for step in range(hours):
        counts[(until - timedelta(hours=step)).hour] += 1 / hours
    return tuple(counts)


def newest_timestamp(signals: VehicleSignals) -> datetime | None:
    """Return the newest trusted `oem_updated_at` of the vehicle's current signals."""
    stamps = [
        s.oem_updated_at
        for s in signals.signals.values()
        if s.ok and s.oem_updated_at is not None
    ]
    return max(stamps, default=None)


@dataclass(frozen=True, slots=True)
class CarState:
    """What the last read says the car is doing, as far as polling cares."""

    charging: bool | None
    plugged: bool | None
    completes_at: datetime | None = None
    timer_starts: tuple[datetime, ...] = field(default=())


def _flag(
    signals: VehicleSignals, spec: sig.SignalSpec[sig.BooleanValue]
) -> bool | None:
    body = signals.body(spec)
    return body.value if body is not None else None


def car_state(now: datetime, signals: VehicleSignals) -> CarState:
    """Read charging, plug, predicted completion and upcoming timer starts from the signals."""
    charging = _flag(signals, sig.IS_CHARGING)
    status = signals.body(sig.DETAILED_CHARGING_STATUS)
    if charging is None and status is not None:
        charging = status.value == sig.ChargingStatus.CHARGING
    completes_at = None
    remaining = signals.get(sig.TIME_TO_COMPLETE)
    body = signals.body(sig.TIME_TO_COMPLETE)
    if charging and body is not None and remaining is not None and body.value > 0:
        since = remaining.oem_updated_at or now
        completes_at = since + timedelta(minutes=body.value)
    return CarState(
        charging,
        _flag(signals, sig.IS_CHARGING_CABLE_CONNECTED),
        completes_at,
        timer_starts(now, signals.body(sig.CHARGE_TIMERS)),
    )


def timer_starts(
    now: datetime, timers: sig.ChargeTimers | None
) -> tuple[datetime, ...]:
    """Return each timer window's next start within a week, in `now`'s time zone.

    Which zone Smartcar means is unconfirmed (`api.contract.CHARGE_TIMER_TIME_ZONE`).
    """
    if timers is None:
        return ()
    starts: list[datetime] = []
    for timer in timers.timers:
        for window in timer.windows:
            start = _clock(window.start)
            if start is None:
                continue
            for ahead in range(8):
                day = now.date() + timedelta(days=ahead)
                if window.days and _DAYS[day.weekday()] not in window.days:
                    continue
                moment = datetime.combine(day, start, now.tzinfo)
                if moment > now:
                    starts.append(moment)
                    break
    return tuple(sorted(starts))


def _clock(text: str | None) -> time | None:
    try:
        return time.fromisoformat(text) if text else None
    except ValueError:
        return None


def wanted_interval(state: CarState, freshness: Freshness, now: datetime) -> timedelta:
    """How often the car's state asks to be read, before the floor and the budget."""
    stale = freshness.stale_reads
    if state.charging:
        return CHARGING_INTERVAL * (1 << min(stale, 2))
    if state.plugged is False and freshness.plug_in_likely(now):
        # The owner's usual time to plug in: watch for the charge to start.
        return HABIT_INTERVAL
    if state.plugged:
        base = PLUGGED_INTERVAL
    elif state.plugged is False:
        base = PARKED_INTERVAL
    else:
        base = UNKNOWN_INTERVAL
    # Reads that brought nothing newer: back off.
    return min(MAX_BACKOFF, base * (1 << min(stale, MAX_DOUBLINGS)))


def plan_next_poll(
    now: datetime,
    signals: VehicleSignals | None,
    freshness: Freshness,
    month: MonthBudget,
    *,
    webhooks_delivering: bool = False,
) -> datetime | None:
    """Return when to poll next, or None when no poll is left this month.

    The answer is never earlier than `freshness.last_poll + freshness.floor` (nor than `now`).
    """
    if month.polls_left <= 0:
        return None
    last = freshness.last_poll or now
    earliest = max(now, last + freshness.floor)
    if webhooks_delivering:
        return max(earliest, last + SAFETY_INTERVAL)
    state = car_state(now, signals or VehicleSignals())
    interval = wanted_interval(state, freshness, now)
    # Spend according to what is left: no faster than the even pace, except a car that is
    # charging or was just used (the month's end then slows the rest down).
    pace = max(month.month_end - now, timedelta(0)) / month.polls_left
    days_left = max(1.0, (month.month_end - now) / timedelta(days=1))
    if interval <= HABIT_INTERVAL:
        # Faster than the pace only while a share of KEPT_PER_DAY polls a day is kept.
        speedup = (
            CHARGING_SPEEDUP if month.polls_left > KEPT_PER_DAY * days_left else 1.0
        )
        interval = max(interval, pace / speedup)
    else:
        # Idle: slower than the pace (leaving room for charging), backing off to 4 times it.
        interval = max(IDLE_PACE * pace, min(interval, 2 * IDLE_PACE * pace))
    planned = last + interval
    if not (state.charging and freshness.stale_reads == 0):
        planned = _after_upstream_refresh(planned, freshness)
    events = [state.completes_at] if state.completes_at is not None else []
    if state.plugged and not state.charging:
        events.extend(state.timer_starts[:1])
    if state.plugged is False and not freshness.plug_in_likely(now):
        events.extend(_likely_hour_starts(freshness, now, planned))
    for event in events:
        soon = event + AFTER_EVENT
        if now < soon < planned and month.polls_left > 1:
            planned = soon
    return max(earliest, planned)


def _likely_hour_starts(
    freshness: Freshness, now: datetime, until: datetime
) -> list[datetime]:
    """Return the first usual plug-in hour starting between now and `until` (minus AFTER_EVENT)."""
    hour = now.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    while hour < until:
        if freshness.plug_in_likely(hour):
            return [hour - AFTER_EVENT]
        hour += timedelta(hours=1)
    return []


def _after_upstream_refresh(planned: datetime, freshness: Freshness) -> datetime:
    """Poll right after the next upstream refresh when the data changes only every few hours.

    Reading just after the predicted refresh shows the new data early; reading before it
    brings nothing newer.
    """
    period = freshness.period
    if period is None or freshness.newest is None or period < SLOW_UPSTREAM:
        return planned
    due = freshness.newest + period + AFTER_EVENT
    while freshness.last_poll is not None and due <= freshness.last_poll:
        due += period
    return due
