"""The polling policy: alone decides when a vehicle is read next, and whether a poll may spend.

Inputs are what the coordinator learns: the month's request budget and its reserve, when webhook
deliveries last arrived, Smartcar's Retry-After and its 430 (the plan's monthly limit), and what
each poll read (the car's state and the signals' own timestamps). The cadence itself is the pure
`cadence.plan_next_poll`. Nothing else schedules a poll; values learned without a poll (webhooks,
commands, actions) never move it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Final

from homeassistant.util import dt as dt_util

from .api import VehicleSignals
from .budget import RequestBudget, next_month_start
from .cadence import Freshness, MonthBudget, plan_next_poll
from .const import WEBHOOK_FRESHNESS

# After the month's limit, the first poll of the new month waits this long past midnight.
NEW_MONTH_GRACE: Final = timedelta(minutes=1)
# A vehicle never read yet (its first reads failed) is tried again soon, backing off: 1 h, 2 h,
# 4 h ... until the cadence's own plan comes first. Its owner sees no entities until then.
FIRST_READ_RETRY: Final = timedelta(hours=1)
MAX_FIRST_READ_DOUBLINGS: Final = 6


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
        """Learn from what a scheduled poll read (state of the car, upstream timestamps)."""
        self.signals = signals
        self.freshness = self.freshness.observe(now, signals)

    def note_poll_failed(self, now: datetime) -> None:
        """Count a scheduled poll that spent a request and brought nothing as a stale read."""
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
        return (
            self.last_delivery is not None
            and now - self.last_delivery < WEBHOOK_FRESHNESS
        )

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
        if self.month(now).polls_left <= 0:
            return HoldBack.POLLING_SHARE
        return None

    def retry_seconds(self, now: datetime) -> float:
        """Return how long Retry-After still holds back reads (0 when it does not)."""
        if self.retry_at is None:
            return 0.0
        return max(0.0, (self.retry_at - now).total_seconds())

    def next_poll(self, now: datetime) -> datetime:
        """Return when the vehicle is polled next, seen from `now`."""
        if self.budget.state(self.vehicle_id).billing_blocked:
            return next_month_start(now) + NEW_MONTH_GRACE
        if self.retry_at is not None and self.retry_at > now:
            # The read Smartcar refused is made up for as soon as it allows.
            return self.retry_at
        planned = plan_next_poll(
            dt_util.as_local(now),  # charge timers are read in local time
            self.signals,
            self.freshness,
            self.month(now),
            webhooks_delivering=self.webhook_delivering(now),
        )
        if planned is None:
            return next_month_start(now) + NEW_MONTH_GRACE
        if self.signals is None:
            doublings = min(self.failed_first_reads, MAX_FIRST_READ_DOUBLINGS)
            retry: datetime = now + FIRST_READ_RETRY * (1 << doublings)
            return min(dt_util.as_utc(planned), retry)
        return dt_util.as_utc(planned)
