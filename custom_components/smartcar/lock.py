"""The door lock, with lock and unlock commands."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Any, Final, override

from homeassistant.components.lock import LockEntity, LockEntityDescription

from .api import signals
from .api.contract import LOCK_PERMISSION
from .controls import SmartcarCommandEntity
from .entity import SmartcarEntityDescription, async_setup_vehicle_entities

PARALLEL_UPDATES = 1

COMMAND_LOCK: Final = "lock"
COMMAND_UNLOCK: Final = "unlock"


@dataclass(frozen=True, kw_only=True)
class SmartcarLockDescription(
    SmartcarEntityDescription[signals.BooleanValue], LockEntityDescription
):
    """The central lock of a vehicle."""


LOCK = SmartcarLockDescription(
    key="lock",
    translation_key="lock",
    signal=signals.IS_LOCKED,
    extra_permissions=(LOCK_PERMISSION,),
)


class SmartcarLock(SmartcarCommandEntity[signals.BooleanValue, bool], LockEntity):
    """The vehicle's central lock; `_optimistic` is the lock state asked for, while running."""

    _commands = (COMMAND_LOCK, COMMAND_UNLOCK)
    entity_description: SmartcarLockDescription

    @override
    def _update_state(self) -> None:
        """Locked as read; locking or unlocking while asked to and not yet read back."""
        super()._update_state()
        body = self.signal.body if self.signal else None
        self._attr_is_locked = body.value if body else None
        self._attr_is_locking = self._optimistic is True
        self._attr_is_unlocking = self._optimistic is False

    @override
    async def async_lock(self, **kwargs: Any) -> None:
        """Lock the doors."""
        await self._async_set(locked=True)

    @override
    async def async_unlock(self, **kwargs: Any) -> None:
        """Unlock the doors."""
        await self._async_set(locked=False)

    async def _async_set(self, *, locked: bool) -> None:
        vehicle = self.coordinator.vehicle
        # Commands return no state; once the car did what was asked it shows without spending
        # a request. Still running at the carmaker: locking/unlocking until read again.
        await self.async_command(
            COMMAND_LOCK if locked else COMMAND_UNLOCK,
            vehicle.async_lock if locked else vehicle.async_unlock,
            requested=locked,
            done=lambda at: [signals.lock_state(locked, at)],
            show_while_sending=True,
        )


# Add a lock for each vehicle that reports its lock state and may be locked remotely.
async_setup_entry = partial(
    async_setup_vehicle_entities, descriptions=(LOCK,), factory=SmartcarLock
)
