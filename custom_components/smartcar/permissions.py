"""The permissions asked of the owner in Smartcar Connect, in groups the owner can untick.

Every permission the catalogue's entities and the controls use is asked for by default
(`const.SCOPES`). The owner may leave groups out in the config flow (and change that by
reconfiguring); entities and controls then follow what was both asked for and granted.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from typing import Any, Final

from .api.contract import VEHICLE_INFO_PERMISSION
from .const import SCOPES

CONF_PERMISSION_GROUPS: Final = "permission_groups"

# Always asked: the vehicle's make, model and year name its device.
REQUIRED_PERMISSIONS: Final = frozenset({VEHICLE_INFO_PERMISSION})

# The group of each permission, in the order Connect lists permissions (reading, then control).
PERMISSION_GROUP: Final[Mapping[str, str]] = {
    "read_battery": "battery_charging",
    "read_charge": "battery_charging",
    "read_charge_records": "battery_charging",
    "control_charge": "battery_charging",
    "read_location": "location",
    "control_navigation": "location",
    "read_security": "security",
    "control_security": "security",
    "read_fuel": "fuel_engine",
    "read_engine_oil": "fuel_engine",
    "read_odometer": "driving",
    "read_speedometer": "driving",
    "read_thermometer": "climate",
    "read_climate": "climate",
    "read_diagnostics": "maintenance",
    "read_tires": "maintenance",
    "read_service_history": "maintenance",
    "read_vin": "vehicle_details",
    "read_extended_vehicle_info": "vehicle_details",
    "read_user_profile": "vehicle_details",
}


def _groups() -> dict[str, tuple[str, ...]]:
    groups: dict[str, list[str]] = {}
    for permission in SCOPES:
        if permission not in REQUIRED_PERMISSIONS:
            groups.setdefault(PERMISSION_GROUP[permission], []).append(permission)
    order = list(dict.fromkeys(PERMISSION_GROUP.values()))
    return {group: tuple(groups[group]) for group in sorted(groups, key=order.index)}


# The groups offered, each with the permissions of SCOPES it holds.
PERMISSION_GROUPS: Final = _groups()


def chosen_groups(data: Mapping[str, Any]) -> list[str]:
    """Return the groups the owner chose (every group for entries made before the choice)."""
    stored = data.get(CONF_PERMISSION_GROUPS)
    if not isinstance(stored, list):
        return list(PERMISSION_GROUPS)
    return [group for group in PERMISSION_GROUPS if group in stored]


def scopes_for(groups: Iterable[str]) -> tuple[str, ...]:
    """Return the permissions to ask Connect for: the required ones and those of `groups`."""
    wanted = set(REQUIRED_PERMISSIONS)
    for group in groups:
        wanted.update(PERMISSION_GROUPS.get(group, ()))
    return tuple(permission for permission in SCOPES if permission in wanted)


def requested_permissions(data: Mapping[str, Any]) -> frozenset[str]:
    """Return the permissions an entry asks for, from its stored choice."""
    return frozenset(scopes_for(chosen_groups(data)))


def concerns_requested(
    permissions: Iterable[str | None], requested: Collection[str]
) -> bool:
    """Whether an error about signals needing `permissions` concerns what was asked for.

    An error that names no signal concerns the whole connection, so it does.
    """
    named = list(permissions)
    return not named or any(permission in requested for permission in named)
