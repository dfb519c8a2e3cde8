"""Controls that send commands: the lock, the charging switch and the charge limit.

Also the translated errors a command or an action raises.

What the controls share:

- A command the car answered "not capable" (501) is remembered (`RefusedCommands`): asked
  again, it fails at once with the same translated error and no request; a control whose every
  command was refused is unavailable, across restarts.
- A refused command raises a translated error naming the car and changes nothing shown.
- 200 SUCCESS: the control shows the outcome at once (the caller applies the signals it implies,
  no poll spent).
- 202 still running: the control keeps showing what was asked (optimistic) until its signal is
  read again, which it asks for after PENDING_RECHECK_SECONDS.
- A success whose outcome leaves values unknown until read (a started charge: its power,
  current, end) asks for one read after PENDING_RECHECK_SECONDS too (`read_after`); it is
  a forced refresh, so the budget's reserve holds it back like any other.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection, Iterable
from datetime import datetime
from typing import Any, Final, override

from homeassistant.core import CALLBACK_TYPE, HomeAssistant, async_get_hass, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.event import async_call_later
from homeassistant.helpers.translation import async_get_cached_translations
from homeassistant.util import dt as dt_util

from .api import (
    Execution,
    ExecutionStatus,
    Signal,
    SmartcarApiError,
    SmartcarBillingError,
    SmartcarCommandFailedError,
    SmartcarCompatibilityError,
    SmartcarConnectionError,
    SmartcarError,
    SmartcarNotFoundError,
    SmartcarPermissionError,
    SmartcarRateLimitError,
    SmartcarVehicleStateError,
)
from .api.contract import NOT_CAPABLE_CODES
from .const import DOMAIN
from .coordinator import SmartcarVehicleCoordinator
from .entity import SmartcarEntity
from .issues import needs_reauthentication
from .permissions import PERMISSION_GROUPS

# A command Smartcar accepted but did not finish (202): read the car again after this long.
PENDING_RECHECK_SECONDS: Final = 60
# VEHICLE_STATE codes with a message of their own (the rest share command_vehicle_state).
VEHICLE_STATE_KEYS: Final = {
    "CHARGING_PLUG_NOT_CONNECTED": "command_plug_not_connected",
    "FULLY_CHARGED": "command_fully_charged",
    "NOT_CHARGING": "command_not_charging",
    "CHARGING_IN_PROGRESS": "command_charging_in_progress",
    "ASLEEP": "command_vehicle_unreachable",
    "UNREACHABLE": "command_vehicle_unreachable",
}
# The message of each other kind of failure (the first class that matches).
ERROR_KEYS: Final[tuple[tuple[type[SmartcarError], str], ...]] = (
    (SmartcarRateLimitError, "command_rate_limited"),
    (SmartcarBillingError, "command_billing_limit"),
    (SmartcarCompatibilityError, "command_not_capable"),
    (SmartcarNotFoundError, "command_not_found"),
    (SmartcarCommandFailedError, "command_failed"),
    (SmartcarConnectionError, "command_no_connection"),
)


@callback
def text_of(hass: HomeAssistant, key: str) -> str | None:
    """Return one of the integration's texts in Home Assistant's language, if loaded.

    `key` is its path in strings.json, e.g. `services.set_destination.name`; the texts of a
    loaded integration are cached (set-up loads them).
    """
    category = key.partition(".")[0]
    texts = async_get_cached_translations(hass, hass.config.language, category, DOMAIN)
    return texts.get(f"component.{DOMAIN}.{key}")


def shown(value: object) -> str:
    """Return a value as it may appear in a message (hostile values: 40 characters)."""
    text = str(value)
    return text if len(text) <= 40 else f"{text[:40]}…"


@callback
def in_owners_words(placeholders: dict[str, str]) -> dict[str, str]:
    """Return an error's placeholders with internal names put as the owner saw them.

    `field` and `start` by the field's name in the actions' forms ("Stop time"), `type` by
    the schedule type's label ("Daily"), `permission` by the label of its group in the
    integration's set-up form; anything unknown stays as it is.
    """
    hass = async_get_hass()
    texts = async_get_cached_translations(
        hass, hass.config.language, "services", DOMAIN
    )
    words = dict(placeholders)
    for name in ("field", "start"):
        if (field := words.get(name)) is not None:
            suffix = f".fields.{field}.name"
            found = (text for key, text in texts.items() if key.endswith(suffix))
            words[name] = next(found, field)
    if (kind := words.get("type")) is not None:
        words["type"] = text_of(hass, f"selector.schedule_type.options.{kind}") or kind
    if (permission := words.get("permission")) is not None:
        group = next((g for g, p in PERMISSION_GROUPS.items() if permission in p), "")
        label = text_of(hass, f"selector.permission_groups.options.{group}")
        words["permission"] = label or permission
    return words


def command_error(
    err: SmartcarError | None, command: str, coordinator: SmartcarVehicleCoordinator
) -> HomeAssistantError:
    """Return the translated error for a failed command or action (`command` names it).

    `err` None: the vehicle refused the command as not capable (remembered). Messages name
    the vehicle, and the command as the owner knows it (a control's command by its label,
    an action by its name); all take the same placeholders. When only the owner can fix
    the failure by logging in again, the reauthentication the message announces is started.
    """
    hass = coordinator.hass
    # The controls' commands are labelled as the options of a `command` selector in
    # strings.json (its place for short translated labels); actions by their names.
    label = text_of(hass, f"selector.command.options.{command}") or text_of(
        hass, f"services.{command}.name"
    )
    reauth = err is not None and needs_reauthentication(err)
    if reauth:
        coordinator.config_entry.async_start_reauth(coordinator.hass)
    api = err if isinstance(err, SmartcarApiError) else None
    if err is None:
        key = "command_vehicle_not_capable"
    # A missing permission also asks to reauthenticate; the message names the permission.
    elif isinstance(err, SmartcarPermissionError):
        key = "command_permission"
    elif reauth:
        key = "command_auth_failed"
    elif isinstance(err, SmartcarVehicleStateError):
        key = VEHICLE_STATE_KEYS.get(err.code or "", "command_vehicle_state")
    else:
        key = next(
            (k for kind, k in ERROR_KEYS if isinstance(err, kind)), "command_error"
        )
    retry_after = err.retry_after if isinstance(err, SmartcarRateLimitError) else None
    return HomeAssistantError(
        translation_domain=DOMAIN,
        translation_key=key,
        translation_placeholders={
            "command": label or command,
            "vehicle": coordinator.vehicle_name,
            "code": (api.code or "") if api else "",
            "reason": api.error.suggested_user_message
            or api.error.detail
            or api.code
            or api.error.type
            if api
            else "",
            "seconds": f"{retry_after or 0:.0f}",
        },
    )


async def async_send_command(
    coordinator: SmartcarVehicleCoordinator,
    command: str,
    send: Callable[[], Awaitable[Execution]],
    *,
    already_done: Collection[str] = (),
) -> ExecutionStatus:
    """Send a command; return SUCCESS (done) or PENDING (still running at the carmaker).

    A command the vehicle refused as not capable before fails at once, without a request; a
    new such refusal is remembered. A 409 whose code says the car already is as asked
    (`already_done`) counts as done. Every failure is raised as a translated
    `HomeAssistantError` naming the vehicle.
    """
    refusals = coordinator.config_entry.runtime_data.commands
    if refusals.refused(coordinator.connection, command):
        raise command_error(None, command, coordinator)
    try:
        return (await send()).status
    except SmartcarError as err:
        if isinstance(err, SmartcarVehicleStateError) and err.code in already_done:
            return ExecutionStatus.SUCCESS
        not_capable = (
            isinstance(err, SmartcarCompatibilityError)
            and err.code in NOT_CAPABLE_CODES
        )
        if not_capable:
            await refusals.async_refuse(coordinator.connection, command)
        raise command_error(None if not_capable else err, command, coordinator) from err


class SmartcarCommandEntity[B, T](SmartcarEntity[B]):
    """An entity that shows one signal (body `B`) and changes it with commands.

    `_commands` names the commands it sends: it is unavailable once the car refused all of
    them as not capable. `_optimistic` is what a command still running asked for (T), shown
    until the entity's signal is read again.
    """

    _commands: tuple[str, ...] = ()
    _optimistic: T | None = None
    _recheck: CALLBACK_TYPE | None = None

    @override
    def _update_state(self) -> None:
        """Settle a command still running once its signal is read again.

        Unavailable once the car refused every command of the control as not capable.
        """
        held = self.signal
        super()._update_state()
        if self.signal is not held:
            self._settle()
        refusals = self.coordinator.config_entry.runtime_data.commands
        connection = self.coordinator.connection
        self._attr_available = self._attr_available and not all(
            refusals.refused(connection, command) for command in self._commands
        )

    async def async_command(
        self,
        command: str,
        send: Callable[[], Awaitable[Execution]],
        *,
        requested: T,
        done: Callable[[datetime], Iterable[Signal[Any]]],
        already_done: Collection[str] = (),
        show_while_sending: bool = False,
        read_after: bool = False,
    ) -> None:
        """Send a command and show its outcome: `done` gives the signals a success implies.

        With `show_while_sending`, what was asked shows from the start (a lock "locking");
        a failure puts back what was shown before. With `read_after`, a success is followed by
        one read of the car after PENDING_RECHECK_SECONDS.
        """
        if show_while_sending:
            self._async_show(requested)
        try:
            status = await async_send_command(
                self.coordinator, command, send, already_done=already_done
            )
        except HomeAssistantError:
            if show_while_sending:
                self._settle()
            # Also shows the control unavailable once the car refused it as not capable.
            self._async_show(self._optimistic)
            raise
        self._settle()
        succeeded = status is ExecutionStatus.SUCCESS
        if succeeded:
            self.coordinator.async_apply_local_update(done(dt_util.utcnow()))
        if not succeeded or read_after:
            self._recheck = async_call_later(
                self.hass, PENDING_RECHECK_SECONDS, self._async_recheck
            )
        if not succeeded:
            self._async_show(requested)

    @callback
    def _async_show(self, optimistic: T | None) -> None:
        """Show `optimistic` (what was asked, None for nothing) over the signal as it is."""
        self._optimistic = optimistic
        self._update_state()
        self.async_write_ha_state()

    async def _async_recheck(self, _now: datetime) -> None:
        self._recheck = None
        await self.coordinator.async_request_refresh()
        # Read (or held back by the budget): either way, show what Smartcar says now.
        if self._optimistic is not None:
            self._async_show(None)

    def _settle(self) -> None:
        """Stop showing what was asked; cancel a pending re-check."""
        self._optimistic = None
        if self._recheck is not None:
            self._recheck()
            self._recheck = None

    @override
    async def async_will_remove_from_hass(self) -> None:
        """Cancel a pending re-check."""
        self._settle()
        await super().async_will_remove_from_hass()
