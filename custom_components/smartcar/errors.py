"""Client errors as translated Home Assistant errors for commands and actions."""

from __future__ import annotations

from typing import Final

from homeassistant.exceptions import HomeAssistantError

from .api import (
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
from .const import DOMAIN
from .coordinator import SmartcarVehicleCoordinator
from .issues import needs_reauthentication

# VEHICLE_STATE codes with a message of their own (the rest share command_vehicle_state).
VEHICLE_STATE_KEYS: Final = {
    "CHARGING_PLUG_NOT_CONNECTED": "command_plug_not_connected",
    "FULLY_CHARGED": "command_fully_charged",
    "NOT_CHARGING": "command_not_charging",
    "CHARGING_IN_PROGRESS": "command_charging_in_progress",
    "ASLEEP": "command_vehicle_unreachable",
    "UNREACHABLE": "command_vehicle_unreachable",
}


def _translation_key(err: SmartcarError) -> str:
    # A missing permission also asks to reauthenticate; the message names the permission.
    if isinstance(err, SmartcarPermissionError):
        return "command_permission"
    if needs_reauthentication(err):
        return "command_auth_failed"
    if isinstance(err, SmartcarVehicleStateError) and err.code in VEHICLE_STATE_KEYS:
        return VEHICLE_STATE_KEYS[err.code]
    for error_class, key in (
        (SmartcarVehicleStateError, "command_vehicle_state"),
        (SmartcarRateLimitError, "command_rate_limited"),
        (SmartcarBillingError, "command_billing_limit"),
        (SmartcarCompatibilityError, "command_not_capable"),
        (SmartcarNotFoundError, "command_not_found"),
        (SmartcarCommandFailedError, "command_failed"),
        (SmartcarConnectionError, "command_no_connection"),
    ):
        if isinstance(err, error_class):
            return key
    return "command_error"


def command_error(
    err: SmartcarError,
    command: str,
    coordinator: SmartcarVehicleCoordinator,
) -> HomeAssistantError:
    """Return the translated error for a failed command or action (`command` names it).

    Messages name the vehicle. When only the owner can fix the failure by logging in again,
    the reauthentication the message announces is started for the vehicle's entry.
    """
    if needs_reauthentication(err):
        coordinator.config_entry.async_start_reauth(coordinator.hass)
    reason = ""
    if isinstance(err, SmartcarApiError):
        reason = (
            err.error.suggested_user_message
            or err.error.detail
            or err.code
            or err.error.type
        )
    retry_after = err.retry_after if isinstance(err, SmartcarRateLimitError) else None
    return _error(
        _translation_key(err),
        command,
        coordinator,
        code=(err.code or "") if isinstance(err, SmartcarApiError) else "",
        reason=reason,
        seconds=f"{retry_after or 0:.0f}",
    )


def not_capable_error(
    command: str, coordinator: SmartcarVehicleCoordinator
) -> HomeAssistantError:
    """Return the error for a command the vehicle answers "not capable" (remembered)."""
    return _error("command_vehicle_not_capable", command, coordinator)


def _error(
    key: str,
    command: str,
    coordinator: SmartcarVehicleCoordinator,
    *,
    code: str = "",
    reason: str = "",
    seconds: str = "0",
) -> HomeAssistantError:
    """Return a command's translated error; every message has the same placeholders."""
    return HomeAssistantError(
        translation_domain=DOMAIN,
        translation_key=key,
        translation_placeholders={
            "command": command,
            "vehicle": coordinator.vehicle_name,
            "code": code,
            "reason": reason,
            "seconds": seconds,
        },
    )
