"""An asyncio client for the Smartcar v3 API (no Home Assistant imports: it could be its own library)."""

__version__ = "0.2.0"

from .auth import AbstractAuth, async_request_app_token
from .bodies import Unit
from .client import SmartcarClient, SmartcarVehicle
from .commands import CommandValidationError, charge_limit_percent
from .errors import (
    ErrorDetail,
    ErrorType,
    SmartcarApiError,
    SmartcarAuthenticationError,
    SmartcarBillingError,
    SmartcarCommandFailedError,
    SmartcarCompatibilityError,
    SmartcarConnectionError,
    SmartcarError,
    SmartcarNotFoundError,
    SmartcarPermissionError,
    SmartcarRateLimitError,
    SmartcarResponseError,
    SmartcarVehicleStateError,
)
from .models import Connection, Execution, ExecutionStatus, PowertrainType, VehicleInfo
from .ratelimit import bucket_for
from .schedules import (
    ChargeSchedule,
    ChargeWindow,
    GeoLocation,
    ScheduleTimers,
    ScheduleType,
    Weekday,
    created_schedule_id,
)
from .settings import SmartcarSettings
from .signals import (
    CATALOGUE,
    Signal,
    SignalSpec,
    SignalStatus,
    VehicleSignals,
    parse_signal,
)

__all__ = [
    "CATALOGUE",
    "AbstractAuth",
    "ChargeSchedule",
    "ChargeWindow",
    "CommandValidationError",
    "Connection",
    "ErrorDetail",
    "ErrorType",
    "Execution",
    "ExecutionStatus",
    "GeoLocation",
    "PowertrainType",
    "ScheduleTimers",
    "ScheduleType",
    "Signal",
    "SignalSpec",
    "SignalStatus",
    "SmartcarApiError",
    "SmartcarAuthenticationError",
    "SmartcarBillingError",
    "SmartcarClient",
    "SmartcarCommandFailedError",
    "SmartcarCompatibilityError",
    "SmartcarConnectionError",
    "SmartcarError",
    "SmartcarNotFoundError",
    "SmartcarPermissionError",
    "SmartcarRateLimitError",
    "SmartcarResponseError",
    "SmartcarSettings",
    "SmartcarVehicle",
    "SmartcarVehicleStateError",
    "Unit",
    "VehicleInfo",
    "VehicleSignals",
    "Weekday",
    "async_request_app_token",
    "bucket_for",
    "charge_limit_percent",
    "created_schedule_id",
    "parse_signal",
]
