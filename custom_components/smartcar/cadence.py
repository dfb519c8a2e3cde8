"""When to read a vehicle next: a pure decision from time, its signals and the month's budget.

No Home Assistant here, no clock, no I/O: `plan_next_poll` maps (now, what the last read showed,
what the signals' own timestamps taught, the month's polling budget) to the moment of the next
poll, so the same code runs in the integration, in the benchmark and under property tests.

- Never faster than the data can change: `Freshness` remembers the signals' `oem_updated_at`.
  Data refreshed on a regular clock (the latest three to eight newer stamps whole periods of at
  least two hours apart, e.g. Smartcar's daily copy of an unsubscribed car) is read right after its
  next predicted refresh, never closer than half its period; other data at most every 15
  minutes.
  Reads that brought nothing newer double the wait (twice at most).
- Following the car: while charging, every 45 minutes and right after the completion
  TimeToComplete predicts; plugged in and waiting, right after the next charge timer's start
  (ChargeTimers; not with a full battery); otherwise twice a day (the second read right after
  the moment the car usually stops changing, when one is learned), plus watch polls every 100
  minutes in the hours of the day the owner starts charging sessions by plugging in (learned
  from the reads; the evening, 18:00-22:00, until sessions are seen elsewhere; none for a car
  without a charging cable).
- The month: every interval is multiplied by the pressure, the month's pace (time left / polls
  left) against the default plan's even pace (150 polls in 30 days), so polls are spent
  according to what is left; watches and events stop when polls run short (pressure above 2).
  Polls never exceed the polling share of the budget (30 %) and never spend the reserve.
- Webhooks delivering: only the daily safety poll.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, time, timedelta
from itertools import pairwise
import math
from typing import Final

from .api import VehicleSignals, signals as sig

POLLING_SHARE_PERCENT: Final = 30
# Never two polls closer than this, whatever the car does.
MIN_INTERVAL: Final = timedelta(minutes=15)
# The floor of regularly refreshed data is half its period, capped: still read at least daily.
MAX_FLOOR: Final = timedelta(hours=12)
MAX_BACKOFF: Final = timedelta(hours=24)
CEILING = timedelta(hours=12)
SETTLED_GAP = timedelta(hours=1)
# The intervals at the default plan's even pace (150 polls in 30 days); see `pressure`.
DEFAULT_PACE: Final = timedelta(days=30) / 150
CHARGING_INTERVAL: Final = timedelta(minutes=45)
WATCH_INTERVAL: Final = timedelta(minutes=100)
PLUGGED_INTERVAL: Final = timedelta(hours=4)
IDLE_INTERVAL: Final = timedelta(hours=12)
# Changes seen while not charging that are remembered, and how many make an hour usual.
REMEMBERED_SETTLED: Final = 16
USUAL_SETTLED: Final = 3
# Plenty of polls left never makes the intervals shorter than half of the above.
MIN_PRESSURE: Final = 0.5
# Polls this short (pace twice the default's or slower): only the cadence, no event polls.
EVENT_PRESSURE: Final = 2.0
MAX_DOUBLINGS: Final = 2
# While webhooks deliver a vehicle's data, a safety poll at most once a day is enough. 25 hours
# rather than 24 keeps a 31-day month, set-up read included, within 31 polls.
SAFETY_INTERVAL: Final = timedelta(hours=25)
# How long after a predicted completion or a timer's start the car is read.
AFTER_EVENT: Final = timedelta(minutes=10)
# How long after a predicted upstream refresh the car is read.
AFTER_REFRESH: Final = timedelta(minutes=5)
# How many upstream change moments are remembered; the latest (three to eight) must keep one
# clock to count as a refresh clock.
REMEMBERED_CHANGES: Final = 24
REGULAR_CHANGES: Final = 8
# A refresh clock is at least this slow (data seen to change faster changes with the car).
MIN_PERIOD: Final = timedelta(hours=2)
# Newer stamps this close to a whole number of periods count as the same refresh clock.
REFRESH_TOLERANCE: Final = timedelta(minutes=5)
# An hour of the day is watched while it holds at least this share of the busiest hour's
# session starts.
LIKELY_SHARE: Final = 4
# Before sessions are learned, the evening (when owners come home) counts as this many.
DEFAULT_WATCH: Final = frozenset(range(18, 22))
PRIOR_PLUG_INS: Final = 1.0
# A battery this full starts no charge at a timer's start.
FULL: Final = 100
_DAY: Final = timedelta(days=1)
_DAYS: Final = (
    "MONDAY",
    "TUESDAY",
    "WEDNESDAY",
    "THURSDAY",
    "FRIDAY",
    "SATURDAY",
    "SUNDAY",
)


@dataclass(frozen=True, slots=True)
class Rules:
    """Which rules of the cadence apply: all of them, but the benchmark's ablation."""

    charging_pace: bool = True
    completion: bool = True
    timer_start: bool = True
    plugged_pace: bool = True
    watch_hours: bool = True
    refresh_clock: bool = True
    usual_change: bool = True
    back_off: bool = True
    ceiling: bool = True


