"""The permissions asked of the owner in Smartcar Connect, in groups the owner can untick.

Every permission the catalogue's entities and the controls use is asked for by default
(`const.SCOPES`). The owner may leave groups out in the config flow (and change that by
reconfiguring); entities and controls then follow what was both asked for and granted.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Final

from .api.contract import VEHICLE_INFO_PERMISSION
from .const import SCOPES

CONF_PERMISSION_GROUPS: Final = "permission_groups"

# Always asked: the vehicle's make, model and year name its device.
REQUIRED_PERMISSIONS: Final = frozenset({VEHICLE_INFO_PERMISSION})

# The groups offered (in the order Connect lists permissions: reading, then control), each
# with its permissions in SCOPES' order. Together with REQUIRED_PERMISSIONS they are SCOPES.
PERMISSION_GROUPS: Final[Mapping[str, tuple[str, ...]]] = {
    "battery_charging": (
        "control_charge",
        "read_battery",
        "read_charge",
        "read_charge_records",
    ),
    "location": ("control_navigation", "read_location"),
    "security": ("control_security", "read_security"),
    "fuel_engine": ("read_engine_oil", "read_fuel"),
    "driving": ("read_odometer", "read_speedometer"),
    "climate": ("read_climate", "read_thermometer"),
    "maintenance": ("read_diagnostics", "read_service_history", "read_tires"),
    "vehicle_details": ("read_extended_vehicle_info", "read_user_profile", "read_vin"),
}


def chosen_groups(data: Mapping[str, Any]) -> list[str]:
    """Return the groups the owner chose (every group for entries made before the choice)."""
    stored = data.get(CONF_PERMISSION_GROUPS)
    return [g for g in PERMISSION_GROUPS if not isinstance(stored, list) or g in stored]


def scopes_for(groups: Iterable[str]) -> tuple[str, ...]:
    """Return the permissions to ask Connect for: the required ones and those of `groups`."""
    wanted = {p for group in groups for p in PERMISSION_GROUPS.get(group, ())}
    return tuple(p for p in SCOPES if p in wanted or p in REQUIRED_PERMISSIONS)
