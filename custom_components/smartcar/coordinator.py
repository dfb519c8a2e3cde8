"""The entry's runtime data and one coordinator per vehicle: polls on Home Assistant's timer."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol, override

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed
from homeassistant.util import dt as dt_util

from .api import (
    Connection,
    ErrorDetail,
    Signal,
    SmartcarBillingError,
    SmartcarClient,
    SmartcarError,
    SmartcarRateLimitError,
    VehicleSignals,
)
from .api.management import is_missing_data
from .budget import RequestBudget, next_month_start
from .const import CONF_USER_ID, DOMAIN, LOGGER
from .issues import (
    async_create_vehicle_issue,
    async_delete_vehicle_issue,
    error_concerns,
    error_needs_reauthentication,
    failure,
    translated,
)
from .permissions import chosen_groups, scopes_for
from .polling import HoldBack, PollingPolicy
from .refused_commands import RefusedCommands


class DataWatch(Protocol):
    """Who hears whether a read found data (`subscriptions.SubscriptionWatch`).

    A protocol, not the class: `subscriptions.py` imports this module.
    """

    def async_note(
        self, coordinator: SmartcarVehicleCoordinator, *, has_data: bool
    ) -> None:
        """Record whether a vehicle has data (none: no webhook subscription)."""


@dataclass
class SmartcarRuntimeData:
    """What a loaded entry holds: client, budget, vehicles, the commands they cannot run."""

    client: SmartcarClient
    budget: RequestBudget
    coordinators: dict[str, SmartcarVehicleCoordinator]
    # Commands the vehicles answered "not capable", kept across restarts.
    commands: RefusedCommands
    # Vehicles without data (no webhook subscription): their repairs, subscribing them.
    subscriptions: DataWatch
    vehicle_listeners: list[Callable[[SmartcarVehicleCoordinator], None]] = field(
        default_factory=list
    )

    @callback
    def async_listen_vehicles(
        self, listener: Callable[[SmartcarVehicleCoordinator], None]
    ) -> CALLBACK_TYPE:
        """Call `listener` for every vehicle now, and for each vehicle connected later."""
        for coordinator in list(self.coordinators.values()):
            listener(coordinator)
        self.vehicle_listeners.append(listener)
        return lambda: self.vehicle_listeners.remove(listener)

    @callback
    def async_add_vehicle(self, coordinator: SmartcarVehicleCoordinator) -> None:
        """Take a vehicle connected while the entry runs; its platforms add its entities."""
        self.coordinators[coordinator.vehicle_id] = coordinator
        for listener in list(self.vehicle_listeners):
            listener(coordinator)


type SmartcarConfigEntry = ConfigEntry[SmartcarRuntimeData]


@callback
def find_coordinator(
    hass: HomeAssistant, vehicle_id: str
) -> SmartcarVehicleCoordinator | None:
    """Return the coordinator of a vehicle in any loaded entry, if one has it."""
    entries: list[SmartcarConfigEntry] = hass.config_entries.async_loaded_entries(
        DOMAIN
    )
    found = (entry.runtime_data.coordinators.get(vehicle_id) for entry in entries)
    return next((coordinator for coordinator in found if coordinator), None)


class SmartcarVehicleCoordinator(DataUpdateCoordinator[VehicleSignals]):
    """Reads every signal of one vehicle; takes values learned without a poll.

    Home Assistant's timer runs the polls: after each refresh `update_interval` is the wait until
    the moment the `PollingPolicy` plans (so the entry's "Enable polling for changes" applies). A
    refresh from that moment on is the planned poll; an earlier one is the owner's own (forced).
    Every answer merges onto the data by the signals' own timestamps (`VehicleSignals.merged`).
    """

    config_entry: SmartcarConfigEntry

    def __init__(
        self, hass: HomeAssistant, entry: SmartcarConfigEntry, connection: Connection
    ) -> None:
        """Bind the vehicle, what the owner granted and the entry's request budget."""
        super().__init__(
            hass,
            LOGGER,
            config_entry=entry,
            name=f"{DOMAIN} {connection.vehicle.model or connection.vehicle_id}",
        )
        runtime = entry.runtime_data
        self.vehicle = runtime.client.vehicle(
            connection.vehicle_id, entry.data[CONF_USER_ID]
        )
        self.connection = connection
        # What the entry asks Connect for; a new choice (reconfigure) reloads the entry.
        self.requested = frozenset(scopes_for(chosen_groups(entry.data)))
        self.budget = runtime.budget
        self.policy = PollingPolicy(runtime.budget, connection.vehicle_id)
        # The errors Smartcar reported by webhook and not yet resolved, oldest first.
        self.problems: dict[Hashable, ErrorDetail] = {}
        # The permissions each problem's signals need (`VehicleError.permissions`), by key.
        self.problem_permissions: dict[Hashable, tuple[str | None, ...]] = {}
        # When the policy plans the next poll (None until the first refresh).
        self.next_poll: datetime | None = None
        # A schedule action's check, request and local update run one at a time: racing
        # actions see each other's results; the sensor always equals what Smartcar holds.
        self.schedules_lock = asyncio.Lock()
        # Connection checks in a row whose list left the vehicle out (`vehicles.py`): while
        # above 0 it is unavailable and not polled.
        self.missing = 0

    @property
    def vehicle_id(self) -> str:
        """Smartcar's id of the vehicle."""
        return self.connection.vehicle_id

    @property
    def vehicle_name(self) -> str:
        """The vehicle as people call it, e.g. "Volvo EX30"."""
        return self.connection.vehicle.display_name or self.vehicle_id

    @property
    def granted(self) -> frozenset[str]:
        """The permissions the entry asks for and the owner granted for this vehicle."""
        return self.requested & self.connection.permissions

    def has_permission(self, permission: str) -> bool:
        """Whether the entry asks for `permission` and the owner granted it for this vehicle."""
        return permission in self.granted

    @property
    def last_delivery(self) -> datetime | None:
        """When the last verified webhook delivery for this vehicle arrived."""
        return self.policy.last_delivery

    def _plan(self) -> None:
        """Have Home Assistant's timer run the next poll at the moment the policy plans.

        The "polling paused" repair shows while no poll is left before the reserve: it is
        raised when planning, not when the next month comes.
        """
        now = dt_util.utcnow()
        self.next_poll = self.policy.next_poll(now)
        # At least a second: a poll planned in the past runs at once.
        self.update_interval = max(self.next_poll - now, timedelta(seconds=1))
        state = self.budget.state(self.vehicle_id)
        if state.polling_allowed:
            async_delete_vehicle_issue(self.hass, "polling_paused", self.vehicle_id)
        elif self.policy.hold_back(now, scheduled=True) is HoldBack.RESERVE:
            async_create_vehicle_issue(
                self.hass,
                "polling_paused",
                self.vehicle_id,
                self.vehicle_name,
                used=str(state.used),
                budget=str(state.budget),
                reserve=str(state.reserve),
            )

    @override
    async def _async_update_data(self) -> VehicleSignals:
        if self.missing:  # not connected: nothing to read until it is listed again
            self.update_interval = None
            return self.data or VehicleSignals()
        try:
            return await self._async_read(dt_util.utcnow())
        finally:
            self._plan()

    async def _async_read(self, now: datetime) -> VehicleSignals:
        # A refresh from the planned moment on is the poll, an earlier one the owner's own:
        # decided from the clock, not from a flag that concurrent refreshes would share.
        # Home Assistant's timer may fire a little early (it rounds to the second, and its
        # clock is not the wall clock): a minute of slack.
        scheduled = (
            self.next_poll is not None
            and now >= self.next_poll - timedelta(minutes=1)
            and not self.config_entry.pref_disable_polling
        )
        if (held := self.policy.hold_back(now, scheduled=scheduled)) is not None:
            return self._hold_back(held)
        if scheduled or self.data is None:
            # The set-up read is spent from the polling share too (not a forced refresh).
            self.budget.async_record_poll(self.vehicle_id)
        try:
            answer = await self.vehicle.async_get_signals()
        except SmartcarError as err:
            if not is_missing_data(err):
                return self._read_failed(err, scheduled=scheduled)
            answer = VehicleSignals()  # no data yet: the vehicle is not subscribed
        self.config_entry.runtime_data.subscriptions.async_note(
            self, has_data=bool(answer.signals)
        )
        self.budget.async_set_billing_blocked(self.vehicle_id, False)
        async_delete_vehicle_issue(self.hass, "request_limit", self.vehicle_id)
        # Every read, forced or scheduled, teaches the cadence (and ends Retry-After).
        self.policy.note_poll(dt_util.now(), answer)
        # One merge rule: the answer joins the data by the signals' own timestamps, so what a
        # webhook, command or action brought (before or during the read) stays where it is
        # newer. A signal the car no longer reports goes, unless it came during the read.
        shown = self.data.signals if self.data is not None else {}
        kept = {
            code: signal
            for code, signal in shown.items()
            if code in answer.signals or (signal.received_at or now) > now
        }
        return VehicleSignals(kept, answer.log).merged(answer.signals.values())

    def _read_failed(self, err: SmartcarError, *, scheduled: bool) -> VehicleSignals:
        if scheduled:
            self.policy.note_poll(dt_util.now(), None)
        if isinstance(err, SmartcarRateLimitError):
            self.policy.note_rate_limited(dt_util.utcnow(), err.retry_after)
            return self._hold_back(HoldBack.RATE_LIMITED)
        if not isinstance(err, SmartcarBillingError):
            raise failure(err, UpdateFailed, "update_failed") from err
        self.budget.async_set_billing_blocked(self.vehicle_id, True)
        resets = next_month_start(dt_util.utcnow()).date().isoformat()
        async_create_vehicle_issue(
            self.hass,
            "request_limit",
            self.vehicle_id,
            self.vehicle_name,
            resets=resets,
        )
        return self._hold_back(HoldBack.MONTHLY_LIMIT)

    def _hold_back(self, reason: HoldBack) -> VehicleSignals:
        """Keep showing the last values: the integration holds back, the car did not fail.

        Only a vehicle never read yet has nothing to show, and is unavailable meanwhile.
        """
        shown: VehicleSignals | None = self.data  # None until the first read succeeds
        if shown is not None:
            return shown
        if reason is HoldBack.RATE_LIMITED:
            seconds = self.policy.retry_seconds(dt_util.utcnow())
            raise translated(UpdateFailed, "rate_limited", seconds=f"{seconds:.0f}")
        if reason is HoldBack.MONTHLY_LIMIT:
            raise translated(UpdateFailed, "request_limit_reached")
        raise translated(UpdateFailed, "polling_paused")

    @callback
    def async_apply_local_update(self, signals: Iterable[Signal[Any]]) -> None:
        """Show values learned without a poll (a webhook, a command, an action).

        They merge by the signals' own timestamps (older values than those held are ignored);
        the next poll stays where the policy planned it.
        """
        self.data = (self.data or VehicleSignals()).merged(signals)
        self.last_update_success = True
        self.async_update_listeners()

    @callback
    def async_push(self, signals: Iterable[Signal[Any]]) -> None:
        """Apply signals a verified webhook delivery brought; deliveries starting move the poll.

        Once deliveries start, polls become daily: the timer is set again from the policy.
        """
        if self.policy.note_delivery(dt_util.utcnow()) and self.next_poll is not None:
            self._plan()
            self.async_set_updated_data((self.data or VehicleSignals()).merged(signals))
            return
        self.async_apply_local_update(signals)

    @property
    def problem(self) -> ErrorDetail | None:
        """The newest unresolved error Smartcar reported that concerns the entry, if any.

        `issues.error_concerns`, the reauth's rule: an error about other signals (observed:
        `vehicleuseraccount-*` without `read_user_profile`) is kept for the diagnostics only.
        """
        granted = self.granted
        return next(
            (
                error
                for key, error in reversed(self.problems.items())
                if error_concerns(self.problem_permissions.get(key, ()), granted)
            ),
            None,
        )

    @callback
    def async_set_problem(
        self,
        key: Hashable,
        error: ErrorDetail | None,
        permissions: Iterable[str | None] = (),
    ) -> None:
        """Show an error Smartcar reported for the vehicle by webhook, or (None) clear it.

        `key` is the error's identity (type, code and the signals it names): several errors
        stay open side by side, and a RESOLVED clears only its own. Every error is shown
        (sensor attributes, diagnostics); reauth starts only for one that needs a new login.
        `permissions` are those of the signals the error names: it counts only when one of
        them was asked for and granted, as an error about a permission the owner left out
        (observed: `vehicleuseraccount-*`) would not change with a new login.
        """
        self.problems.pop(key, None)
        self.problem_permissions.pop(key, None)
        if error is not None:
            self.problems[key] = error
            self.problem_permissions[key] = tuple(permissions)
        self.async_update_listeners()
        if error is not None and error_needs_reauthentication(
            error, permissions, self.granted
        ):
            self.config_entry.async_start_reauth(self.hass)
