"""The polling policy: alone decides when a vehicle is read next, and whether a poll may spend.

Inputs are what the coordinator learns: the month's request budget and its reserve, when webhook
deliveries last arrived, Smartcar's Retry-After and its 430 (the plan's monthly limit). Nothing
else schedules a poll; values learned without a poll (webhooks, commands, actions) never move it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Final

from .budget import RequestBudget, next_month_start
from .const import DEFAULT_SCAN_INTERVAL, SAFETY_POLL_INTERVAL, WEBHOOK_FRESHNESS

# After the month's limit, the first poll of the new month waits this long past midnight.
NEW_MONTH_GRACE: Final = timedelta(minutes=1)


class HoldBack(StrEnum):
    """Why a read is not sent now (the integration holds back; the car did not fail)."""

    RATE_LIMITED = "rate_limited"  # waiting out Smartcar's Retry-After
    MONTHLY_LIMIT = "monthly_limit"  # Smartcar answered 430 this month
    RESERVE = "reserve"  # only the reserve for commands and actions is left


@dataclass
class PollingPolicy:
    """When one vehicle is polled next, from its budget, webhooks and Smartcar's answers."""

    budget: RequestBudget
    vehicle_id: str
    interval: timedelta = DEFAULT_SCAN_INTERVAL
    last_delivery: datetime | None = None
    retry_at: datetime | None = None

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
        interval = self.interval
        if self.webhook_delivering(now):
            interval = max(SAFETY_POLL_INTERVAL, interval)
        return now + interval
