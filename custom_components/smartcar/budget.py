"""Each vehicle's requests this calendar month, kept across restarts, and what they allow.

Smartcar plans cap the requests per vehicle per month (the 501st of a 500-request plan fails with
430 for the rest of the month). Every request is counted here. Scheduled polls spend at most 30 %
of the budget (the polling share) and stop while fewer than the reserve remain, so commands,
schedule actions and forced refreshes still have requests.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers.storage import Store
from homeassistant.util import dt as dt_util

from .const import DOMAIN


def reserve_for(budget: int) -> int:
    """Return the requests kept for commands and actions: a tenth of the budget, at least 20."""
    return max(20, budget // 10)


def month_start(moment: datetime) -> datetime:
    """Return midnight of the first day of the moment's month, local time."""
    local = dt_util.as_local(moment)
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def next_month_start(moment: datetime) -> datetime:
    """Return midnight of the first day of the next month, local time."""
    return (month_start(moment) + timedelta(days=32)).replace(day=1)


@dataclass(frozen=True, slots=True)
class MonthBudget:
    """A vehicle's requests this calendar month and what they allow."""

    polls: int  # scheduled polls sent (the set-up read included)
    used: int  # every request (polls, commands, actions, forced refreshes)
    budget: int
    reserve: int
    month_end: datetime
    billing_blocked: bool = False  # Smartcar answered 430 this month

    @property
    def share(self) -> int:
        """Polls the month allows: 30 % of the budget."""
        return self.budget * 30 // 100

    @property
    def polls_left(self) -> int:
        """Polls still allowed: within the share, and never out of the reserve."""
        return max(
            0, min(self.share - self.polls, self.budget - self.reserve - self.used)
        )

    @property
    def polling_allowed(self) -> bool:
        """Whether the reserve and Smartcar's monthly limit let a scheduled poll be sent."""
        return not self.billing_blocked and self.used < self.budget - self.reserve


class RequestBudget:
    """Counts requests per vehicle per month; persisted in `.storage`."""

    def __init__(self, hass: HomeAssistant, entry_id: str, budget: int) -> None:
        """Keep the counts of one config entry."""
        self._store: Store[dict[str, Any]] = Store(
            hass, 1, f"{DOMAIN}.{entry_id}.requests"
        )
        self.budget = budget
        self.reserve = reserve_for(budget)
        self._month = ""
        self._roll_over()
        self._listeners: dict[str, list[Callable[[], None]]] = {}

    async def async_load(self) -> None:
        """Read the counts saved before the last restart (a new month starts from zero)."""
        stored = await self._store.async_load()
        if stored and stored.get("month") == self._month:
            self._counts = Counter(stored.get("counts", {}))
            self._billing_blocked = set(stored.get("billing_blocked", []))
            self._polls = Counter(stored.get("polls", {}))

    async def async_flush(self) -> None:
        """Write the counts now (on unload, so a reload reads them back)."""
        await self._store.async_save(self._data())

    async def async_remove(self) -> None:
        """Delete the saved counts (the entry is being removed)."""
        await self._store.async_remove()

    def _roll_over(self) -> None:
        """Start from zero when the calendar month (Home Assistant's time zone) changed."""
        month = dt_util.now().strftime("%Y-%m")
        if month != self._month:
            self._month, self._billing_blocked = month, set[str]()
            self._counts, self._polls = Counter[str](), Counter[str]()

    @callback
    def async_record(self, vehicle_id: str) -> None:
        """Count one request for a vehicle."""
        self._roll_over()
        self._counts[vehicle_id] += 1
        self._changed(vehicle_id)

    @callback
    def async_record_poll(self, vehicle_id: str) -> None:
        """Note that one of the vehicle's counted requests was a scheduled poll."""
        self._roll_over()
        self._polls[vehicle_id] += 1
        self._store.async_delay_save(self._data, 10)

    @callback
    def async_set_billing_blocked(self, vehicle_id: str, blocked: bool) -> None:
        """Remember that Smartcar refused the vehicle with 430 (or that it answers again)."""
        self._roll_over()
        if blocked != (vehicle_id in self._billing_blocked):
            self._billing_blocked ^= {vehicle_id}
            self._changed(vehicle_id)

    def _changed(self, vehicle_id: str) -> None:
        self._store.async_delay_save(self._data, 10)
        for listener in self._listeners.get(vehicle_id, []):
            listener()

    def state(self, vehicle_id: str) -> MonthBudget:
        """Return the vehicle's requests this month and what they allow."""
        self._roll_over()
        return MonthBudget(
            self._polls[vehicle_id],
            self._counts[vehicle_id],
            self.budget,
            self.reserve,
            next_month_start(dt_util.now()),
            vehicle_id in self._billing_blocked,
        )

    @callback
    def async_listen(
        self, vehicle_id: str, listener: Callable[[], None]
    ) -> CALLBACK_TYPE:
        """Call `listener` whenever the vehicle's count or block changes."""
        listeners = self._listeners.setdefault(vehicle_id, [])
        listeners.append(listener)
        return lambda: listeners.remove(listener)

    def _data(self) -> dict[str, Any]:
        return {
            "month": self._month,
            "counts": dict(self._counts),
            "billing_blocked": sorted(self._billing_blocked),
            "polls": dict(self._polls),
        }
