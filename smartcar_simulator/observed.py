"""How Smartcar's live answers word signal errors, as captured (reference 2.2, O-vw4, O-id7).

The documentation shows one error object everywhere; the captures differ: a REST signal error
carries Smartcar's own title and detail, the deprecated `description` and
`UNKNOWN_RESOLUTION_TYPE` where Smartcar names no resolution, while a webhook signal error
carries only `type` and `code` (`PERMISSION` with code null). Cars built with the `live` shape
(`signals.SignalShape`) render their errors from here. Pure: no simulator import.
"""

from __future__ import annotations

from typing import Any, Final

UNKNOWN_RESOLUTION: Final = "UNKNOWN_RESOLUTION_TYPE"
DEPRECATED_DESCRIPTION: Final = "Deprecated. Use detail"

_TEXTS: Final[dict[tuple[str, str | None], tuple[str, str]]] = {
    ("VEHICLE_STATE", "NOT_CHARGING"): (
        "Not Charging",
        (
            "The vehicle is unable to perform your request because it is not"
            " currently charging."
        ),
    ),
    ("VEHICLE_STATE", "CHARGING_PLUG_NOT_CONNECTED"): (
        "Charging Plug Not Connected",
        (
            "The vehicle is unable to perform your request because the charging plug"
            " is not connected."
        ),
    ),
    ("VEHICLE_STATE", "FULLY_CHARGED"): (
        "Fully Charged",
        "The vehicle is unable to perform your request because it is fully charged.",
    ),
    ("COMPATIBILITY", "VEHICLE_NOT_CAPABLE"): (
        "Vehicle Not Capable",
        "The vehicle is incapable of performing your request.",
    ),
    ("PERMISSION", "UNKNOWN"): (
        "Unknown",
        (
            "Your application has insufficient permissions to access the requested"
            " resource. Please prompt the user to re-authenticate using Smartcar"
            " Connect."
        ),
    ),
    ("SERVER", "INTERNAL"): (
        "Internal",
        (
            "Smartcar ran into an unexpected issue while processing this signal."
            " Please retry later."
        ),
    ),
    ("UPSTREAM", "NO_RESPONSE"): (
        "No Response",
        "The vehicle's manufacturer did not answer Smartcar's request for this signal.",
    ),
}
"""Titles and details by (type, code): those captured live, and the same wording for others."""


def live_texts(error_type: str, code: str | None) -> tuple[str, str] | None:
    """Return the (title, detail) Smartcar's live answers use for an error, if known."""
    return _TEXTS.get((error_type, code))


def rest_error(
    error_type: str,
    code: str | None,
    title: str,
    detail: str,
    resolution: str | None,
) -> dict[str, Any]:
    """Return a REST signal error as captured live; `title`/`detail` fill unknown errors."""
    title, detail = live_texts(error_type, code) or (title, detail)
    return {
        "type": error_type,
        "code": code,
        "title": title,
        "detail": detail,
        "description": DEPRECATED_DESCRIPTION,
        "resolution": {"type": resolution or UNKNOWN_RESOLUTION},
    }


def webhook_error(error_type: str, code: str | None) -> dict[str, Any]:
    """Return a webhook signal error as delivered live: type and code only.

    A `PERMISSION` error's code is null in deliveries (`UNKNOWN` in REST answers).
    """
    return {"type": error_type, "code": None if error_type == "PERMISSION" else code}
