"""Which vehicles an action targets: device ids of Smartcar vehicles of loaded entries."""

from __future__ import annotations

from collections.abc import Callable

from homeassistant.const import ATTR_DEVICE_ID
from homeassistant.core import ServiceCall
from homeassistant.helpers import device_registry as dr

from .coordinator import SmartcarVehicleCoordinator, find_coordinator
from .schedule_schemas import invalid, shown
from .vehicles import vehicle_ids


def vehicle_coordinators(
    call: ServiceCall,
    check: Callable[[SmartcarVehicleCoordinator, str], None],
) -> dict[str, SmartcarVehicleCoordinator]:
    """Find every vehicle a call targets (one device id or a list), each checked first.

    `check` gets each vehicle and its device's name, and raises when the vehicle cannot do
    what the call asks. Returns the vehicles by device id, each vehicle once.
    """
    device_ids: list[str] = call.data[ATTR_DEVICE_ID]  # 1 to MAX_LIST_ITEMS (schema)
    found: dict[str, SmartcarVehicleCoordinator] = {}
    for device_id in device_ids:
        coordinator, name = _vehicle(call, device_id)
        check(coordinator, name)
        if coordinator not in found.values():
            found[device_id] = coordinator
    return found


def _vehicle(
    call: ServiceCall, device_id: str
) -> tuple[SmartcarVehicleCoordinator, str]:
    """Find the vehicle a device id names (of a loaded entry), and its device's name."""
    device = dr.async_get(call.hass).async_get(device_id)
    vehicle_id = next(iter(vehicle_ids(device)), None) if device else None
    if device is None or vehicle_id is None:
        raise invalid("invalid_device", device_id=shown(device_id))
    coordinator = find_coordinator(call.hass, vehicle_id)
    if coordinator is None:
        raise invalid("entry_not_loaded", device=device.name or device_id)
    return coordinator, device.name or vehicle_id
