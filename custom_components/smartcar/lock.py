"""The door lock, with lock and unlock commands."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final, override

from homeassistant.components.lock import LockEntity, LockEntityDescription
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.event import async_call_later
from homeassistant.util import dt as dt_util

from .api import ExecutionStatus, SmartcarError, signals
from .api.contract import LOCK_PERMISSION
from .api.signals import BooleanValue
from .coordinator import SmartcarConfigEntry
from .entity import (
    SmartcarEntity,
    SmartcarEntityDescription,
    async_add_reported_entities,
)
from .errors import command_error

PARALLEL_UPDATES = 1

# A command Smartcar accepted but did not finish (202): read the lock again after this long.
PENDING_RECHECK_SECONDS: Final = 60


@dataclass(frozen=True, kw_only=True)
class SmartcarLockDescription(SmartcarEntityDescription, LockEntityDescription):
    """The central lock of a vehicle."""


LOCK = SmartcarLockDescription(
    key="lock",
    translation_key="lock",
    signal=signals.IS_LOCKED,
    extra_permissions=(LOCK_PERMISSION,),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: SmartcarConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add a lock for each vehicle that reports its lock state and may be locked remotely."""
    async_add_reported_entities(entry, async_add_entities, (LOCK,), SmartcarLock)


class SmartcarLock(SmartcarEntity, LockEntity):
    """The vehicle's central lock."""

    _recheck: CALLBACK_TYPE | None = None
    entity_description: SmartcarLockDescription

    @property
    @override
    def is_locked(self) -> bool | None:
        """Whether the doors are locked."""
        signal = self.signal
        return (
            signal.body.value
            if signal and isinstance(signal.body, BooleanValue)
            else None
        )

    @override
    async def async_lock(self, **kwargs: Any) -> None:
        """Lock the doors."""
        await self._async_command(locked=True)

    @override
    async def async_unlock(self, **kwargs: Any) -> None:
        """Unlock the doors."""
        await self._async_command(locked=False)

    async def _async_command(self, *, locked: bool) -> None:
        self._attr_is_locking, self._attr_is_unlocking = locked, not locked
        self.async_write_ha_state()
        vehicle = self.coordinator.vehicle
        try:
            execution = await (
                vehicle.async_lock() if locked else vehicle.async_unlock()
            )
        except SmartcarError as err:
            self._clear_transition()
            raise command_error(
                err, "lock" if locked else "unlock", self.coordinator
            ) from err
        if execution.status is ExecutionStatus.SUCCESS:
            # Commands return no state; the car did what was asked, so show it without
            # spending a request (the coordinator update clears locking/unlocking).
            self.coordinator.async_apply_local_update(
                [signals.lock_state(locked, dt_util.utcnow())]
            )
            return
        # Accepted but still running at the carmaker: keep showing locking/unlocking until a
        # later reading shows the outcome.
        self._cancel_recheck()
        self._recheck = async_call_later(
            self.hass, PENDING_RECHECK_SECONDS, self._async_recheck
        )

    async def _async_recheck(self, _now: datetime) -> None:
        self._recheck = None
        await self.coordinator.async_request_refresh()

    @callback
    def _clear_transition(self) -> None:
        self._attr_is_locking = self._attr_is_unlocking = False
        self.async_write_ha_state()

    def _cancel_recheck(self) -> None:
        if self._recheck is not None:
            self._recheck()
            self._recheck = None

    @callback
    @override
    def _handle_coordinator_update(self) -> None:
        """Settle any command still in progress: a new reading shows its outcome."""
        self._attr_is_locking = self._attr_is_unlocking = False
        super()._handle_coordinator_update()

    @override
    async def async_will_remove_from_hass(self) -> None:
        """Cancel a pending re-check."""
        self._cancel_recheck()
        await super().async_will_remove_from_hass()
