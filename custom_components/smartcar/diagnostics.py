"""Diagnostics: what Smartcar reported, with every secret, id, VIN and coordinate redacted."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Any

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.core import HomeAssistant
from homeassistant.helpers.device_registry import DeviceEntry
from homeassistant.util import dt as dt_util

from .api import ErrorDetail, signals
from .const import CONF_APPLICATION_ID, CONF_USER_ID
from .coordinator import SmartcarConfigEntry, SmartcarVehicleCoordinator
from .subscriptions import SubscriptionWatch
from .vehicles import vehicle_ids

# Secrets; ids of the application, the user, vehicles and webhooks; names and places. Home
# Assistant names the application credential (`auth_implementation`) after the API client id.
TO_REDACT = {
    *("access_token", "refresh_token", "token", "client_secret", "management_token"),
    *(CONF_APPLICATION_ID, CONF_USER_ID, "auth_implementation", "id", "connection_id"),
    *("vehicle_id", "webhook_id", "cloudhook_url", "vin", "name", "address"),
    *("latitude", "longitude"),
}


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: SmartcarConfigEntry
) -> dict[str, Any]:
    """Return the entry and each vehicle's last signals, redacted."""
    vehicles = [_vehicle(c) for c in entry.runtime_data.coordinators.values()]
    return async_redact_data({"entry": _entry(entry), "vehicles": vehicles}, TO_REDACT)


async def async_get_device_diagnostics(
    hass: HomeAssistant, entry: SmartcarConfigEntry, device: DeviceEntry
) -> dict[str, Any]:
    """Return the entry and the one vehicle of this device, redacted."""
    coordinators = entry.runtime_data.coordinators
    known = [v for v in vehicle_ids(device) if v in coordinators]
    vehicle = _vehicle(coordinators[known[0]]) if known else None
    return async_redact_data({"entry": _entry(entry), "vehicle": vehicle}, TO_REDACT)


def _entry(entry: SmartcarConfigEntry) -> dict[str, Any]:
    shown: dict[str, Any] = {
        "config": dict(entry.data),
        "options": dict(entry.options),
        "title": "**REDACTED**",
    }
    # Once looked up (management token set): the webhook's flags, and whether its error
    # events come here or go elsewhere (never its id or URLs).
    watch = entry.runtime_data.subscriptions
    if isinstance(watch, SubscriptionWatch) and (webhook := watch.diagnostics()):
        shown["webhook"] = webhook
    return shown


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _error(error: ErrorDetail | None) -> dict[str, Any] | None:
    """Return an error's type and code (not its description)."""
    return {"type": error.type, "code": error.code} if error else None


def _vehicle(coordinator: SmartcarVehicleCoordinator) -> dict[str, Any]:
    """One vehicle's description, polling state and last signals (not yet redacted)."""
    connection, policy = coordinator.connection, coordinator.policy
    data = coordinator.data
    # Name the client error behind a failed refresh (its message carries no secret).
    failed = coordinator.last_exception
    cause = failed and (failed.__cause__ or failed)
    return {
        # The description without its id (the vehicle's id is redacted everywhere).
        "vehicle": {k: v for k, v in asdict(connection.vehicle).items() if k != "id"},
        "permissions": sorted(connection.permissions),
        "last_update_success": coordinator.last_update_success,
        "polling": {  # the polling state
            "next_poll": _iso(coordinator.next_poll),
            "webhook_delivering": policy.webhook_delivering(dt_util.utcnow()),
            "rate_limited_until": _iso(policy.retry_at),
            "problems": [_error(problem) for problem in coordinator.problems.values()],
        },
        "requests_this_month": coordinator.budget.state(coordinator.vehicle_id).used,
        # Commands the car answered "not capable" (not asked again; controls unavailable).
        "commands_not_capable": coordinator.config_entry.runtime_data.commands.refused_commands(
            connection
        ),
        "last_exception": f"{type(cause).__name__}: {cause}" if cause else None,
        "signals": {
            code: {
                "status": signal.status,
                "error": _error(signal.error),
                "raw_value": "**REDACTED**"
                if code == signals.VIN.code
                else signal.raw_body,
                "oem_updated_at": _iso(signal.oem_updated_at),
            }
            for code, signal in (data.signals.items() if data else ())
        },
    }
