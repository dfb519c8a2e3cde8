"""The `smartcar.set_destination` action: send a destination to the cars' navigation."""

from __future__ import annotations

from functools import partial
from typing import Any, Final

from homeassistant.const import ATTR_DEVICE_ID, ATTR_LATITUDE, ATTR_LONGITUDE, ATTR_NAME
from homeassistant.core import HomeAssistant, ServiceCall, callback
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import config_validation as cv
import voluptuous as vol

from .api.contract import DESTINATION_NAME_MAX_LENGTH, NAVIGATION_PERMISSION
from .command_entity import async_send_command
from .const import DOMAIN
from .coordinator import SmartcarVehicleCoordinator
from .schedule_schemas import DEVICE_IDS, device_id_error, invalid, shown, translated
from .targets import vehicle_coordinators

SERVICE_SET_DESTINATION: Final = "set_destination"


DESTINATION_FIELDS: Final = vol.Schema(
    {
        vol.Required(ATTR_DEVICE_ID): DEVICE_IDS,
        vol.Required(ATTR_LATITUDE): cv.latitude,
        vol.Required(ATTR_LONGITUDE): cv.longitude,
        vol.Optional(ATTR_NAME): vol.All(
            cv.string, vol.Length(max=DESTINATION_NAME_MAX_LENGTH)
        ),
    }
)


def _field_error(data: Any, err: vol.Invalid) -> ServiceValidationError:
    """Return the translated error for the first field voluptuous refused."""
    field = str(err.path[0]) if err.path else ""
    value = data.get(field) if isinstance(data, dict) else None
    if field == ATTR_DEVICE_ID:
        return device_id_error(value)
    if field == ATTR_LATITUDE:
        return invalid("schedule_invalid_latitude", field=field)
    if field == ATTR_LONGITUDE:
        return invalid("schedule_invalid_longitude", field=field)
    if field == ATTR_NAME:
        return invalid(
            "destination_invalid_name", limit=str(DESTINATION_NAME_MAX_LENGTH)
        )
    return invalid("action_invalid_field", field=shown(field))


DESTINATION_SCHEMA: Final = translated(DESTINATION_FIELDS, field_error=_field_error)


def _check_navigation(coordinator: SmartcarVehicleCoordinator, name: str) -> None:
    """Check the owner let the integration send destinations to this vehicle."""
    if not coordinator.has_permission(NAVIGATION_PERMISSION):
        raise invalid(
            "destination_permission", device=name, permission=NAVIGATION_PERMISSION
        )


@callback
def async_setup_navigation(hass: HomeAssistant) -> None:
    """Register the set-destination action."""
    hass.services.async_register(
        DOMAIN, SERVICE_SET_DESTINATION, _async_set_destination, DESTINATION_SCHEMA
    )


async def _async_set_destination(call: ServiceCall) -> None:
    """Send the destination to each vehicle, one after the other (every target checked first).

    A vehicle that answered "not capable" before is refused at once (no request); a failure
    raises the translated error naming the vehicle.
    """
    latitude: float = call.data[ATTR_LATITUDE]
    longitude: float = call.data[ATTR_LONGITUDE]
    name: str | None = call.data.get(ATTR_NAME)
    for coordinator in vehicle_coordinators(call, _check_navigation).values():
        await async_send_command(
            coordinator,
            SERVICE_SET_DESTINATION,
            partial(
                coordinator.vehicle.async_set_destination, latitude, longitude, name
            ),
        )
