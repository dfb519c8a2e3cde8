"""Controls that send commands: the lock, the charging switch and the charge limit.

What they share:

- A command the car answered "not capable" (501) is remembered (`command_support`): asked
  again, it fails at once with the same translated error and no request; a control whose every
  command was refused is unavailable, across restarts.
- A refused command raises a translated error naming the car and changes nothing shown.
- 200 SUCCESS: the control shows the outcome at once (the caller applies the signals it implies,
  no poll spent).
- 202 still running: the control keeps showing what was asked (optimistic) until its signal is
  read again, which it asks for after PENDING_RECHECK_SECONDS.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection
from datetime import datetime
from typing import Any, Final, override

from homeassistant.core import CALLBACK_TYPE, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.event import async_call_later
from homeassistant.util import dt as dt_util

from .api import (
    Execution,
    ExecutionStatus,
    Signal,
    SmartcarCompatibilityError,
    SmartcarError,
    SmartcarVehicleStateError,
)
from .api.contract import NOT_CAPABLE_CODES
from .command_support import CommandSupport
from .coordinator import SmartcarVehicleCoordinator
from .entity import SmartcarEntity
from .errors import command_error, not_capable_error

# A command Smartcar accepted but did not finish (202): read the car again after this long.
PENDING_RECHECK_SECONDS: Final = 60


async def async_send_command(
    coordinator: SmartcarVehicleCoordinator,
    command: str,
    send: Callable[[], Awaitable[Execution]],
    *,
    already_done: Collection[str] = (),
    on_not_capable: Callable[[], None] | None = None,
) -> ExecutionStatus:
    """Send a command; return SUCCESS (done) or PENDING (still running at the carmaker).

    A command the vehicle refused as not capable before fails at once, without a request; a
    new such refusal is remembered (and `on_not_capable` told). A 409 whose code says the car
    already is as asked (`already_done`) counts as done. Every failure is raised as a
    translated `HomeAssistantError` naming the vehicle.
    """
    support: CommandSupport = coordinator.config_entry.runtime_data.commands
    if support.refused(coordinator.connection, command):
        raise not_capable_error(command, coordinator)
    try:
        execution = await send()
    except SmartcarVehicleStateError as err:
        if err.code in already_done:
            return ExecutionStatus.SUCCESS
        raise command_error(err, command, coordinator) from err
    except SmartcarCompatibilityError as err:
        if err.code not in NOT_CAPABLE_CODES:
            raise command_error(err, command, coordinator) from err
        await support.async_refuse(coordinator.connection, command)
        if on_not_capable is not None:
            on_not_capable()
        raise not_capable_error(command, coordinator) from err
    except SmartcarError as err:
        raise command_error(err, command, coordinator) from err
    return execution.status


class SmartcarCommandEntity[T](SmartcarEntity):
    """An entity that shows one signal and changes it with commands.

    `_commands` names the commands it sends: it is unavailable once the car refused all of
    them as not capable. `_optimistic` is what a command still running asked for (T), shown
    until the entity's signal is read again.
    """

    _commands: tuple[str, ...] = ()
    _optimistic: T | None = None
    _optimistic_over: Signal[Any] | None = None
    _recheck: CALLBACK_TYPE | None = None

    @property
    @override
    def available(self) -> bool:
        """Unavailable once the car refused every command of the control as not capable."""
        coordinator = self.coordinator
        support = coordinator.config_entry.runtime_data.commands
        return super().available and not all(
            support.refused(coordinator.connection, command)
            for command in self._commands
        )

    async def async_command(
        self,
        command: str,
        send: Callable[[], Awaitable[Execution]],
        *,
        requested: T,
        done: Callable[[datetime], list[Signal[Any]]],
        already_done: Collection[str] = (),
        show_while_sending: bool = False,
    ) -> None:
        """Send a command and show its outcome: `done` gives the signals a success implies.

        With `show_while_sending`, what was asked shows from the start (a lock "locking");
        a failure puts back what was shown before.
        """
        if show_while_sending:
            self._optimistic, self._optimistic_over = requested, self.signal
            self.async_write_ha_state()
        try:
            status = await async_send_command(
                self.coordinator,
                command,
                send,
                already_done=already_done,
                on_not_capable=self.async_write_ha_state,
            )
        except HomeAssistantError:
            if show_while_sending:
                self._settle()
                self.async_write_ha_state()
            raise
        if status is ExecutionStatus.SUCCESS:
            self._settle()
            self.coordinator.async_apply_local_update(done(dt_util.utcnow()))
            return
        self.async_show_requested(requested)

    @callback
    def async_show_requested(self, requested: T) -> None:
        """Show what was asked until the signal is read again (checked after a delay)."""
        self._optimistic = requested
        self._optimistic_over = self.signal
        self._cancel_recheck()
        self._recheck = async_call_later(
            self.hass, PENDING_RECHECK_SECONDS, self._async_recheck
        )
        self.async_write_ha_state()

    async def _async_recheck(self, _now: datetime) -> None:
        self._recheck = None
        await self.coordinator.async_request_refresh()
        # Read (or held back by the budget): either way, show what Smartcar says now.
        if self._optimistic is not None:
            self._settle()
            self.async_write_ha_state()

    def _settle(self) -> None:
        self._optimistic = None
        self._optimistic_over = None
        self._cancel_recheck()

    def _cancel_recheck(self) -> None:
        if self._recheck is not None:
            self._recheck()
            self._recheck = None

    @callback
    @override
    def _handle_coordinator_update(self) -> None:
        """Settle a command still running once its signal is read again."""
        if self._optimistic is not None and self.signal is not self._optimistic_over:
            self._settle()
        super()._handle_coordinator_update()

    @override
    async def async_will_remove_from_hass(self) -> None:
        """Cancel a pending re-check."""
        self._cancel_recheck()
        await super().async_will_remove_from_hass()
