"""Which errors need the owner to log in again (reauth), and the vehicles' repair issues."""

from __future__ import annotations

from collections.abc import Collection, Iterable

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import ConfigEntryAuthFailed, HomeAssistantError
from homeassistant.helpers import issue_registry as ir

from .api import (
    ErrorDetail,
    ErrorType,
    SmartcarApiError,
    SmartcarAuthenticationError,
    SmartcarError,
)
from .const import DOMAIN


def translated[E: HomeAssistantError](cls: type[E], key: str, **placeholders: str) -> E:
    """Return the integration's translated error `key`, of the type `cls`."""
    return cls(
        translation_domain=DOMAIN,
        translation_key=key,
        translation_placeholders=placeholders,
    )


def needs_reauthentication(err: SmartcarError) -> bool:
    """Whether only the owner can fix this, by logging in again (reauth flow)."""
    if isinstance(err, SmartcarAuthenticationError):
        return True
    return isinstance(err, SmartcarApiError) and error_needs_reauthentication(err.error)


def failure(
    err: SmartcarError, cls: type[HomeAssistantError], key: str
) -> HomeAssistantError:
    """Return what to raise for a client error: reauth when only the owner can fix it.

    Otherwise the translated error `key` of the type `cls`; both name the client's error.
    """
    if needs_reauthentication(err):
        return translated(ConfigEntryAuthFailed, "auth_failed", error=str(err))
    return translated(cls, key, error=str(err))


def error_concerns(permissions: Iterable[str | None], granted: Collection[str]) -> bool:
    """Whether an error Smartcar reported concerns the entry (its problem sensor, reauth).

    `permissions` are those the signals the error names need (`VehicleError.permissions`,
    None: one not known). An error that names no signal concerns the whole connection; one
    that names signals, only when one of them needs a permission in `granted` (asked for and
    granted). Smartcar reports errors about signals whose permission the connection lacks
    (observed: `vehicleuseraccount-*` without `read_user_profile`): they change nothing the
    owner sees, and a new login would not change them.
    """
    named = list(permissions)
    return not named or any(p in granted for p in named)


def error_needs_reauthentication(
    error: ErrorDetail,
    permissions: Iterable[str | None] = (),
    requested: Collection[str] = (),
) -> bool:
    """Whether an error Smartcar describes needs the owner to go through Connect again.

    Vehicle states (asleep, unreachable ...) never do, whatever resolution they suggest;
    nor does an error that does not concern the entry (`error_concerns`, with `requested`
    what the entry asks for; the webhook passes only what was also granted).
    """
    if error.type == ErrorType.VEHICLE_STATE or not error_concerns(
        permissions, requested
    ):
        return False
    return error.needs_reauthentication or (
        error.type == ErrorType.CONNECTED_SERVICES_ACCOUNT
        and error.code == "AUTHENTICATION_FAILED"
    )


def issue_id(kind: str, owner_id: str) -> str:
    """Return the id of a vehicle's (or an entry's) repair issue of one kind."""
    return f"{kind}_{owner_id}"


@callback
def async_create_vehicle_issue(
    hass: HomeAssistant, kind: str, vehicle_id: str, vehicle: str, **placeholders: str
) -> None:
    """Raise a vehicle's repair issue of one kind; `vehicle` names it in the message."""
    _async_create_issue(hass, kind, vehicle_id, vehicle=vehicle, **placeholders)


@callback
def async_create_disconnected_issue(
    hass: HomeAssistant, entry_id: str, vehicle_id: str, vehicle: str, checks: str
) -> None:
    """Raise the repair of a vehicle no longer connected: its fix flow removes the vehicle.

    `checks` is how many more daily checks may miss it before it is removed on its own.
    """
    ir.async_create_issue(
        hass,
        DOMAIN,
        issue_id("vehicle_disconnected", vehicle_id),
        data={"entry_id": entry_id, "vehicle_id": vehicle_id},
        is_fixable=True,
        severity=ir.IssueSeverity.WARNING,
        translation_key="vehicle_disconnected",
        translation_placeholders={"vehicle": vehicle, "checks": checks},
    )


@callback
def _async_create_issue(
    hass: HomeAssistant, kind: str, owner_id: str, **placeholders: str
) -> None:
    ir.async_create_issue(
        hass,
        DOMAIN,
        issue_id(kind, owner_id),
        is_fixable=False,
        severity=ir.IssueSeverity.WARNING,
        translation_key=kind,
        translation_placeholders=placeholders,
    )


@callback
def async_set_entry_issue(
    hass: HomeAssistant, kind: str, entry: ConfigEntry, *, raised: bool
) -> None:
    """Raise an entry's repair issue of one kind (`{account}` names the entry), or clear it."""
    if raised:
        _async_create_issue(hass, kind, entry.entry_id, account=entry.title)
    else:
        ir.async_delete_issue(hass, DOMAIN, issue_id(kind, entry.entry_id))


@callback
def async_delete_vehicle_issue(hass: HomeAssistant, kind: str, vehicle_id: str) -> None:
    """Clear a vehicle's repair issue of one kind."""
    ir.async_delete_issue(hass, DOMAIN, issue_id(kind, vehicle_id))


@callback
def async_delete_vehicle_issues(hass: HomeAssistant, vehicle_id: str) -> None:
    """Delete every repair issue the integration raised for a vehicle."""
    kinds = ("request_limit", "polling_paused", "vehicle_not_subscribed")
    for kind in (*kinds, "vehicle_disconnected"):
        async_delete_vehicle_issue(hass, kind, vehicle_id)