ALL_RULES: Final = Rules()


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
    # Per local hour of the day: how many charging sessions the owner started in it by
    # plugging in (spread over the hours between the read that saw the car unplugged and the
    # one that saw it charging); sessions a waiting car starts (timers) are not counted.
    plug_ins: tuple[float, ...] = tuple(
        PRIOR_PLUG_INS if hour in DEFAULT_WATCH else 0.0 for hour in range(24)
    )
    # The local minutes of the day of the latest changes seen while the car was not charging
    # (when it usually stops changing: the end of a commute).
    settled: tuple[int, ...] = ()

    def observe(self, now: datetime, signals: VehicleSignals) -> Freshness:
        """Return what is known after a read at `now` that returned `signals`."""
        state = car_state(now, signals)
        plugged = state.plugged
        habit = self.plug_ins
        if (
            plugged
            and self.plugged is False
            and self.last_poll is not None
            and state.charging
        ):
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
        changes, settled = self.changes, self.settled
        if self.newest is not None:
            changes = (*changes, newest)[-REMEMBERED_CHANGES:]
            if not state.charging:
                local = newest.astimezone(now.tzinfo)
                minute = local.hour * 60 + local.minute
                settled = (*settled, minute)[-REMEMBERED_SETTLED:]
        return Freshness(newest, changes, 0, now, plugged, habit, settled)

    def next_settled(self, since: datetime, until: datetime) -> datetime | None:
        """Return the first usual moment the car stops changing between `since` and `until`.

        Usual: an hour of the day holding at least three of the latest changes seen while not
        charging; the moment is their mean minute.
        """
        by_hour: dict[int, list[int]] = {}
        for minute in self.settled:
            by_hour.setdefault(minute // 60, []).append(minute)
        usual = sorted(
            sum(minutes) // len(minutes)
            for minutes in by_hour.values()
            if len(minutes) >= USUAL_SETTLED
        )
        day = since.replace(hour=0, minute=0, second=0, microsecond=0)
        for ahead in range(2):
            for minute in usual:
                moment = day + timedelta(days=ahead, minutes=minute)
                if since <= moment <= until:
                    return moment
        return None

    def watch_hours(self) -> frozenset[int]:
        """Return the hours of the day the owner is likely to start a charging session."""
        most = max(self.plug_ins)
        return frozenset(
            hour
            for hour, weight in enumerate(self.plug_ins)
            if weight > 0 and weight >= most / LIKELY_SHARE
        )

    @property
    def period(self) -> timedelta | None:
        """The upstream's refresh period, when the latest newer stamps keep one clock.

        None before three newer stamps were seen arrive, or when the latest (up to eight)
        are not whole numbers of the shortest gap apart, or closer than two hours (data that
        changes with the car). The first read's stamp is not a change seen arrive.
        """
        gaps = [b - a for a, b in pairwise(self.changes[-REGULAR_CHANGES:])]
        if len(gaps) < 2:
            return None
        shortest = min(gaps)
        if shortest < MIN_PERIOD:
            return None
        for gap in gaps:
            if abs(gap - shortest * round(gap / shortest)) > REFRESH_TOLERANCE:
                return None
        return shortest

    @property
    def floor(self) -> timedelta:
        """The shortest wait between polls: never faster than the data has been seen to change."""
        period = self.period
        if period is None:
            return MIN_INTERVAL
        return min(MAX_FLOOR, max(MIN_INTERVAL, period / 2))

    def next_refresh(self, after: datetime) -> datetime | None:
        """Return the first predicted upstream refresh after `after` (None: no regular clock)."""
        period = self.period
        if period is None or self.newest is None:
            return None
        steps = max(0, (after - self.newest) // period + 1)
        return self.newest + period * steps


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
    full: bool = False


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
    level = signals.body(sig.STATE_OF_CHARGE)
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
        level is not None and level.value >= FULL,
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


def _whole_seconds(delta: timedelta) -> timedelta:
    """Round a stretched interval up to whole seconds."""
    return timedelta(seconds=math.ceil(delta.total_seconds()))


def pressure(now: datetime, month: MonthBudget) -> float:
    """How much scarcer polls are than at the default plan's even pace (at least 0.5).

    1 at 150 polls for a 30-day month; 2 when half as many polls are left for the time left.
    """
    return _stretch(_pace(now, month))


def _pace(now: datetime, month: MonthBudget) -> timedelta:
    """Return the time left in the month per poll left."""
    return max(month.month_end - now, timedelta(0)) / max(1, month.polls_left)


def _stretch(pace: timedelta) -> float:
    return max(MIN_PRESSURE, pace / DEFAULT_PACE)


def plan_next_poll(
    now: datetime,
    signals: VehicleSignals | None,
    freshness: Freshness,
    month: MonthBudget,
    *,
    webhooks_delivering: bool = False,
    rules: Rules = ALL_RULES,
) -> datetime | None:
    """Return when to poll next, or None when no poll is left this month.

    The answer is never earlier than `freshness.last_poll + freshness.floor` (nor than `now`).
    """
    if month.polls_left <= 0:
        return None
    last = freshness.last_poll or now
    floor = freshness.floor if rules.refresh_clock else MIN_INTERVAL
    earliest = max(now, last + floor)
    if webhooks_delivering:
        return max(earliest, last + SAFETY_INTERVAL)
    state = car_state(now, signals or VehicleSignals())
    pace = _pace(now, month)  # polls_left > 0 here
    stretch = _stretch(pace)
    longest = max(CEILING if rules.ceiling else MAX_BACKOFF, _whole_seconds(pace))
    doubling = 1 << min(freshness.stale_reads, MAX_DOUBLINGS) if rules.back_off else 1
    if state.charging and rules.charging_pace:
        base = CHARGING_INTERVAL
    elif state.plugged and not state.timer_starts and rules.plugged_pace:
        base = PLUGGED_INTERVAL  # may start charging at any time
    else:
        base = IDLE_INTERVAL
    wait = min(longest, _whole_seconds(base * doubling * stretch))
    planned = last + wait
    if base is IDLE_INTERVAL and rules.usual_change:
        # Idle: rather right after the car usually stops changing (a commute's end).
        settled = freshness.next_settled(last + SETTLED_GAP, planned)
        if settled is not None:
            planned = settled + AFTER_EVENT
    if stretch <= EVENT_PRESSURE and month.polls_left > 1:
        for event in _events(state, freshness, now, last, stretch, rules):
            if now < event < planned:
                planned = event
    refresh = freshness.next_refresh(max(last, planned - AFTER_REFRESH))
    if refresh is not None and rules.refresh_clock:
        # Nothing newer before the upstream's next refresh: read right after it.
        planned = refresh + AFTER_REFRESH
    return max(earliest, planned)


def _events(
    state: CarState,
    freshness: Freshness,
    now: datetime,
    last: datetime,
    stretch: float,
    rules: Rules,
) -> list[datetime]:
    """Return the moments the car's own data and habits ask to be read at."""
    events: list[datetime] = []
    if state.completes_at is not None and rules.completion:
        events.append(state.completes_at + AFTER_EVENT)
    if (
        rules.timer_start
        and state.plugged
        and not state.charging
        and state.timer_starts
        and not state.full
    ):
        events.append(state.timer_starts[0] + AFTER_EVENT)
    if state.plugged is not None and not state.charging and rules.watch_hours:
        spacing = _whole_seconds(WATCH_INTERVAL * stretch)
        watch = _watch(freshness, now, last, bool(state.plugged), spacing)
        if watch is not None:
            events.append(watch)
    return events


def _watch(
    freshness: Freshness,
    now: datetime,
    last: datetime,
    plugged: bool,
    spacing: timedelta,
) -> datetime | None:
    """Return the next watch poll in the owner's usual plug-in hours.

    Inside such hours the car is read every `spacing` until a read there saw it plugged in
    (and at the window's end, unless the last read was less than half a spacing before it);
    outside, half a spacing into the next window.
    """
    hours = freshness.watch_hours()
    hour = now.replace(minute=0, second=0, microsecond=0)
    if now.hour in hours:
        start, end = hour, hour + timedelta(hours=1)
        while (start - timedelta(hours=1)).hour in hours and hour - start < _DAY:
            start -= timedelta(hours=1)
        while end.hour in hours and end - hour < _DAY:
            end += timedelta(hours=1)
        if plugged and last >= start:
            return None
        if end - last >= spacing / 2:
            return min(last + spacing, end)
    ahead = hour + timedelta(hours=1)
    while ahead.hour not in hours or (ahead - timedelta(hours=1)).hour in hours:
        ahead += timedelta(hours=1)
        if ahead - hour > _DAY:
            return None
    return ahead + _whole_seconds(spacing / 2)
