"""Smartcar permission names (OAuth scopes) and the default grant of the simulator."""

READ_PERMISSIONS = (
    "read_alerts",
    "read_battery",
    "read_charge",
    "read_charge_events",
    "read_charge_locations",
    "read_charge_records",
    "read_climate",
    "read_compass",
    "read_diagnostics",
    "read_engine_oil",
    "read_extended_vehicle_info",
    "read_fuel",
    "read_location",
    "read_odometer",
    "read_security",
    "read_service_history",
    "read_speedometer",
    "read_thermometer",
    "read_tires",
    "read_user_profile",
    "read_vehicle_info",
    "read_vin",
)
CONTROL_PERMISSIONS = (
    "control_charge",
    "control_climate",
    "control_navigation",
    "control_pin",
    "control_security",
    "control_trunk",
)
KNOWN_PERMISSIONS = frozenset(READ_PERMISSIONS + CONTROL_PERMISSIONS)

DEFAULT_PERMISSIONS = (
    "read_battery",
    "read_charge",
    "read_fuel",
    "read_location",
    "read_odometer",
    "read_security",
    "read_vehicle_info",
    "read_vin",
    "control_charge",
    "control_navigation",
    "control_security",
)
"""Granted when Connect is opened without a `scope` (and by `Simulator.connect`): what the
integration asks for."""


def parse_scope(scope: str | None) -> list[str]:
    """Return the permission names of a space-separated scope (`required:` stripped).

    Raises `ValueError` naming the first unknown permission.
    """
    names: list[str] = []
    for item in (scope or "").split():
        name = item.removeprefix("required:")
        if name not in KNOWN_PERMISSIONS:
            raise ValueError(name)
        if name not in names:
            names.append(name)
    return names or list(DEFAULT_PERMISSIONS)
