"""Diagnostics: what Smartcar reported, with every secret, id, VIN and coordinate redacted."""

from __future__ import annotations

from typing import Any

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.core import HomeAssistant
from homeassistant.helpers.device_registry import DeviceEntry

from .api import signals
from .const import CONF_APPLICATION_ID, CONF_USER_ID
from .coordinator import SmartcarConfigEntry, SmartcarVehicleCoordinator
from .vehicles import vehicle_ids

TO_REDACT = {
    "access_token",
    "refresh_token",
    "token",
    "client_secret",
    # Home Assistant names the application credential after the API client id.
    "auth_implementation",
    "management_token",
    CONF_APPLICATION_ID,
    CONF_USER_ID,
    "vin",
    "latitude",
    "longitude",
    "address",
    "name",
    "id",
    "connection_id",
    "vehicle_id",
    "webhook_id",
    "cloudhook_url",
}


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: SmartcarConfigEntry
) -> dict[str, Any]:
    """Return the entry and each vehicle's last signals, redacted."""
    return async_redact_data(
        {
            "entry": _entry(entry),
            "vehicles": [
                _vehicle(coordinator)
                for coordinator in entry.runtime_data.coordinators.values()
            ],
        },
        TO_REDACT,
    )


async def async_get_device_diagnostics(
    hass: HomeAssistant, entry: SmartcarConfigEntry, device: DeviceEntry
) -> dict[str, Any]:
    """Return the entry and the one vehicle of this device, redacted."""
    coordinators = entry.runtime_data.coordinators
    return async_redact_data(
        {
            "entry": _entry(entry),
            "vehicle": next(
                (
                    _vehicle(coordinators[v])
                    for v in vehicle_ids(device)
                    if v in coordinators
                ),
                None,
            ),
        },
        TO_REDACT,
    )


def _entry(entry: SmartcarConfigEntry) -> dict[str, Any]:
    return {
        "config": dict(entry.data),
        "options": dict(entry.options),
        "title": "**REDACTED**",
    }


def _vehicle(coordinator: SmartcarVehicleCoordinator) -> dict[str, Any]:
    """One vehicle's description, polling state and last signals (not yet redacted)."""
    connection = coordinator.connection
    data = coordinator.data
    return {
        "vehicle": {
            "make": connection.vehicle.make,
            "model": connection.vehicle.model,
            "year": connection.vehicle.year,
            "powertrain_type": connection.vehicle.powertrain_type,
            "mode": connection.vehicle.mode,
        },
        "permissions": sorted(connection.permissions),
        "last_update_success": coordinator.last_update_success,
        "polling": coordinator.diagnostics(),
        "requests_this_month": coordinator.budget.state(coordinator.vehicle_id).used,
        # Commands the car answered "not capable" (not asked again; controls unavailable).
        "commands_not_capable": coordinator.config_entry.runtime_data.commands.refused_commands(
            connection
        ),
        "last_exception": _describe(coordinator.last_exception),
        "signals": {
            code: {
                "status": signal.status,
                "error": (
                    {"type": signal.error.type, "code": signal.error.code}
                    if signal.error
                    else None
                ),
                "raw_value": _without_vin(code, signal.raw_body),
                "oem_updated_at": signal.oem_updated_at.isoformat()
                if signal.oem_updated_at
                else None,
            }
            for code, signal in (data.signals.items() if data else ())
        },
    }


def _without_vin(code: str, body: Any) -> Any:
    return "**REDACTED**" if code == signals.VIN.code else body


def _describe(err: BaseException | None) -> str | None:
    """Name the client error behind a failed refresh (its message carries no secret)."""
    if err is None:
        return None
    cause = err.__cause__ or err
    return f"{type(cause).__name__}: {cause}"
