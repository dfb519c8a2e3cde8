"""An asyncio client for the Smartcar v3 API (no Home Assistant imports: it could be its own library)."""

__version__ = "0.2.0"

# The client's public surface: each name re-exported (`X as X`).
from .auth import (
    AbstractAuth as AbstractAuth,
    async_request_app_token as async_request_app_token,
)
from .bodies import Unit as Unit
from .client import SmartcarClient as SmartcarClient
from .commands import (
    CommandValidationError as CommandValidationError,
    charge_limit_percent as charge_limit_percent,
)
from .errors import (
    ErrorDetail as ErrorDetail,
    ErrorType as ErrorType,
    SmartcarApiError as SmartcarApiError,
    SmartcarAuthenticationError as SmartcarAuthenticationError,
    SmartcarBillingError as SmartcarBillingError,
    SmartcarCommandFailedError as SmartcarCommandFailedError,
    SmartcarCompatibilityError as SmartcarCompatibilityError,
    SmartcarConnectionError as SmartcarConnectionError,
    SmartcarError as SmartcarError,
    SmartcarNoChargeTimersError as SmartcarNoChargeTimersError,
    SmartcarNotFoundError as SmartcarNotFoundError,
    SmartcarPermissionError as SmartcarPermissionError,
    SmartcarRateLimitError as SmartcarRateLimitError,
    SmartcarResponseError as SmartcarResponseError,
    SmartcarVehicleStateError as SmartcarVehicleStateError,
)
from .models import (
    FUELLED as FUELLED,
    Connection as Connection,
    Execution as Execution,
    ExecutionStatus as ExecutionStatus,
    PowertrainType as PowertrainType,
    VehicleInfo as VehicleInfo,
)
from .ratelimit import bucket_for as bucket_for
from .schedules import (
    ChargeSchedule as ChargeSchedule,
    ChargeWindow as ChargeWindow,
    GeoLocation as GeoLocation,
    ScheduleCreation as ScheduleCreation,
    ScheduleTimers as ScheduleTimers,
    ScheduleType as ScheduleType,
    Weekday as Weekday,
    created_schedule_id as created_schedule_id,
)
from .settings import SmartcarSettings as SmartcarSettings
from .signals import (
    Signal as Signal,
    SignalSpec as SignalSpec,
    VehicleSignals as VehicleSignals,
    parse_signal as parse_signal,
)
