"""Client errors as translated Home Assistant errors for commands and actions."""

from __future__ import annotations

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
from .problems import needs_reauthentication


def _translation_key(err: SmartcarError) -> str:
    # A missing permission also asks to reauthenticate; the message names the permission.
    if isinstance(err, SmartcarPermissionError):
        return "command_permission"
    if needs_reauthentication(err):
        return "command_auth_failed"
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
    coordinator: SmartcarVehicleCoordinator | None = None,
) -> HomeAssistantError:
    """Return the translated error for a failed command or action (`command` names it).

    When only the owner can fix the failure by logging in again, the reauthentication the
    message announces is started for the vehicle's entry.
    """
    if coordinator is not None and needs_reauthentication(err):
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
    return HomeAssistantError(
        translation_domain=DOMAIN,
        translation_key=_translation_key(err),
        translation_placeholders={
            "command": command,
            "code": (err.code or "") if isinstance(err, SmartcarApiError) else "",
            "reason": reason,
            "seconds": f"{retry_after or 0:.0f}",
        },
    )
