"""Each vehicle's requests this calendar month, kept across restarts, and what they allow.

Smartcar plans cap the requests per vehicle per month (the 501st of a 500-request plan fails with
430 for the rest of the month). Every request is counted here. Scheduled polls spend at most 30 %
of the budget (the polling share) and stop while fewer than the reserve remain, so commands,
schedule actions and forced refreshes still have requests.
"""

from __future__ import annotations

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
        left = min(self.share - self.polls, self.budget - self.reserve - self.used)
        return max(0, left)

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
        # As saved: the month, each vehicle's requests ("counts") and scheduled polls
        # ("polls"), and the vehicles Smartcar refused with 430 ("billing_blocked").
        self._saved: dict[str, Any] = {}
        self._listeners: dict[str, list[Callable[[], None]]] = {}

    async def async_load(self) -> None:
        """Read the counts saved before the last restart (a new month starts from zero)."""
        self._saved = await self._store.async_load() or {}

    async def async_flush(self) -> None:
        """Write the counts now (on unload, so a reload reads them back)."""
        await self._store.async_save(self._month())

    async def async_remove(self) -> None:
        """Delete the saved counts (the entry is being removed)."""
        await self._store.async_remove()

    def _month(self) -> dict[str, Any]:
        """Return this month's counts: from zero when the calendar month changed."""
        month = dt_util.now().strftime("%Y-%m")  # in Home Assistant's time zone
        if self._saved.get("month") != month:
            self._saved = {"month": month}
        return self._saved

    @callback
    def async_record(self, vehicle_id: str, key: str = "counts") -> None:
        """Count one request for a vehicle (under "polls": one that was a scheduled poll)."""
        counts = self._month().setdefault(key, {})
        counts[vehicle_id] = counts.get(vehicle_id, 0) + 1
        self._changed(vehicle_id)

    @callback
    def async_record_poll(self, vehicle_id: str) -> None:
        """Note that one of the vehicle's counted requests was a scheduled poll."""
        self.async_record(vehicle_id, "polls")

    @callback
    def async_set_billing_blocked(self, vehicle_id: str, blocked: bool) -> None:
        """Remember that Smartcar refused the vehicle with 430 (or that it answers again)."""
        month = self._month()
        vehicles = set(month.get("billing_blocked", []))
        if blocked != (vehicle_id in vehicles):
            month["billing_blocked"] = sorted(vehicles ^ {vehicle_id})
            self._changed(vehicle_id)

    def _changed(self, vehicle_id: str) -> None:
        self._store.async_delay_save(self._month, 10)
        for listener in self._listeners.get(vehicle_id, []):
            listener()

    def state(self, vehicle_id: str) -> MonthBudget:
        """Return the vehicle's requests this month and what they allow."""
        month = self._month()
        return MonthBudget(
            month.get("polls", {}).get(vehicle_id, 0),
            month.get("counts", {}).get(vehicle_id, 0),
            self.budget,
            self.reserve,
            next_month_start(dt_util.now()),
            vehicle_id in month.get("billing_blocked", []),
        )

    @callback
    def async_listen(
        self, vehicle_id: str, listener: Callable[[], None]
    ) -> CALLBACK_TYPE:
        """Call `listener` whenever the vehicle's count or block changes."""
        listeners = self._listeners.setdefault(vehicle_id, [])
        listeners.append(listener)
        return lambda: listeners.remove(listener)
