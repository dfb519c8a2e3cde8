"""The polling policy: when a vehicle is read next, and whether a poll may spend a request.

`plan_next_poll` is pure (no Home Assistant, no clock, no I/O): it maps the moment, what the last
read showed, what the signals' own timestamps taught (`Freshness`) and the month's polls
(`MonthBudget`) to the next poll, so the same code runs in the integration, in the benchmark and
under property tests. `PollingPolicy` feeds it for one vehicle and adds what Smartcar's answers
impose. Each rule below moves a figure of `scripts/bench` by at least 5 % (its ablation switches
them off one at a time through `Rules`):

- Charging pace: while charging, every 45 minutes.
- Timer start: plugged in and waiting (battery not full), right after the next charge timer's
  start (ChargeTimers).
- Watch hours: not charging, every 100 minutes in the hours of the day the owner starts charging
  sessions by plugging in (learned from the reads; the evening, 18:00-22:00, until sessions are
  seen elsewhere), until a read there sees the car plugged in.
- Usual-change hour: otherwise every 12 hours, or sooner right after the moment the car usually
  stops changing (an hour of the day holding three of the latest changes seen while not charging:
  a commute's end).
- Refresh clock: data refreshed on a regular clock (the latest three to eight newer stamps whole
  periods of at least two hours apart, e.g. Smartcar's daily copy of an unsubscribed car) is read
  right after its next predicted refresh, never closer than half its period; other data at most
  every 15 minutes.
- The month: every interval is multiplied by the pressure, the month's pace (time left / polls
  left) against the default plan's even pace (150 polls in 30 days); watch and timer polls stop
  when polls run short (pressure above 2). No wait is longer than 12 hours (the idle ceiling)
  unless the pace itself is. Polls never exceed the polling share of the budget (30 %) and never
  spend the reserve. Webhooks delivering: only a safety poll every 25 hours.
- Smartcar's Retry-After holds back every read, its 430 (the plan's monthly limit) every poll
  until the next month; a vehicle never read yet is tried again after 1 h, 2 h, 4 h ...
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, time, timedelta
from enum import StrEnum
from itertools import pairwise
import math
from typing import Final

from homeassistant.util import dt as dt_util

from .api import VehicleSignals, signals as sig
from .budget import RequestBudget, next_month_start
from .const import WEBHOOK_FRESHNESS

POLLING_SHARE_PERCENT: Final = 30
# Never two polls closer than this, whatever the car does.
MIN_INTERVAL: Final = timedelta(minutes=15)
# The floor of regularly refreshed data is half its period, capped: still read at least daily.
MAX_FLOOR: Final = timedelta(hours=12)
# The intervals at the default plan's even pace (150 polls in 30 days); see `pressure`.
DEFAULT_PACE: Final = timedelta(days=30) / 150
CHARGING_INTERVAL: Final = timedelta(minutes=45)
WATCH_INTERVAL: Final = timedelta(minutes=100)
# Idle, and the ceiling of every wait while the month's pace is faster.
IDLE_INTERVAL: Final = timedelta(hours=12)
# Changes seen while not charging that are remembered, and how many make an hour usual.
REMEMBERED_SETTLED: Final = 16
USUAL_SETTLED: Final = 3
# Reads that brought nothing newer double the wait, twice at most.
MAX_DOUBLINGS: Final = 2
# Plenty of polls left never makes the intervals shorter than half of the above.
MIN_PRESSURE: Final = 0.5
# Polls this short (pace twice the default's or slower): only the cadence, no event polls.
EVENT_PRESSURE: Final = 2.0
# While webhooks deliver a vehicle's data, a safety poll at most once a day is enough. 25 hours
# rather than 24 keeps a 31-day month, set-up read included, within 31 polls.
SAFETY_INTERVAL: Final = timedelta(hours=25)
# How long after a timer's start, or after the car usually stops changing, it is read; and
# how long after a predicted upstream refresh.
AFTER_EVENT: Final = timedelta(minutes=10)
AFTER_REFRESH: Final = timedelta(minutes=5)
# How many upstream change moments are remembered; the latest (three to eight) must keep one
# clock to count as a refresh clock, at least this slow (faster data changes with the car).
REMEMBERED_CHANGES: Final = 24
REGULAR_CHANGES: Final = 8
MIN_PERIOD: Final = timedelta(hours=2)
# Newer stamps this close to a whole number of periods count as the same refresh clock.
REFRESH_TOLERANCE: Final = timedelta(minutes=5)
# An hour of the day is watched while it holds at least this share of the busiest hour's
# session starts. Before sessions are learned, the evening counts as one each.
LIKELY_SHARE: Final = 4
DEFAULT_WATCH: Final = frozenset(range(18, 22))
# A battery this full starts no charge at a timer's start.
FULL: Final = 100
# After the month's limit, the first poll of the new month waits this long past midnight.
NEW_MONTH_GRACE: Final = timedelta(minutes=1)
# A vehicle never read yet (its first reads failed) is tried again soon, backing off: 1 h, 2 h,
# 4 h ... until the cadence's own plan comes first. Its owner sees no entities until then.
FIRST_READ_RETRY: Final = timedelta(hours=1)
MAX_FIRST_READ_DOUBLINGS: Final = 6
_HOUR: Final = timedelta(hours=1)
_DAYS: Final = "MONDAY TUESDAY WEDNESDAY THURSDAY FRIDAY SATURDAY SUNDAY".split()  # noqa: SIM905


@dataclass(frozen=True, slots=True)
class Rules:
    """Which rules of the cadence apply: all of them, but in the benchmark's ablation."""

    charging_pace: bool = True
    timer_start: bool = True
    watch_hours: bool = True
    usual_change: bool = True
    refresh_clock: bool = True
    back_off: bool = True
    idle_ceiling: bool = True


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
        """Polls the month allows: 30 % of the budget."""
        return self.budget * POLLING_SHARE_PERCENT // 100

    @property
    def polls_left(self) -> int:
        """Polls still allowed: within the share, and never out of the reserve."""
        left = min(self.share - self.polls, self.budget - self.reserve - self.used)
        return max(0, left)


