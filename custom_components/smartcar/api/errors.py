"""One exception hierarchy for everything that can go wrong talking to Smartcar."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from enum import StrEnum
from typing import Any

from .contract import ROUTE_NOT_FOUND_CODES
from .parsing import MAX_TEXT, as_list, as_mapping, loads


class ErrorType(StrEnum):
    """Smartcar's error `type` taxonomy."""

    AUTHENTICATION = "AUTHENTICATION"
    BILLING = "BILLING"
    COMPATIBILITY = "COMPATIBILITY"
    CONNECTED_SERVICES_ACCOUNT = "CONNECTED_SERVICES_ACCOUNT"
    PERMISSION = "PERMISSION"
    RATE_LIMIT = "RATE_LIMIT"
    RESOURCE_NOT_FOUND = "RESOURCE_NOT_FOUND"
    SERVER = "SERVER"
    UPSTREAM = "UPSTREAM"
    VALIDATION = "VALIDATION"
    VEHICLE_STATE = "VEHICLE_STATE"


# The type an error body would name, when the body names none (or is not JSON); any other
# status is SERVER from 500, VALIDATION below.
_TYPE_BY_STATUS: Mapping[int, ErrorType] = {
    401: ErrorType.AUTHENTICATION,
    403: ErrorType.PERMISSION,
    404: ErrorType.RESOURCE_NOT_FOUND,
    409: ErrorType.VEHICLE_STATE,
    429: ErrorType.RATE_LIMIT,
    430: ErrorType.BILLING,
    501: ErrorType.COMPATIBILITY,
    502: ErrorType.UPSTREAM,
    503: ErrorType.UPSTREAM,
    504: ErrorType.UPSTREAM,
}


def _text(value: Any) -> str | None:
    return value[:MAX_TEXT] if isinstance(value, str) and value else None


@dataclass(frozen=True, slots=True)
class ErrorDetail:
    """An error as Smartcar describes it, in either the v3 or the v2 envelope."""

    type: str
    code: str | None = None
    detail: str | None = None
    resolution: str | None = None
    suggested_user_message: str | None = None

    @classmethod
    def from_json(
        cls, data: Mapping[str, Any], fallback_type: str = "UNKNOWN"
    ) -> ErrorDetail:
        """Read a v3 `errors[]` entry, a v2 flat error body or a per-signal `status.error`.

        The token endpoint's OAuth form (`{"error": "invalid_client", "error_description"}`)
        reads as the code and the detail. Each text is cut to MAX_TEXT.
        """
        return cls(
            type=_text(data.get("type")) or fallback_type,
            code=_text(data.get("code")) or _text(data.get("error")),
            detail=_text(data.get("detail"))
            or _text(data.get("description"))
            or _text(data.get("error_description")),
            resolution=_text(as_mapping(data.get("resolution")).get("type")),
            suggested_user_message=_text(data.get("suggestedUserMessage")),
        )

    @classmethod
    def optional(cls, value: Any) -> ErrorDetail | None:
        """Read a signal's or an execution's `status.error`: None when it is not an object."""
        return cls.from_json(value) if isinstance(value, Mapping) else None

    @property
    def needs_reauthentication(self) -> bool:
        """Whether the owner has to go through Smartcar Connect again."""
        return self.resolution == "REAUTHENTICATE"


class SmartcarError(Exception):
    """Base class of every error this client raises."""


class ArgumentValidationError(SmartcarError, ValueError):
    """An argument Smartcar would refuse; nothing was sent.

    `problem` is why (a `StrEnum`, also the integration's translation key); `field` names
    the culprit.
    """

    def __init__(self, problem: StrEnum, field: str) -> None:
        """Name the problem and the field."""
        super().__init__(f"{field}: {problem}")
        self.problem = problem
        self.field = field


class SmartcarConnectionError(SmartcarError):
    """Smartcar could not be reached (DNS, refused or dropped connection, TLS, no answer in time)."""


