"""One coordinator per vehicle: one `GET /signals` per refresh, failures kept to that vehicle."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import override

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ConfigEntryAuthFailed
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed

from .api import (
    Connection,
    ErrorType,
    SmartcarApiError,
    SmartcarAuthenticationError,
    SmartcarClient,
    SmartcarError,
    SmartcarRateLimitError,
    SmartcarVehicle,
    VehicleSignals,
)
from .const import DEFAULT_SCAN_INTERVAL, DOMAIN, LOGGER


@dataclass
class SmartcarRuntimeData:
    """What a loaded entry holds: the client and a coordinator per vehicle."""

    client: SmartcarClient
    coordinators: dict[str, SmartcarVehicleCoordinator]


type SmartcarConfigEntry = ConfigEntry[SmartcarRuntimeData]


def needs_reauthentication(err: SmartcarError) -> bool:
    """Whether only the owner can fix this, by logging in again (reauth flow)."""
    if isinstance(err, SmartcarAuthenticationError):
        return True
    return isinstance(err, SmartcarApiError) and (
        err.error.needs_reauthentication
        or (
            err.error.type == ErrorType.CONNECTED_SERVICES_ACCOUNT
            and err.code == "AUTHENTICATION_FAILED"
        )
    )


def update_failed(err: SmartcarError) -> UpdateFailed | ConfigEntryAuthFailed:
    """Translate a client error into what the coordinator should raise."""
    if needs_reauthentication(err):
        return ConfigEntryAuthFailed(
            translation_domain=DOMAIN,
            translation_key="auth_failed",
            translation_placeholders={"error": str(err)},
        )
    if isinstance(err, SmartcarRateLimitError):
        return UpdateFailed(
            translation_domain=DOMAIN,
            translation_key="rate_limited",
            translation_placeholders={"seconds": f"{err.retry_after or 0:.0f}"},
            retry_after=err.retry_after,
        )
    return UpdateFailed(
        translation_domain=DOMAIN,
        translation_key="update_failed",
        translation_placeholders={"error": str(err)},
    )


class SmartcarVehicleCoordinator(DataUpdateCoordinator[VehicleSignals]):
    """Reads every signal of one vehicle."""

    config_entry: SmartcarConfigEntry

    def __init__(
        self,
        hass: HomeAssistant,
        entry: SmartcarConfigEntry,
        vehicle: SmartcarVehicle,
        connection: Connection,
        update_interval: timedelta = DEFAULT_SCAN_INTERVAL,
    ) -> None:
        """Bind the vehicle and what the owner granted."""
        super().__init__(
            hass,
            LOGGER,
            config_entry=entry,
            name=f"{DOMAIN} {connection.vehicle.model or connection.vehicle_id}",
            update_interval=update_interval,
        )
        self.vehicle = vehicle
        self.connection = connection

    @property
    def vehicle_id(self) -> str:
        """Smartcar's id of the vehicle."""
        return self.connection.vehicle_id

    def has_permission(self, permission: str) -> bool:
        """Whether the owner granted `permission` for this vehicle."""
        return permission in self.connection.permissions

    @override
    async def _async_update_data(self) -> VehicleSignals:
        try:
            return await self.vehicle.async_get_signals()
        except SmartcarError as err:
            raise update_failed(err) from err
