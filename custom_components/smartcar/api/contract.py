"""Every path the client calls, and every point of the Smartcar contract it assumes.

This module is the one place for what the reference (`smartcar-api.md`) marks UNCONFIRMED or
where an issue chose the contract. The README's "Known limitations" lists the same points.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Final


class Confidence(StrEnum):
    """How sure we are of a contract point."""

    OFFICIAL = "official"
    OBSERVED = "observed"
    CHOSEN = (
        "chosen"  # decided by this project's issues; Smartcar's docs do not show it
    )
    UNCONFIRMED = "unconfirmed"


@dataclass(frozen=True, slots=True)
class Endpoint:
    """One HTTP endpoint of the v3 vehicle API, relative to `vehicle_api_url`."""

    name: str
    method: str
    path: str
    confidence: Confidence
    note: str = ""

    def format(self, **params: str) -> str:
        """Return the path with its `{placeholders}` filled in."""
        return self.path.format(**params)


CONNECTIONS: Final = Endpoint("connections", "GET", "/connections", Confidence.OFFICIAL)
VEHICLE: Final = Endpoint(
    "vehicle", "GET", "/vehicles/{vehicle_id}", Confidence.OFFICIAL
)
SIGNALS: Final = Endpoint(
    "signals",
    "GET",
    "/vehicles/{vehicle_id}/signals",
    Confidence.OFFICIAL,
    "UNCONFIRMED: a vehicle with no webhook subscription may answer 200 with no data (read as "
    "'no signals') or 404 (raised as RESOURCE_NOT_FOUND)",
)
SIGNAL: Final = Endpoint(
    "signal", "GET", "/vehicles/{vehicle_id}/signals/{code}", Confidence.OBSERVED
)
LOCK: Final = Endpoint(
    "lock", "POST", "/vehicles/{vehicle_id}/commands/security/lock", Confidence.OFFICIAL
)
UNLOCK: Final = Endpoint(
    "unlock",
    "POST",
    "/vehicles/{vehicle_id}/commands/security/unlock",
    Confidence.OFFICIAL,
)
_SCHEDULE_NOTE = (
    "Path chosen by issue #2; Smartcar's docs show /charge-schedules/daily. Weekly and workweek "
    "bodies are this project's choice (docs/simulator-contract.md)"
)
SCHEDULE_CREATE_DAILY: Final = Endpoint(
    "schedule_create",
    "POST",
    "/vehicles/{vehicle_id}/schedules/charge-daily",
    Confidence.CHOSEN,
    _SCHEDULE_NOTE,
)
SCHEDULE_CREATE_WEEKLY: Final = Endpoint(
    "schedule_create",
    "POST",
    "/vehicles/{vehicle_id}/schedules/charge-weekly",
    Confidence.CHOSEN,
    _SCHEDULE_NOTE,
)
SCHEDULE_CREATE_WORKWEEK: Final = Endpoint(
    "schedule_create",
    "POST",
    "/vehicles/{vehicle_id}/schedules/charge-workweek",
    Confidence.CHOSEN,
    _SCHEDULE_NOTE,
)
SCHEDULE_LIST: Final = Endpoint(
    "schedule_list",
    "GET",
    "/vehicles/{vehicle_id}/schedules",
    Confidence.CHOSEN,
    _SCHEDULE_NOTE,
)
SCHEDULE_DELETE: Final = Endpoint(
    "schedule_delete",
    "DELETE",
    "/vehicles/{vehicle_id}/schedules/{schedule_id}",
    Confidence.CHOSEN,
    _SCHEDULE_NOTE,
)

ENDPOINTS: Final[tuple[Endpoint, ...]] = (
    CONNECTIONS,
    VEHICLE,
    SIGNALS,
    SIGNAL,
    LOCK,
    UNLOCK,
    SCHEDULE_CREATE_DAILY,
    SCHEDULE_CREATE_WEEKLY,
    SCHEDULE_CREATE_WORKWEEK,
    SCHEDULE_LIST,
    SCHEDULE_DELETE,
)

# --- Assumptions the reference marks UNCONFIRMED -------------------------------------------

# The permission each signal group needs. Smartcar publishes no per-signal table; this is the
# mapping the permission descriptions suggest (one observed PERMISSION error supports `read_fuel`).
GROUP_PERMISSIONS: Final[dict[str, str]] = {
    "Charge": "read_charge",
    "Closure": "read_security",
    "InternalCombustionEngine": "read_fuel",
    "TractionBattery": "read_battery",
    "Location": "read_location",
    "Odometer": "read_odometer",
    "VehicleIdentification": "read_vin",
}
# Creating and deleting charge schedules is assumed to need `control_charge`.
SCHEDULE_PERMISSION: Final = "control_charge"
LOCK_PERMISSION: Final = "control_security"
# "Apps can set up to ten location-based schedules" is truncated in the stored Volvo page.
MAX_CHARGE_SCHEDULES: Final = 10
# Command `status.value` values other than SUCCESS are not documented; these are read as failed
# or still running. Anything else is kept as it came and treated as not (yet) successful.
COMMAND_FAILED_STATUSES: Final = frozenset({"FAILURE", "FAILED", "ERROR"})
COMMAND_PENDING_STATUSES: Final = frozenset(
    {"PENDING", "IN_PROGRESS", "QUEUED", "RUNNING"}
)
# ChargeTimers `days[]` strings have no documented example; weekday names in any case are read,
# and a schedule made here is mirrored locally with upper-case English names (MONDAY ...).
# The token endpoint is called with a form body (curl/Python examples); the OpenAPI block on the
# same page shows JSON. `client_id=<Application ID>` (not `application_id`) is sent to Connect.