class SmartcarResponseError(SmartcarError):
    """Smartcar answered with something that is not the JSON the contract describes."""


class SmartcarNoChargeTimersError(SmartcarResponseError):
    """The vehicle reports no readable charge timers: it has no schedules to list."""


# Filled in as each subclass of SmartcarApiError is defined.
_CLASS_BY_TYPE: dict[str, type[SmartcarApiError]] = {}


class SmartcarApiError(SmartcarError):
    """Smartcar answered with an error. Subclasses narrow it to one `type` of the taxonomy."""

    def __init_subclass__(cls, error_type: ErrorType | None = None) -> None:
        """Register the subclass as the class of the errors of `error_type`."""
        if error_type is not None:
            _CLASS_BY_TYPE[error_type] = cls

    def __init__(
        self, status: int, error: ErrorDetail, retry_after: float | None = None
    ) -> None:
        """Keep the HTTP status, the error Smartcar described and its `Retry-After` delay."""
        code = f":{error.code}" if error.code else ""
        detail = f" - {error.detail}" if error.detail else ""
        super().__init__(f"{status} {error.type}{code}{detail}")
        self.status = status
        self.error = error
        self.retry_after = retry_after

    @property
    def code(self) -> str | None:
        """The error code within its type, e.g. `DOOR_OPEN`."""
        return self.error.code


class SmartcarAuthenticationError(
    SmartcarApiError, error_type=ErrorType.AUTHENTICATION
):
    """The application's credentials or token were refused."""


class SmartcarBillingError(SmartcarApiError, error_type=ErrorType.BILLING):
    """The plan's limits are reached (e.g. the vehicle's monthly request allowance)."""


class SmartcarCompatibilityError(SmartcarApiError, error_type=ErrorType.COMPATIBILITY):
    """The vehicle or make cannot do this."""


class SmartcarPermissionError(SmartcarApiError, error_type=ErrorType.PERMISSION):
    """The owner did not grant the permission this needs."""


class SmartcarRateLimitError(SmartcarApiError, error_type=ErrorType.RATE_LIMIT):
    """Too many requests; `retry_after` says how many seconds to wait, when Smartcar says."""


class SmartcarNotFoundError(SmartcarApiError, error_type=ErrorType.RESOURCE_NOT_FOUND):
    """The vehicle, signal, schedule or path does not exist."""

    @property
    def unknown_route(self) -> bool:
        """Whether the path or API version itself is unknown (not the thing it names)."""
        return self.code in ROUTE_NOT_FOUND_CODES


class SmartcarServerError(SmartcarApiError, error_type=ErrorType.SERVER):
    """Smartcar failed internally."""


class SmartcarValidationError(SmartcarApiError, error_type=ErrorType.VALIDATION):
    """The request was malformed or a parameter was invalid."""


class SmartcarVehicleStateError(SmartcarApiError, error_type=ErrorType.VEHICLE_STATE):
    """The vehicle's state prevents this (asleep, door open, not charging, ...)."""


class SmartcarCommandFailedError(SmartcarApiError):
    """A command was accepted but its execution reported failure."""


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Read a `Retry-After` header: seconds, or an HTTP date."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except TypeError, ValueError:
        return None
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def error_from_response(
    status: int, text: str, retry_after: str | None = None
) -> SmartcarApiError:
    """Build the typed error of an HTTP error answer from its body text.

    A body that is empty or not JSON still gives the error its status implies.
    """
    fallback = _TYPE_BY_STATUS.get(
        status, ErrorType.SERVER if status >= 500 else ErrorType.VALIDATION
    )
    try:
        body = as_mapping(loads(text))
    except ValueError:
        body = {}
    # The v3 envelope's first `errors[]` entry, else the v2 (or OAuth) flat body.
    source = as_mapping((as_list(body.get("errors")) or [body])[0])
    detail = ErrorDetail.from_json(source, fallback)
    cls = _CLASS_BY_TYPE.get(detail.type, SmartcarApiError)
    return cls(status, detail, parse_retry_after(retry_after))
