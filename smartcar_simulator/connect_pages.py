"""Plain HTML pages of the simulated Smartcar Connect flow."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape

from .state import Vehicle

_STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem}"
    "label{display:block;margin:.5rem 0}.error{color:#b00020}"
    "button{margin-right:.5rem;padding:.4rem 1rem}"
)

PERMISSION_TEXT = {
    "read_battery": "Battery level and electric range",
    "read_charge": "Charging status, limits and timers",
    "read_fuel": "Fuel level and range",
    "read_location": "Location",
    "read_odometer": "Odometer",
    "read_security": "Lock status of doors and windows",
    "read_vehicle_info": "Make, model and year",
    "read_vin": "VIN",
    "read_charge_records": "Past charging sessions and their cost",
    "read_climate": "Climate settings and heaters",
    "read_diagnostics": "System status and trouble codes",
    "read_engine_oil": "Engine oil life",
    "read_extended_vehicle_info": "Trim, colour, packages and firmware",
    "read_service_history": "Service history",
    "read_speedometer": "Speed",
    "read_thermometer": "Temperatures inside and outside",
    "read_tires": "Tire pressures",
    "read_user_profile": "Your account's role and rights",
    "control_charge": "Start and stop charging, charge limit, charge schedules",
    "control_navigation": "Send a destination",
    "control_security": "Lock and unlock",
}


def _page(title: str, body: str) -> str:
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head>"
        f"<body><h1>{escape(title)}</h1>{body}</body></html>"
    )


def _hidden(fields: Mapping[str, str]) -> str:
    return "".join(
        f"<input type='hidden' name='{escape(name)}' value='{escape(value)}'>"
        for name, value in fields.items()
    )


def _error(message: str | None) -> str:
    return f"<p class='error' role='alert'>{escape(message)}</p>" if message else ""


def error_page(message: str) -> str:
    """Return the page shown for a broken Connect request."""
    return _page("Smartcar Connect error", f"<p class='error'>{escape(message)}</p>")


def login_page(oauth_fields: Mapping[str, str], error: str | None = None) -> str:
    """Return the OEM login form; `oauth_fields` travel along as hidden inputs."""
    return _page(
        "Sign in to Volvo Cars",
        _error(error)
        + "<form method='post' action='/oauth/authorize'>"
        + _hidden(oauth_fields)
        + "<label>Email <input type='email' name='email' autocomplete='username'></label>"
        + "<label>Password <input type='password' name='password'"
        + " autocomplete='current-password'></label>"
        + "<button type='submit'>Sign in</button></form>",
    )


def vehicles_page(
    session: str,
    vehicles: Sequence[Vehicle],
    permissions: Sequence[str],
    error: str | None = None,
) -> str:
    """Return the consent page: one ticked checkbox per vehicle, approve and deny."""
    boxes = "".join(
        f"<label><input type='checkbox' name='vehicle' value='{escape(vehicle.id)}'"
        f" checked> {vehicle.year} {escape(vehicle.make.title())} {escape(vehicle.model)}"
        f" <small>({escape(vehicle.vin)})</small></label>"
        for vehicle in vehicles
    )
    grants = "".join(
        f"<li><code>{escape(name)}</code> {escape(PERMISSION_TEXT.get(name, ''))}</li>"
        for name in permissions
    )
    return _page(
        "Allow access to your vehicles",
        _error(error)
        + "<form method='post' action='/oauth/authorize'>"
        + _hidden({"session": session})
        + f"<fieldset><legend>Vehicles</legend>{boxes}</fieldset>"
        + f"<p>The application asks for:</p><ul>{grants}</ul>"
        + "<button type='submit' name='action' value='approve'>Allow</button>"
        + "<button type='submit' name='action' value='deny'>Deny</button></form>",
    )
