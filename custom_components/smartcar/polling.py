"""The polling policy: when a vehicle is read next, and whether a poll may spend a request.

`plan_next_poll` is pure (no Home Assistant, no clock, no I/O): from the moment, the last read,
what the signals' own timestamps taught (`Freshness`) and the month's polls (`MonthBudget`) it
gives the next poll, in the integration, the benchmark and the property tests alike.
`PollingPolicy` feeds it for one vehicle. Each rule moves a figure of `scripts/bench` by at least
5 % (its ablation switches them off one at a time through `RULES`):

- Charging pace: while charging, every 38 minutes.
- Timer start: plugged in and waiting (battery not full), right after the next charge timer's
  start (ChargeTimers).
- Watch hours: not charging, every 110 minutes in the evening (18:00-22:00, when owners come
  home and plug in) until a read there sees the car plugged in.
- Usual-change hour: otherwise every 12 hours, or sooner right after the moment the car usually
  stops changing (an hour of the day holding three of the latest changes seen while not
  charging: a commute's end).
- Refresh clock: data refreshed on a regular clock (the latest three to eight newer stamps whole
  periods of at least two hours apart, e.g. Smartcar's daily copy of an unsubscribed car) is
  read right after its next predicted refresh, never closer than half its period; other data at
  most every 15 minutes.
- Back-off: reads that brought nothing newer double the wait (twice at most).
- Idle ceiling: no wait is longer than 12 hours, unless the month's pace is.
- The month: every interval is multiplied by the pressure, the month's pace (time left / polls
  left) against 200 polls in 30 days (so 4/3 at the default plan's 150); timer and watch polls
  stop when polls run short (pressure above 2). Polls never exceed the polling share of the budget
  (30 %) nor spend the reserve. Webhooks delivering: only a safety poll every 25 hours.
- Smartcar's Retry-After holds back every read, its 430 (the plan's monthly limit) every poll
  until the next month; a vehicle never read yet is tried again after 1 h, 2 h, 4 h ...
"""

from __future__ import annotations

from calendar import Day
from collections.abc import Collection
from dataclasses import dataclass, field, replace
from datetime import datetime, time, timedelta
from enum import StrEnum
from itertools import groupby, pairwise
import math
from typing import Final

from homeassistant.util import dt as dt_util

from .api import VehicleSignals, signals as sig
from .budget import MonthBudget, RequestBudget, next_month_start
from .const import WEBHOOK_FRESHNESS

# The intervals hold at this pace: the default plan's even pace (150 polls in 30 days)
# stretches them by a third, which keeps polls (timer and watch ones too) for the month's end.
EVEN_PACE: Final = timedelta(days=30) / 200
CHARGING_INTERVAL: Final = timedelta(minutes=38)
WATCH_INTERVAL: Final = timedelta(minutes=110)
IDLE_INTERVAL: Final = timedelta(hours=12)  # also the idle ceiling
# Never two polls closer than this, whatever the car does. The floor of regularly refreshed
# data is half its period, capped: still read at least daily.
MIN_INTERVAL: Final = timedelta(minutes=15)
MAX_FLOOR: Final = timedelta(hours=12)
# While webhooks deliver a vehicle's data, a safety poll at most once a day is enough. 25 hours
# rather than 24 keeps a 31-day month, set-up read included, within 31 polls.
SAFETY_INTERVAL: Final = timedelta(hours=25)
# How long after a timer's start or a usual change the car is read; after a predicted refresh.
AFTER_EVENT: Final = timedelta(minutes=10)
AFTER_REFRESH: Final = timedelta(minutes=5)
# A vehicle never read yet (its first reads failed) is tried again soon, backing off: 1 h, 2 h,
# 4 h ... (at most 64 h) until the cadence's own plan comes first. Its owner sees no entities
# until then.
FIRST_READ_RETRY: Final = timedelta(hours=1)
# The rules of the cadence, each switched off alone by the benchmark's ablation.
RULES: Final = (
    "charging pace",
    "timer start",
    "watch hours",
    "usual change",
    "refresh clock",
    "back off",
    "idle ceiling",
)