@dataclass(frozen=True, slots=True)
class Freshness:
    """What the reads taught: how often the data changes upstream, and the owner's habits."""

    newest: datetime | None = None
    changes: tuple[datetime, ...] = ()
    stale_reads: int = 0
    last_poll: datetime | None = None
    plugged: bool | None = None
    # Per local hour of the day: how many charging sessions the owner started in it by
    # plugging in (spread over the hours between the read that saw the car unplugged and the
    # one that saw it charging); sessions a waiting car starts (timers) are not counted.
    plug_ins: tuple[float, ...] = tuple(float(h in DEFAULT_WATCH) for h in range(24))
    # The local minutes of the day of the latest changes seen while the car was not charging.
    settled: tuple[int, ...] = ()

    def observe(self, now: datetime, signals: VehicleSignals) -> Freshness:
        """Return what is known after a read at `now` that returned `signals`."""
        charging, plugged = (
            _charging(signals),
            _flag(signals, sig.IS_CHARGING_CABLE_CONNECTED),
        )
        habit = self.plug_ins
        if plugged and charging and self.plugged is False and self.last_poll:
            hours = max(1, min(24, round((now - self.last_poll) / _HOUR)))
            counts = list(habit)
            for step in range(
                hours
            ):  # one plug-in, spread over the hours between the reads
                counts[(now - _HOUR * step).hour] += 1 / hours
            habit = tuple(counts)
        plugged = self.plugged if plugged is None else plugged
        stamps = [s.oem_updated_at for s in signals.signals.values() if s.ok]
        newest = max((s for s in stamps if s is not None), default=None)
        if newest is None or (self.newest is not None and newest <= self.newest):
            stale = self.stale_reads + 1
            return replace(
                self, stale_reads=stale, last_poll=now, plugged=plugged, plug_ins=habit
            )
        changes, settled = self.changes, self.settled
        if self.newest is not None:  # the first read's stamp is no change seen arrive
            changes = (*changes, newest)[-REMEMBERED_CHANGES:]
            if not charging:
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
        day = since.replace(hour=0, minute=0, second=0, microsecond=0)
        moments = [
            day + timedelta(days=ahead, minutes=sum(minutes) // len(minutes))
            for ahead in range(2)
            for minutes in by_hour.values()
            if len(minutes) >= USUAL_SETTLED
        ]
        return min((m for m in moments if since <= m <= until), default=None)

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
        changes with the car).
        """
        gaps = [b - a for a, b in pairwise(self.changes[-REGULAR_CHANGES:])]
        shortest = min(gaps, default=timedelta(0))
        if len(gaps) < 2 or shortest < MIN_PERIOD:
            return None
        for gap in gaps:
            if abs(gap - shortest * round(gap / shortest)) > REFRESH_TOLERANCE:
                return None
        return shortest

    @property
    def floor(self) -> timedelta:
        """The shortest wait between polls: never faster than the data has been seen to change."""
        period = self.period
        return (
            MIN_INTERVAL
            if period is None
            else min(MAX_FLOOR, max(MIN_INTERVAL, period / 2))
        )

    def next_refresh(self, after: datetime) -> datetime | None:
        """Return the first predicted upstream refresh after `after` (None: no regular clock)."""
        period = self.period
        if period is None or self.newest is None:
            return None
        return self.newest + period * max(0, (after - self.newest) // period + 1)


def _flag(
    signals: VehicleSignals, spec: sig.SignalSpec[sig.BooleanValue]
) -> bool | None:
    body = signals.body(spec)
    return body.value if body is not None else None


def _charging(signals: VehicleSignals) -> bool | None:
    """Whether the car charges: IsCharging, else the detailed charging status."""
    status = signals.body(sig.DETAILED_CHARGING_STATUS)
    if (charging := _flag(signals, sig.IS_CHARGING)) is None and status is not None:
        return status.value == sig.ChargingStatus.CHARGING
    return charging


def timer_start(now: datetime, timers: sig.ChargeTimers | None) -> datetime | None:
    """Return the next start of a charge timer's window within a week, in `now`'s time zone.

    Which zone Smartcar means is unconfirmed (`api.contract.CHARGE_TIMER_TIME_ZONE`).
    """
    starts: list[datetime] = []
    for window in (w for t in (timers.timers if timers else ()) for w in t.windows):
        try:
            start = time.fromisoformat(window.start or "")
        except ValueError:
            continue
        for ahead in range(8):
            moment = datetime.combine(
                now.date() + timedelta(days=ahead), start, now.tzinfo
            )
            if moment > now and (
                not window.days or _DAYS[moment.weekday()] in window.days
            ):
                starts.append(moment)
                break
    return min(starts, default=None)


def _whole_seconds(delta: timedelta) -> timedelta:
    """Round a stretched interval up to whole seconds."""
    return timedelta(seconds=math.ceil(delta.total_seconds()))


def pressure(now: datetime, month: MonthBudget) -> float:
    """How much scarcer polls are than at the default plan's even pace (at least 0.5).

    1 at 150 polls for a 30-day month; 2 when half as many polls are left for the time left.
    """
    return max(MIN_PRESSURE, _pace(now, month) / DEFAULT_PACE)


def _pace(now: datetime, month: MonthBudget) -> timedelta:
    """Return the time left in the month per poll left."""
    return max(month.month_end - now, timedelta(0)) / max(1, month.polls_left)


def plan_next_poll(
    now: datetime,
    signals: VehicleSignals | None,
    freshness: Freshness,
    month: MonthBudget,
    *,
    webhooks_delivering: bool = False,
    rules: Rules = Rules(),
) -> datetime | None:
    """Return when to poll next, or None when no poll is left this month.

    The answer is never earlier than `freshness.last_poll + freshness.floor` (nor than `now`).
    """
    if month.polls_left <= 0:
        return None
    last = freshness.last_poll or now
    clock = rules.refresh_clock
    earliest = max(now, last + (freshness.floor if clock else MIN_INTERVAL))
    if webhooks_delivering:
        return max(earliest, last + SAFETY_INTERVAL)
    signals = signals or VehicleSignals()
    charging, plugged = (
        _charging(signals),
        _flag(signals, sig.IS_CHARGING_CABLE_CONNECTED),
    )
    stretch = pressure(now, month)
    base = CHARGING_INTERVAL if charging and rules.charging_pace else IDLE_INTERVAL
    ceiling = IDLE_INTERVAL if rules.idle_ceiling else 2 * IDLE_INTERVAL
    longest = max(ceiling, _whole_seconds(_pace(now, month)))
    doubling = 1 << min(freshness.stale_reads, MAX_DOUBLINGS) if rules.back_off else 1
    planned = last + min(longest, _whole_seconds(base * doubling * stretch))
    settled = freshness.next_settled(last + _HOUR, planned)
    if base is IDLE_INTERVAL and settled is not None and rules.usual_change:
        planned = (
            settled + AFTER_EVENT
        )  # rather right after the car usually stops changing
    events: list[datetime | None] = []
    level = signals.body(sig.STATE_OF_CHARGE)
    if (
        plugged
        and not charging
        and rules.timer_start
        and not (level and level.value >= FULL)
    ):
        start = timer_start(now, signals.body(sig.CHARGE_TIMERS))
        events.append(start + AFTER_EVENT if start else None)
    if plugged is not None and not charging and rules.watch_hours:
        spacing = _whole_seconds(WATCH_INTERVAL * stretch)
        events.append(_watch(freshness.watch_hours(), now, last, plugged, spacing))
    if stretch <= EVENT_PRESSURE and month.polls_left > 1:
        planned = min([planned, *(e for e in events if e is not None and e > now)])
    refresh = freshness.next_refresh(max(last, planned - AFTER_REFRESH))
    if refresh is not None and clock:
        # Nothing newer before the upstream's next refresh: read right after it.
        planned = refresh + AFTER_REFRESH
    return max(earliest, planned)


def _watch(
    hours: frozenset[int],
    now: datetime,
    last: datetime,
    plugged: bool,
    spacing: timedelta,
) -> datetime | None:
    """Return the next watch poll in the owner's usual plug-in hours.

    Inside such hours the car is read every `spacing` until a read saw it plugged in (and at
    the window's end, unless the last read was less than half a spacing before it); outside,
    half a spacing into the next window.
    """
    hour = now.replace(minute=0, second=0, microsecond=0)
    if now.hour in hours:
        if plugged:
            return None
        end = hour + _HOUR
        while end.hour in hours and end - hour < timedelta(days=1):
            end += _HOUR
        if end - last >= spacing / 2:
            return min(last + spacing, end)
    for ahead in range(1, 25):
        start = hour + _HOUR * ahead
        if start.hour in hours and (start - _HOUR).hour not in hours:
            return start + _whole_seconds(spacing / 2)
    return None


class HoldBack(StrEnum):
    """Why a read is not sent now (the integration holds back; the car did not fail)."""

    RATE_LIMITED = "rate_limited"  # waiting out Smartcar's Retry-After
    MONTHLY_LIMIT = "monthly_limit"  # Smartcar answered 430 this month
    RESERVE = "reserve"  # only the reserve for commands and actions is left
    POLLING_SHARE = (
        "polling_share"  # the month's polls have used their share of the budget
    )


@dataclass
class PollingPolicy:
    """When one vehicle is polled next, from its budget, webhooks and Smartcar's answers."""

    budget: RequestBudget
    vehicle_id: str
    last_delivery: datetime | None = None
    retry_at: datetime | None = None
    freshness: Freshness = field(default_factory=Freshness)
    signals: VehicleSignals | None = None
    failed_first_reads: int = 0

    def note_poll(self, now: datetime, signals: VehicleSignals) -> None:
        """Learn from what a read brought (state of the car, upstream timestamps)."""
        self.signals = signals
        self.freshness = self.freshness.observe(now, signals)

    def note_poll_failed(self, now: datetime) -> None:
        """Count a scheduled poll that spent a request and brought nothing."""
        self.freshness = self.freshness.observe(now, VehicleSignals())
        if self.signals is None:
            self.failed_first_reads += 1

    def month(self, now: datetime) -> MonthBudget:
        """Return the month's budget of the vehicle as the cadence sees it."""
        state = self.budget.state(self.vehicle_id)
        return MonthBudget(
            state.polls, state.used, state.budget, state.reserve, next_month_start(now)
        )

    def webhook_delivering(self, now: datetime) -> bool:
        """Whether signed webhook deliveries for the vehicle arrived recently."""
        last = self.last_delivery
        return last is not None and now - last < WEBHOOK_FRESHNESS

    def note_delivery(self, now: datetime) -> bool:
        """Record a verified delivery; return True when deliveries (re)start."""
        started = not self.webhook_delivering(now)
        self.last_delivery = now
        return started

    def note_rate_limited(self, now: datetime, retry_after: float | None) -> None:
        """Record Smartcar's 429: no request for the vehicle before Retry-After has passed."""
        if retry_after:
            self.retry_at = now + timedelta(seconds=retry_after)

    def note_success(self) -> None:
        """Record an answer: any wait Smartcar asked for is over."""
        self.retry_at = None

    def hold_back(self, now: datetime, *, scheduled: bool) -> HoldBack | None:
        """Return why a read must not be sent now, or None when it may.

        Retry-After holds back every read; the month's limit and the reserve hold back only
        scheduled polls (the owner's own refresh, commands and actions still go through).
        """
        if self.retry_at is not None and now < self.retry_at:
            return HoldBack.RATE_LIMITED
        if not scheduled:
            return None
        state = self.budget.state(self.vehicle_id)
        if state.billing_blocked:
            return HoldBack.MONTHLY_LIMIT
        if not state.polling_allowed:
            return HoldBack.RESERVE
        return HoldBack.POLLING_SHARE if self.month(now).polls_left <= 0 else None

    def retry_seconds(self, now: datetime) -> float:
        """Return how long Retry-After still holds back reads (0 when it does not)."""
        return max(0.0, (self.retry_at - now).total_seconds()) if self.retry_at else 0.0

    def next_poll(self, now: datetime) -> datetime:
        """Return when the vehicle is polled next, seen from `now`."""
        blocked = self.budget.state(self.vehicle_id).billing_blocked
        if not blocked and self.retry_at is not None and self.retry_at > now:
            # The read Smartcar refused is made up for as soon as it allows.
            return self.retry_at
        planned = plan_next_poll(
            dt_util.as_local(now),  # charge timers and habits are local
            self.signals,
            self.freshness,
            self.month(now),
            webhooks_delivering=self.webhook_delivering(now),
        )
        if planned is None or blocked:
            return next_month_start(now) + NEW_MONTH_GRACE
        if self.signals is None:
            doublings = min(self.failed_first_reads, MAX_FIRST_READ_DOUBLINGS)
            return min(
                dt_util.as_utc(planned), now + FIRST_READ_RETRY * (1 << doublings)
            )
        return dt_util.as_utc(planned)
