"""One coordinator per vehicle: one `GET /signals` per refresh, webhook pushes, the budget."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Final, override

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.exceptions import ConfigEntryAuthFailed
from homeassistant.helpers.event import async_track_point_in_utc_time
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
    SmartcarVehicle,
    VehicleSignals,
)
from .budget import RequestBudget, next_month_start
from .command_support import CommandSupport
from .const import DOMAIN, LOGGER
from .permissions import requested_permissions
from .polling import HoldBack, PollingPolicy
from .problems import (
    async_create_vehicle_issue,
    async_delete_vehicle_issue,
    error_needs_reauthentication,
    needs_reauthentication,
)

# The repair issues a vehicle can raise (each id is the kind and the vehicle id).
ISSUE_KINDS: Final = ("request_limit", "polling_paused", "vehicle_not_subscribed")


@dataclass
class SmartcarRuntimeData:
    """What a loaded entry holds: client, budget, vehicles and the commands they cannot run."""

    client: SmartcarClient
    budget: RequestBudget
    coordinators: dict[str, SmartcarVehicleCoordinator]
    # Commands the vehicles answered "not capable", kept across restarts.
    commands: CommandSupport
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
    return next(
        (
            entry.runtime_data.coordinators[vehicle_id]
            for entry in entries
            if vehicle_id in entry.runtime_data.coordinators
        ),
        None,
    )


def update_failed(err: SmartcarError) -> UpdateFailed | ConfigEntryAuthFailed:
    """Translate a client error into what the coordinator should raise."""
    if needs_reauthentication(err):
        return ConfigEntryAuthFailed(
            translation_domain=DOMAIN,
            translation_key="auth_failed",
            translation_placeholders={"error": str(err)},
        )
    if isinstance(err, SmartcarRateLimitError):
        return _rate_limited(err.retry_after)
    if isinstance(err, SmartcarBillingError):
        return UpdateFailed(
            translation_domain=DOMAIN, translation_key="request_limit_reached"
        )
    return UpdateFailed(
        translation_domain=DOMAIN,
        translation_key="update_failed",
        translation_placeholders={"error": str(err)},
    )


def _rate_limited(seconds: float | None) -> UpdateFailed:
    return UpdateFailed(
        translation_domain=DOMAIN,
        translation_key="rate_limited",
        translation_placeholders={"seconds": f"{seconds or 0:.0f}"},
        retry_after=seconds,
    )


class SmartcarVehicleCoordinator(DataUpdateCoordinator[VehicleSignals]):
    """Reads every signal of one vehicle; takes values learned without a poll.

    Home Assistant's own timer is off (`update_interval=None`): the `PollingPolicy` alone
    decides when the next poll happens, and `async_apply_local_update` never moves it.
    """

    config_entry: SmartcarConfigEntry

    def __init__(
        self,
        hass: HomeAssistant,
        entry: SmartcarConfigEntry,
        vehicle: SmartcarVehicle,
        connection: Connection,
        *,
        budget: RequestBudget,
    ) -> None:
        """Bind the vehicle, what the owner granted and the entry's request budget."""
        super().__init__(
            hass,
            LOGGER,
            config_entry=entry,
            name=f"{DOMAIN} {connection.vehicle.model or connection.vehicle_id}",
            update_interval=None,
        )
        self.vehicle = vehicle
        self.connection = connection
        # What the entry asks Connect for; a new choice (reconfigure) reloads the entry.
        self.requested = requested_permissions(entry.data)
        self.budget = budget
        self.policy = PollingPolicy(budget, connection.vehicle_id)
        # The errors Smartcar reported by webhook and not yet resolved, oldest first.
        self.problems: dict[Hashable, ErrorDetail] = {}
        self.next_poll: datetime | None = None
        self._cancel_poll: CALLBACK_TYPE | None = None
        self._shut_down = False
        self._polling = False
        # Values learned without a poll while a read is out (None when no read is).
        self._learned_while_reading: list[Signal[Any]] | None = None

    @property
    def vehicle_id(self) -> str:
        """Smartcar's id of the vehicle."""
        return self.connection.vehicle_id

    @property
    def vehicle_name(self) -> str:
        """The vehicle as people call it, e.g. "Volvo EX30"."""
        return self.connection.vehicle.display_name or self.vehicle_id

    @property
    def granted_permissions(self) -> frozenset[str]:
        """The permissions the entry asks for that the owner granted for this vehicle."""
        return self.requested & self.connection.permissions

    def has_permission(self, permission: str) -> bool:
        """Whether the entry asks for `permission` and the owner granted it for this vehicle."""
        return permission in self.granted_permissions

    @property
    def webhook_delivering(self) -> bool:
        """Whether signed webhook deliveries for this vehicle arrived recently."""
        return self.policy.webhook_delivering(dt_util.utcnow())

    @property
    def last_delivery(self) -> datetime | None:
        """When the last verified webhook delivery for this vehicle arrived."""
        return self.policy.last_delivery

    @callback
    def async_schedule_poll(self) -> None:
        """(Re)start the poll timer at the moment the policy gives (not once shut down)."""
        self.async_cancel_poll()
        if self._shut_down or self.hass.is_stopping:
            return
        now = dt_util.utcnow()
        self.next_poll = self.policy.next_poll(now)
        if self.policy.hold_back(now, scheduled=True) is HoldBack.RESERVE:
            # No poll is left before the reserve: say so now, not at the next month.
            self._note_paused()
        self._cancel_poll = async_track_point_in_utc_time(
            self.hass, self._async_poll, self.next_poll
        )

    @callback
    def async_cancel_poll(self) -> None:
        """Stop the poll timer."""
        if self._cancel_poll is not None:
            self._cancel_poll()
            self._cancel_poll = None

    async def _async_poll(self, _now: datetime) -> None:
        """Run a scheduled poll: one the reserve and the month's limit may hold back."""
        self._cancel_poll = None
        self._polling = True
        try:
            await self.async_refresh()
        finally:
            self._polling = False

    @override
    async def async_shutdown(self) -> None:
        """Stop polling when the entry unloads or Home Assistant stops."""
        self._shut_down = True
        self.async_cancel_poll()
        await super().async_shutdown()

    @override
    async def _async_update_data(self) -> VehicleSignals:
        try:
            return await self._async_read()
        finally:
            self.async_schedule_poll()

    async def _async_read(self) -> VehicleSignals:
        now = dt_util.utcnow()
        held = self.policy.hold_back(now, scheduled=self._polling)
        if held is not None:
            return self._hold_back(held)
        scheduled = self._polling
        if scheduled or self.data is None:
            # The set-up read is spent from the polling share too (not a forced refresh).
            self.budget.async_record_poll(self.vehicle_id)
        self._learned_while_reading = []
        try:
            data = await self.vehicle.async_get_signals()
        except SmartcarError as err:
            self._learned_while_reading = None
            if scheduled:
                self.policy.note_poll_failed(dt_util.now())
            self._note_failure(err)
            if isinstance(err, SmartcarRateLimitError):
                return self._hold_back(HoldBack.RATE_LIMITED)
            if isinstance(err, SmartcarBillingError):
                return self._hold_back(HoldBack.MONTHLY_LIMIT)
            raise update_failed(err) from err
        self._note_success()
        # Every read, forced or scheduled, teaches the cadence (the timer is rescheduled after).
        self.policy.note_poll(dt_util.now(), data)
        # What a command, action or webhook brought while the read was out is not older
        # than the read's answer: keep it (merged drops whatever the answer supersedes).
        learned, self._learned_while_reading = self._learned_while_reading, None
        return data.merged(learned or ())

    def _hold_back(self, reason: HoldBack) -> VehicleSignals:
        """Keep showing the last values: the integration holds back, the car did not fail.

        Only a vehicle never read yet has nothing to show, and is unavailable meanwhile.
        """
        if reason is HoldBack.RESERVE:
            self._note_paused()
        shown: VehicleSignals | None = self.data  # None until the first read succeeds
        if shown is not None:
            return shown
        if reason is HoldBack.RATE_LIMITED:
            raise _rate_limited(self.policy.retry_seconds(dt_util.utcnow()))
        if reason is HoldBack.MONTHLY_LIMIT:
            raise UpdateFailed(
                translation_domain=DOMAIN, translation_key="request_limit_reached"
            )
        raise UpdateFailed(translation_domain=DOMAIN, translation_key="polling_paused")

    def _note_paused(self) -> None:
        state = self.budget.state(self.vehicle_id)
        self._set_issue(
            "polling_paused",
            True,
            used=str(state.used),
            budget=str(state.budget),
            reserve=str(state.reserve),
        )

    def _note_failure(self, err: SmartcarError) -> None:
        if isinstance(err, SmartcarRateLimitError):
            self.policy.note_rate_limited(dt_util.utcnow(), err.retry_after)
        if isinstance(err, SmartcarBillingError):
            self.budget.async_set_billing_blocked(self.vehicle_id, True)
            self._set_issue(
                "request_limit",
                True,
                resets=next_month_start(dt_util.utcnow()).date().isoformat(),
            )

    def _note_success(self) -> None:
        self.policy.note_success()
        self.budget.async_set_billing_blocked(self.vehicle_id, False)
        self._set_issue("request_limit", False)
        if self.budget.state(self.vehicle_id).polling_allowed:
            self._set_issue("polling_paused", False)

    def _set_issue(self, kind: str, active: bool, **placeholders: str) -> None:
        if not active:
            async_delete_vehicle_issue(self.hass, kind, self.vehicle_id)
            return
        async_create_vehicle_issue(
            self.hass, kind, self.vehicle_id, self.vehicle_name, **placeholders
        )

    @callback
    def async_apply_local_update(self, signals: Iterable[Signal[Any]]) -> None:
        """Show values learned without a poll (a webhook, a command, an action).

        Older values than those held are ignored. The poll timer is left alone: the policy
        alone moves it.
        """
        signals = list(signals)
        if self._learned_while_reading is not None:
            self._learned_while_reading.extend(signals)
        self.async_set_updated_data((self.data or VehicleSignals()).merged(signals))

    @callback
    def async_note_delivery(self) -> None:
        """Record a verified webhook delivery; when deliveries start, polls become daily."""
        if self.policy.note_delivery(dt_util.utcnow()):
            self.async_schedule_poll()

    @callback
    def async_push(self, signals: Iterable[Signal[Any]]) -> None:
        """Apply signals a verified webhook delivery brought."""
        self.async_note_delivery()
        self.async_apply_local_update(signals)

    @property
    def problem(self) -> ErrorDetail | None:
        """The newest unresolved error Smartcar reported for the vehicle (None without any)."""
        return next(reversed(self.problems.values()), None)

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
        if error is not None:
            self.problems[key] = error
        self.async_update_listeners()
        if error is not None and error_needs_reauthentication(
            error, permissions, self.granted_permissions
        ):
            self.config_entry.async_start_reauth(self.hass)

    def diagnostics(self) -> dict[str, Any]:
        """Return the polling state, for diagnostics."""
        retry_at = self.policy.retry_at
        return {
            "next_poll": self.next_poll.isoformat() if self.next_poll else None,
            "webhook_delivering": self.webhook_delivering,
            "rate_limited_until": retry_at.isoformat() if retry_at else None,
            "problems": [
                {"type": problem.type, "code": problem.code}
                for problem in self.problems.values()
            ],
        }