@dataclass(frozen=True, slots=True)
class Freshness:
    """What the reads taught: how often the data changes upstream, and when the car settles."""

    newest: datetime | None = None
    # The latest (up to eight) newer stamps seen arrive.
    changes: tuple[datetime, ...] = ()
    stale_reads: int = 0  # reads in a row that brought nothing newer
    last_poll: datetime | None = None
    # The local minutes of the day of the latest (up to 16) changes seen while not charging.
    settled: tuple[int, ...] = ()

    def observe(self, now: datetime, signals: VehicleSignals) -> Freshness:
        """Return what is known after a read at `now` that returned `signals`."""
        stamps = [s.oem_updated_at for s in signals.signals.values() if s.ok]
        newest = max((t for t in stamps if t is not None), default=None)
        if newest is None or (self.newest is not None and newest <= self.newest):
            return replace(self, stale_reads=self.stale_reads + 1, last_poll=now)
        if self.newest is None:  # the first read's stamp is no change seen arrive
            return Freshness(newest, last_poll=now)
        settled, local = self.settled, newest.astimezone(now.tzinfo)
        if not _charging(signals):
            settled = (*settled, local.hour * 60 + local.minute)[-16:]
        return Freshness(newest, (*self.changes, newest)[-8:], 0, now, settled)

    def next_settled(self, since: datetime, until: datetime) -> datetime | None:
        """Return the first usual moment the car stops changing between `since` and `until`.

        Usual: an hour of the day holding at least three of the latest changes seen while not
        charging; the moment is their mean minute.
        """
        hours = (list(g) for _, g in groupby(sorted(self.settled), lambda m: m // 60))
        usual = [sum(minutes) // len(minutes) for minutes in hours if len(minutes) >= 3]
        day = since.replace(hour=0, minute=0, second=0, microsecond=0)
        moments = (day + timedelta(days, minutes=m) for days in (0, 1) for m in usual)
        return min((m for m in moments if since <= m <= until), default=None)

    @property
    def period(self) -> timedelta | None:
        """The upstream's refresh period, when the latest newer stamps keep one clock.

        None before three newer stamps were seen arrive, or when the latest (up to eight) are
        not whole numbers of the shortest gap apart (within two minutes: three ends of drives
        can fall five minutes off one clock), or closer than two hours (data that changes with
        the car).
        """
        gaps = [b - a for a, b in pairwise(self.changes)]
        shortest = min(gaps, default=timedelta(0))
        if len(gaps) < 2 or shortest < timedelta(hours=2):
            return None
        off = (abs(gap - shortest * round(gap / shortest)) for gap in gaps)
        return None if max(off) > timedelta(minutes=2) else shortest

    @property
    def floor(self) -> timedelta:
        """The shortest wait between polls: never faster than the data has been seen to change."""
        return min(MAX_FLOOR, max(MIN_INTERVAL, (self.period or timedelta(0)) / 2))


def _charging(signals: VehicleSignals) -> bool:
    """Whether the car charges: IsCharging, else the detailed charging status."""
    if (charging := signals.body(sig.IS_CHARGING)) is not None:
        return charging.value
    status = signals.body(sig.DETAILED_CHARGING_STATUS)
    return status is not None and status.value == sig.ChargingStatus.CHARGING


def _timer_starts(now: datetime, timers: sig.ChargeTimers | None) -> list[datetime]:
    """Return the starts of the charge timers' windows within a week after `now`.

    They are read in `now`'s time zone: which zone Smartcar means is unconfirmed
    (`api.contract.CHARGE_TIMER_TIME_ZONE`).
    """
    starts: list[datetime] = []
    for window in (w for t in (timers.timers if timers else ()) for w in t.windows):
        try:
            clock = time.fromisoformat(window.start or "")
        except ValueError:
            continue
        start = datetime.combine(now, clock, now.tzinfo)
        week = [start + timedelta(days) for days in range(8)]
        days = window.days or [day.name for day in Day]  # none: every day
        starts += [m for m in week if m > now and Day(m.weekday()).name in days]
    return starts


def plan_next_poll(
    now: datetime,
    signals: VehicleSignals | None,
    freshness: Freshness,
    month: MonthBudget,
    *,
    webhooks_delivering: bool = False,
    off: Collection[str] = (),
) -> datetime | None:
    """Return when to poll next, or None when no poll is left this month.

    The answer is never earlier than `freshness.last_poll + freshness.floor` (nor than `now`).
    `off` names the rules (of `RULES`) switched off: the benchmark's ablation.
    """
    if month.polls_left <= 0:
        return None
    on = set(RULES).difference(off)
    last = freshness.last_poll or now
    floor = freshness.floor if "refresh clock" in on else MIN_INTERVAL
    if webhooks_delivering:
        return max(now, last + max(floor, SAFETY_INTERVAL))
    signals = signals or VehicleSignals()
    charging = _charging(signals)
    stretch = max(0.5, (month.month_end - now) / month.polls_left / EVEN_PACE)

    def stretched(interval: timedelta) -> timedelta:
        """Return `interval` multiplied by the pressure, rounded up to whole seconds."""
        return timedelta(seconds=math.ceil((interval * stretch).total_seconds()))

    base = CHARGING_INTERVAL if charging and "charging pace" in on else IDLE_INTERVAL
    doublings = min(freshness.stale_reads, 2) if "back off" in on else 0
    ceiling = IDLE_INTERVAL if "idle ceiling" in on else 2 * IDLE_INTERVAL
    longest = max(ceiling, stretched(EVEN_PACE))  # the month's pace, when longer
    planned = last + min(longest, stretched(base * (1 << doublings)))
    settled = freshness.next_settled(last + timedelta(hours=1), planned)
    if base is IDLE_INTERVAL and settled is not None and "usual change" in on:
        planned = settled + AFTER_EVENT
    cable = signals.body(sig.IS_CHARGING_CABLE_CONNECTED)
    # Polls run short (pressure above 2, or the last one left): no timer or watch polls.
    if cable is not None and not charging and stretch <= 2 and month.polls_left > 1:
        events = []
        if "watch hours" in on:
            # In the evening (18:00-22:00) the car is read every `spacing` until a read saw it
            # plugged in (and at the evening's end, unless the last read was less than half a
            # spacing before it); otherwise half a spacing into the next evening.
            spacing = stretched(WATCH_INTERVAL)
            evening = now.replace(hour=18, minute=0, second=0, microsecond=0)
            end = evening + timedelta(hours=4)
            if evening <= now < end and not cable.value and end - last >= spacing / 2:
                events.append(min(last + spacing, end))
            elif not (evening <= now < end and cable.value):
                events.append(evening + timedelta(days=now >= evening) + spacing / 2)
        # Plugged in and waiting: right after the timer's start (when full, none starts).
        level = signals.body(sig.STATE_OF_CHARGE)
        if cable.value and "timer start" in on and not (level and level.value >= 100):
            starts = _timer_starts(now, signals.body(sig.CHARGE_TIMERS))
            events += (start + AFTER_EVENT for start in starts)
        planned = min([planned, *(e for e in events if e > now)])
    period = freshness.period if "refresh clock" in on else None
    if period is not None and (newest := freshness.newest) is not None:
        # Nothing newer before the upstream's next predicted refresh (the first one after
        # the planned moment, less AFTER_REFRESH): read right after it.
        refreshes = max(0, (max(last, planned - AFTER_REFRESH) - newest) // period + 1)
        planned = newest + period * refreshes + AFTER_REFRESH
    return max(now, last + floor, planned)


class HoldBack(StrEnum):
    """Why a read is not sent now (the integration holds back; the car did not fail)."""

    RATE_LIMITED = "rate_limited"  # waiting out Smartcar's Retry-After
    MONTHLY_LIMIT = "monthly_limit"  # Smartcar answered 430 this month
    RESERVE = "reserve"  # no poll left: the share, or all but the reserve, spent


@dataclass
class PollingPolicy:
    """When one vehicle is polled next, from its budget, webhooks and Smartcar's answers."""

    budget: RequestBudget
    vehicle_id: str
    last_delivery: datetime | None = None
    retry_at: datetime | None = None
    freshness: Freshness = field(default_factory=Freshness)
    signals: VehicleSignals | None = None  # None until a read succeeds

    def note_poll(self, now: datetime, signals: VehicleSignals | None) -> None:
        """Learn from what a read brought (state of the car, upstream timestamps).

        None: a scheduled poll that spent a request and brought nothing. An answer also ends
        any wait Smartcar asked for.
        """
        if signals is not None:
            self.signals, self.retry_at = signals, None
        self.freshness = self.freshness.observe(now, signals or VehicleSignals())

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

    def hold_back(self, now: datetime, *, scheduled: bool) -> HoldBack | None:
        """Return why a read must not be sent now, or None when it may.

        Retry-After holds back every read; the month's limit and the reserve hold back only
        scheduled polls (the owner's own refresh, commands and actions still go through).
        """
        if self.retry_at is not None and now < self.retry_at:
            return HoldBack.RATE_LIMITED
        if not scheduled:
            return None
        month = self.budget.state(self.vehicle_id)
        if month.billing_blocked:
            return HoldBack.MONTHLY_LIMIT
        return HoldBack.RESERVE if month.polls_left <= 0 else None

    def retry_seconds(self, now: datetime) -> float:
        """Return how long Retry-After still holds back reads (0 when it does not)."""
        return max(0.0, (self.retry_at - now).total_seconds()) if self.retry_at else 0.0

    def next_poll(self, now: datetime) -> datetime:
        """Return when the vehicle is polled next, seen from `now`."""
        month = self.budget.state(self.vehicle_id)
        if (retry := self.retry_at) and retry > now and not month.billing_blocked:
            # The read Smartcar refused is made up for as soon as it allows.
            return retry
        planned = plan_next_poll(
            dt_util.as_local(now),  # charge timers and habits are local
            self.signals,
            self.freshness,
            month,
            webhooks_delivering=self.webhook_delivering(now),
        )
        if planned is None or month.billing_blocked:
            # After the month's limit, the first poll comes a minute into the next month.
            return next_month_start(now) + timedelta(minutes=1)
        if self.signals is None:  # every failed poll so far brought nothing newer
            wait = FIRST_READ_RETRY * (1 << min(self.freshness.stale_reads, 6))
            return min(dt_util.as_utc(planned), now + wait)
        return dt_util.as_utc(planned)
