"""Which errors Smartcar reports need the owner to log in again (reauth), in one place."""

from __future__ import annotations

from collections.abc import Iterable

from .api import (
    ErrorDetail,
    ErrorType,
    SmartcarApiError,
    SmartcarAuthenticationError,
    SmartcarError,
)
from .const import SCOPES


def needs_reauthentication(err: SmartcarError) -> bool:
    """Whether only the owner can fix this, by logging in again (reauth flow)."""
    if isinstance(err, SmartcarAuthenticationError):
        return True
    return isinstance(err, SmartcarApiError) and error_needs_reauthentication(err.error)


def error_needs_reauthentication(
    error: ErrorDetail, permissions: Iterable[str | None] = ()
) -> bool:
    """Whether an error Smartcar describes needs the owner to go through Connect again.

    Vehicle states (asleep, unreachable ...) never do, whatever resolution they suggest.
    `permissions` are those of the signals the error names (None: one not known); an error
    that names signals counts only when one of them needs a permission the integration asks
    for. Smartcar reports PERMISSION + REAUTHENTICATE for signals no one requested (observed:
    `vehicleuseraccount-*`), and a new login would not change that.
    """
    if error.type == ErrorType.VEHICLE_STATE:
        return False
    if not concerns_requested_permission(permissions):
        return False
    return error.needs_reauthentication or (
        error.type == ErrorType.CONNECTED_SERVICES_ACCOUNT
        and error.code == "AUTHENTICATION_FAILED"
    )


def concerns_requested_permission(permissions: Iterable[str | None]) -> bool:
    """Whether an error about these signals' permissions concerns what the integration asks.

    An error that names no signal concerns the whole connection, so it does.
    """
    named = list(permissions)
    return not named or any(permission in SCOPES for permission in named)
