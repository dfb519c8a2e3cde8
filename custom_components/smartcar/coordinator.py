"""One coordinator per vehicle: one `GET /signals` per refresh, webhook pushes, the budget."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, override

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import ConfigEntryAuthFailed
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed
from homeassistant.util import dt as dt_util

from .api import (
    Connection,
    ErrorDetail,
    ErrorType,
    Signal,
    SmartcarApiError,
    SmartcarAuthenticationError,
    SmartcarBillingError,
    SmartcarClient,
    SmartcarError,
    SmartcarRateLimitError,
    SmartcarVehicle,
    VehicleSignals,
)
from .budget import RequestBudget, next_month_start
from .const import (
    DEFAULT_SCAN_INTERVAL,
    DOMAIN,
    LOGGER,
    SAFETY_POLL_INTERVAL,
    WEBHOOK_FRESHNESS,
)


@dataclass
class SmartcarRuntimeData:
    """What a loaded entry holds: the client, the budget and a coordinator per vehicle."""

    client: SmartcarClient
    budget: RequestBudget
    coordinators: dict[str, SmartcarVehicleCoordinator]


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


def needs_reauthentication(err: SmartcarError) -> bool:
    """Whether only the owner can fix this, by logging in again (reauth flow)."""
    if isinstance(err, SmartcarAuthenticationError):
        return True
    return isinstance(err, SmartcarApiError) and error_needs_reauthentication(err.error)


def error_needs_reauthentication(error: ErrorDetail) -> bool:
    """Whether an error Smartcar describes needs the owner to go through Connect again.

    Vehicle states (asleep, unreachable ...) never do, whatever resolution they suggest.
    """
    if error.type == ErrorType.VEHICLE_STATE:
        return False
    return error.needs_reauthentication or (
        error.type == ErrorType.CONNECTED_SERVICES_ACCOUNT
        and error.code == "AUTHENTICATION_FAILED"
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
    """Reads every signal of one vehicle; takes webhook pushes; respects the request budget."""

    config_entry: SmartcarConfigEntry

    def __init__(
        self,
        hass: HomeAssistant,
        entry: SmartcarConfigEntry,
        vehicle: SmartcarVehicle,
        connection: Connection,
        *,
        budget: RequestBudget,
        scan_interval: timedelta = DEFAULT_SCAN_INTERVAL,
    ) -> None:
        """Bind the vehicle, what the owner granted and the entry's request budget."""
        super().__init__(
            hass,
            LOGGER,
            config_entry=entry,
            name=f"{DOMAIN} {connection.vehicle.model or connection.vehicle_id}",
            update_interval=scan_interval,
        )
        self.vehicle = vehicle
        self.connection = connection
        self.budget = budget
        self.scan_interval = scan_interval
        self.rate_limited_until: datetime | None = None
        self.last_delivery: datetime | None = None
        self.problem: ErrorDetail | None = None
        self._scheduled = False

    @property
    def vehicle_id(self) -> str:
        """Smartcar's id of the vehicle."""
        return self.connection.vehicle_id

    @property
    def vehicle_name(self) -> str:
        """The vehicle as people call it, e.g. "Volvo EX30"."""
        return self.connection.vehicle.display_name or self.vehicle_id

    def has_permission(self, permission: str) -> bool:
        """Whether the owner granted `permission` for this vehicle."""
        return permission in self.connection.permissions

    @property
    def webhook_delivering(self) -> bool:
        """Whether signed webhook deliveries for this vehicle arrived recently."""
        return (
            self.last_delivery is not None
            and dt_util.utcnow() - self.last_delivery < WEBHOOK_FRESHNESS
        )

    def _policy_interval(self) -> timedelta:
        """How long until the next scheduled poll, by the polling policy."""
        now = dt_util.utcnow()
        if self.budget.state(self.vehicle_id).billing_blocked:
            return next_month_start(now) - now + timedelta(minutes=1)
        if self.webhook_delivering:
            return max(SAFETY_POLL_INTERVAL, self.scan_interval)
        return self.scan_interval

    @override
    async def _handle_refresh_interval(self, _now: datetime | None = None) -> None:
        """Run a scheduled poll (one that the reserve may skip)."""
        self._scheduled = True
        try:
            await super()._handle_refresh_interval(_now)
        finally:
            self._scheduled = False

    @override
    async def _async_update_data(self) -> VehicleSignals:
        now = dt_util.utcnow()
        if self.rate_limited_until is not None and now < self.rate_limited_until:
            raise _rate_limited((self.rate_limited_until - now).total_seconds())
        if self._scheduled and not self.budget.state(self.vehicle_id).polling_allowed:
            return self._skip_poll()
        try:
            data = await self.vehicle.async_get_signals()
        except SmartcarError as err:
            self._note_failure(err)
            raise update_failed(err) from err
        self._note_success()
        return data

    def _skip_poll(self) -> VehicleSignals:
        """Keep the last values: the month's requests are kept for what the user asks."""
        state = self.budget.state(self.vehicle_id)
        if not state.billing_blocked:
            self._set_issue(
                "polling_paused",
                True,
                used=str(state.used),
                budget=str(state.budget),
                reserve=str(state.reserve),
            )
        self.update_interval = self._policy_interval()
        if self.data is None:
            raise UpdateFailed(
                translation_domain=DOMAIN, translation_key="polling_paused"
            )
        return self.data

    def _note_failure(self, err: SmartcarError) -> None:
        if isinstance(err, SmartcarRateLimitError) and err.retry_after:
            self.rate_limited_until = dt_util.utcnow() + timedelta(
                seconds=err.retry_after
            )
        if isinstance(err, SmartcarBillingError):
            self.budget.async_set_billing_blocked(self.vehicle_id, True)
            self._set_issue(
                "request_limit",
                True,
                resets=next_month_start(dt_util.utcnow()).date().isoformat(),
            )
            self.update_interval = self._policy_interval()

    def _note_success(self) -> None:
        self.rate_limited_until = None
        self.budget.async_set_billing_blocked(self.vehicle_id, False)
        self._set_issue("request_limit", False)
        if self.budget.state(self.vehicle_id).polling_allowed:
            self._set_issue("polling_paused", False)
        self.update_interval = self._policy_interval()

    def _set_issue(self, kind: str, active: bool, **placeholders: str) -> None:
        issue_id = f"{kind}_{self.vehicle_id}"
        if not active:
            ir.async_delete_issue(self.hass, DOMAIN, issue_id)
            return
        ir.async_create_issue(
            self.hass,
            DOMAIN,
            issue_id,
            is_fixable=False,
            severity=ir.IssueSeverity.WARNING,
            translation_key=kind,
            translation_placeholders={"vehicle": self.vehicle_name, **placeholders},
        )

    @callback
    def async_push(self, signals: Iterable[Signal]) -> None:
        """Apply signals a webhook delivered (older values than those held are ignored).

        Unlike `async_set_updated_data`, this leaves the poll timer running, so the daily
        safety poll still happens however often deliveries come; only when deliveries start
        does the timer restart with the safety interval.
        """
        was_delivering = self.webhook_delivering
        self.last_delivery = dt_util.utcnow()
        self.update_interval = self._policy_interval()
        if not was_delivering:
            self._schedule_refresh()
        self.data = (self.data or VehicleSignals()).merged(signals)
        self.last_update_success = True
        self.async_update_listeners()

    @callback
    def async_set_problem(self, error: ErrorDetail | None) -> None:
        """Show (or clear) an error Smartcar reported for the vehicle by webhook."""
        self.problem = error
        self.async_update_listeners()
        if error is not None and error_needs_reauthentication(error):
            self.config_entry.async_start_reauth(self.hass)

    def diagnostics(self) -> dict[str, Any]:
        """Return the polling state, for diagnostics."""
        return {
            "update_interval": str(self.update_interval),
            "webhook_delivering": self.webhook_delivering,
            "rate_limited_until": self.rate_limited_until.isoformat()
            if self.rate_limited_until
            else None,
            "problem": {"type": self.problem.type, "code": self.problem.code}
            if self.problem
            else None,
        }
