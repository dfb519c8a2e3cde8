"""Every path the client calls, and every point of the Smartcar contract it assumes.

This module is the one place for what the reference (`smartcar-api.md`) marks UNCONFIRMED or
where an issue chose the contract. The README's "Known limitations" lists the same points.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
import re
from typing import Final
from urllib.parse import quote, urlsplit


@dataclass(frozen=True, slots=True)
class Endpoint:
    """One HTTP endpoint of a Smartcar v3 API, relative to that API's root URL.

    The comment above each endpoint says what is not official about it.
    """

    name: str
    method: str
    path: str
    # True: `path` starts at the host (it carries its own version segment, e.g. `/v3.0`).
    from_origin: bool = False

    def url(self, api_url: str, **params: str) -> str:
        """Return the absolute URL of this endpoint under an API root (vehicle or management).

        The path's `{placeholders}` are filled in, each quoted as one segment: quoting keeps a
        hostile value (`../x`, `a?b#c`) inside its own segment.
        """
        path = self.path.format(**{k: quote(v, safe="") for k, v in params.items()})
        if not self.from_origin:
            return f"{api_url}{path}"
        parts = urlsplit(api_url)
        return f"{parts.scheme}://{parts.netloc}{path}"


_VEHICLE = "/vehicles/{vehicle_id}"
CONNECTIONS: Final = Endpoint("connections", "GET", "/connections")
# UNCONFIRMED: a vehicle with no webhook subscription may answer 200 with no data (read as
# 'no signals') or 404 (raised as RESOURCE_NOT_FOUND).
SIGNALS: Final = Endpoint("signals", "GET", f"{_VEHICLE}/signals")
# Documented (get-signal). The docs and the official Node SDK show the answer as the signal
# resource itself, the one live capture wraps it in `data`: both are read.
SIGNAL: Final = Endpoint("signal", "GET", f"{_VEHICLE}/signals/{{code}}")
LOCK: Final = Endpoint("lock", "POST", f"{_VEHICLE}/commands/security/lock")
UNLOCK: Final = Endpoint("unlock", "POST", f"{_VEHICLE}/commands/security/unlock")
# No body. commandType in the answer UNCONFIRMED (`charge-start` by pattern).
CHARGE_START: Final = Endpoint(
    "charge_start", "POST", f"{_VEHICLE}/commands/charge/start"
)
# Listed in Smartcar's command overview; the path is the community's reading of the spec.
# commandType UNCONFIRMED (`charge-stop`).
CHARGE_STOP: Final = Endpoint("charge_stop", "POST", f"{_VEHICLE}/commands/charge/stop")
# Body `{"data": {"attributes": {"percent": 80}}}`; the 50-100 range is UNCONFIRMED (community
# reading of the spec; the v2 docs say 0.5-1.0).
CHARGE_SET_LIMIT: Final = Endpoint(
    "charge_set_limit", "POST", f"{_VEHICLE}/commands/charge/set-limit"
)
# Listed in Smartcar's command overview; the body (latitude, longitude) is the community's
# reading of the spec, the optional `name` UNCONFIRMED.
SET_DESTINATION: Final = Endpoint(
    "set_destination", "POST", f"{_VEHICLE}/commands/navigation/set-destination"
)


class ScheduleContract(StrEnum):
    """Which family of charge-schedule paths a Smartcar account answers."""

    DOCS = "docs"  # /v3/vehicles/{id}/charge-schedules/... (Smartcar's API reference)
    PARTNER = "partner"  # /v3.0/vehicles/{id}/schedules/... (the Smartcar x Volvo page)


@dataclass(frozen=True, slots=True)
class ScheduleRoutes:
    """The charge-schedule endpoints of one family; `list` is None where none exists."""

    create: dict[str, Endpoint]  # by schedule type: daily, weekly, workweek
    delete: Endpoint
    list: Endpoint | None


SCHEDULE_KINDS: Final = ("daily", "weekly", "workweek")


def _schedule_routes(root: str, create: str, partner: bool) -> ScheduleRoutes:
    def endpoint(name: str, method: str, path: str) -> Endpoint:
        return Endpoint(f"schedule_{name}", method, root + path, from_origin=partner)

    return ScheduleRoutes(
        {kind: endpoint("create", "POST", create + kind) for kind in SCHEDULE_KINDS},
        endpoint("delete", "DELETE", "/{schedule_id}"),
        endpoint("list", "GET", "") if partner else None,
    )


# Both families in one table: the client tries DOCS first, falls back to PARTNER when the
# route itself is unknown, and remembers per entry which one answered. DOCS has no list:
# the documented way is to read the schedules back from Charge.ChargeTimers.
# DOCS: Smartcar's API reference; weekly/workweek bodies UNCONFIRMED (see below).
# PARTNER: UNCONFIRMED, the Smartcar x Volvo partner page (not in any stored copy of the docs);
# tried only when the documented route answers 404 RESOURCE_NOT_FOUND PATH/VERSION.
SCHEDULE_ROUTES: Final[dict[ScheduleContract, ScheduleRoutes]] = {
    ScheduleContract.DOCS: _schedule_routes(f"{_VEHICLE}/charge-schedules", "/", False),
    ScheduleContract.PARTNER: _schedule_routes(
        "/v3.0/vehicles/{vehicle_id}/schedules", "/charge-", True
    ),
}

# Schedule bodies. Only the daily body is documented (`startTime`/`stopTime`, `HH:mm`,
# `location`); the weekly and workweek bodies are disputed (community sources use `endTime`,
# `schedules[]`, capitalised days ...). Decided here, in one place: the daily field names
# everywhere, weekly as `days` keyed by lower-case English weekday names, workweek as
# `weekdays` + `weekends` windows (the reading of the OpenAPI spec in the reference).
SCHEDULE_START_FIELD: Final = "startTime"
SCHEDULE_STOP_FIELD: Final = "stopTime"
SCHEDULE_LOCATION_FIELD: Final = "location"
WEEKLY_DAYS_FIELD: Final = "days"
WORKWEEK_WEEKDAYS_FIELD: Final = "weekdays"
WORKWEEK_WEEKENDS_FIELD: Final = "weekends"

# --- Assumptions the reference marks UNCONFIRMED -------------------------------------------

# The permission each signal group needs. Smartcar publishes no per-signal table; this is the
# mapping the permission descriptions suggest (one observed PERMISSION error supports `read_fuel`).
GROUP_PERMISSIONS: Final[dict[str, str]] = {
    "Charge": "read_charge",
    "Climate": "read_thermometer",
    "Closure": "read_security",
    "Diagnostics": "read_diagnostics",
    "HVAC": "read_climate",
    "InternalCombustionEngine": "read_fuel",
    "Location": "read_location",
    "Motion": "read_speedometer",
    "Odometer": "read_odometer",
    "Service": "read_service_history",
    "TractionBattery": "read_battery",
    "VehicleIdentification": "read_vehicle_info",
    "Wheel": "read_tires",
    # UNCONFIRMED (reference 3.20: no source names a scope for these groups).
    "ConnectivitySoftware": "read_extended_vehicle_info",
    "ConnectivityStatus": "read_vehicle_info",
    "LowVoltageBattery": "read_battery",
    "Surveillance": "read_security",
    "Transmission": "read_vehicle_info",
    "VehicleUserAccount": "read_user_profile",
}
# Signals whose permission differs from their group's.
SIGNAL_PERMISSIONS: Final[dict[str, str]] = {
    "vehicleidentification-vin": "read_vin",
    "charge-chargerecords": "read_charge_records",
    "internalcombustionengine-oillife": "read_engine_oil",
    "vehicleidentification-exteriorcolor": "read_extended_vehicle_info",  # UNCONFIRMED
    "vehicleidentification-packages": "read_extended_vehicle_info",  # UNCONFIRMED
    "wheel-style": "read_extended_vehicle_info",  # UNCONFIRMED
}
# Starting and stopping a charge and setting the charge limit need `control_charge` (official).
CHARGE_CONTROL_PERMISSION: Final = "control_charge"
# Creating and deleting charge schedules is assumed to need the same `control_charge`.
SCHEDULE_PERMISSION: Final = CHARGE_CONTROL_PERMISSION
LOCK_PERMISSION: Final = "control_security"
# Sending a destination to the car's navigation (official).
NAVIGATION_PERMISSION: Final = "control_navigation"
# The vehicle's make, model and year (GET /vehicles/{id}, the device's description).
VEHICLE_INFO_PERMISSION: Final = "read_vehicle_info"
# Connect's redirect (issue 20): the current docs show `?user_id=…&state=…` without a `code`; older
# pages and the community's live v3 captures add a `code` (never exchanged in v3). Both are read;
# `user_id` (a UUID by the docs) is taken when of bounded length and safe characters. Connect's
# errors (`access_denied`, `no_vehicles`, …) are snake_case; any other `error` reads "unknown".
CONNECT_USER_ID: Final = "user_id"
CONNECT_USER_ID_PATTERN: Final = re.compile(r"[A-Za-z0-9_-]{8,64}")
CONNECT_ERROR_PATTERN: Final = re.compile(r"[a-z_]{1,64}")
# "Apps can set up to ten location-based schedules" is truncated in the stored Volvo page.
MAX_CHARGE_SCHEDULES: Final = 10
# Schedule ids have no documented format (Smartcar's example: `sched_...`, this simulator:
# `sch_...`). Anything else than letters, digits, `_` and `-`, up to 128 characters, is refused
# before a request is sent.
SCHEDULE_ID_PATTERN: Final = re.compile(r"^[A-Za-z0-9_-]{1,128}$")
# Schedule answers (smartcar-api.md 10.1). The delete's answer is not documented: an execution
# body and `204 No Content` are both success, as is any 2xx without a body. A create may answer
# `202` ("always read the response body"), possibly without `scheduleId`: that create is
# pending, never identified by its execution id; the id is read back from Charge.ChargeTimers
# (the documented way to list schedules), matching the schedule asked for.
# A schedule delete answered 404 RESOURCE_NOT_FOUND with a code outside ROUTE_NOT_FOUND_CODES
# (below; the route itself is unknown) is read as "no such schedule" (UNCONFIRMED: Smartcar
# documents no error for an unknown schedule id).
# Command `status.value` values other than SUCCESS are not documented. These are read as failed;
# still-running values (PENDING, IN_PROGRESS, QUEUED, RUNNING ...) and anything else are kept as
# they came and treated as not (yet) successful.
COMMAND_FAILED_STATUSES: Final = frozenset({"FAILURE", "FAILED", "ERROR"})
# --- Commands (reference 4) -------------------------------------------------------------------
# The charge limit a set-limit command takes: a whole percentage from 50 to 100 (UNCONFIRMED: the
# community's reading of the v3 spec; the v2 docs took a fraction from 0.5 to 1.0). Anything else
# is refused before a request is sent.
CHARGE_LIMIT_MIN: Final = 50
CHARGE_LIMIT_MAX: Final = 100
CHARGE_LIMIT_FIELD: Final = "percent"
# The set-destination body: `latitude` and `longitude` (the community's reading of the spec);
# `name` is sent only when given (UNCONFIRMED: no source shows a name field). A name longer than
# this is refused before a request (chosen: no source states a limit).
DESTINATION_LATITUDE_FIELD: Final = "latitude"
DESTINATION_LONGITUDE_FIELD: Final = "longitude"
DESTINATION_NAME_FIELD: Final = "name"
DESTINATION_NAME_MAX_LENGTH: Final = 100
# `commandType` of each command's execution: official for lock (`security-lock`), unlock
# (`security-unlock`) and set-limit (`charge-set-limit`), by pattern (UNCONFIRMED) for the others:
# `charge-start`, `charge-stop`, `navigation-set-destination`. The client does not check it.
# 501 COMPATIBILITY codes that say a car can never run a command (taken as permanent, and
# remembered per vehicle and command). PLATFORM_NOT_CAPABLE asks for a new login instead.
NOT_CAPABLE_CODES: Final = frozenset(
    {"VEHICLE_NOT_CAPABLE", "SMARTCAR_NOT_CAPABLE", "MAKE_NOT_COMPATIBLE"}
)
# 409 VEHICLE_STATE codes that mean the car already is as a command asks: a start answered
# CHARGING_IN_PROGRESS is charging, a stop answered NOT_CHARGING is not (chosen: shown as done).
ALREADY_CHARGING_CODES: Final = frozenset({"CHARGING_IN_PROGRESS"})
ALREADY_NOT_CHARGING_CODES: Final = frozenset({"NOT_CHARGING"})

# ChargeTimers `days[]` strings have no documented example; weekday names in any case are read,
# and a schedule made here is mirrored locally with upper-case English names (MONDAY ...).
# The token request: the documented form body first (curl and Python examples); a 400 or 415 to
# it is retried once as JSON (the OpenAPI block on the same page).
TOKEN_RETRY_STATUSES: Final = frozenset({400, 415})
# `client_id=<Application ID>` (not `application_id`) is sent to Connect.

# --- Signal values and paging (issues 10, 11, 13) --------------------------------------------
# Ranges: each catalogue entry's plausible range sits beside its reader (signals/catalogue.py).
# Tyre pressures: live "bar" with kPa-scale numbers (258, 699.9); above 20 reads as kPa
# (readers.tires). TractionBattery.Range: docs put DEFAULT under `unit`, live bodies
# under `type`; both read. ChargeLimits/ChargeTimers: `chargingType` (since 2026-01-28) and the
# older `connectorType` both read. Percentages are 0-100 (docs and every live capture).
# Paging: the docs show `links.next` as `/vehicles/{id}/signals?page=2`, relative to the vehicle
# API root (without `/v3`); a link that already carries the root path, a page-relative link or an
# absolute link on the API's own origin are read too (paging.resolve_next_link).
# A webhook VERIFY challenge is documented only as "a random string" (hex in the simulator and
# the observed samples; base64 with `+`, `/`, `=` would be as random). VERIFY is unsigned, so
# its answer signs whatever the sender chose: the rule refuses only what could be signed into a
# delivery the integration would accept. A delivery must be a JSON object, which needs `{`,
# `}` and `"`; a challenge with any of these, a backslash, a control character (C0, DEL) or
# more than 256 characters is refused (400). Any other text, Unicode included, is answered.
# (A regular expression's character class.)
VERIFY_CHALLENGE_REFUSED: Final = r'{}"\\\x00-\x1f\x7f'
VERIFY_CHALLENGE_MAX_LENGTH: Final = 256
# Deliveries (documented, webhooks receiver): a delivery not answered 2xx within 15 s is retried
# at 0, 25, 50 and 100 s, then dropped; `Retry-After` is not honoured; the retries carry the
# same `eventId` and the same signature. So a verified delivery that comes while the entry sets
# up is answered 2xx and held (webhook.py), and a signature failing on every attempt is no fluke:
# after DELIVERY_SIGNATURE_FAILURES in a row (once a VERIFY was answered) a repair names the
# field failure of applications migrated from v2 (observed by the community, not documented).
DELIVERY_RETRY_SECONDS: Final = (0, 25, 50, 100)
DELIVERY_SIGNATURE_FAILURES: Final = 3

# Signal times (`meta`): `oemUpdatedAt` (when the car updated the value), `retrievedAt`, and
# `fetchedAt` (documented since 2026-12: when Smartcar fetched it) are all read. The merge rule
# ("newer wins", VehicleSignals.merged) orders by `oemUpdatedAt` alone: a later fetch of a value
# the car has not updated is not newer, and the docs say nothing to the contrary. A signal
# without `oemUpdatedAt` applies in the order it arrives (as before fetchedAt was read).
MERGE_TIMESTAMP: Final = "oemUpdatedAt"

# --- Management API: webhook subscriptions (smartcar-signals.md 6.1, 7) ---------------------
# Paths below are relative to `management_api_url` (https://management.api.smartcar.com/v3).

# Documented (list-webhooks): filters `filter[name]`, `filter[callbackUri]`, `filter[isEnabled]`,
# `filter[autoSubscribe]`, `page[size]` at most 100 (default 50); attributes include `name`,
# `callbackUri`, `isEnabled`, `autoSubscribe`, `errorCallbackUri` (error events may go there).
# UNCONFIRMED: whether the callbackUri filter matches exactly; the client asks with the URL as
# given and with or without its trailing `/`, and compares the answers itself.
WEBHOOKS: Final = Endpoint("webhooks", "GET", "/webhooks")
WEBHOOKS_CALLBACK_FILTER: Final = "filter[callbackUri]"
# Documented (get-webhook): one webhook, the same attributes.
WEBHOOK: Final = Endpoint("webhook", "GET", "/webhooks/{webhook_id}")
# 202 when accepted, 409 when the vehicle is already subscribed. Sent, as every Management API
# request, with the application token (see below).
SUBSCRIBE: Final = Endpoint("subscribe", "POST", "/subscriptions")
SUBSCRIPTIONS: Final = Endpoint("subscriptions", "GET", "/subscriptions")
# UNCONFIRMED: Smartcar documents that unsubscribing exists; the path is the community's.
UNSUBSCRIBE: Final = Endpoint(
    "unsubscribe", "DELETE", "/subscriptions/{subscription_id}"
)

# The v3 Management API takes the application's access token: the request-access-token page
# lists "Webhooks - subscribe vehicles" among what the application token can do (as community
# code sends it). The application management token (AMT) only signs deliveries; it is not sent.

# UNCONFIRMED: what `GET /signals` answers for a vehicle no webhook subscription covers. Sources
# disagree: 404, 200 with no signals, or day-old values. A 404 RESOURCE_NOT_FOUND on the signal
# list whose code is not one of these (a wrong path or version) is read as "no data yet"; so is an
# empty list. Day-old values cannot be told apart from a car that is parked and asleep.
ROUTE_NOT_FOUND_CODES: Final = frozenset({"PATH", "VERSION"})

# The application-level rate limit (official, default; Smartcar can raise it per application):
# a bucket of 120 requests refilling at 2 a minute, shared by every vehicle of the application,
# answered with 429 RATE_LIMIT:SMARTCAR_API when empty.
APP_BUCKET_CAPACITY: Final = 120
APP_BUCKET_REFILL_PER_MINUTE: Final = 2
APP_RATE_LIMIT_CODE: Final = "SMARTCAR_API"
# UNCONFIRMED: the time zone of Charge.ChargeTimers `start` times (no source states one); the
# polling cadence reads them in Home Assistant's time zone (the car's usually).
